import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mixRowStyleInPlace, rowStatistics, styleMixSegmentInPlace, stylePartnerDraw } from '../../../src/lab/training/style-mix.js';
import { createRandom } from '../../../src/lab/training/random.js';
import { buildSegmentBatch } from '../../../src/genre/model/segments.js';

const nMfcc = 3;
const segmentFrames = 50;
/** Rows k of a segment: an offset plus a sine of its own amplitude. */
const segmentOf = (offsets: number[], amplitudes: number[]) => {
  const s = new Float32Array(nMfcc * segmentFrames);
  for (let k = 0; k < nMfcc; k++) for (let t = 0; t < segmentFrames; t++) s[k * segmentFrames + t] = offsets[k]! + amplitudes[k]! * Math.sin(t * (0.3 + k));
  return s;
};
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-4) =>
  Array.from(a).forEach((v, i) => assert.ok(Math.abs(v - b[i]!) < tol, `${i}: ${v} vs ${b[i]}`));

test('λ = 0 gives each row the partner\'s mean and spread, λ = 1 leaves the segment as it was, λ = ½ blends both', () => {
  const own = segmentOf([1, -2, 0.5], [1, 0.5, 2]);
  const partner = segmentOf([4, 3, -1], [3, 1, 0.2]);
  const target = rowStatistics(partner, nMfcc, segmentFrames);
  const swapped = own.slice();
  mixRowStyleInPlace({ segment: swapped, partner, lambda: 0, nMfcc, segmentFrames });
  const after = rowStatistics(swapped, nMfcc, segmentFrames);
  close(after.mean, target.mean);
  close(after.std, target.std);
  const kept = own.slice();
  mixRowStyleInPlace({ segment: kept, partner, lambda: 1, nMfcc, segmentFrames });
  close(kept, own);
  const half = own.slice();
  mixRowStyleInPlace({ segment: half, partner, lambda: 0.5, nMfcc, segmentFrames });
  const o = rowStatistics(own, nMfcc, segmentFrames);
  const h = rowStatistics(half, nMfcc, segmentFrames);
  close(h.mean, o.mean.map((m, k) => (m + target.mean[k]!) / 2));
  close(h.std, o.std.map((s, k) => (s + target.std[k]!) / 2));
  // The time course is kept: a row's shape (standardised) does not change.
  const z = (s: Float32Array, k: number, st: ReturnType<typeof rowStatistics>) =>
    Array.from(s.subarray(k * segmentFrames, (k + 1) * segmentFrames), (v) => (v - st.mean[k]!) / st.std[k]!);
  for (let k = 0; k < nMfcc; k++) close(z(half, k, h), z(own, k, o));
});

test('a partner is always of the same label and another source, each other source about equally often', () => {
  // Label 0: source a has 20 clips, b and c one each; label 1: only source a.
  const sources = [...Array(20).fill('a'), 'b', 'c', 'a', 'a'];
  const labels = [...Array(22).fill(0), 1, 1];
  const draw = stylePartnerDraw({ labels, sources });
  const random = createRandom(7);
  const counts = { b: 0, c: 0 };
  for (let i = 0; i < 2000; i++) {
    const p = draw(i % 20, random)!;
    assert.equal(labels[p], 0);
    counts[sources[p] as 'b' | 'c']++;
  }
  assert.ok(counts.b > 900 && counts.c > 900, JSON.stringify(counts));
  // Clip 20 (source b): partners from a and c, never b.
  const fromB = new Set(Array.from({ length: 200 }, () => sources[draw(20, random)!]));
  assert.deepEqual([...fromB].sort(), ['a', 'c']);
  assert.equal(draw(22, random), undefined);
});

test('a segment is mixed with the share of probability it is given, and probability 0 draws no random numbers', () => {
  const clip = (offset: number) => ({ data: segmentOf([offset, offset, offset], [1, 1, 1]), nMfcc, frames: segmentFrames });
  const clips = [clip(0), clip(10)];
  const normalisation = { kind: 'per-coefficient' as const, mean: [0, 0, 0], std: [1, 1, 1] };
  const plain = new Float32Array(nMfcc * segmentFrames);
  buildSegmentBatch({ mfcc: clips[0]!, starts: [0], segmentFrames, normalisation, out: plain });
  const partnerOf = () => 1;
  const run = (probability: number, seed: number) => {
    const segment = plain.slice();
    let draws = 0;
    const base = createRandom(seed);
    const random = () => (draws++, base());
    styleMixSegmentInPlace({ segment, clip: 0, clips, segmentFrames, normalisation, styleMix: { options: { probability, alpha: 0.1 }, partnerOf, random } });
    return { changed: segment.some((v, i) => v !== plain[i]), draws };
  };
  assert.deepEqual(run(0, 1), { changed: false, draws: 0 });
  let mixed = 0;
  for (let seed = 0; seed < 400; seed++) mixed += run(0.5, seed).changed ? 1 : 0;
  assert.ok(mixed > 160 && mixed < 240, String(mixed));
});
