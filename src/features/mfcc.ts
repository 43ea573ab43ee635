// MFCC exactly as librosa 0.11's librosa.feature.mfcc (golden fixtures in test/fixtures/golden):
// STFT power (stft.ts) → sparse Slaney mel bank (mel-filterbank.ts), both in mel-power.ts →
// power_to_db over the whole matrix (power-to-db.ts) → ortho DCT-II + optional lifter (dct.ts).
// Pure functions; the tables for a parameter set are built once and cached.
import type { MfccMatrix } from '../types.js';
import { applyDct, createDctTable, type DctTable } from './dct.js';
import { checkInt, invalidFeatureParams, remember } from './feature-params.js';
import { computeMelPower, type MelParameters, type MelPowerFrames } from './mel-power.js';
import { powerToDbInPlace } from './power-to-db.js';

export interface LogMelOptions extends MelParameters {
  samples: Float32Array;
}

export interface MfccOptions extends LogMelOptions {
  nMfcc?: number;
  /** librosa's cepstral lifter; 0 disables it. */
  lifter?: number;
}

/** Band-major log-mel (dB): value(m, t) = data[m * frames + t]. */
export interface LogMelMatrix {
  data: Float32Array;
  nMels: number;
  frames: number;
}

const dctTables = new Map<string, DctTable>();

/**
 * power_to_db in place on the frame-major mel power: the log-mel stays FRAME-major (value(m, t) =
 * data[t * nMels + m]) because the DCT then reads each frame's bands contiguously, which measured
 * ~2× faster than band-major strides.
 */
function toDecibels(mel: MelPowerFrames): MelPowerFrames {
  powerToDbInPlace({ data: mel.data });
  return mel;
}

/** librosa.power_to_db(librosa.feature.melspectrogram(...)), band-major like librosa. */
export function computeLogMel(options: LogMelOptions): LogMelMatrix {
  const { data, nMels, frames } = toDecibels(computeMelPower(options));
  const bandMajor = new Float32Array(data.length);
  for (let t = 0; t < frames; t++) {
    for (let m = 0; m < nMels; m++) bandMajor[m * frames + t] = data[t * nMels + m]!;
  }
  return { data: bandMajor, nMels, frames };
}

export function computeMfcc({ nMfcc = 13, lifter = 0, nMels = 128, ...mel }: MfccOptions): MfccMatrix {
  checkMfccOptions({ nMfcc, lifter, nMels });
  return mfccFromMelPower({ mel: computeMelPower({ ...mel, nMels }), nMfcc, lifter });
}

export function checkMfccOptions({ nMfcc, lifter, nMels }: { nMfcc: number; lifter: number; nMels: number }): void {
  checkInt('nMfcc', nMfcc, 1, nMels);
  if (!(lifter >= 0) || !Number.isFinite(lifter)) throw invalidFeatureParams(`lifter must be >= 0, got ${lifter}`);
}

/** power_to_db over the whole matrix (in place), then the DCT: the MFCC of a mel power matrix. */
export function mfccFromMelPower({ mel, nMfcc, lifter }: { mel: MelPowerFrames; nMfcc: number; lifter: number }): MfccMatrix {
  const logMel = toDecibels(mel);
  const { nMels } = mel;
  const dct = remember(dctTables, `${nMels}|${nMfcc}|${lifter}`, () => createDctTable({ nMels, nMfcc, lifter }));
  return { data: applyDct({ dct, logMelFrameMajor: logMel.data, frames: logMel.frames }), nMfcc, frames: logMel.frames };
}
