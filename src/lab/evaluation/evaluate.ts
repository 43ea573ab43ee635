// Clip-level evaluation, scored exactly like serving: scoreSegments (same segment grid and
// normalisation as classifyMfcc), clip probability = mean over segments, prediction = argmax.
import type { GenreModel } from '../../genre/model/genre-model.js';
import { calibrateScores, topGenre } from '../../genre/model/calibration.js';
import { scoreSegments } from '../../genre/model/classify.js';
import type { MetricsSummary } from '../../genre/model/metadata.js';
import type { MfccMatrix } from '../../types.js';
import { confusionMatrix, summarizeConfusion } from './metrics.js';

export interface EvaluatedClip {
  label: number;
  predicted: number;
  probabilities: number[];
}

export interface Evaluation {
  metrics: MetricsSummary;
  /** Mean cross-entropy and accuracy over individual segments (what the network is trained on). */
  segmentLoss: number;
  /** The segment cross-entropy averaged per label first, then over the labels present, so every
   * genre weighs the same (as the class-weighted training loss) however many clips it has. */
  labelBalancedSegmentLoss: number;
  segmentAccuracy: number;
  clips: EvaluatedClip[];
}

/**
 * The label an answer shows: argmax of the raw outputs, or, for a model with an other output, the
 * best genre (its `first`) unless the answer is flagged uncertain, which counts as the other
 * label. So a five-genre clip wrongly flagged is an error, as it is to a user.
 */
export function servedLabel(model: GenreModel, mean: readonly number[]): number {
  const { otherLabel } = model.metadata;
  if (otherLabel === undefined) return mean.indexOf(Math.max(...mean));
  const { genres, uncertain } = calibrateScores({ probabilities: mean, metadata: model.metadata });
  if (uncertain) return model.labels.indexOf(otherLabel);
  return model.labels.indexOf(topGenre(genres)[0]);
}

export function evaluateClips({ model, clips }: { model: GenreModel; clips: readonly { mfcc: MfccMatrix; label: number }[] }): Evaluation {
  const n = model.labels.length;
  let lossSum = 0;
  const lossByLabel = new Array<number>(n).fill(0);
  const segmentsByLabel = new Array<number>(n).fill(0);
  let segCorrect = 0;
  let segCount = 0;
  const evaluated: EvaluatedClip[] = clips.map(({ mfcc, label }) => {
    const { starts, probabilities } = scoreSegments({ model, mfcc });
    const mean = new Array<number>(n).fill(0);
    for (let s = 0; s < starts.length; s++) {
      let best = 0;
      for (let c = 0; c < n; c++) {
        const p = probabilities[s * n + c]!;
        mean[c]! += p / starts.length;
        if (p > probabilities[s * n + best]!) best = c;
      }
      const loss = -Math.log(Math.max(1e-7, probabilities[s * n + label]!));
      lossSum += loss;
      lossByLabel[label]! += loss;
      segmentsByLabel[label]!++;
      if (best === label) segCorrect++;
      segCount++;
    }
    const predicted = servedLabel(model, mean);
    return { label, predicted, probabilities: mean };
  });
  const present = segmentsByLabel.flatMap((count, c) => (count > 0 ? [lossByLabel[c]! / count] : []));
  const confusion = confusionMatrix({ actual: evaluated.map((c) => c.label), predicted: evaluated.map((c) => c.predicted), classes: n });
  return {
    metrics: summarizeConfusion({ confusion, labels: model.labels }),
    segmentLoss: segCount > 0 ? lossSum / segCount : Number.NaN,
    labelBalancedSegmentLoss: present.length > 0 ? present.reduce((a, b) => a + b, 0) / present.length : Number.NaN,
    segmentAccuracy: segCount > 0 ? segCorrect / segCount : Number.NaN,
    clips: evaluated,
  };
}
