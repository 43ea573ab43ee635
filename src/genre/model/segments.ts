// Cutting an MFCC matrix into the CNN's fixed-length segments (overlapping when the hop is shorter
// than a segment). Pure functions.
import { InputError } from '../../errors.js';
import type { MfccMatrix } from '../../types.js';

/**
 * Start frames of the segments covering a clip of `frames` frames: every `hopFrames` from 0, plus
 * one segment aligned to the clip's end when the regular grid leaves a tail uncovered, so the last
 * seconds of a clip are always scored. A clip shorter than one segment gets one segment at 0 (its
 * frames are looped to fill it: see `buildSegmentBatch`).
 */
export function planSegments({ frames, segmentFrames, hopFrames }: { frames: number; segmentFrames: number; hopFrames: number }): number[] {
  if (!Number.isInteger(frames) || frames < 1) throw new InputError('AUDIO_TOO_SHORT', 'no MFCC frames to classify');
  if (frames <= segmentFrames) return [0];
  const starts: number[] = [];
  for (let s = 0; s + segmentFrames <= frames; s += hopFrames) starts.push(s);
  const last = starts[starts.length - 1]!;
  if (last + segmentFrames < frames) starts.push(frames - segmentFrames);
  return starts;
}

export const NORMALISATION_KINDS = ['per-coefficient', 'per-coefficient-centred', 'per-coefficient-standardised', 'per-coefficient-standardised-timbre'] as const;
export type NormalisationKind = (typeof NORMALISATION_KINDS)[number];

/** Added to a segment row's variance (in training-normalised units, where a coefficient's spread
 * over the training set is 1) before dividing: a near-constant row (silence, a held note) stays
 * near zero instead of having its noise blown up to unit size. */
export const STANDARDISE_VARIANCE_FLOOR = 0.01;

export interface Normalisation {
  /** 'per-coefficient-centred' also removes each segment's mean per coefficient: a fixed gain or
   * EQ of the recording chain is a constant offset on the cepstrum, so centring makes the network
   * blind to it (at the price of the clip's average timbre). 'per-coefficient-standardised' also
   * divides each centred row by its own standard deviation (floored: see STANDARDISE_VARIANCE_FLOOR),
   * so a recording chain's compression or brightness, which scales how much a coefficient moves,
   * is removed as well (at the price of the segment's dynamics). '…-standardised-timbre' does so
   * for c1 and up only: c0 (loudness) keeps how much it moves. Default 'per-coefficient'. */
  kind?: NormalisationKind;
  mean: readonly number[];
  std: readonly number[];
}

/**
 * Copies the segments into one NHWC batch [starts.length, nMfcc, segmentFrames, 1], normalising
 * each coefficient with the training statistics. Short clips are padded by LOOPING their frames
 * (frame t reads t mod frames) rather than with silence or zeros: a looped clip keeps the texture
 * the network was trained on, while a block of padding is an input it never saw.
 */
export function buildSegmentBatch({ mfcc, starts, segmentFrames, normalisation, out }: {
  mfcc: MfccMatrix;
  starts: readonly number[];
  segmentFrames: number;
  normalisation: Normalisation;
  out?: Float32Array;
}): Float32Array {
  const { data, nMfcc, frames } = mfcc;
  const size = starts.length * nMfcc * segmentFrames;
  const batch = out && out.length >= size ? out.subarray(0, size) : new Float32Array(size);
  const standardised = normalisation.kind === 'per-coefficient-standardised';
  const timbreOnly = normalisation.kind === 'per-coefficient-standardised-timbre';
  const centred = standardised || timbreOnly || normalisation.kind === 'per-coefficient-centred';
  let o = 0;
  for (const start of starts) {
    for (let k = 0; k < nMfcc; k++) {
      const rowStart = o;
      const row = k * frames;
      const mean = normalisation.mean[k]!;
      const scale = 1 / normalisation.std[k]!;
      if (start + segmentFrames <= frames) {
        for (let t = 0; t < segmentFrames; t++) batch[o++] = (data[row + start + t]! - mean) * scale;
      } else {
        for (let t = 0; t < segmentFrames; t++) batch[o++] = (data[row + ((start + t) % frames)]! - mean) * scale;
      }
      if (centred) {
        let sum = 0;
        for (let i = rowStart; i < o; i++) sum += batch[i]!;
        const rowMean = sum / segmentFrames;
        for (let i = rowStart; i < o; i++) batch[i]! -= rowMean;
      }
      if (standardised || (timbreOnly && k > 0)) {
        let squares = 0;
        for (let i = rowStart; i < o; i++) squares += batch[i]! * batch[i]!;
        const inverseStd = 1 / Math.sqrt(squares / segmentFrames + STANDARDISE_VARIANCE_FLOOR);
        for (let i = rowStart; i < o; i++) batch[i]! *= inverseStd;
      }
    }
  }
  return batch;
}
