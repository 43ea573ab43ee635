// Band-limit augmentation on decoded samples: two 2-pole low-passes in cascade (24 dB/octave, the
// RBJ cookbook biquad with Q = 1/√2, as ffmpeg's `lowpass` filter), at a cutoff fixed per file.
// Why: in the training data a dull spectrum comes mostly with classical and acoustic jazz, so the
// network can take bandwidth itself as evidence of genre and call lo-fi hip-hop or an old jazz
// recording classical; band-limited copies of every genre take that evidence away.
import { basename } from 'node:path';
import { hashString } from '../datasets/bundled/random.js';

/** Cutoffs are drawn log-uniform in this range (Hz). */
export const BAND_LIMIT_RANGE_HZ: readonly [number, number] = [2500, 7000];

/** The cutoff for one file, fixed by a hash of `key` (bandLimitKey), log-uniform in the range, whole Hz. */
export function bandLimitCutoffHz(key: string, [low, high]: readonly [number, number] = BAND_LIMIT_RANGE_HZ): number {
  return Math.round(low * (high / low) ** (hashString(key) / 2 ** 32));
}

/** The key a file's cutoff is drawn from: its source and file name, the same wherever the data sits. */
export function bandLimitKey(entry: { source: string; path: string }): string {
  return `${entry.source}/${basename(entry.path)}`;
}

/** One 2-pole low-pass (RBJ cookbook, Q = 1/√2) over `samples`, into a new array. */
export function lowpassBiquad(samples: Float32Array, sampleRate: number, cutoffHz: number): Float32Array {
  if (!(cutoffHz > 0 && cutoffHz < sampleRate / 2)) throw new RangeError(`cutoff must be in (0, ${sampleRate / 2}) Hz, got ${cutoffHz}`);
  const w0 = (2 * Math.PI * cutoffHz) / sampleRate;
  const alpha = Math.sin(w0) / (2 * Math.SQRT1_2);
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  const b0 = (1 - cos) / 2 / a0;
  const b1 = (1 - cos) / a0;
  const a1 = (-2 * cos) / a0;
  const a2 = (1 - alpha) / a0;
  const out = new Float32Array(samples.length);
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i]!;
    const y = b0 * x + b1 * x1 + b0 * x2 - a1 * y1 - a2 * y2;
    out[i] = y;
    x2 = x1; x1 = x; y2 = y1; y1 = y;
  }
  return out;
}

/** The band-limited copy: the 2-pole low-pass twice, 24 dB/octave above the cutoff (−6 dB at it). */
export function bandLimit(samples: Float32Array, sampleRate: number, cutoffHz: number): Float32Array {
  return lowpassBiquad(lowpassBiquad(samples, sampleRate, cutoffHz), sampleRate, cutoffHz);
}
