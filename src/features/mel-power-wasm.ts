// The mel power frames through WebAssembly SIMD (wasm/mel-power.c): four frames per pass, one per
// 128-bit lane, in float32. The plans (bit reversal, twiddles, window, mel bank) are the
// TypeScript ones of stft.ts / mel-filterbank.ts, copied once into the module's memory, so both
// paths share every table and differ only in float32 vs float64 arithmetic
// (test/features/mel-power-wasm.test.ts bounds the difference; the golden tests hold for both).
import type { SparseMelFilterbank } from './mel-filterbank.js';
import type { StftPlan } from './stft.js';
import { MEL_POWER_WASM_BASE64 } from './wasm/mel-power-wasm-binary.js';

// @types/node 20 does not declare the WebAssembly global (TypeScript has it in lib.dom only), so
// the few members used here are typed by hand.
interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
interface WasmModule { readonly kind?: 'module' }
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
}
const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: WasmApi };

interface Exports {
  memory: WasmMemory;
  __heap_base: { value: unknown };
  mel_power: (...args: number[]) => void;
}

/** Where a plan's tables live in its instance's memory (byte offsets). */
interface Layout {
  bitReversed: number; twiddles: number; splitCos: number; splitSin: number; window: number;
  firstBin: number; offsets: number; weights: number; z: number; power: number; free: number;
}

export interface WasmMelPlan {
  readonly exports: Exports;
  readonly layout: Layout;
  readonly stft: StftPlan;
  readonly bank: SparseMelFilterbank;
}

const PAGE = 65536;
let compiled: WasmModule | null | undefined;

/** The compiled module, or null where this runtime has no WebAssembly SIMD (then stft.ts runs). */
function wasmModule(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = new wasmApi.Module(Buffer.from(MEL_POWER_WASM_BASE64, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

export function wasmMelPowerAvailable(): boolean {
  return wasmModule() !== null;
}

const align16 = (n: number) => (n + 15) & ~15;

/** One instance per parameter set (cached by mel-power.ts), tables copied in as float32. */
export function createWasmMelPlan({ stft, bank }: { stft: StftPlan; bank: SparseMelFilterbank }): WasmMelPlan | null {
  const module = wasmModule();
  if (!module) return null;
  const exports = new wasmApi.Instance(module, {}).exports as unknown as Exports;
  const { fft } = stft;
  const twiddles = new Float32Array(fft.stageTwiddles.reduce((n, t) => n + t.length, 0));
  fft.stageTwiddles.reduce((at, t) => (twiddles.set(t, at), at + t.length), 0);
  const parts: [keyof Layout, ArrayLike<number>, 'f32' | 'u32'][] = [
    ['bitReversed', fft.bitReversed, 'u32'], ['twiddles', twiddles, 'f32'],
    ['splitCos', fft.splitCos, 'f32'], ['splitSin', fft.splitSin, 'f32'], ['window', stft.window, 'f32'],
    ['firstBin', bank.firstBin, 'u32'], ['offsets', bank.offsets, 'u32'], ['weights', bank.weights, 'f32'],
  ];
  let at = align16(exports.__heap_base.value as number);
  const layout = {} as Layout;
  const placed: [number, ArrayLike<number>, 'f32' | 'u32'][] = [];
  for (const [name, values, type] of parts) {
    layout[name] = at;
    placed.push([at, values, type]);
    at = align16(at + 4 * values.length);
  }
  layout.z = at; // N complex values as (re, im) v128 pairs: 2 · (N/2) · 16 bytes
  at = align16(at + 2 * fft.half * 16);
  layout.power = at; // N/2 + 1 v128s
  at = align16(at + (fft.half + 1) * 16);
  layout.free = at;
  ensureBytes(exports.memory, at);
  for (const [offset, values, type] of placed) {
    const view = type === 'f32' ? new Float32Array(exports.memory.buffer, offset, values.length) : new Uint32Array(exports.memory.buffer, offset, values.length);
    view.set(values);
  }
  return { exports, layout, stft, bank };
}

function ensureBytes(memory: WasmMemory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / PAGE));
}

/**
 * Mel power of the first `frames` frames of `samples` into `out` (frame-major, nMels per frame).
 * The instance's memory keeps its largest size (WebAssembly memory cannot shrink): ≈ 4 bytes per
 * sample plus 4 per output value, 3.3 MB for a 30-s clip at 22050 Hz.
 */
export function wasmMelPower(plan: WasmMelPlan, { samples, frames, out }: { samples: Float32Array; frames: number; out: Float32Array }): void {
  const { exports, layout, stft, bank } = plan;
  const { nFft, hopLength } = stft;
  if (frames === 0) return;
  // The padded window stream: padded[p] = samples[p − nFft/2], zero outside the signal (librosa's
  // centred zero padding), long enough for the last group of four frames (unused lanes read zeros).
  const groups = Math.ceil(frames / 4);
  const paddedLength = (groups * 4 - 1) * hopLength + nFft;
  const paddedAt = layout.free;
  const outAt = align16(paddedAt + 4 * paddedLength);
  ensureBytes(exports.memory, outAt + 4 * frames * bank.nMels);
  const padded = new Float32Array(exports.memory.buffer, paddedAt, paddedLength);
  const half = nFft >> 1;
  const copied = Math.min(samples.length, paddedLength - half);
  padded.fill(0, 0, half);
  padded.set(samples.subarray(0, copied), half);
  padded.fill(0, half + copied);
  const { fft } = stft;
  exports.mel_power(
    paddedAt, frames, hopLength, fft.half, layout.bitReversed, fft.firstStageRadix2 ? 1 : 0, layout.twiddles,
    layout.splitCos, layout.splitSin, layout.window, bank.nMels, layout.firstBin, layout.offsets, layout.weights,
    layout.z, layout.power, outAt,
  );
  out.set(new Float32Array(exports.memory.buffer, outAt, frames * bank.nMels));
}
