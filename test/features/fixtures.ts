// Test helpers: a tiny .npy reader (float32/float64, C order, ≤ 2-D) and a 16-bit PCM WAV reader,
// so the golden tests need neither numpy nor ffmpeg.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const goldenDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'golden');

export interface NpyArray {
  data: Float64Array;
  shape: number[];
}

export function readNpy(path: string): NpyArray {
  const buf = readFileSync(path);
  if (buf.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new Error(`${path}: not a .npy file`);
  const major = buf[6]!;
  const headerLength = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = buf.subarray(headerStart, headerStart + headerLength).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${path}: Fortran order not supported`);
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '')
    .split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const payload = buf.subarray(headerStart + headerLength);
  const count = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(count);
  if (descr === '<f4') for (let i = 0; i < count; i++) data[i] = payload.readFloatLE(i * 4);
  else if (descr === '<f8') for (let i = 0; i < count; i++) data[i] = payload.readDoubleLE(i * 8);
  else throw new Error(`${path}: unsupported dtype ${descr}`);
  return { data, shape };
}

/** Mono 16-bit PCM WAV → float32 samples x / 32768 (what librosa.load returns for it). */
export function readPcm16Wav(path: string): { samples: Float32Array; sampleRate: number } {
  const buf = readFileSync(path);
  if (buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') throw new Error('not a WAV');
  let offset = 12;
  let sampleRate = 0;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('latin1', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (buf.readUInt16LE(body + 2) !== 1 || buf.readUInt16LE(body + 14) !== 16) throw new Error('need mono 16-bit PCM');
      sampleRate = buf.readUInt32LE(body + 4);
    } else if (id === 'data') {
      const samples = new Float32Array(size / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(body + i * 2) / 32768;
      return { samples, sampleRate };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV without data chunk');
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
