// Training-time augmentation in the cepstral domain: a random loudness change and a random smooth
// equaliser curve per training segment. Why these two: clips from different sources differ most in
// their recording chain (level, microphones, mastering EQ), and a network trained on a few sources
// learns those as genre cues. Why in the MFCC domain: the MFCC is an orthonormal DCT-II of the
// log-mel spectrum (dct.ts, lifter 0), so adding g dB to every mel band adds g·√M to c0, and an
// EQ curve a·cos(πk(2m+1)/2M) dB across the M mel bands adds a·√(M/2) to c_k and nothing else.
// Both are exact (up to power_to_db's floor and top_db clip) and cost nothing: no re-decode, the
// feature cache stays valid.
import type { Random } from './random.js';

export interface AugmentOptions {
  /** Loudness change drawn uniformly in ±gainDb. 0 disables. */
  gainDb: number;
  /** Standard deviation in dB of each EQ cosine's amplitude. 0 disables. */
  eqDb: number;
  /** How many cosines (c1…cK) shape the EQ curve: small K = smooth curves. */
  eqCoefficients: number;
}

export const NO_AUGMENTATION: AugmentOptions = { gainDb: 0, eqDb: 0, eqCoefficients: 0 };

/** Standard normal draw (Box–Muller) from the seeded generator. */
function gaussian(random: Random): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * The raw-MFCC offsets (one per coefficient) of one random gain + EQ draw. Returns zeros when
 * augmentation is off, without consuming random numbers (runs without it stay reproducible).
 */
export function drawCepstralOffsets({ options, nMfcc, nMels, random }: {
  options: AugmentOptions;
  nMfcc: number;
  nMels: number;
  random: Random;
}): Float64Array {
  const offsets = new Float64Array(nMfcc);
  if (options.gainDb > 0) offsets[0] = (2 * random() - 1) * options.gainDb * Math.sqrt(nMels);
  if (options.eqDb > 0) {
    const last = Math.min(options.eqCoefficients, nMfcc - 1);
    for (let k = 1; k <= last; k++) offsets[k] = gaussian(random) * options.eqDb * Math.sqrt(nMels / 2);
  }
  return offsets;
}

/**
 * Adds the offsets to one NORMALISED segment laid out [nMfcc][segmentFrames] (as buildSegmentBatch
 * writes it): a raw offset d on coefficient k is d / std_k after normalisation.
 */
export function offsetSegmentInPlace({ segment, offsets, std, segmentFrames }: {
  segment: Float32Array;
  offsets: Float64Array;
  std: readonly number[];
  segmentFrames: number;
}): void {
  for (let k = 0; k < offsets.length; k++) {
    const d = offsets[k]! / std[k]!;
    if (d === 0) continue;
    const row = segment.subarray(k * segmentFrames, (k + 1) * segmentFrames);
    for (let t = 0; t < segmentFrames; t++) row[t]! += d;
  }
}
