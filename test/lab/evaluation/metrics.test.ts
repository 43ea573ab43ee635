import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confusionMatrix, summarizeConfusion } from '../../../src/lab/evaluation/metrics.js';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);

test('confusion matrix counts actual × predicted', () => {
  assert.deepEqual(confusionMatrix({ actual: [0, 0, 1, 2, 2, 2], predicted: [0, 1, 1, 2, 0, 2], classes: 3 }), [
    [1, 1, 0],
    [0, 1, 0],
    [1, 0, 2],
  ]);
  assert.throws(() => confusionMatrix({ actual: [0, 3], predicted: [0, 0], classes: 3 }), /out of range/);
  assert.throws(() => confusionMatrix({ actual: [0], predicted: [], classes: 3 }), /same length/);
});

test('metrics of a hand-computed 3-class matrix', () => {
  // rows actual A,B,C; columns predicted
  const m = summarizeConfusion({ confusion: [[8, 2, 0], [1, 3, 1], [0, 0, 5]], labels: ['A', 'B', 'C'] });
  assert.equal(m.clips, 20);
  close(m.accuracy, 16 / 20);
  close(m.perClass['A']!.precision, 8 / 9);
  close(m.perClass['A']!.recall, 8 / 10);
  close(m.perClass['B']!.precision, 3 / 5);
  close(m.perClass['B']!.recall, 3 / 5);
  close(m.perClass['C']!.precision, 5 / 6);
  close(m.perClass['C']!.recall, 1);
  close(m.balancedAccuracy, (0.8 + 0.6 + 1) / 3);
  const f1 = (p: number, r: number) => (2 * p * r) / (p + r);
  close(m.macroF1, (f1(8 / 9, 0.8) + f1(0.6, 0.6) + f1(5 / 6, 1)) / 3);
  assert.equal(m.perClass['B']!.support, 5);
});

test('imbalanced data: balanced accuracy exposes a majority-class predictor', () => {
  const m = summarizeConfusion({ confusion: [[90, 0], [10, 0]], labels: ['big', 'small'] });
  close(m.accuracy, 0.9);
  close(m.balancedAccuracy, 0.5);
  close(m.perClass['small']!.precision, 0); // never predicted: 0, not NaN
  close(m.macroF1, (f1of(0.9, 1) + 0) / 2);
});

function f1of(p: number, r: number): number {
  return (2 * p * r) / (p + r);
}

test('classes without clips are left out of balanced accuracy and macro F1', () => {
  const m = summarizeConfusion({ confusion: [[4, 0, 1], [0, 0, 0], [0, 0, 5]], labels: ['A', 'B', 'C'] });
  close(m.balancedAccuracy, (0.8 + 1) / 2);
  assert.equal(m.perClass['B']!.support, 0);
  assert.equal(m.perClass['B']!.recall, 0);
  assert.throws(() => summarizeConfusion({ confusion: [[1]], labels: ['A', 'B'] }), /2 × 2/);
});
