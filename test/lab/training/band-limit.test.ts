import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BAND_LIMIT_RANGE_HZ, bandLimit, bandLimitCutoffHz, lowpassBiquad } from '../../../src/lab/training/band-limit.js';

const SR = 22050;
const sine = (hz: number, seconds = 1) => Float32Array.from({ length: Math.round(SR * seconds) }, (_, i) => Math.sin((2 * Math.PI * hz * i) / SR));
/** RMS over the second half (the filter has settled), in dB relative to a unit sine. */
function gainDb(x: Float32Array): number {
  const tail = x.subarray(x.length >> 1);
  const rms = Math.sqrt(tail.reduce((s, v) => s + v * v, 0) / tail.length);
  return 20 * Math.log10(rms / Math.SQRT1_2);
}

test('bandLimit passes the band below the cutoff, is −6 dB at it and falls 24 dB per octave above', () => {
  const cutoff = 2500;
  assert.ok(Math.abs(gainDb(bandLimit(sine(200), SR, cutoff))) < 0.1);
  assert.ok(Math.abs(gainDb(bandLimit(sine(cutoff), SR, cutoff)) + 6.02) < 0.3);
  // RBJ biquads are bilinear: the fall steepens towards Nyquist, so an octave up is at least 24 dB down.
  const octaveUp = gainDb(bandLimit(sine(2 * cutoff), SR, cutoff));
  assert.ok(octaveUp < -24 && octaveUp > -36, `gain an octave above: ${octaveUp} dB`);
  assert.ok(Math.abs(gainDb(lowpassBiquad(sine(cutoff), SR, cutoff)) + 3.01) < 0.2, 'one biquad: −3 dB at the cutoff');
});

test('lowpassBiquad leaves its input alone and refuses a cutoff at or above Nyquist', () => {
  const x = sine(1000, 0.1);
  const copy = x.slice();
  lowpassBiquad(x, SR, 3000);
  assert.deepEqual(x, copy);
  assert.throws(() => lowpassBiquad(x, SR, SR / 2), RangeError);
  assert.throws(() => lowpassBiquad(x, SR, 0), RangeError);
});

test('bandLimitCutoffHz is fixed per key and spread over the whole range', () => {
  assert.equal(bandLimitCutoffHz('a/b.opus'), bandLimitCutoffHz('a/b.opus'));
  const cutoffs = Array.from({ length: 400 }, (_, i) => bandLimitCutoffHz(`clips/track-${i}.wav`));
  const [low, high] = BAND_LIMIT_RANGE_HZ;
  assert.ok(cutoffs.every((c) => c >= low && c <= high && Number.isInteger(c)));
  // log-uniform: about half the cutoffs fall below the geometric mean of the range.
  const below = cutoffs.filter((c) => c < Math.sqrt(low * high)).length;
  assert.ok(below > 150 && below < 250, `${below} of 400 below the geometric mean`);
});
