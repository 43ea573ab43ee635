// From the network's mean output to the answer's numbers: temperature scaling (fitted on held-out
// sources, so "80 %" is right about 80 % of the time on music the model never heard) and the
// "none of the genres" output split off as `otherScore`, the genres renormalised without it.
import type { GenreModelMetadata } from './metadata.js';

export interface CalibratedScores {
  /** Genre → probability, summing to 1, in label order (the other output left out). */
  genres: Record<string, number>;
  /** Calibrated probability of the other output; present only for models that have one. */
  otherScore?: number;
  /** otherScore ≥ the model's threshold; present only when the model has one. */
  uncertain?: boolean;
}

/** p_i^(1/T) renormalised: dividing the logits by T, as softmax outputs are exp(logit) / Σ. */
export function applyTemperature(probabilities: ArrayLike<number>, temperature: number): number[] {
  const logs = Array.from(probabilities, (p) => Math.log(Math.max(p, 1e-12)) / temperature);
  const top = Math.max(...logs);
  const exps = logs.map((l) => Math.exp(l - top));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export function calibrateScores({ probabilities, metadata }: {
  probabilities: ArrayLike<number>;
  metadata: Pick<GenreModelMetadata, 'labels' | 'otherLabel' | 'calibration'>;
}): CalibratedScores {
  const { labels, otherLabel, calibration } = metadata;
  // A model with neither keeps its raw outputs, bit for bit.
  if (otherLabel === undefined && !calibration) return { genres: Object.fromEntries(labels.map((l, i) => [l, probabilities[i]!])) };
  const scaled = calibration ? applyTemperature(probabilities, calibration.temperature) : Array.from(probabilities);
  const otherIndex = otherLabel === undefined ? -1 : labels.indexOf(otherLabel);
  const rest = labels.reduce((sum, _, i) => (i === otherIndex ? sum : sum + scaled[i]!), 0);
  const genres: Record<string, number> = {};
  labels.forEach((label, i) => {
    if (i !== otherIndex) genres[label] = rest > 0 ? scaled[i]! / rest : 1 / (labels.length - (otherIndex < 0 ? 0 : 1));
  });
  if (otherIndex < 0) return { genres };
  const otherScore = scaled[otherIndex]!;
  const threshold = calibration?.otherThreshold;
  return { genres, otherScore, ...(threshold === undefined ? {} : { uncertain: otherScore >= threshold }) };
}

/** The answer's first genre and its certainty (the first listed on a tie, as classify's ranking). */
export function topGenre(genres: Record<string, number>): [string, number] {
  return Object.entries(genres).reduce((a, b) => (b[1] > a[1] ? b : a));
}

/** The genre labels an answer ranks: every label but the other output. */
export function genreLabels(metadata: Pick<GenreModelMetadata, 'labels' | 'otherLabel'>): string[] {
  return metadata.labels.filter((l) => l !== metadata.otherLabel);
}
