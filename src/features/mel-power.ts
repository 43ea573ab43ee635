// Mel power spectrogram of a whole signal: STFT power frames through the sparse Slaney mel bank,
// written frame-major: in SIMD WebAssembly (mel-power-wasm.ts, the default) or in TypeScript
// (stft.ts + mel-filterbank.ts, engine 'js'), from the same tables. power_to_db (it needs the whole matrix's
// maximum for top_db) and the DCT are left to the caller (mfcc.ts).
import { InputError } from '../errors.js';
import { checkInt, invalidFeatureParams, remember } from './feature-params.js';
import { createMelFilterbank, writeMelFrame, type SparseMelFilterbank } from './mel-filterbank.js';
import { createWasmMelPlan, wasmMelPower, type WasmMelPlan } from './mel-power-wasm.js';
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
  /** Default 'wasm' (falls back to 'js' where WebAssembly SIMD is missing). */
  engine?: MelEngine;
}

/** Mel POWER (before power_to_db) in frame-major order: value(m, t) = data[t * nMels + m]. */
export interface MelPowerFrames {
  data: Float32Array;
  nMels: number;
  frames: number;
}

/** 'wasm' (default where WebAssembly SIMD runs): float32, four frames per pass; 'js': float64. */
export type MelEngine = 'wasm' | 'js';

interface MelPlan {
  stft: StftPlan;
  bank: SparseMelFilterbank;
  /** Made on first use; null where the runtime has no WebAssembly SIMD. */
  wasm?: WasmMelPlan | null;
}

const melPlans = new Map<string, MelPlan>();

function melPlan({ sampleRate, nFft, hopLength, nMels, fmin, fmax }: Required<Omit<MelParameters, 'engine'>>): MelPlan {
  if (!(sampleRate > 0) || !Number.isFinite(sampleRate)) throw invalidFeatureParams(`sampleRate must be > 0, got ${sampleRate}`);
  if (!isPowerOfTwo(nFft) || nFft < 4 || nFft > 65536) throw invalidFeatureParams(`nFft must be a power of two in [4, 65536], got ${nFft}`);
  checkInt('hopLength', hopLength, 1, 65536);
  checkInt('nMels', nMels, 1, 1024);
  if (!(fmin >= 0 && fmin < fmax && fmax <= sampleRate / 2)) {
    throw invalidFeatureParams(`need 0 <= fmin < fmax <= sampleRate/2, got fmin ${fmin}, fmax ${fmax}`);
  }
  return remember(melPlans, `${sampleRate}|${nFft}|${hopLength}|${nMels}|${fmin}|${fmax}`, () => ({
    stft: createStftPlan({ nFft, hopLength }),
    bank: createMelFilterbank({ sampleRate, nFft, nMels, fmin, fmax }),
  }));
}

/** The mel power frames of `samples` (not copied). */
export function computeMelPower({
  samples, sampleRate, nFft = 2048, hopLength = 512, nMels = 128, fmin = 0, fmax, engine = 'wasm',
}: MelParameters & { samples: Float32Array }): MelPowerFrames {
  const plan = melPlan({ sampleRate, nFft, hopLength, nMels, fmin, fmax: fmax ?? sampleRate / 2 });
  const { stft, bank } = plan;
  if (samples.length === 0) throw new InputError('EMPTY_AUDIO', 'cannot compute features of zero samples');
  const frames = stftFrameCount({ length: samples.length, hopLength });
  const data = new Float32Array(nMels * frames);
  // undefined = not tried yet; null = no WebAssembly SIMD here (tried once, not again).
  if (engine === 'wasm' && plan.wasm === undefined) plan.wasm = createWasmMelPlan({ stft, bank });
  if (engine === 'wasm' && plan.wasm) {
    wasmMelPower(plan.wasm, { samples, frames, out: data });
    return { data, nMels, frames };
  }
  forEachPowerFrame({ plan: stft, samples, visit: (t, power) => writeMelFrame(bank, power, data, t * nMels) });
  return { data, nMels, frames };
}
