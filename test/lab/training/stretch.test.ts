// MFCC-domain time stretch: rate 1 is the plain window, rate 2 every other frame, rate 0.5 the
// midpoints; the window is moved back rather than run past the clip; rates stay in bounds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRandom } from '../../../src/lab/training/random.js';
import { drawStretchRate, stretchWindow } from '../../../src/lab/training/stretch.js';

const nMfcc = 2;
const frames = 40;
// Row k, frame t holds 100·k + t: any read position shows up in the value.
const mfcc = { nMfcc, frames, data: Float32Array.from({ length: nMfcc * frames }, (_, i) => 100 * Math.floor(i / frames) + (i % frames)) };
const row = (m: { data: Float32Array; frames: number }, k: number) => Array.from(m.data.subarray(k * m.frames, (k + 1) * m.frames));

test('rate 1, 2 and 0.5 read frames t, 2t and t/2 (interpolated) from the start', () => {
  assert.deepEqual(row(stretchWindow({ mfcc, start: 5, segmentFrames: 10, rate: 1 }), 1), Array.from({ length: 10 }, (_, t) => 105 + t));
  assert.deepEqual(row(stretchWindow({ mfcc, start: 5, segmentFrames: 10, rate: 2 }), 0), Array.from({ length: 10 }, (_, t) => 5 + 2 * t));
  const slow = row(stretchWindow({ mfcc, start: 5, segmentFrames: 10, rate: 0.5 }), 1);
  slow.forEach((v, t) => assert.ok(Math.abs(v - (105 + t / 2)) < 1e-4, `frame ${t}: ${v}`));
});

test('a window that would run past the end is moved back so its last read is the last frame', () => {
  const out = stretchWindow({ mfcc, start: 35, segmentFrames: 10, rate: 2 });
  assert.equal(out.frames, 10);
  const r0 = row(out, 0);
  assert.equal(r0[9], frames - 1);
  assert.deepEqual(r0, Array.from({ length: 10 }, (_, t) => 21 + 2 * t));
});

test('a clip shorter than the stretched window is read looped, never out of range', () => {
  const short = { nMfcc: 1, frames: 4, data: Float32Array.from([0, 1, 2, 3]) };
  const out = stretchWindow({ mfcc: short, start: 0, segmentFrames: 6, rate: 1 });
  assert.deepEqual(Array.from(out.data), [0, 1, 2, 3, 0, 1]);
});

test('rates are log-uniform within [1/(1+s), 1+s]; s = 0 gives 1 and draws nothing', () => {
  let draws = 0;
  assert.equal(drawStretchRate({ maxStretch: 0 }, () => (draws++, 0.3)), 1);
  assert.equal(draws, 0);
  const random = createRandom(5);
  const rates = Array.from({ length: 2000 }, () => drawStretchRate({ maxStretch: 0.2 }, random));
  assert.ok(rates.every((r) => r >= 1 / 1.2 - 1e-9 && r <= 1.2 + 1e-9));
  assert.ok(rates.some((r) => r < 1 / 1.15) && rates.some((r) => r > 1.15), 'both ends of the range occur');
  const meanLog = rates.reduce((a, r) => a + Math.log(r), 0) / rates.length;
  assert.ok(Math.abs(meanLog) < 0.01, `mean log-rate ${meanLog}`);
});
