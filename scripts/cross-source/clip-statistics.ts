// Candidate (lf) of docs/experiments.md: a clip-level second opinion beside the CNN pair. The
// networks see 3-s segments; these statistics span the whole 30-s window: the timbre's mean and
// spread, how fast it moves, and how periodic the loudness is (a steady beat against free time),
// read by a class-weighted multinomial logistic regression.
import type { MfccMatrix } from '../../src/types.js';

const FRAMES_PER_SECOND = 22050 / 512;
/** Lag bins (seconds, log-spaced from 0.25 to 2.5 s: 24–240 beats per minute) of the periodicity profile. */
const LAG_EDGES = Array.from({ length: 13 }, (_, i) => 0.25 * 10 ** (i / 12));

/** Normalised autocorrelation of a series, its maximum in each lag bin, and the overall maximum. */
function periodicity(series: Float64Array): number[] {
  const n = series.length;
  const mean = series.reduce((a, b) => a + b, 0) / n;
  const x = series.map((v) => v - mean);
  const energy = x.reduce((a, v) => a + v * v, 0) || 1;
  const at = (lag: number) => { let s = 0; for (let t = lag; t < n; t++) s += x[t]! * x[t - lag]!; return s / energy; };
  const bins = LAG_EDGES.slice(0, -1).map((from, i) => {
    const lo = Math.max(1, Math.round(from * FRAMES_PER_SECOND));
    const hi = Math.min(n - 1, Math.max(lo, Math.round(LAG_EDGES[i + 1]! * FRAMES_PER_SECOND) - 1));
    let best = -1;
    for (let lag = lo; lag <= hi; lag++) best = Math.max(best, at(lag));
    return best;
  });
  return [...bins, Math.max(...bins)];
}

/** 86 numbers per window: mean and spread of each of the first 20 coefficients, the spread of their
 * frame-to-frame change, and the periodicity of loudness onsets and of timbre change. */
export function clipStatistics(mfcc: MfccMatrix, nMfcc = 20): number[] {
  const { data, frames } = mfcc;
  const row = (c: number) => data.subarray(c * frames, (c + 1) * frames);
  const out: number[] = [];
  const onset = new Float64Array(frames - 1);
  const change = new Float64Array(frames - 1);
  for (let c = 0; c < nMfcc; c++) {
    const x = row(c);
    let m = 0; for (const v of x) m += v / frames;
    let v2 = 0; for (const v of x) v2 += (v - m) ** 2 / frames;
    let d2 = 0;
    for (let t = 1; t < frames; t++) {
      const d = x[t]! - x[t - 1]!;
      d2 += d * d / (frames - 1);
      if (c === 0) onset[t - 1] = Math.max(0, d);
      else if (c <= 12) change[t - 1]! += d * d;
    }
    out.push(m, Math.sqrt(v2), Math.sqrt(d2));
  }
  return [...out, ...periodicity(onset), ...periodicity(change.map(Math.sqrt))];
}

export interface LogisticModel { mean: number[]; std: number[]; weights: Float64Array; classes: number; dims: number }

/** Multinomial logistic regression, features standardised, class-weighted, L2 penalty `lambda`, full-batch Adam. */
export function fitLogistic({ x, y, classes, lambda = 1e-3, iterations = 400, rate = 0.05 }:
  { x: number[][]; y: number[]; classes: number; lambda?: number; iterations?: number; rate?: number }): LogisticModel {
  const n = x.length;
  const dims = x[0]!.length;
  const mean = Array.from({ length: dims }, (_, j) => x.reduce((a, r) => a + r[j]!, 0) / n);
  const std = Array.from({ length: dims }, (_, j) => Math.sqrt(x.reduce((a, r) => a + (r[j]! - mean[j]!) ** 2, 0) / n) || 1);
  const z = x.map((r) => [...r.map((v, j) => (v - mean[j]!) / std[j]!), 1]);
  const counts = Array.from({ length: classes }, (_, k) => y.filter((v) => v === k).length);
  const sampleWeight = y.map((k) => n / (classes * counts[k]!));
  const width = dims + 1;
  const w = new Float64Array(classes * width);
  const m1 = new Float64Array(w.length), m2 = new Float64Array(w.length);
  for (let it = 1; it <= iterations; it++) {
    const grad = new Float64Array(w.length);
    for (let i = 0; i < n; i++) {
      const p = softmax(z[i]!, w, classes);
      for (let k = 0; k < classes; k++) {
        const g = sampleWeight[i]! * (p[k]! - (y[i] === k ? 1 : 0)) / n;
        for (let j = 0; j < width; j++) grad[k * width + j]! += g * z[i]![j]!;
      }
    }
    for (let q = 0; q < w.length; q++) {
      const g = grad[q]! + (q % width === dims ? 0 : lambda * w[q]!);
      m1[q] = 0.9 * m1[q]! + 0.1 * g;
      m2[q] = 0.999 * m2[q]! + 0.001 * g * g;
      w[q]! -= (rate * (m1[q]! / (1 - 0.9 ** it))) / (Math.sqrt(m2[q]! / (1 - 0.999 ** it)) + 1e-8);
    }
  }
  return { mean, std, weights: w, classes, dims };
}

function softmax(z: number[], w: Float64Array, classes: number): number[] {
  const width = z.length;
  const logits = Array.from({ length: classes }, (_, k) => { let s = 0; for (let j = 0; j < width; j++) s += w[k * width + j]! * z[j]!; return s; });
  const top = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

export const predictLogistic = (m: LogisticModel, x: number[]): number[] =>
  softmax([...x.map((v, j) => (v - m.mean[j]!) / m.std[j]!), 1], m.weights, m.classes);
