import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyDct, createDctTable } from '../../../src/features/dct.js';
import { drawCepstralOffsets, NO_AUGMENTATION, offsetSegmentInPlace } from '../../../src/lab/training/augment.js';
import { createRandom } from '../../../src/lab/training/random.js';

test('no augmentation draws nothing and leaves the generator untouched', () => {
  const random = createRandom(1);
  const offsets = drawCepstralOffsets({ options: NO_AUGMENTATION, nMfcc: 13, nMels: 128, random });
  assert.deepEqual(Array.from(offsets), new Array(13).fill(0));
  assert.equal(random(), createRandom(1)());
});

test('the cepstral offsets are exactly a gain and a smooth EQ on the log-mel spectrum', () => {
  // Build the log-mel change the offsets claim to be, push it through the real DCT, compare.
  const nMels = 128;
  const nMfcc = 13;
  const offsets = drawCepstralOffsets({ options: { gainDb: 6, eqDb: 3, eqCoefficients: 4 }, nMfcc, nMels, random: createRandom(7) });
  const gain = offsets[0]! / Math.sqrt(nMels);
  assert.ok(Math.abs(gain) <= 6 && gain !== 0);
  const logMel = new Float32Array(nMels);
  for (let m = 0; m < nMels; m++) {
    let eq = gain;
    for (let k = 1; k <= 4; k++) eq += (offsets[k]! / Math.sqrt(nMels / 2)) * Math.cos((Math.PI * k * (2 * m + 1)) / (2 * nMels));
    logMel[m] = eq;
  }
  const out = applyDct({ dct: createDctTable({ nMels, nMfcc, lifter: 0 }), logMelFrameMajor: logMel, frames: 1 });
  for (let k = 0; k < nMfcc; k++) assert.ok(Math.abs(out[k]! - offsets[k]!) < 1e-3, `c${k}: ${out[k]} vs ${offsets[k]}`);
  for (let k = 5; k < nMfcc; k++) assert.equal(offsets[k], 0);
});

test('offsets land on normalised segments divided by each coefficient std', () => {
  const segment = new Float32Array(2 * 3).fill(1);
  offsetSegmentInPlace({ segment, offsets: Float64Array.from([4, -6]), std: [2, 3], segmentFrames: 3 });
  assert.deepEqual(Array.from(segment), [3, 3, 3, -1, -1, -1]);
});
