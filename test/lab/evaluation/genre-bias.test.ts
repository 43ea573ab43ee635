import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitGenreBias } from '../../../src/lab/evaluation/genre-bias.js';
import { createRandom } from '../../../src/lab/training/random.js';

/** Windows whose logits are the true genre's + noise, then shifted by `shift` (an unseen source's lean). */
function shiftedRows(shift: number[], n: number, seed: number): { probabilities: number[]; label: number }[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const label = i % shift.length;
    const logits = shift.map((s, j) => s + (j === label ? 1.5 : 0) + 2 * (random() - 0.5));
    const top = Math.max(...logits);
    const exps = logits.map((l) => Math.exp(l - top));
    const sum = exps.reduce((a, b) => a + b);
    return { probabilities: exps.map((e) => e / sum), label };
  });
}

const argmax = (v: number[]) => v.indexOf(Math.max(...v));
const balancedAccuracy = (rows: { probabilities: number[]; label: number }[], bias: number[]) => {
  const k = bias.length;
  const recall = Array.from({ length: k }, (_, g) => {
    const own = rows.filter((r) => r.label === g);
    return own.filter((r) => argmax(r.probabilities.map((p, j) => Math.log(p) + bias[j]!)) === g).length / own.length;
  });
  return recall.reduce((a, b) => a + b) / k;
};

test('fitGenreBias: undoes a shift towards one genre, converges, and the bias carries to new windows', () => {
  const shift = [0, 1.2, 0, -0.4, 0];
  const fit = fitGenreBias(shiftedRows(shift, 2000, 1));
  assert.ok(fit.gradientNorm < 1e-6, `gradient ${fit.gradientNorm}`);
  assert.equal(fit.bias.length, 5);
  assert.ok(Math.abs(fit.bias.reduce((a, b) => a + b)) < 1e-9, 'centred');
  // The fitted bias leans against the shift: EDM down, Metal up, relative to the rest.
  assert.ok(fit.bias[1]! < fit.bias[0]! - 0.8, `EDM ${fit.bias[1]} vs Hiphop ${fit.bias[0]}`);
  assert.ok(fit.bias[3]! > fit.bias[0]! + 0.2, `Metal ${fit.bias[3]} vs Hiphop ${fit.bias[0]}`);
  const fresh = shiftedRows(shift, 2000, 2);
  const zero = [0, 0, 0, 0, 0];
  assert.ok(balancedAccuracy(fresh, fit.bias) > balancedAccuracy(fresh, zero) + 0.05);
});

test('fitGenreBias: unshifted, balanced windows get biases near zero; one genre alone is refused', () => {
  const fit = fitGenreBias(shiftedRows([0, 0, 0, 0, 0], 5000, 3));
  for (const b of fit.bias) assert.ok(Math.abs(b) < 0.1, `bias ${b}`);
  assert.throws(() => fitGenreBias([{ probabilities: [0.6, 0.4], label: 0 }]), /at least two genres/);
});
