// Pitch-shift augmentation in the MFCC domain: a training segment is heard a few semitones higher or
// lower. Why: recordings of one genre from one source share keys, tunings and instruments' formant
// regions, and a network trained on a few sources can take those for genre (lo-fi producers, for
// one, pitch their samples down). How: the nMfcc coefficients of a frame are the orthonormal DCT of
// a smoothed log-mel spectrum (dct.ts, lifter 0), so c' = D·W·Dᵀ·c reads that spectrum back, moves
// every band to the frequency it has after a shift by ratio 2^(s/12) (W: linear interpolation
// between mel band centres, edges held) and takes the DCT again. One nMfcc × nMfcc product per
// frame: no re-decode, the feature cache stays valid. Like stretch.ts it approximates the audio
// operation (bandwidths, top_db's floor and what the truncated cepstrum smooths away are ignored).
// On held-out sources ±2 semitones lost (jazz fell on some seeds; docs/experiments.md).
import { createDctTable } from '../../features/dct.js';
import { hzToMelSlaney, melToHzSlaney } from '../../features/mel-filterbank.js';
import type { MfccMatrix } from '../../types.js';
import type { Random } from './random.js';

export interface PitchShiftOptions {
  /** Largest shift in semitones: shifts are uniform in ±maxSemitones. 0 disables (no random numbers drawn). */
  maxSemitones: number;
}

/** The mel axis the features were computed on (the model's feature parameters). */
export interface MelAxis {
  nMels: number;
  fmin: number;
  fmax: number;
}

/** A shift uniform in ±maxSemitones, or exactly 0 (no draw) when disabled. */
export function drawSemitones(options: PitchShiftOptions, random: Random): number {
  if (!(options.maxSemitones > 0)) return 0;
  return (2 * random() - 1) * options.maxSemitones;
}

/**
 * The nMfcc × nMfcc matrix (row-major) that shifts a frame's cepstrum by `semitones`. Band centres
 * are librosa's mel_frequencies(nMels + 2, fmin, fmax)[1:-1] (Slaney scale); band m after the
 * shift holds what the band at frequency f_m / ratio held before.
 */
export function pitchShiftMatrix({ semitones, nMfcc, axis }: { semitones: number; nMfcc: number; axis: MelAxis }): Float64Array {
  const { nMels, fmin, fmax } = axis;
  const { table } = createDctTable({ nMels, nMfcc });
  const low = hzToMelSlaney(fmin);
  const step = (hzToMelSlaney(fmax) - low) / (nMels + 1);
  const ratio = 2 ** (semitones / 12);
  // readBack[m·nMfcc + j]: band m of W·Dᵀ for coefficient j.
  const readBack = new Float64Array(nMels * nMfcc);
  for (let m = 0; m < nMels; m++) {
    const source = (hzToMelSlaney(melToHzSlaney(low + (m + 1) * step) / ratio) - low) / step - 1;
    const position = Math.min(nMels - 1, Math.max(0, source));
    const below = Math.min(nMels - 2, Math.floor(position));
    const weight = position - below;
    for (let j = 0; j < nMfcc; j++) {
      readBack[m * nMfcc + j] = (1 - weight) * table[j * nMels + below]! + weight * table[j * nMels + below + 1]!;
    }
  }
  const matrix = new Float64Array(nMfcc * nMfcc);
  for (let i = 0; i < nMfcc; i++) {
    for (let j = 0; j < nMfcc; j++) {
      let sum = 0;
      for (let m = 0; m < nMels; m++) sum += table[i * nMels + m]! * readBack[m * nMfcc + j]!;
      matrix[i * nMfcc + j] = sum;
    }
  }
  return matrix;
}

/** Every frame of a (coefficient-major) MFCC window multiplied by the shift matrix. */
export function pitchShiftWindow({ mfcc, matrix }: { mfcc: MfccMatrix; matrix: Float64Array }): MfccMatrix {
  const { data, nMfcc, frames } = mfcc;
  const out = new Float32Array(nMfcc * frames);
  for (let t = 0; t < frames; t++) {
    for (let i = 0; i < nMfcc; i++) {
      let sum = 0;
      for (let j = 0; j < nMfcc; j++) sum += matrix[i * nMfcc + j]! * data[j * frames + t]!;
      out[i * frames + t] = sum;
    }
  }
  return { data: out, nMfcc, frames };
}
