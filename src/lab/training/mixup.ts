// Mixup (Zhang et al. 2018) of a NORMALISED training batch: each segment is blended with another
// segment of the same batch, x = λ·x_i + (1 − λ)·x_j, and its target becomes λ·y_i + (1 − λ)·y_j.
// Why: the network sees few sources per genre and learns sharp boundaries around each one; mixup
// asks for predictions that change linearly between examples, a regulariser that has helped audio
// classifiers generalise to unseen recording conditions. λ is drawn from Beta(α, α) and folded to
// λ ≥ 0.5 so a segment's own genre always dominates its target: tfjs applies `classWeight` by the
// target's argmax, which must stay the segment's own label for class balancing to mean anything.
import type { Random } from './random.js';

export interface MixupOptions {
  /** Beta(α, α) concentration; 0 disables mixup (targets are one-hot, no random numbers drawn). */
  alpha: number;
}

/** A standard normal deviate (Box–Muller; the second value is discarded for simplicity). */
function normal(random: Random): number {
  const u = 1 - random(); // (0, 1]: log(0) never happens
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 via Gamma(shape + 1)·U^(1/shape). */
export function sampleGamma(shape: number, random: Random): number {
  if (shape < 1) return sampleGamma(shape + 1, random) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Symmetric Beta(α, α) from two gamma deviates. */
export function sampleBeta(alpha: number, random: Random): number {
  const a = sampleGamma(alpha, random);
  const b = sampleGamma(alpha, random);
  return a + b > 0 ? a / (a + b) : 0.5;
}

/**
 * Targets for a batch of `labels` (one-hot when mixup is off) and, with mixup on, the blended
 * inputs: `input` holds labels.length segments of `perSegment` values each and is not modified.
 */
export function mixupBatch({ input, labels, classes, perSegment, options, random }: {
  input: Float32Array;
  labels: Int32Array;
  classes: number;
  perSegment: number;
  options: MixupOptions;
  random: Random;
}): { input: Float32Array; targets: Float32Array } {
  const n = labels.length;
  const targets = new Float32Array(n * classes);
  if (!(options.alpha > 0) || n < 2) {
    labels.forEach((label, i) => { targets[i * classes + label] = 1; });
    return { input, targets };
  }
  const mixed = new Float32Array(input.length);
  for (let i = 0; i < n; i++) {
    const j = Math.floor(random() * n);
    const beta = sampleBeta(options.alpha, random);
    const lambda = Math.max(beta, 1 - beta);
    const own = i * perSegment;
    const other = j * perSegment;
    for (let v = 0; v < perSegment; v++) mixed[own + v] = lambda * input[own + v]! + (1 - lambda) * input[other + v]!;
    targets[i * classes + labels[i]!]! += lambda;
    targets[i * classes + labels[j]!]! += 1 - lambda;
  }
  return { input: mixed, targets };
}
