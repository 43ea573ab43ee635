// MFCC matrix → genre prediction: segments, one batched call per network, mean over segments, top-2.
// Synchronous: tfjs predict + dataSync on the wasm/cpu/tensorflow backends does not need to await,
// and a sync function keeps the worker's hot path free of extra microtask hops.
import { InputError, InternalError } from '../../errors.js';
import type { GenrePrediction, LabelAndCertainty, MfccMatrix, SegmentPrediction } from '../../types.js';
import type { GenreModel } from './genre-model.js';
import { calibrateScores } from './calibration.js';
import { planSegments } from './segments.js';

function checkMfcc(mfcc: MfccMatrix, nMfcc: number): void {
  if (mfcc.nMfcc !== nMfcc) {
    throw new InternalError('FEATURE_MISMATCH', `the model expects ${nMfcc} MFCC coefficients, got ${mfcc.nMfcc}`);
  }
  if (mfcc.data.length !== mfcc.nMfcc * mfcc.frames) {
    throw new InternalError('FEATURE_MISMATCH', `MFCC data has ${mfcc.data.length} values, expected ${mfcc.nMfcc} × ${mfcc.frames}`);
  }
  for (let i = 0; i < mfcc.data.length; i++) {
    if (!Number.isFinite(mfcc.data[i])) throw new InputError('BAD_FEATURES', 'MFCC features contain NaN or infinite values');
  }
}

/** Per-segment probabilities for an MFCC matrix: row-major [segments × labels], with segment starts.
 * The segments follow the model's own grid; `hopFrames` asks for another (experiments comparing grids). */
export function scoreSegments({ model, mfcc, hopFrames }: { model: GenreModel; mfcc: MfccMatrix; hopFrames?: number }): { starts: number[]; probabilities: Float32Array } {
  const { nMfcc, segmentFrames, segmentHopFrames } = model.metadata.features;
  checkMfcc(mfcc, nMfcc);
  const starts = planSegments({ frames: mfcc.frames, segmentFrames, hopFrames: hopFrames ?? segmentHopFrames });
  return { starts, probabilities: model.predictSegments({ mfcc, starts }) };
}

export function classifyMfcc({ model, mfcc }: { model: GenreModel; mfcc: MfccMatrix }): GenrePrediction {
  const { labels, metadata } = model;
  const { hopLength, sampleRate, segmentFrames } = metadata.features;
  const { starts, probabilities } = scoreSegments({ model, mfcc });
  const secondsPerFrame = hopLength / sampleRate;
  const clipEnd = mfcc.frames * secondsPerFrame;
  const round = (s: number) => Math.round(s * 1000) / 1000;

  const mean = new Float64Array(labels.length);
  const segments: SegmentPrediction[] = starts.map((start, s) => {
    for (let i = 0; i < labels.length; i++) mean[i]! += probabilities[s * labels.length + i]! / starts.length;
    const row = probabilities.subarray(s * labels.length, (s + 1) * labels.length);
    return {
      start: round(start * secondsPerFrame),
      end: round(Math.min(clipEnd, (start + segmentFrames) * secondsPerFrame)),
      probabilities: calibrateScores({ probabilities: row, metadata }).genres,
    };
  });
  const { genres, otherScore, uncertain } = calibrateScores({ probabilities: mean, metadata });
  const ranked = Object.entries(genres).map(([label, p]): LabelAndCertainty => [label, p]).sort((a, b) => b[1] - a[1]);
  return {
    first: ranked[0]!, second: ranked[1]!, probabilities: genres, segments,
    ...(otherScore === undefined ? {} : { otherScore }), ...(uncertain === undefined ? {} : { uncertain }),
  };
}
