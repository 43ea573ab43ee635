// MFCC exactly as librosa 0.11's librosa.feature.mfcc (see /work/shared/golden/README.md):
// STFT power (stft.ts) → sparse Slaney mel bank (mel-filterbank.ts), both incremental in
// mel-accumulator.ts → power_to_db over the whole matrix (power-to-db.ts) → ortho DCT-II +
// optional lifter (dct.ts). computeMfcc runs the whole signal at once (no copy); the accumulator
// runs the same per-frame code on samples pushed while ffmpeg decodes (possible, bit-identical,
// but not used by the service: see docs/audio.md). Tables per parameter set are built once, cached.
import type { MfccMatrix } from '../types.js';
import { applyDct, createDctTable, type DctTable } from './dct.js';
import { checkInt, invalidFeatureParams, remember } from './feature-params.js';
import { computeMelPower, createMelAccumulator, type MelParameters, type MelPowerFrames } from './mel-accumulator.js';
import { powerToDbInPlace } from './power-to-db.js';

export interface LogMelOptions extends MelParameters {
  samples: Float32Array;
}

export interface MfccParameters extends MelParameters {
  nMfcc?: number;
  /** librosa's cepstral lifter; 0 disables it. */
  lifter?: number;
}

export interface MfccOptions extends MfccParameters {
  samples: Float32Array;
}

/** Band-major log-mel (dB): value(m, t) = data[m * frames + t]. */
export interface LogMelMatrix {
  data: Float32Array;
  nMels: number;
  frames: number;
}

export interface MfccAccumulator {
  /** Appends decoded samples (copied) and computes the STFT/mel frames they complete. */
  push(chunk: Float32Array): void;
  /** The MFCC of everything pushed: remaining edge frames, power_to_db, DCT. Once. */
  finish(): MfccMatrix;
  readonly sampleCount: number;
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

function checkMfccParameters(nMfcc: number, lifter: number, nMels: number): void {
  checkInt('nMfcc', nMfcc, 1, nMels);
  if (!(lifter >= 0) || !Number.isFinite(lifter)) throw invalidFeatureParams(`lifter must be >= 0, got ${lifter}`);
}

/** Mel power → MFCC: power_to_db over the whole matrix, then the DCT. */
function melToMfcc(mel: MelPowerFrames, nMfcc: number, lifter: number): MfccMatrix {
  const logMel = toDecibels(mel);
  const dct = remember(dctTables, `${mel.nMels}|${nMfcc}|${lifter}`, () => createDctTable({ nMels: mel.nMels, nMfcc, lifter }));
  return { data: applyDct({ dct, logMelFrameMajor: logMel.data, frames: logMel.frames }), nMfcc, frames: logMel.frames };
}

/** `maxSamples`: the most samples that will be pushed. Parameters are checked here, up front. */
export function createMfccAccumulator({ nMfcc = 13, lifter = 0, nMels = 128, maxSamples, ...mel }: MfccParameters & { maxSamples: number }): MfccAccumulator {
  checkMfccParameters(nMfcc, lifter, nMels);
  const accumulator = createMelAccumulator({ ...mel, nMels, maxSamples });
  return {
    push: (chunk) => accumulator.push(chunk),
    finish: () => melToMfcc(accumulator.finish(), nMfcc, lifter),
    get sampleCount() {
      return accumulator.sampleCount;
    },
  };
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
  checkMfccParameters(nMfcc, lifter, nMels);
  return melToMfcc(computeMelPower({ ...mel, nMels }), nMfcc, lifter);
}
