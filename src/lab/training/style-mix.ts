// Style mixing across sources within a genre: MixStyle (Zhou et al. 2021) applied to the input
// rows, as Freq-MixStyle does against recording-device shift in acoustic scene classification. A
// training segment keeps its own time course but takes part of the recording colour of a segment
// of the same genre from another source: each coefficient row's mean μ and spread σ over the
// segment are blended with the partner's, x ← (x − μ)/σ · (λσ + (1 − λ)σ') + λμ + (1 − λ)μ',
// λ ~ Beta(α, α). Why only within a genre: the colour carries genre too (centring the timbre
// path's leading rows lost on held-out sources), so only what tells sources of one genre apart is
// made a nuisance. On held-out sources it lost (0.768 against 0.776; docs/experiments.md).
import { buildSegmentBatch, type Normalisation } from '../../genre/model/segments.js';
import type { MfccMatrix } from '../../types.js';
import { sampleBeta } from './mixup.js';
import type { Random } from './random.js';

export interface StyleMixOptions {
  /** Share of training segments that are mixed; 0 disables (no random numbers drawn). */
  probability: number;
  /** Beta(α, α) concentration of the segment's own share λ. */
  alpha: number;
}

/** Draws a partner for a clip: another source of its label chosen uniformly (so one large source
 * does not supply most colours), then one of that source's clips; undefined when no other source
 * has the label. */
export type PartnerDraw = (clip: number, random: Random) => number | undefined;

export function stylePartnerDraw({ labels, sources }: { labels: readonly number[]; sources: readonly string[] }): PartnerDraw {
  const byLabel = new Map<number, Map<string, number[]>>();
  labels.forEach((label, clip) => {
    const bySource = byLabel.get(label) ?? new Map<string, number[]>();
    byLabel.set(label, bySource);
    const clips = bySource.get(sources[clip]!) ?? [];
    bySource.set(sources[clip]!, clips);
    clips.push(clip);
  });
  return (clip, random) => {
    const others = [...byLabel.get(labels[clip]!)!].filter(([source]) => source !== sources[clip]);
    if (others.length === 0) return undefined;
    const clips = others[Math.floor(random() * others.length)]![1];
    return clips[Math.floor(random() * clips.length)];
  };
}

/** Mean and spread of each row of a segment laid out [nMfcc][segmentFrames]. */
export function rowStatistics(segment: Float32Array, nMfcc: number, segmentFrames: number): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(nMfcc);
  const std = new Float64Array(nMfcc);
  for (let k = 0; k < nMfcc; k++) {
    const row = segment.subarray(k * segmentFrames, (k + 1) * segmentFrames);
    let sum = 0;
    for (const v of row) sum += v;
    const m = sum / segmentFrames;
    let sq = 0;
    for (const v of row) sq += (v - m) ** 2;
    mean[k] = m;
    std[k] = Math.sqrt(sq / segmentFrames);
  }
  return { mean, std };
}

/** Blends each row's mean and spread with the partner segment's, λ being the segment's own share. */
export function mixRowStyleInPlace({ segment, partner, lambda, nMfcc, segmentFrames }: {
  segment: Float32Array;
  partner: Float32Array;
  lambda: number;
  nMfcc: number;
  segmentFrames: number;
}): void {
  const own = rowStatistics(segment, nMfcc, segmentFrames);
  const other = rowStatistics(partner, nMfcc, segmentFrames);
  for (let k = 0; k < nMfcc; k++) {
    const mean = lambda * own.mean[k]! + (1 - lambda) * other.mean[k]!;
    // A constant row keeps its value shape (zero spread) and only moves to the blended mean.
    const scale = own.std[k]! > 1e-6 ? (lambda * own.std[k]! + (1 - lambda) * other.std[k]!) / own.std[k]! : 0;
    const row = segment.subarray(k * segmentFrames, (k + 1) * segmentFrames);
    for (let t = 0; t < segmentFrames; t++) row[t] = (row[t]! - own.mean[k]!) * scale + mean;
  }
}

/** With the option's probability, mixes one normalised training segment of `clip` with a random
 * segment of a partner clip (same label, other source). */
export function styleMixSegmentInPlace({ segment, clip, clips, segmentFrames, normalisation, styleMix }: {
  segment: Float32Array;
  clip: number;
  clips: readonly MfccMatrix[];
  segmentFrames: number;
  normalisation: Normalisation;
  styleMix: { options: StyleMixOptions; partnerOf: PartnerDraw; random: Random };
}): void {
  const { options, partnerOf, random } = styleMix;
  if (!(options.probability > 0) || random() >= options.probability) return;
  const partnerClip = partnerOf(clip, random);
  if (partnerClip === undefined) return;
  const source = clips[partnerClip]!;
  const start = Math.floor(random() * (Math.max(0, source.frames - segmentFrames) + 1));
  const partner = new Float32Array(segment.length);
  buildSegmentBatch({ mfcc: source, starts: [start], segmentFrames, normalisation, out: partner });
  mixRowStyleInPlace({ segment, partner, lambda: sampleBeta(options.alpha, random), nMfcc: source.nMfcc, segmentFrames });
}
