// How far the certainty an answer shows is from how often such answers are right: the expected
// calibration error over ten equal-width bins (Guo et al. 2017), on clips of the model's genres.
import { calibrateScores, genreLabels, topGenre } from '../../genre/model/calibration.js';
import type { GenreModelMetadata } from '../../genre/model/metadata.js';

export interface CertaintyRow {
  /** The top genre's probability as the answer shows it, in (0, 1]. */
  certainty: number;
  correct: boolean;
}

/** Σ over bins (b/10, (b+1)/10] of (clips in the bin / all clips) · |mean certainty − accuracy|. */
export function expectedCalibrationError(rows: readonly CertaintyRow[], bins = 10): number {
  if (rows.length === 0) return Number.NaN;
  let total = 0;
  for (let b = 0; b < bins; b++) {
    const bin = rows.filter((r) => r.certainty > b / bins && r.certainty <= (b + 1) / bins);
    if (bin.length === 0) continue;
    const certainty = bin.reduce((a, r) => a + r.certainty, 0) / bin.length;
    const accuracy = bin.filter((r) => r.correct).length / bin.length;
    total += (bin.length / rows.length) * Math.abs(certainty - accuracy);
  }
  return total;
}

export interface AnswerCalibration {
  /** Clips whose label is one of the genres the answer ranks (Other left out). */
  clips: number;
  meanCertainty: number;
  /** Share of those clips whose top genre is their label. */
  accuracy: number;
  /** With the model's calibration temperature, as served. */
  ece: number;
  /** The same at temperature 1 (the networks' raw mean); only for a model with a temperature. */
  eceUncalibrated?: number;
}

/** The served answer's certainty against its correctness, for clips of mean network outputs. */
export function answerCalibration({ metadata, clips }: {
  metadata: Pick<GenreModelMetadata, 'labels' | 'otherLabel' | 'calibration'>;
  clips: readonly { label: number; probabilities: readonly number[] }[];
}): AnswerCalibration | undefined {
  const genres = new Set(genreLabels(metadata));
  const rowsAt = (m: typeof metadata) => clips.filter((c) => genres.has(metadata.labels[c.label]!)).map((c) => {
    const [top, certainty] = topGenre(calibrateScores({ probabilities: c.probabilities, metadata: m }).genres);
    return { certainty, correct: top === metadata.labels[c.label] };
  });
  const rows = rowsAt(metadata);
  if (rows.length === 0) return undefined;
  const uncalibrated = metadata.calibration ? rowsAt({ ...metadata, calibration: { ...metadata.calibration, temperature: 1 } }) : undefined;
  return {
    clips: rows.length,
    meanCertainty: rows.reduce((a, r) => a + r.certainty, 0) / rows.length,
    accuracy: rows.filter((r) => r.correct).length / rows.length,
    ece: expectedCalibrationError(rows),
    ...(uncalibrated ? { eceUncalibrated: expectedCalibrationError(uncalibrated) } : {}),
  };
}
