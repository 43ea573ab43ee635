// Short-time power spectrum, librosa 0.11 conventions: center=True with ZERO padding of n_fft/2 on
// both sides (pad_mode="constant", librosa's default since 0.9), periodic Hann window, |X|².
// Frame t covers padded[t·hop, t·hop + n_fft), i.e. it is centred on sample t·hop.
import { complexFftInPlace, createRealFftPlan, splitToPower, type RealFftPlan } from './real-fft.js';

export interface StftPlan {
  readonly fft: RealFftPlan;
  readonly window: Float64Array;
  readonly nFft: number;
  readonly hopLength: number;
}

/** Periodic Hann, as scipy.signal.get_window('hann', N, fftbins=True). */
export function periodicHann({ size }: { size: number }): Float64Array {
  const w = new Float64Array(size);
  for (let n = 0; n < size; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / size);
  return w;
}

export function createStftPlan({ nFft, hopLength }: { nFft: number; hopLength: number }): StftPlan {
  return { fft: createRealFftPlan({ size: nFft }), window: periodicHann({ size: nFft }), nFft, hopLength };
}

/** librosa's frame count with center=True: 1 + len // hop. */
export function stftFrameCount({ length, hopLength }: { length: number; hopLength: number }): number {
  return 1 + Math.floor(length / hopLength);
}

/**
 * Calls `visit(t, power)` for every frame t in order; `power` is one reused buffer (copy what you
 * keep). The whole-signal loop lives here so the per-frame hot path below stays a small positional
 * function: measured on V8 (Node 20), calling it through a named-arguments wrapper in the loop
 * made the STFT ~40% slower (29 vs 21 ms CPU for 1288 frames of 2048).
 */
export function forEachPowerFrame({ plan, samples, visit }: {
  plan: StftPlan;
  samples: Float32Array;
  visit: (frame: number, power: Float64Array) => void;
}): number {
  const frames = stftFrameCount({ length: samples.length, hopLength: plan.hopLength });
  const power = new Float64Array((plan.nFft >> 1) + 1);
  for (let t = 0; t < frames; t++) {
    writeFramePower(plan, samples, t, power);
    visit(t, power);
  }
  return frames;
}

/** |X_t[k]|², k = 0..n_fft/2, of frame `frame` into `power`. */
function writeFramePower(plan: StftPlan, samples: Float32Array, frame: number, power: Float64Array): void {
  const fft = plan.fft;
  const window = plan.window;
  const nFft = plan.nFft;
  const z = fft.z;
  const bitReversed = fft.bitReversed;
  const half = fft.half;
  // `>> 1`, not `/ 2`: keeps `start` and the loop index int32 in V8.
  const start = frame * plan.hopLength - (nFft >> 1);
  if (start >= 0 && start + nFft <= samples.length) {
    // Interior frame: no bounds checks. Pairs (x[2n], x[2n+1]) go to bit-reversed slot n.
    for (let n = 0, i = start; n < half; n++, i += 2) {
      const j = 2 * bitReversed[n]!;
      z[j] = samples[i]! * window[2 * n]!;
      z[j + 1] = samples[i + 1]! * window[2 * n + 1]!;
    }
  } else {
    const length = samples.length;
    for (let n = 0, i = start; n < half; n++, i += 2) {
      const j = 2 * bitReversed[n]!;
      z[j] = i >= 0 && i < length ? samples[i]! * window[2 * n]! : 0;
      z[j + 1] = i + 1 >= 0 && i + 1 < length ? samples[i + 1]! * window[2 * n + 1]! : 0;
    }
  }
  complexFftInPlace(fft);
  splitToPower(fft, power);
}
