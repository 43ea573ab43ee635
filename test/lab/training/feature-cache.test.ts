import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_FEATURES } from '../../../src/genre/model/metadata.js';
import { cacheKey, decodeMfcc, decodeMfccList, encodeMfcc, encodeMfccList, writeCacheEntry } from '../../../src/lab/training/feature-cache.js';

const matrix = (nMfcc: number, frames: number, offset = 0) => ({ data: Float32Array.from({ length: nMfcc * frames }, (_, i) => i / 7 + offset), nMfcc, frames });

test('matrices come back as written; truncated or foreign bytes read as a miss', () => {
  const m = matrix(3, 5);
  assert.deepEqual(decodeMfcc(encodeMfcc(m)), m);
  const list = [matrix(3, 5), matrix(3, 2, 100)];
  assert.deepEqual(decodeMfccList(encodeMfccList(list)), list);
  const bytes = encodeMfccList(list);
  for (const cut of [1, 4, 9]) assert.equal(decodeMfccList(bytes.subarray(0, bytes.length - cut)), undefined, `cut ${cut}`);
  assert.equal(decodeMfcc(encodeMfcc(m).subarray(0, 20)), undefined);
  assert.equal(decodeMfcc(Buffer.from('hello')), undefined);
  assert.equal(decodeMfccList(Buffer.alloc(0)), undefined);
});

test('the key changes with the file, a feature parameter, the window count or the band limit', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'feature-cache-'));
  try {
    const file = join(dir, 'a.wav');
    await writeFile(file, 'x');
    const base = await cacheKey(file, DEFAULT_FEATURES);
    assert.equal(await cacheKey(file, DEFAULT_FEATURES), base);
    const others = [
      await cacheKey(file, { ...DEFAULT_FEATURES, nMfcc: 20 }),
      await cacheKey(file, { ...DEFAULT_FEATURES, resampler: 'swr' }),
      await cacheKey(file, DEFAULT_FEATURES, 3),
      await cacheKey(file, DEFAULT_FEATURES, 1, 4000),
    ];
    await utimes(file, new Date(0), new Date(1_000_000));
    others.push(await cacheKey(file, DEFAULT_FEATURES));
    assert.equal(new Set([base, ...others]).size, 6);
    // Written whole under its name, with no partial file left beside it.
    await writeCacheEntry(join(dir, 'cache'), join(dir, 'cache', `${base}.f32`), encodeMfcc(matrix(2, 2)));
    assert.deepEqual(decodeMfcc(await readFile(join(dir, 'cache', `${base}.f32`))), matrix(2, 2));
    assert.deepEqual(await readdir(join(dir, 'cache')), [`${base}.f32`]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
