// What trainGenreModel takes and returns: the labelled clips, the training options (each option's
// module says how it works), and the per-epoch report.
import type * as tfjs from '@tensorflow/tfjs';
import type { CnnHead } from '../network/architecture.js';
import type { GenreModel } from '../../genre/model/genre-model.js';
import type { FeatureParams } from '../../genre/model/metadata.js';
import type { MfccMatrix } from '../../types.js';
import type { NormalisationKind } from '../../genre/model/segments.js';
import type { AugmentOptions } from './augment.js';
import type { MaskOptions } from './masking.js';
import type { MixupOptions } from './mixup.js';
import type { StretchOptions } from './stretch.js';
import type { PitchShiftOptions } from './pitch-shift.js';
import type { Evaluation } from '../evaluation/evaluate.js';
import type { SourceAdversaryOptions } from './source-adversary.js';
import type { StyleMixOptions } from './style-mix.js';

export interface LabelledClip {
  mfcc: MfccMatrix;
  label: number;
  /** The clip's source (a package, the generator): needed by `balanceSources`, `sourceAdversary` and `styleMix` only. */
  source?: string;
}

export interface EpochReport {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valLabelBalancedLoss?: number;
  valSegmentAccuracy?: number;
  valClipAccuracy?: number;
  valBalancedAccuracy?: number;
  seconds: number;
  msPerStep: number;
  improved: boolean;
  /** The learning rate the epoch trained at. */
  learningRate: number;
}

export interface TrainOptions {
  tf: typeof tfjs;
  backend: string;
  train: LabelledClip[];
  validation: LabelledClip[];
  labels: string[];
  features: FeatureParams;
  epochs: number;
  batchSize: number;
  segmentsPerClip: number;
  patience: number;
  learningRate: number;
  /** After each epoch that does not improve the monitored validation loss, the learning rate is
   * multiplied by this factor (a fresh Adam at the lower rate); omitted or 1: a constant rate.
   * On held-out sources 0.3 lost to the constant rate (docs/experiments.md). */
  learningRateDecay?: number;
  seed: number;
  normalisationKind: NormalisationKind;
  /** The network's head (architecture.ts); default 'flatten', the 2017 design. */
  head?: CnnHead;
  /** Filters of the three conv blocks (architecture.ts); default 16, 32, 32. */
  filters?: readonly number[];
  /** 'frame-timbre' trains the bag-of-frames timbre network (frame-timbre.ts) instead of the CNN;
   * 'cnn-with-timbre' one network with both paths (cnn-with-timbre.ts; give it plain normalisation). */
  network?: 'cnn' | 'frame-timbre' | 'cnn-with-timbre';
  /** cnn-with-timbre only: share of training segments whose timbre path is dropped whole; default 0. */
  timbrePathDropout?: number;
  /** 'cnn-with-timbre' only: add the rhythm path (rhythm-path.ts). */
  rhythmPath?: boolean;
  /** 'cnn-with-timbre' only: the CNN path hears this many smoothed log-mel bands (mel-view.ts). */
  melViewBands?: number;
  /** 'cnn-with-timbre' only: the timbre path hears this many leading rows centred per segment. */
  timbreCentredRows?: number;
  /** With `melViewBands`: a second CNN path on the mel view beside the cepstral one. */
  melViewAlongside?: boolean;
  /** Keep the mean of the epoch-end weights within this many epochs of the best one
   * (weight-average.ts) instead of the best epoch's; omitted or 0: the best epoch's. */
  weightAverageEpochs?: number;
  /** With `weightAverageEpochs`: weights recorded this many times per epoch, evenly spaced, the
   * last at its end (denser averaging, as SWAD); default 1, the epoch ends only. Four records per
   * epoch did not beat the epoch ends on held-out sources (docs/experiments.md). */
  weightRecordsPerEpoch?: number;
  /** What early stopping and the best epoch follow on the validation clips: the mean segment
   * cross-entropy (default), or the same averaged per label first (`label-balanced-loss`), so
   * that the largest genre does not choose the epoch. It did not help on held-out sources
   * (docs/experiments.md). */
  monitor?: 'segment-loss' | 'label-balanced-loss';
  /** Random gain/EQ per training segment (augment.ts). */
  augment: AugmentOptions;
  /** SpecAugment-style time/coefficient masks per training segment (masking.ts); omitted: none. */
  masking?: MaskOptions;
  /** Random tempo change per training segment (stretch.ts); omitted: none. */
  stretch?: StretchOptions;
  /** Random pitch shift per training segment (pitch-shift.ts); omitted: none. */
  pitchShift?: PitchShiftOptions;
  /** Row style of training segments mixed with other sources' segments of their genre (style-mix.ts);
   * omitted: none. It lost on held-out sources (docs/experiments.md). */
  styleMix?: StyleMixOptions;
  /** Mixup of training segments within a batch (mixup.ts); omitted: one-hot targets. */
  mixup?: MixupOptions;
  /** Share ε of every training target moved to the uniform distribution (label-smoothing.ts); default 0. */
  labelSmoothing?: number;
  /** Windows per clip ∝ 1/√(its source's clips in its genre) (source-balance.ts); default false. */
  balanceSources?: boolean;
  /** Domain-adversarial training against the clips' sources (source-adversary.ts); omitted: none. */
  sourceAdversary?: SourceAdversaryOptions;
  /** Epoch-ms timestamp after which no new epoch starts (one epoch's time is kept in reserve). */
  deadline: number;
  name: string;
  version: string;
  onBatch?: (step: number, steps: number, loss: number) => void;
  onEpoch?: (report: EpochReport) => void;
}

export interface TrainResult {
  model: GenreModel;
  history: EpochReport[];
  stoppedBecause: 'epochs' | 'early-stopping' | 'time-budget';
  validation?: Evaluation;
  /** With weight averaging: the epochs whose weights were averaged (1-based). */
  averagedEpochs?: number[];
  /** With weight averaging: how many recorded weights were averaged. */
  averagedRecords?: number;
}

/** Every training clip's source, for the option that needs them; throws when one has none. */
export function sourcesOf(train: readonly LabelledClip[], option: string): string[] {
  if (train.some((c) => c.source === undefined)) throw new Error(`${option} needs every training clip's source`);
  return train.map((c) => c.source!);
}
