// Per-genre biases on the log-probabilities, fitted on held-out-source predictions (score.ts
// GENRE_BIAS=1; candidate (qb) of docs/experiments.md, rejected, so serving has none). They would
// undo a lean towards some genres shared by unseen sources; measured, each source leans its own
// way. The fit minimises the class-balanced log loss of softmax(s·log p + b), so every genre counts
// the same as in balanced accuracy; it is convex in (s, b), so gradient descent finds its minimum.
// scripts/cross-source/offsets.ts, candidate (u), searched such offsets on balanced accuracy itself.

export interface BiasFit {
  /** Bias per genre in the units of log p (b / s), centred to mean 0. */
  bias: number[];
  /** The scale s fitted with it (the inverse of a temperature), reported, not shipped. */
  scale: number;
  loss: number;
  iterations: number;
  gradientNorm: number;
}

interface Row { logs: number[]; label: number }

function lossAndGradient(rows: readonly Row[], weights: readonly number[], theta: readonly number[]): { loss: number; grad: number[] } {
  const k = theta.length - 1;
  const grad = new Array<number>(theta.length).fill(0);
  let loss = 0;
  const z = new Array<number>(k);
  rows.forEach(({ logs, label }, i) => {
    let top = -Infinity;
    for (let j = 0; j < k; j++) top = Math.max(top, (z[j] = theta[0]! * logs[j]! + theta[j + 1]!));
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(z[j]! - top);
    const w = weights[i]!;
    loss += w * (top + Math.log(sum) - z[label]!);
    for (let j = 0; j < k; j++) {
      const r = Math.exp(z[j]! - top) / sum - (j === label ? 1 : 0);
      grad[j + 1]! += w * r;
      grad[0]! += w * r * logs[j]!;
    }
  });
  return { loss, grad };
}

/** Fits the biases on rows of genre probabilities (the genres only, in label order) and true labels. */
export function fitGenreBias(rows: readonly { probabilities: readonly number[]; label: number }[], { maxIterations = 3000, tolerance = 1e-7 } = {}): BiasFit {
  const k = rows[0]?.probabilities.length ?? 0;
  const counts = new Array<number>(k).fill(0);
  for (const r of rows) counts[r.label]!++;
  const present = counts.filter((c) => c > 0).length;
  if (present < 2) throw new Error('fitting genre biases needs windows of at least two genres');
  const weights = rows.map((r) => 1 / (present * counts[r.label]!));
  const data = rows.map((r) => ({ logs: r.probabilities.map((p) => Math.log(Math.max(p, 1e-12))), label: r.label }));
  let theta = [1, ...new Array<number>(k).fill(0)];
  let { loss, grad } = lossAndGradient(data, weights, theta);
  let step = 1;
  let iterations = 0;
  const squared = (g: number[]) => g.reduce((s, x) => s + x * x, 0);
  // Gradient descent with backtracking (Armijo): halve the step until the loss falls enough.
  for (let g2 = squared(grad); iterations < maxIterations && Math.sqrt(g2) > tolerance; g2 = squared(grad)) {
    iterations++;
    for (;;) {
      const next = theta.map((t, j) => t - step * grad[j]!);
      const trial = lossAndGradient(data, weights, next);
      if (trial.loss <= loss - 0.5 * step * g2 || step < 1e-12) {
        theta = next;
        ({ loss, grad } = trial);
        step *= 2;
        break;
      }
      step /= 2;
    }
  }
  const scale = theta[0]!;
  const raw = theta.slice(1).map((b) => b / scale);
  const mean = raw.reduce((s, b) => s + b, 0) / k;
  return { bias: raw.map((b) => b - mean), scale, loss, iterations, gradientNorm: Math.sqrt(squared(grad)) };
}
