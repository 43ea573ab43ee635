// MFCC-domain pitch shift: no shift is the identity; a shift moves a spectral bump to the band of
// its shifted frequency, as the same bump drawn there and put through the real DCT; every frame of
// a window is transformed; the training batch uses it; off draws nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyDct, createDctTable } from '../../../src/features/dct.js';
import { hzToMelSlaney } from '../../../src/features/mel-filterbank.js';
import { buildSegmentBatch } from '../../../src/genre/model/segments.js';
import { createRandom } from '../../../src/lab/training/random.js';
import { buildTrainingBatch } from '../../../src/lab/training/sampler.js';
import { drawSemitones, pitchShiftMatrix, pitchShiftWindow } from '../../../src/lab/training/pitch-shift.js';

const axis = { nMels: 128, fmin: 0, fmax: 11025 };
const nMfcc = 20;
const cepstrumOf = (logMel: Float32Array) => applyDct({ dct: createDctTable({ nMels: axis.nMels, nMfcc }), logMelFrameMajor: logMel, frames: 1 });
/** A smooth log-mel bump (dB) centred on fractional band `centre`. */
const bump = (centre: number) => Float32Array.from({ length: axis.nMels }, (_, m) => -60 + 30 * Math.exp(-(((m - centre) / 5) ** 2) / 2));
/** Band index (librosa's centres) of a frequency in the Slaney mel scale. */
const step = hzToMelSlaney(axis.fmax) / (axis.nMels + 1);
const bandOf = (hz: number) => hzToMelSlaney(hz) / step - 1;

test('a shift of 0 semitones is the identity', () => {
  const matrix = pitchShiftMatrix({ semitones: 0, nMfcc, axis });
  for (let i = 0; i < nMfcc; i++) {
    for (let j = 0; j < nMfcc; j++) assert.ok(Math.abs(matrix[i * nMfcc + j]! - (i === j ? 1 : 0)) < 1e-9, `[${i}, ${j}]`);
  }
});

test('a shift moves a bump at 2 kHz to the band of 2 kHz · 2^(s/12), as the bump drawn there', () => {
  for (const semitones of [5, -5, 2]) {
    const from = cepstrumOf(bump(bandOf(2000)));
    const expected = cepstrumOf(bump(bandOf(2000 * 2 ** (semitones / 12))));
    const shifted = pitchShiftWindow({ mfcc: { data: from, nMfcc, frames: 1 }, matrix: pitchShiftMatrix({ semitones, nMfcc, axis }) }).data;
    const norm = Math.hypot(...Array.from(expected, (v, k) => (k === 0 ? 0 : v)));
    const error = Math.hypot(...Array.from(expected, (v, k) => v - shifted[k]!));
    assert.ok(error < 0.05 * norm, `${semitones} semitones: error ${error.toFixed(3)} against ${norm.toFixed(3)}`);
    // and it is a real move, not a near-identity
    const stay = Math.hypot(...Array.from(expected, (v, k) => v - from[k]!));
    assert.ok(stay > 0.3 * norm, `${semitones} semitones: the bump barely moves (${stay.toFixed(3)})`);
  }
});

test('every frame of a window is multiplied by the matrix', () => {
  // Swap rows 0 and 1, keep row 2.
  const matrix = Float64Array.from([0, 1, 0, 1, 0, 0, 0, 0, 1]);
  const out = pitchShiftWindow({ mfcc: { nMfcc: 3, frames: 2, data: Float32Array.from([1, 2, 3, 4, 5, 6]) }, matrix });
  assert.deepEqual(Array.from(out.data), [3, 4, 1, 2, 5, 6]);
});

test('shifts are uniform in ±max; max 0 gives 0 and draws nothing', () => {
  let draws = 0;
  assert.equal(drawSemitones({ maxSemitones: 0 }, () => (draws++, 0.3)), 0);
  assert.equal(draws, 0);
  const random = createRandom(3);
  const shifts = Array.from({ length: 2000 }, () => drawSemitones({ maxSemitones: 2 }, random));
  assert.ok(shifts.every((s) => Math.abs(s) <= 2));
  assert.ok(Math.min(...shifts) < -1.9 && Math.max(...shifts) > 1.9);
});

test('a training batch with pitch shifts holds the shifted window; off, the plain one', () => {
  const frames = 30;
  const clip = { nMfcc, frames, data: Float32Array.from({ length: nMfcc * frames }, (_, i) => Math.sin(i * 0.37) * 10) };
  const normalisation = { kind: 'per-coefficient' as const, mean: new Array<number>(nMfcc).fill(1), std: new Array<number>(nMfcc).fill(2) };
  const common = { refs: [{ clip: 0, start: 4 }], clips: [clip], labelOf: [0], segmentFrames: 20, normalisation };
  const plain = buildSegmentBatch({ mfcc: clip, starts: [4], segmentFrames: 20, normalisation });
  const off = buildTrainingBatch({ ...common, pitch: { options: { maxSemitones: 0 }, axis, random: () => 0.75 } });
  assert.deepEqual(Array.from(off.input), Array.from(plain));
  // random() = 0.75 draws +1 semitone of a 2-semitone range
  const on = buildTrainingBatch({ ...common, pitch: { options: { maxSemitones: 2 }, axis, random: () => 0.75 } });
  const window = { nMfcc, frames: 20, data: new Float32Array(nMfcc * 20) };
  for (let k = 0; k < nMfcc; k++) window.data.set(clip.data.subarray(k * frames + 4, k * frames + 24), k * 20);
  const shifted = pitchShiftWindow({ mfcc: window, matrix: pitchShiftMatrix({ semitones: 1, nMfcc, axis }) });
  const expected = buildSegmentBatch({ mfcc: shifted, starts: [0], segmentFrames: 20, normalisation });
  on.input.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-5, `value ${i}`));
  assert.notDeepEqual(Array.from(on.input), Array.from(plain));
});
