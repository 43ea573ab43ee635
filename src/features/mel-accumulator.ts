// Mel power spectrogram computed INCREMENTALLY as samples arrive (e.g. while ffmpeg is still
// decoding), so the expensive part of the MFCC (STFT + mel bank, ~90% of it) can overlap the
// decode (measured and not used by the service: docs/audio.md, "Streaming MFCC").
// computeMelPower below is the one-shot path (no copy of the signal); both run the same per-frame
// code (forEachPowerFrame + writeMelFrame), so streaming is bit-identical to one-shot.
// With center=True zero padding (stft.ts), frame t covers samples [t·hop - nFft/2, t·hop + nFft/2):
// push() computes every frame whose window is complete (the first frames read zeros on the left);
// finish() computes the right-edge frames, which read the zero padding past the end.
// What needs the whole matrix (power_to_db's global max for top_db, then the DCT) is left to the
// caller (mfcc.ts), after finish().
import { InputError } from '../errors.js';
import { checkInt, invalidFeatureParams, remember } from './feature-params.js';
import { createMelFilterbank, writeMelFrame, type SparseMelFilterbank } from './mel-filterbank.js';
import { isPowerOfTwo } from './real-fft.js';
import { createStftPlan, forEachPowerFrame, stftFrameCount, type StftPlan } from './stft.js';

export interface MelParameters {
  sampleRate: number;
  nFft?: number;
  hopLength?: number;
  nMels?: number;
  fmin?: number;
  /** Default sampleRate / 2. */
  fmax?: number;
}

/** Mel POWER (before power_to_db) in frame-major order: value(m, t) = data[t * nMels + m]. */
export interface MelPowerFrames {
  data: Float32Array;
  nMels: number;
  frames: number;
}

export interface MelAccumulator {
  /** Appends samples (copied: the caller may reuse `chunk`) and computes the frames now complete. */
  push(chunk: Float32Array): void;
  /** Computes the remaining frames; the accumulator is spent afterwards. EMPTY_AUDIO if nothing came. */
  finish(): MelPowerFrames;
  /** Samples pushed so far. */
  readonly sampleCount: number;
}

const melPlans = new Map<string, { stft: StftPlan; bank: SparseMelFilterbank }>();

function melPlan({ sampleRate, nFft, hopLength, nMels, fmin, fmax }: Required<MelParameters>): { stft: StftPlan; bank: SparseMelFilterbank } {
  if (!(sampleRate > 0) || !Number.isFinite(sampleRate)) throw invalidFeatureParams(`sampleRate must be > 0, got ${sampleRate}`);
  if (!isPowerOfTwo(nFft) || nFft < 4 || nFft > 65536) throw invalidFeatureParams(`nFft must be a power of two in [4, 65536], got ${nFft}`);
  checkInt('hopLength', hopLength, 1);
  checkInt('nMels', nMels, 1, 1024);
  if (!(fmin >= 0 && fmin < fmax && fmax <= sampleRate / 2)) {
    throw invalidFeatureParams(`need 0 <= fmin < fmax <= sampleRate/2, got fmin ${fmin}, fmax ${fmax}`);
  }
  return remember(melPlans, `${sampleRate}|${nFft}|${hopLength}|${nMels}|${fmin}|${fmax}`, () => ({
    stft: createStftPlan({ nFft, hopLength }),
    bank: createMelFilterbank({ sampleRate, nFft, nMels, fmin, fmax }),
  }));
}

/**
 * The whole signal at once, without copying it (computeMfcc's path): the same per-frame code as
 * the accumulator below, so both give bit-identical frames (test/features/mfcc-streaming.test.ts).
 */
export function computeMelPower({
  samples, sampleRate, nFft = 2048, hopLength = 512, nMels = 128, fmin = 0, fmax,
}: MelParameters & { samples: Float32Array }): MelPowerFrames {
  const { stft, bank } = melPlan({ sampleRate, nFft, hopLength, nMels, fmin, fmax: fmax ?? sampleRate / 2 });
  if (samples.length === 0) throw new InputError('EMPTY_AUDIO', 'cannot compute features of zero samples', 400);
  const frames = stftFrameCount({ length: samples.length, hopLength });
  const data = new Float32Array(nMels * frames);
  forEachPowerFrame({ plan: stft, samples, visit: (t, power) => writeMelFrame(bank, power, data, t * nMels) });
  return { data, nMels, frames };
}

/**
 * `maxSamples`: the most samples that will be pushed (more is a RangeError). The buffers grow
 * (doubling) up to what that needs rather than being allocated for it up front: with
 * MAX_AUDIO_SECONDS up to 600, a 30-s clip would otherwise reserve ~60 MB.
 */
export function createMelAccumulator({
  sampleRate, nFft = 2048, hopLength = 512, nMels = 128, fmin = 0, fmax, maxSamples,
}: MelParameters & { maxSamples: number }): MelAccumulator {
  const { stft, bank } = melPlan({ sampleRate, nFft, hopLength, nMels, fmin, fmax: fmax ?? sampleRate / 2 });
  checkInt('maxSamples', maxSamples, 0);
  let samples = new Float32Array(0);
  let data = new Float32Array(nMels); // frame-major mel power: value(m, t) = data[t * nMels + m]
  const visit = (t: number, power: Float64Array): void => writeMelFrame(bank, power, data, t * nMels);
  const halfWindow = nFft >> 1;
  let received = 0;
  let framesDone = 0;
  let finished = false;

  const reserve = (needed: number): void => {
    if (needed <= samples.length) return;
    const capacity = Math.min(maxSamples, Math.max(needed, 2 * samples.length));
    const grownSamples = new Float32Array(capacity);
    grownSamples.set(samples.subarray(0, received));
    samples = grownSamples;
    const grownData = new Float32Array(nMels * stftFrameCount({ length: capacity, hopLength }));
    grownData.set(data.subarray(0, framesDone * nMels));
    data = grownData;
  };

  const computeFrames = (toFrame: number): void => {
    forEachPowerFrame({ plan: stft, samples: samples.subarray(0, received), visit, fromFrame: framesDone, toFrame });
    framesDone = Math.max(framesDone, toFrame);
  };

  return {
    push(chunk) {
      if (finished) throw new Error('MelAccumulator.push after finish()');
      if (received + chunk.length > maxSamples) {
        throw new RangeError(`MelAccumulator: ${received + chunk.length} samples pushed, more than maxSamples ${maxSamples}`);
      }
      reserve(received + chunk.length);
      samples.set(chunk, received);
      received += chunk.length;
      // Frame t is complete once samples up to t·hop + nFft/2 (exclusive) are here.
      if (received >= halfWindow) computeFrames(Math.floor((received - halfWindow) / hopLength) + 1);
    },
    finish() {
      if (finished) throw new Error('MelAccumulator.finish called twice');
      finished = true;
      if (received === 0) throw new InputError('EMPTY_AUDIO', 'cannot compute features of zero samples', 400);
      const frames = stftFrameCount({ length: received, hopLength });
      computeFrames(frames);
      return { data: data.subarray(0, frames * nMels), nMels, frames };
    },
    get sampleCount() {
      return received;
    },
  };
}
