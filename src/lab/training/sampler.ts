// Which segments a training epoch sees. Each epoch takes `segmentsPerClip` random ≈3-s windows
// from every training clip (random offsets, not the fixed serving grid: every epoch sees new
// crops), shuffled. This bounds an epoch's cost by the clip count, which is how training the
// bundled dataset fits the time budget on 2 cores (see docs/model.md).
import type { MfccMatrix } from '../../types.js';
import { buildSegmentBatch, type Normalisation } from '../../genre/model/segments.js';
import { drawCepstralOffsets, offsetSegmentInPlace, type AugmentOptions } from './augment.js';
import { maskSegmentInPlace, type MaskOptions } from './masking.js';
import { shuffleInPlace, type Random } from './random.js';
import { drawWindowCount } from './source-balance.js';
import { drawStretchRate, stretchWindow, type StretchOptions } from './stretch.js';
import { styleMixSegmentInPlace, type PartnerDraw, type StyleMixOptions } from './style-mix.js';
import { drawSemitones, pitchShiftMatrix, pitchShiftWindow, type MelAxis, type PitchShiftOptions } from './pitch-shift.js';

export interface SegmentRef {
  clip: number;
  start: number;
}

export function sampleEpoch({ frames, segmentFrames, segmentsPerClip, windowsPerClip, random }: {
  /** Frame count of each training clip. */
  frames: readonly number[];
  segmentFrames: number;
  segmentsPerClip: number;
  /** Expected windows of each clip (source-balance.ts); omitted: segmentsPerClip for every clip. */
  windowsPerClip?: readonly number[];
  random: Random;
}): SegmentRef[] {
  const refs: SegmentRef[] = [];
  frames.forEach((f, clip) => {
    const room = Math.max(0, f - segmentFrames);
    const count = windowsPerClip ? drawWindowCount(windowsPerClip[clip]!, random) : segmentsPerClip;
    for (let i = 0; i < count; i++) refs.push({ clip, start: Math.floor(random() * (room + 1)) });
  });
  return shuffleInPlace(refs, random);
}

/** One training batch: inputs [n, nMfcc, segmentFrames, 1] (normalised) and label indices. */
export function buildTrainingBatch({ refs, clips, labelOf, segmentFrames, normalisation, stretch, pitch, styleMix, augment, mask }: {
  refs: readonly SegmentRef[];
  clips: readonly MfccMatrix[];
  labelOf: readonly number[];
  segmentFrames: number;
  normalisation: Normalisation;
  /** Random tempo change per segment (stretch.ts), applied first; omitted: frames as they are. */
  stretch?: { options: StretchOptions; random: Random };
  /** Random pitch shift per segment (pitch-shift.ts), after the stretch; omitted: none. */
  pitch?: { options: PitchShiftOptions; axis: MelAxis; random: Random };
  /** Row style mixed with another source's segment of the genre (style-mix.ts), after the pitch shift. */
  styleMix?: { options: StyleMixOptions; partnerOf: PartnerDraw; random: Random };
  /** Random gain/EQ per segment (augment.ts); omitted: segments as they are. */
  augment?: { options: AugmentOptions; nMels: number; random: Random };
  /** Time/coefficient masks per segment (masking.ts), applied after `augment`. */
  mask?: { options: MaskOptions; random: Random };
}): { input: Float32Array; labels: Int32Array } {
  const nMfcc = clips[0]?.nMfcc ?? 0;
  const per = nMfcc * segmentFrames;
  const input = new Float32Array(refs.length * per);
  const labels = new Int32Array(refs.length);
  refs.forEach((ref, i) => {
    const segment = input.subarray(i * per, (i + 1) * per);
    const rate = stretch ? drawStretchRate(stretch.options, stretch.random) : 1;
    const semitones = pitch ? drawSemitones(pitch.options, pitch.random) : 0;
    if (rate === 1 && semitones === 0) {
      buildSegmentBatch({ mfcc: clips[ref.clip]!, starts: [ref.start], segmentFrames, normalisation, out: segment });
    } else {
      let window = stretchWindow({ mfcc: clips[ref.clip]!, start: ref.start, segmentFrames, rate });
      if (semitones !== 0) window = pitchShiftWindow({ mfcc: window, matrix: pitchShiftMatrix({ semitones, nMfcc, axis: pitch!.axis }) });
      buildSegmentBatch({ mfcc: window, starts: [0], segmentFrames, normalisation, out: segment });
    }
    if (styleMix) styleMixSegmentInPlace({ segment, clip: ref.clip, clips, segmentFrames, normalisation, styleMix });
    if (augment) {
      const offsets = drawCepstralOffsets({ options: augment.options, nMfcc, nMels: augment.nMels, random: augment.random });
      offsetSegmentInPlace({ segment, offsets, std: normalisation.std, segmentFrames });
    }
    if (mask) maskSegmentInPlace({ segment, nMfcc, segmentFrames, options: mask.options, random: mask.random });
    labels[i] = labelOf[ref.clip]!;
  });
  return { input, labels };
}

/** Per-coefficient mean and standard deviation over every frame of the given (training) clips. */
export function computeNormalisation({ clips }: { clips: readonly MfccMatrix[] }): { mean: number[]; std: number[] } {
  const nMfcc = clips[0]?.nMfcc ?? 0;
  const sum = new Float64Array(nMfcc);
  const sumSq = new Float64Array(nMfcc);
  let count = 0;
  for (const { data, frames } of clips) {
    for (let k = 0; k < nMfcc; k++) {
      for (let t = 0; t < frames; t++) {
        const v = data[k * frames + t]!;
        sum[k]! += v;
        sumSq[k]! += v * v;
      }
    }
    count += frames;
  }
  const mean = Array.from(sum, (s) => s / Math.max(1, count));
  // A floor keeps a constant coefficient (e.g. silent data) from dividing by zero.
  const std = Array.from(sumSq, (s, k) => Math.max(1e-3, Math.sqrt(Math.max(0, s / Math.max(1, count) - mean[k]! ** 2))));
  return { mean, std };
}
