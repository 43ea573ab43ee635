// The MFCC split across threads must equal the one-thread MFCC bit for bit (same per-frame code,
// frame ranges whose samples are sliced exactly), at the signal's edges, for odd frame counts, with
// several helpers, concurrently, and when a helper fails.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { computeMfcc } from '../../src/features/mfcc.js';
import { createMfccThreads } from '../../src/features/mfcc-parallel.js';
import type { MfccMatrix } from '../../src/types.js';

function noise(length: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length }, (_, i) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    // A loud start and a quiet end, so power_to_db's whole-matrix top_db clip matters.
    return (s / 2 ** 31 - 0.5) * (i < length / 3 ? 0.9 : 1e-5);
  });
}

function assertIdentical(actual: MfccMatrix, expected: MfccMatrix, what: string): void {
  assert.equal(actual.frames, expected.frames, what);
  assert.equal(actual.nMfcc, expected.nMfcc, what);
  const differing = actual.data.findIndex((v, i) => !Object.is(v, expected.data[i]));
  assert.equal(differing, -1, `${what}: first difference at ${differing}`);
}

const oneHelper = createMfccThreads({ helpers: 1 });
const twoHelpers = createMfccThreads({ helpers: 2 });
after(async () => {
  await oneHelper.close();
  await twoHelpers.close();
});

test('split across 1 or 2 helper threads = computeMfcc, bit for bit, for many lengths', async () => {
  const sampleRate = 22050;
  // 512 frames is the smallest clip that is split; 30 s (the service's clips) is 1292 frames.
  for (const length of [512 * 512 - 512, 512 * 512, 300_001, 22050 * 30, 22050 * 30 + 77]) {
    const samples = noise(length, length);
    const expected = computeMfcc({ samples, sampleRate });
    assertIdentical(await oneHelper.computeMfcc({ samples, sampleRate }), expected, `1 helper, ${length} samples`);
    assertIdentical(await twoHelpers.computeMfcc({ samples, sampleRate }), expected, `2 helpers, ${length} samples`);
  }
  // Other feature parameters travel to the helper too.
  const samples = noise(200_000, 3);
  const options = { samples, sampleRate: 16000, nFft: 1024, hopLength: 256, nMels: 40, nMfcc: 20, lifter: 22, fmin: 30, fmax: 7000 };
  assertIdentical(await oneHelper.computeMfcc(options), computeMfcc(options), 'other parameters');
  // Every one of these clips really was split, and no helper task failed.
  assert.deepEqual(oneHelper.counts, { split: 6, alone: 0, helperFailures: 0 });
  assert.deepEqual(twoHelpers.counts, { split: 5, alone: 0, helperFailures: 0 });
});

test('short clips and concurrent clips are computed on the calling thread, with the same values', async () => {
  const short = noise(22050 * 3, 5);
  assertIdentical(await oneHelper.computeMfcc({ samples: short, sampleRate: 22050 }), computeMfcc({ samples: short, sampleRate: 22050 }), 'short');
  const clips = [1, 2, 3].map((seed) => noise(22050 * 30, seed));
  const results = await Promise.all(clips.map((samples) => oneHelper.computeMfcc({ samples, sampleRate: 22050 })));
  results.forEach((r, i) => assertIdentical(r, computeMfcc({ samples: clips[i]!, sampleRate: 22050 }), `concurrent clip ${i}`));
  // The short clip and the two that arrived while the helper was busy ran alone.
  assert.deepEqual(oneHelper.counts, { split: 7, alone: 3, helperFailures: 0 });
});

test('a failing helper task is recomputed on the calling thread and reported', async () => {
  const errors: unknown[] = [];
  const broken = createMfccThreads({
    helpers: 1,
    taskFile: new URL('../fixtures/failing-task/throws.mjs', import.meta.url).href,
    onHelperError: (err) => errors.push(err),
  });
  try {
    const samples = noise(22050 * 30, 9);
    assertIdentical(await broken.computeMfcc({ samples, sampleRate: 22050 }), computeMfcc({ samples, sampleRate: 22050 }), 'fallback');
    assert.equal(errors.length, 1);
    assert.equal(broken.counts.helperFailures, 1);
    assert.match(String(errors[0]), /failed on purpose/);
  } finally {
    await broken.close();
  }
});

test('bad parameters are refused before any thread work; helpers must be a count', async () => {
  await assert.rejects(oneHelper.computeMfcc({ samples: noise(22050 * 30, 1), sampleRate: 22050, nMfcc: 0 }), /nMfcc/);
  assert.throws(() => createMfccThreads({ helpers: -1 }), RangeError);
});
