import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSegmentBatch, planSegments, STANDARDISE_VARIANCE_FLOOR } from '../../../src/genre/model/segments.js';
import { InputError } from '../../../src/errors.js';

test('a 30-s clip (1292 frames) gets the 50 %-overlap grid plus one segment aligned to its end', () => {
  const starts = planSegments({ frames: 1292, segmentFrames: 130, hopFrames: 65 });
  assert.equal(starts.length, 19);
  assert.deepEqual(starts.slice(0, 3), [0, 65, 130]);
  assert.equal(starts[17], 17 * 65);
  assert.equal(starts[18], 1292 - 130);
  for (const s of starts) assert.ok(s >= 0 && s + 130 <= 1292);
});

test('no extra segment when the grid ends exactly at the clip end', () => {
  assert.deepEqual(planSegments({ frames: 260, segmentFrames: 130, hopFrames: 65 }), [0, 65, 130]);
  assert.deepEqual(planSegments({ frames: 130, segmentFrames: 130, hopFrames: 65 }), [0]);
});

test('a clip shorter than one segment gets one segment at 0; an empty one is an InputError', () => {
  assert.deepEqual(planSegments({ frames: 40, segmentFrames: 130, hopFrames: 65 }), [0]);
  assert.throws(() => planSegments({ frames: 0, segmentFrames: 130, hopFrames: 65 }), (e: unknown) => e instanceof InputError && e.code === 'AUDIO_TOO_SHORT');
});

test('segment batch is NHWC [segments, nMfcc, frames], normalised per coefficient', () => {
  // value(k, t) = 100k + t, coefficient-major
  const nMfcc = 2;
  const frames = 6;
  const data = Float32Array.from({ length: nMfcc * frames }, (_, i) => 100 * Math.floor(i / frames) + (i % frames));
  const batch = buildSegmentBatch({
    mfcc: { data, nMfcc, frames },
    starts: [0, 2],
    segmentFrames: 4,
    normalisation: { mean: [1, 100], std: [2, 1] },
  });
  assert.deepEqual(Array.from(batch), [
    -0.5, 0, 0.5, 1, /* k=1 */ 0, 1, 2, 3,
    0.5, 1, 1.5, 2, /* k=1 */ 2, 3, 4, 5,
  ]);
});

test('short clips are padded by looping their frames', () => {
  const data = Float32Array.from([1, 2, 3]);
  const batch = buildSegmentBatch({ mfcc: { data, nMfcc: 1, frames: 3 }, starts: [0], segmentFrames: 7, normalisation: { mean: [0], std: [1] } });
  assert.deepEqual(Array.from(batch), [1, 2, 3, 1, 2, 3, 1]);
});

test('centred normalisation removes each segment row mean, so a constant gain/EQ offset vanishes', () => {
  const frames = 6;
  const data = Float32Array.from([1, 2, 3, 4, 5, 6, 10, 10, 12, 12, 14, 14]);
  const shifted = Float32Array.from(data, (v, i) => v + (i < frames ? 7 : -3));
  const normalisation = { kind: 'per-coefficient-centred' as const, mean: [1, 2], std: [2, 4] };
  const batch = (d: Float32Array) => buildSegmentBatch({ mfcc: { data: d, nMfcc: 2, frames }, starts: [0, 2], segmentFrames: 4, normalisation });
  const a = batch(data);
  assert.deepEqual(Array.from(a.subarray(0, 4)), [-0.75, -0.25, 0.25, 0.75]);
  for (let r = 0; r < 4; r++) {
    const row = a.subarray(r * 4, r * 4 + 4);
    assert.ok(Math.abs(row.reduce((s, v) => s + v, 0)) < 1e-6);
  }
  assert.deepEqual(Array.from(batch(shifted)).map((v) => v.toFixed(5)), Array.from(a).map((v) => v.toFixed(5)));
});

test('standardised normalisation also removes a per-row scale, and floors the variance of a flat row', () => {
  const frames = 4;
  const data = Float32Array.from([1, 2, 3, 4, 5, 5, 5, 5]);
  const scaled = Float32Array.from(data, (v, i) => (i < frames ? 3 * v + 7 : v));
  const normalisation = { kind: 'per-coefficient-standardised' as const, mean: [0, 0], std: [1, 1] };
  const batch = (d: Float32Array) => buildSegmentBatch({ mfcc: { data: d, nMfcc: 2, frames }, starts: [0], segmentFrames: 4, normalisation });
  const a = batch(data);
  const row = Array.from(a.subarray(0, 4));
  const variance = row.reduce((s, v) => s + v * v, 0) / 4;
  // centred [-1.5, -0.5, 0.5, 1.5] has variance 1.25; divided by √(1.25 + floor)
  assert.ok(Math.abs(variance - 1.25 / (1.25 + STANDARDISE_VARIANCE_FLOOR)) < 1e-6);
  assert.deepEqual(Array.from(a.subarray(4)), [0, 0, 0, 0]);
  // 3× the movement gives (nearly) the same row: only the floor tells them apart
  const b = Array.from(batch(scaled).subarray(0, 4));
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(b[i]! - row[i]!) < 0.01, `${b[i]} vs ${row[i]}`);
});

test('timbre-only standardisation leaves c0 centred but unscaled', () => {
  const frames = 4;
  const data = Float32Array.from([1, 2, 3, 4, 10, 20, 30, 40]);
  const normalisation = { kind: 'per-coefficient-standardised-timbre' as const, mean: [0, 0], std: [1, 1] };
  const batch = buildSegmentBatch({ mfcc: { data, nMfcc: 2, frames }, starts: [0], segmentFrames: 4, normalisation });
  assert.deepEqual(Array.from(batch.subarray(0, 4)), [-1.5, -0.5, 0.5, 1.5]);
  const c1 = Array.from(batch.subarray(4));
  const variance = c1.reduce((s, v) => s + v * v, 0) / 4;
  assert.ok(Math.abs(variance - 125 / (125 + STANDARDISE_VARIANCE_FLOOR)) < 1e-6, `variance ${variance}`);
});
