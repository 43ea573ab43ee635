import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { classifyMfcc, scoreSegments } from '../../../src/genre/model/classify.js';
import { InputError, InternalError } from '../../../src/errors.js';
import { LABELS, syntheticMfcc, withRandomModel } from './helpers.js';

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

test('prediction invariants: label order, sums to 1, top-2 ranked, mean of segments, times', async () => {
  await withRandomModel((model) => {
    const p = classifyMfcc({ model, mfcc: syntheticMfcc(1292, 7) });
    assert.deepEqual(Object.keys(p.probabilities), LABELS);
    assert.ok(Math.abs(sum(p.probabilities) - 1) < 1e-5);
    const sorted = Object.entries(p.probabilities).sort((a, b) => b[1] - a[1]);
    assert.deepEqual(p.first, sorted[0]);
    assert.deepEqual(p.second, sorted[1]);
    assert.equal(p.segments.length, 19);
    for (const label of LABELS) {
      const mean = p.segments.reduce((a, s) => a + s.probabilities[label]!, 0) / p.segments.length;
      assert.ok(Math.abs(mean - p.probabilities[label]!) < 1e-6);
    }
    for (const s of p.segments) {
      assert.deepEqual(Object.keys(s.probabilities), LABELS);
      assert.ok(Math.abs(sum(s.probabilities) - 1) < 1e-5);
    }
    assert.equal(p.segments[0]!.start, 0);
    assert.equal(p.segments[1]!.start, Math.round((65 * 512 / 22050) * 1000) / 1000);
    assert.equal(p.segments.at(-1)!.end, Math.round((1292 * 512 / 22050) * 1000) / 1000);
  });
});

test('short clips get one looped segment ending at the clip end', async () => {
  await withRandomModel((model) => {
    const p = classifyMfcc({ model, mfcc: syntheticMfcc(40, 3) });
    assert.equal(p.segments.length, 1);
    assert.equal(p.segments[0]!.start, 0);
    assert.equal(p.segments[0]!.end, Math.round((40 * 512 / 22050) * 1000) / 1000);
    assert.ok(Math.abs(sum(p.probabilities) - 1) < 1e-5);
  });
});

test('scoreSegments follows the model\'s grid unless another hop is asked for', async () => {
  await withRandomModel((model) => {
    const mfcc = syntheticMfcc(1292, 5);
    assert.equal(scoreSegments({ model, mfcc }).starts.length, 19);
    const sparse = scoreSegments({ model, mfcc, hopFrames: 195 });
    // Every 195 frames, plus one segment aligned to the clip's end.
    assert.deepEqual(sparse.starts, [0, 195, 390, 585, 780, 975, 1162]);
    assert.deepEqual(sparse.probabilities, model.predictSegments({ mfcc, starts: sparse.starts }));
    const nan = syntheticMfcc(300);
    nan.data[5] = Number.NaN;
    assert.throws(() => scoreSegments({ model, mfcc: nan, hopFrames: 195 }), (e: unknown) => e instanceof InputError && e.code === 'BAD_FEATURES');
  });
});

test('bad features are typed errors', async () => {
  await withRandomModel((model) => {
    assert.throws(() => classifyMfcc({ model, mfcc: syntheticMfcc(300, 1, 20) }), (e: unknown) => e instanceof InternalError && e.code === 'FEATURE_MISMATCH');
    const nan = syntheticMfcc(300);
    nan.data[5] = Number.NaN;
    assert.throws(() => classifyMfcc({ model, mfcc: nan }), (e: unknown) => e instanceof InputError && e.code === 'BAD_FEATURES');
    assert.throws(() => classifyMfcc({ model, mfcc: { data: new Float32Array(0), nMfcc: 13, frames: 0 } }), (e: unknown) => e instanceof InputError && e.code === 'AUDIO_TOO_SHORT');
  });
});

test('no tensors leak across predictions', async () => {
  await withRandomModel((model) => {
    const mfcc = syntheticMfcc(1292, 9);
    classifyMfcc({ model, mfcc });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) classifyMfcc({ model, mfcc });
    assert.equal(tf.memory().numTensors, before);
  });
});
