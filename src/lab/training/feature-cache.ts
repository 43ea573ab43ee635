// The training feature cache's entries: a key that covers the file (absolute path, size, mtime),
// every MFCC parameter and a code version, so changing any of them misses the cache instead of
// reusing stale features; and the bytes of one or several MFCC matrices, read back only when whole.
import { createHash } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FeatureParams } from '../../genre/model/metadata.js';
import type { MfccMatrix } from '../../types.js';

/** Bump when decode or MFCC code changes in a way that alters the numbers. */
export const FEATURE_CACHE_VERSION = 3; // 2: decode mixes to mono as (L+R)/2 and resamples with soxr; 3: float32 SIMD mel power (values move by < 1e-3 dB)
const HEADER_BYTES = 8;

/** The entry's name: any change to the file or to a parameter that moves the numbers gives another. */
export async function cacheKey(path: string, features: FeatureParams, windows = 1, bandLimitHz?: number): Promise<string> {
  const info = await stat(path);
  const { sampleRate, nFft, hopLength, nMels, nMfcc, lifter, fmin, fmax, clipSeconds, resampler } = features;
  // The resampler and the window count join the key only when not the default, so existing cache entries stay valid.
  const key = JSON.stringify([FEATURE_CACHE_VERSION, resolve(path), info.size, info.mtimeMs, sampleRate, nFft, hopLength, nMels, nMfcc, lifter, fmin, fmax, clipSeconds,
    ...(resampler === 'auto' ? [] : [resampler]), ...(windows === 1 ? [] : [windows]), ...(bandLimitHz === undefined ? [] : [`band-limit ${bandLimitHz}`])]);
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** One matrix: nMfcc and frames (uint32 LE), then the float32 data. */
export function encodeMfcc(mfcc: MfccMatrix): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(mfcc.nMfcc, 0);
  header.writeUInt32LE(mfcc.frames, 4);
  return Buffer.concat([header, Buffer.from(mfcc.data.buffer, mfcc.data.byteOffset, mfcc.data.byteLength)]);
}

/** undefined for bytes that are not one whole matrix (a truncated or foreign entry). */
export function decodeMfcc(buf: Buffer): MfccMatrix | undefined {
  if (buf.length < HEADER_BYTES) return undefined;
  const nMfcc = buf.readUInt32LE(0);
  const frames = buf.readUInt32LE(4);
  if (buf.length !== HEADER_BYTES + nMfcc * frames * 4) return undefined;
  const data = new Float32Array(nMfcc * frames);
  new Uint8Array(data.buffer).set(buf.subarray(HEADER_BYTES));
  return { data, nMfcc, frames };
}

/** Write-then-rename: an interrupted run never leaves a truncated cache entry behind. */
export async function writeCacheEntry(cacheDir: string, file: string, bytes: Buffer): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, bytes);
  await rename(partial, file);
}

/** Several matrices, each its byte length (uint32 LE) then encodeMfcc's bytes. */
export function encodeMfccList(list: MfccMatrix[]): Buffer {
  return Buffer.concat(list.flatMap((m) => {
    const body = encodeMfcc(m);
    const size = Buffer.alloc(4);
    size.writeUInt32LE(body.length, 0);
    return [size, body];
  }));
}

/** undefined unless every matrix is whole and there is at least one. */
export function decodeMfccList(buf: Buffer): MfccMatrix[] | undefined {
  const out: MfccMatrix[] = [];
  for (let o = 0; o < buf.length;) {
    if (o + 4 > buf.length) return undefined;
    const size = buf.readUInt32LE(o);
    const m = decodeMfcc(buf.subarray(o + 4, o + 4 + size));
    if (!m) return undefined;
    out.push(m);
    o += 4 + size;
  }
  return out.length > 0 ? out : undefined;
}
