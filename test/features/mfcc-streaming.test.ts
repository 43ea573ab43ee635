// The streaming MFCC (samples pushed while ffmpeg decodes) against the one-shot computeMfcc:
// BIT-identical for any chunking: random sample chunks down to 1 sample, and raw f32le bytes cut
// at odd offsets through decode's sample feed (the 0–3 carried bytes of a split sample).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createSampleFeed } from '../../src/audio/sample-feed.js';
import { InputError } from '../../src/errors.js';
import { createMelAccumulator } from '../../src/features/mel-accumulator.js';
import { computeMfcc, createMfccAccumulator, type MfccParameters } from '../../src/features/mfcc.js';
import type { MfccMatrix } from '../../src/types.js';
import { goldenDir, readPcm16Wav } from './fixtures.js';

const clip = readPcm16Wav(join(goldenDir, 'clip_22050_mono.wav'));

/** Deterministic chunk sizes: mostly small and odd, some around the hop and the FFT size. */
function chunkSizes(seed: number, total: number, sizes: readonly number[]): number[] {
  let s = seed;
  const out: number[] = [];
  for (let used = 0; used < total;) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const size = Math.min(sizes[s % sizes.length]!, total - used);
    out.push(size);
    used += size;
  }
  return out;
}

function bytesOf(a: Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function assertSameMfcc(actual: MfccMatrix, expected: MfccMatrix, what: string): void {
  assert.deepEqual([actual.nMfcc, actual.frames], [expected.nMfcc, expected.frames], what);
  assert.ok(bytesOf(actual.data).equals(bytesOf(expected.data)), `${what}: MFCC differs`);
}

function streamed(samples: Float32Array, sizes: number[], parameters: MfccParameters & { sampleRate: number }): MfccMatrix {
  const accumulator = createMfccAccumulator({ ...parameters, maxSamples: samples.length + 1000 });
  let at = 0;
  for (const size of sizes) {
    accumulator.push(samples.slice(at, at + size));
    at += size;
  }
  assert.equal(accumulator.sampleCount, samples.length);
  return accumulator.finish();
}

const SAMPLE_CHUNKS = [1, 1, 2, 3, 7, 511, 512, 513, 1023, 2047, 2049, 4099, 16_384, 30_001];

test('30 s in random sample chunks (1 sample and up) gives the one-shot MFCC bit for bit', () => {
  for (const parameters of [{ sampleRate: 22050 }, { sampleRate: 22050, nMfcc: 13, hopLength: 1024, nMels: 40, lifter: 22 }]) {
    const oneShot = computeMfcc({ samples: clip.samples, ...parameters });
    for (const seed of [1, 2]) {
      assertSameMfcc(streamed(clip.samples, chunkSizes(seed, clip.samples.length, SAMPLE_CHUNKS), parameters), oneShot, `seed ${seed} ${JSON.stringify(parameters)}`);
    }
  }
});

test('short and edge lengths, one sample per push, match one-shot for small FFTs and odd hops', () => {
  const params = [
    { sampleRate: 8000, nFft: 64, hopLength: 16, nMels: 11, nMfcc: 6 },
    { sampleRate: 8000, nFft: 32, hopLength: 7, nMels: 8, nMfcc: 8, lifter: 5 },
    { sampleRate: 4000, nFft: 4, hopLength: 1, nMels: 2, nMfcc: 2 },
    { sampleRate: 22050, nFft: 2048, hopLength: 512 },
  ];
  for (const p of params) {
    for (const length of [1, 2, 15, 16, 17, 31, 32, 33, 63, 100, 1023, 1024, 1025, 3000]) {
      const samples = clip.samples.subarray(100_000, 100_000 + length);
      const ones = Array.from({ length }, () => 1);
      assertSameMfcc(streamed(samples, ones, p), computeMfcc({ samples, ...p }), `length ${length} ${JSON.stringify(p)}`);
    }
  }
});

test('raw f32le bytes cut at odd offsets, through the sample feed, give the same samples and MFCC', () => {
  const bytes = Buffer.from(bytesOf(clip.samples)); // own buffer: byteOffset 0, like a pipe chunk's parent
  const oneShot = computeMfcc({ samples: clip.samples, sampleRate: 22050 });
  for (const seed of [3, 4]) {
    const accumulator = createMfccAccumulator({ sampleRate: 22050, maxSamples: clip.samples.length });
    const received: Float32Array[] = [];
    const feed = createSampleFeed({ onSamples: (chunk) => {
      received.push(chunk);
      accumulator.push(chunk);
    } });
    const write = feed.run();
    let at = 0;
    // Odd byte counts (1, 3, 5 …) leave 1–3 bytes of a sample for the next chunk; 65_536 is a pipe's.
    for (const size of chunkSizes(seed, bytes.length, [1, 2, 3, 5, 6, 7, 4093, 4096, 65_535, 65_536, 65_537])) {
      write(bytes.subarray(at, at + size));
      at += size;
    }
    assert.equal(feed.deliveredBytes, bytes.length);
    assert.ok(Buffer.concat(received.map(bytesOf)).equals(bytes), `seed ${seed}: samples differ`);
    assertSameMfcc(accumulator.finish(), oneShot, `byte seed ${seed}`);
  }
});

test('a retry run from byte 0 skips what an earlier run delivered: each sample arrives once', () => {
  const bytes = Buffer.from(bytesOf(clip.samples.subarray(0, 50_000)));
  const received: Float32Array[] = [];
  const feed = createSampleFeed({ onSamples: (chunk) => void received.push(chunk) });
  const first = feed.run();
  first(bytes.subarray(0, 3));
  first(bytes.subarray(3, 40_001)); // the warm process dies here, mid-sample
  const retry = feed.run();
  for (let at = 0; at < bytes.length; at += 6_007) retry(bytes.subarray(at, Math.min(at + 6_007, bytes.length)));
  assert.equal(feed.deliveredBytes, bytes.length);
  assert.ok(Buffer.concat(received.map(bytesOf)).equals(bytes));
});

test('the accumulator refuses more than maxSamples, use after finish, and finishing on nothing', () => {
  const accumulator = createMelAccumulator({ sampleRate: 22050, maxSamples: 4096 });
  accumulator.push(new Float32Array(4000));
  assert.throws(() => accumulator.push(new Float32Array(97)), RangeError);
  assert.equal(accumulator.finish().frames, 1 + Math.floor(4000 / 512));
  assert.throws(() => accumulator.push(new Float32Array(1)), /after finish/);
  assert.throws(() => accumulator.finish(), /twice/);
  assert.throws(() => createMfccAccumulator({ sampleRate: 22050, maxSamples: 10 }).finish(), (err: unknown) =>
    err instanceof InputError && err.code === 'EMPTY_AUDIO');
  assert.throws(() => createMfccAccumulator({ sampleRate: 22050, nMfcc: 0, maxSamples: 10 }), (err: unknown) =>
    err instanceof InputError && err.code === 'INVALID_FEATURE_PARAMS');
});
