// SpecAugment-style masks on a normalised segment: what is hidden is one run of whole frames and
// whole coefficient rows, within the bounds; nothing else changes; off means untouched and no
// random numbers drawn (runs without masking stay reproducible).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskSegmentInPlace } from '../../../src/lab/training/masking.js';
import { createRandom } from '../../../src/lab/training/random.js';

const nMfcc = 13;
const frames = 130;
/** A segment with no zero anywhere, so every 0 afterwards was put there by the mask. */
const original = Float32Array.from({ length: nMfcc * frames }, (_, i) => 1 + (i % 17));

test('masks off: the segment is untouched and no random number is drawn', () => {
  const segment = original.slice();
  let draws = 0;
  maskSegmentInPlace({ segment, nMfcc, segmentFrames: frames, options: { maskFrames: 0, maskCoefficients: 0 }, random: () => (draws++, 0.5) });
  assert.deepEqual(segment, original);
  assert.equal(draws, 0);
});

test('time mask: one run of whole frames, at most maskFrames wide; widths 0 and maskFrames both occur', () => {
  const random = createRandom(3);
  const widths = new Set<number>();
  for (let i = 0; i < 400; i++) {
    const segment = original.slice();
    maskSegmentInPlace({ segment, nMfcc, segmentFrames: frames, options: { maskFrames: 20, maskCoefficients: 0 }, random });
    const masked = Array.from({ length: frames }, (_, t) => segment[t] === 0);
    for (let k = 0; k < nMfcc; k++) {
      for (let t = 0; t < frames; t++) {
        const value = segment[k * frames + t];
        assert.equal(value, masked[t] ? 0 : original[k * frames + t], `row ${k} frame ${t}`);
      }
    }
    const first = masked.indexOf(true);
    const width = masked.filter(Boolean).length;
    if (width > 0) assert.ok(masked.slice(first, first + width).every(Boolean), 'masked frames are not one run');
    assert.ok(width <= 20);
    widths.add(width);
  }
  assert.ok(widths.has(0) && widths.has(20), `widths seen: ${[...widths].sort((a, b) => a - b).join(',')}`);
});

test('coefficient mask: only whole rows, at most maskCoefficients of them', () => {
  const random = createRandom(5);
  let most = 0;
  for (let i = 0; i < 200; i++) {
    const segment = original.slice();
    maskSegmentInPlace({ segment, nMfcc, segmentFrames: frames, options: { maskFrames: 0, maskCoefficients: 3 }, random });
    let rows = 0;
    for (let k = 0; k < nMfcc; k++) {
      const row = segment.subarray(k * frames, (k + 1) * frames);
      if (row[0] === 0) {
        rows++;
        assert.ok(row.every((v) => v === 0), `row ${k} partly masked`);
      } else {
        assert.deepEqual(row, original.subarray(k * frames, (k + 1) * frames));
      }
    }
    assert.ok(rows <= 3);
    most = Math.max(most, rows);
  }
  assert.ok(most >= 2, 'never masked more than one row');
});
