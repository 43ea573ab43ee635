// Classification metrics from a confusion matrix. Pure. Conventions (as scikit-learn with
// zero_division=0): precision of a never-predicted class and recall of a class with no clips are 0;
// balanced accuracy and macro F1 average over the classes that have clips.
import type { MetricsSummary } from '../../genre/model/metadata.js';

/** confusion[actual][predicted] from class indices. */
export function confusionMatrix({ actual, predicted, classes }: { actual: readonly number[]; predicted: readonly number[]; classes: number }): number[][] {
  if (actual.length !== predicted.length) throw new Error('actual and predicted must have the same length');
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  actual.forEach((a, i) => {
    const p = predicted[i]!;
    if (!(a >= 0 && a < classes && p >= 0 && p < classes)) throw new Error(`class index out of range at ${i}`);
    matrix[a]![p]! += 1;
  });
  return matrix;
}

export function summarizeConfusion({ confusion, labels }: { confusion: number[][]; labels: readonly string[] }): MetricsSummary {
  const n = labels.length;
  if (confusion.length !== n || confusion.some((row) => row.length !== n)) throw new Error(`confusion matrix must be ${n} × ${n}`);
  const total = confusion.flat().reduce((a, b) => a + b, 0);
  let correct = 0;
  const perClass: MetricsSummary['perClass'] = {};
  const present: { recall: number; f1: number }[] = [];
  labels.forEach((label, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predictedAs = confusion.reduce((a, row) => a + row[c]!, 0);
    const precision = predictedAs > 0 ? tp / predictedAs : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[label] = { precision, recall, f1, support };
    correct += tp;
    if (support > 0) present.push({ recall, f1 });
  });
  const mean = (xs: number[]) => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    clips: total,
    accuracy: total > 0 ? correct / total : 0,
    balancedAccuracy: mean(present.map((p) => p.recall)),
    macroF1: mean(present.map((p) => p.f1)),
    perClass,
    confusion: confusion.map((row) => [...row]),
  };
}
