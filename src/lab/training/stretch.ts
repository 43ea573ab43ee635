// Time-stretch augmentation in the MFCC domain: a training segment is read from the clip at a
// random rate r (log-uniform in [1/(1+s), 1+s]) by linear interpolation between frames, so the
// network sees the music r× faster or slower. Why: the generated half of the data plays each
// groove at tempos drawn from fixed per-genre ranges and with mma's exact timing; real music has
// other tempos and note lengths. A frame is ≈ 23 ms of STFT, so stretching frames approximates a
// tempo change without a pitch change (the spectral envelope of each frame is kept); it is not an
// exact re-analysis of time-stretched audio, which would cost a decode + MFCC per segment.
import type { MfccMatrix } from '../../types.js';
import type { Random } from './random.js';

export interface StretchOptions {
  /** Largest stretch s: rates fall in [1/(1+s), 1+s]. 0 disables (no random numbers drawn). */
  maxStretch: number;
}

/** A rate log-uniform in [1/(1+s), 1+s], or exactly 1 (no draw) when s = 0. */
export function drawStretchRate(options: StretchOptions, random: Random): number {
  if (!(options.maxStretch > 0)) return 1;
  const span = Math.log(1 + options.maxStretch);
  return Math.exp((2 * random() - 1) * span);
}

/**
 * The segmentFrames frames of `mfcc` at positions start + t·rate (t = 0…segmentFrames−1), linearly
 * interpolated, as a matrix of exactly segmentFrames frames. The start is moved back when the
 * stretched window would run past the clip's end; a clip too short even then is read looped
 * (position mod frames), like buildSegmentBatch pads short clips.
 */
export function stretchWindow({ mfcc, start, segmentFrames, rate }: {
  mfcc: MfccMatrix;
  start: number;
  segmentFrames: number;
  rate: number;
}): MfccMatrix {
  const { data, nMfcc, frames } = mfcc;
  const span = (segmentFrames - 1) * rate; // position of the last frame read, relative to the start
  const first = Math.max(0, Math.min(start, frames - 1 - span));
  const out = new Float32Array(nMfcc * segmentFrames);
  for (let t = 0; t < segmentFrames; t++) {
    const position = first + t * rate;
    const below = Math.floor(position);
    const weight = position - below;
    const a = below % frames;
    const b = (below + 1) % frames;
    for (let k = 0; k < nMfcc; k++) {
      const row = k * frames;
      out[k * segmentFrames + t] = (1 - weight) * data[row + a]! + weight * data[row + b]!;
    }
  }
  return { data: out, nMfcc, frames: segmentFrames };
}
