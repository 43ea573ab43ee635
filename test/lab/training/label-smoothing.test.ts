import assert from 'node:assert/strict';
import { test } from 'node:test';
import { smoothTargets } from '../../../src/lab/training/label-smoothing.js';

test('targets move ε towards uniform, keep summing to 1 and keep their argmax', () => {
  const t = smoothTargets(Float32Array.from([0, 1, 0, 0, 0.7, 0.3]), 3, 0.3);
  const want = [0.1, 0.8, 0.1, 0.1, 0.59, 0.31];
  t.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-6, `${i}: ${v}`));
  assert.ok(Math.abs(t[0]! + t[1]! + t[2]! - 1) < 1e-6);
});

test('ε = 0 leaves the targets alone; ε that would change an argmax is refused', () => {
  const t = Float32Array.from([0, 1]);
  assert.deepEqual([...smoothTargets(t, 2, 0)], [0, 1]);
  assert.throws(() => smoothTargets(t, 2, 0.5), /label smoothing/);
  assert.throws(() => smoothTargets(t, 2, -0.1), /label smoothing/);
});
