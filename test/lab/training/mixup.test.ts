// Mixup: off means one-hot targets and untouched inputs with no random numbers drawn (runs
// without it stay reproducible); on, every segment is λ·own + (1 − λ)·partner with λ ≥ 0.5 in both
// input and target, so the target's argmax (what tfjs's classWeight reads) stays the own label.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mixupBatch, sampleBeta, sampleGamma } from '../../../src/lab/training/mixup.js';
import { createRandom } from '../../../src/lab/training/random.js';

const perSegment = 6;

test('alpha 0: one-hot targets, the same input, no random number drawn', () => {
  const input = Float32Array.from({ length: 3 * perSegment }, (_, i) => i);
  let draws = 0;
  const out = mixupBatch({ input, labels: Int32Array.from([2, 0, 1]), classes: 3, perSegment, options: { alpha: 0 }, random: () => (draws++, 0.5) });
  assert.equal(out.input, input);
  assert.deepEqual(Array.from(out.targets), [0, 0, 1, 1, 0, 0, 0, 1, 0]);
  assert.equal(draws, 0);
});

test('alpha > 0: input and target are the same blend of the segment and one partner, own weight ≥ 0.5', () => {
  const n = 8;
  // Segment i is the constant i and has its own class i, so the blend can be read off both ways.
  const input = Float32Array.from({ length: n * perSegment }, (_, v) => Math.floor(v / perSegment));
  const labels = Int32Array.from({ length: n }, (_, i) => i);
  const before = input.slice();
  const random = createRandom(7);
  let blended = 0;
  for (let round = 0; round < 50; round++) {
    const out = mixupBatch({ input, labels, classes: n, perSegment, options: { alpha: 0.4 }, random });
    assert.deepEqual(input, before, 'the input batch was modified');
    for (let i = 0; i < n; i++) {
      const row = Array.from(out.targets.subarray(i * n, (i + 1) * n));
      assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-6, 'target row does not sum to 1');
      const lambda = row[i]!;
      assert.ok(lambda >= 0.5 - 1e-6, `own weight ${lambda} < 0.5`);
      const partner = row.findIndex((w, c) => c !== i && w > 0);
      const expected = partner < 0 ? i : lambda * i + (1 - lambda) * partner;
      for (let v = 0; v < perSegment; v++) assert.ok(Math.abs(out.input[i * perSegment + v]! - expected) < 1e-5);
      if (partner >= 0 && lambda < 0.99) blended++;
    }
  }
  assert.ok(blended > 50, `only ${blended} of 400 segments were visibly blended`);
});

test('Gamma and Beta samplers: mean and variance match the distributions', () => {
  const random = createRandom(11);
  const n = 20000;
  for (const shape of [0.4, 2.5]) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += sampleGamma(shape, random);
    assert.ok(Math.abs(sum / n - shape) < 0.05 * Math.max(1, shape), `Gamma(${shape}) mean ${sum / n}`);
  }
  for (const alpha of [0.2, 1]) {
    const xs = Array.from({ length: n }, () => sampleBeta(alpha, random));
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    assert.ok(xs.every((x) => x >= 0 && x <= 1));
    assert.ok(Math.abs(mean - 0.5) < 0.01, `Beta(${alpha}) mean ${mean}`);
    const expected = 1 / (4 * (2 * alpha + 1));
    assert.ok(Math.abs(variance - expected) < 0.01, `Beta(${alpha}) variance ${variance}, expected ${expected}`);
  }
});
