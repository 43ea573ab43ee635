// SpecAugment-style masking (Park et al. 2019) of a NORMALISED training segment, laid out
// [nMfcc][segmentFrames] as buildSegmentBatch writes it: one run of up to `maskFrames` consecutive
// frames and up to `maskCoefficients` whole coefficient rows are set to 0, which after
// normalisation (and centring) is the coefficient's average, not silence. Why: the network sees
// only a few sources per genre and latches onto whatever separates them, often a detail of one
// generator's sound (a fixed drum pattern in some frames, one timbre coefficient); hiding random
// frames and coefficients makes it spread its evidence. Selection-split results: docs/model.md.
import type { Random } from './random.js';

export interface MaskOptions {
  /** Widest time mask in frames (one mask, width uniform in [0, maskFrames]). 0 disables. */
  maskFrames: number;
  /** Most coefficient rows masked (count uniform in [0, maskCoefficients]). 0 disables. */
  maskCoefficients: number;
}

/** Masks the segment in place. Draws no random numbers when both masks are off. */
export function maskSegmentInPlace({ segment, nMfcc, segmentFrames, options, random }: {
  segment: Float32Array;
  nMfcc: number;
  segmentFrames: number;
  options: MaskOptions;
  random: Random;
}): void {
  if (options.maskFrames > 0) {
    const width = Math.min(segmentFrames, Math.floor(random() * (options.maskFrames + 1)));
    const start = Math.floor(random() * (segmentFrames - width + 1));
    for (let k = 0; k < nMfcc; k++) segment.fill(0, k * segmentFrames + start, k * segmentFrames + start + width);
  }
  if (options.maskCoefficients > 0) {
    const count = Math.min(nMfcc, Math.floor(random() * (options.maskCoefficients + 1)));
    for (let i = 0; i < count; i++) {
      const k = Math.floor(random() * nMfcc); // may repeat a row: then fewer rows are masked
      segment.fill(0, k * segmentFrames, (k + 1) * segmentFrames);
    }
  }
}
