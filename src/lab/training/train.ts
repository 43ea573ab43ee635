// The training loop: seeded, class-weighted, early-stopped on validation loss, with a wall-clock
// deadline so a run always finishes in its budget. Backend-agnostic (wasm with our kernels, cpu,
// or tfjs-node): it only uses public tfjs APIs.
import type * as tfjs from '@tensorflow/tfjs';
import { architectureName, buildGenreCnn, type CnnHead } from '../network/architecture.js';
import { buildFrameTimbreNet, FRAME_TIMBRE_ARCHITECTURE } from '../network/frame-timbre.js';
import { buildCnnWithTimbre, cnnWithTimbreName } from '../network/cnn-with-timbre.js';
import { EpochWeightAverage } from './weight-average.js';
import { createGenreModel, type GenreModel } from '../../genre/model/genre-model.js';
import { METADATA_FORMAT, type FeatureParams, type GenreModelMetadata } from '../../genre/model/metadata.js';
import type { MfccMatrix } from '../../types.js';
import type { NormalisationKind } from '../../genre/model/segments.js';
import type { AugmentOptions } from './augment.js';
import type { MaskOptions } from './masking.js';
import { mixupBatch, type MixupOptions } from './mixup.js';
import { smoothTargets } from './label-smoothing.js';
import type { StretchOptions } from './stretch.js';
import type { PitchShiftOptions } from './pitch-shift.js';
import { evaluateClips, type Evaluation } from '../evaluation/evaluate.js';
import { createRandom } from './random.js';
import { buildTrainingBatch, computeNormalisation, sampleEpoch } from './sampler.js';
import { sourceBalancedWindows } from './source-balance.js';
import { createSourceAdversary, type SourceAdversaryOptions } from './source-adversary.js';

/** Every training clip's source, for the option that needs them; throws when one has none. */
function sourcesOf(train: readonly LabelledClip[], option: string): string[] {
  if (train.some((c) => c.source === undefined)) throw new Error(`${option} needs every training clip's source`);
  return train.map((c) => c.source!);
}

/** The adversary's step and each training clip's source as an index into the sorted distinct sources. */
function sourceAdversaryFor(o: TrainOptions, network: tfjs.LayersModel) {
  if (o.network !== 'cnn-with-timbre') throw new Error('sourceAdversary needs the cnn-with-timbre network');
  if ((o.mixup && o.mixup.alpha > 0) || (o.labelSmoothing ?? 0) > 0) throw new Error('sourceAdversary trains on one-hot targets: no mixup or label smoothing');
  const sources = sourcesOf(o.train, 'sourceAdversary');
  const index = new Map([...new Set(sources)].sort().map((name, i) => [name, i]));
  return {
    adversary: createSourceAdversary({ tf: o.tf, network, classes: o.labels.length, sources: index.size, learningRate: o.learningRate, options: o.sourceAdversary! }),
    sourceIdOf: Int32Array.from(sources, (name) => index.get(name)!),
  };
}

export interface LabelledClip {
  mfcc: MfccMatrix;
  label: number;
  /** The clip's source (a package, the generator): needed by `balanceSources` and `sourceAdversary` only. */
  source?: string;
}

export interface EpochReport {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valSegmentAccuracy?: number;
  valClipAccuracy?: number;
  valBalancedAccuracy?: number;
  seconds: number;
  msPerStep: number;
  improved: boolean;
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
   * last at its end (denser averaging, as SWAD); default 1, the epoch ends only. */
  weightRecordsPerEpoch?: number;
  /** Random gain/EQ per training segment (augment.ts). */
  augment: AugmentOptions;
  /** SpecAugment-style time/coefficient masks per training segment (masking.ts); omitted: none. */
  masking?: MaskOptions;
  /** Random tempo change per training segment (stretch.ts); omitted: none. */
  stretch?: StretchOptions;
  /** Random pitch shift per training segment (pitch-shift.ts); omitted: none. */
  pitchShift?: PitchShiftOptions;
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

/** Class weights n / (k · n_c) from clip counts (k = genres present), so every genre weighs the
 * same in the loss and the mean weight per clip stays 1. */
export function classWeights({ labels, classes }: { labels: readonly number[]; classes: number }): Record<number, number> {
  const counts = new Array<number>(classes).fill(0);
  labels.forEach((l) => counts[l]!++);
  const present = counts.filter((c) => c > 0).length;
  const weights: Record<number, number> = {};
  counts.forEach((c, i) => {
    weights[i] = c > 0 ? labels.length / (present * c) : 0;
  });
  return weights;
}

export async function trainGenreModel(o: TrainOptions): Promise<TrainResult> {
  const { tf, features } = o;
  if (o.train.length === 0) throw new Error('no training clips');
  const shape = { tf, nMfcc: features.nMfcc, segmentFrames: features.segmentFrames, classes: o.labels.length };
  const normalisation = { kind: o.normalisationKind, ...computeNormalisation({ clips: o.train.map((c) => c.mfcc) }) };
  const melView = o.melViewBands ? { bands: o.melViewBands, nMels: features.nMels, std: normalisation.std, alongside: o.melViewAlongside } : undefined;
  const joint = { filters: o.filters, pathDropout: o.timbrePathDropout, rhythm: o.rhythmPath, melView, timbreCentredRows: o.timbreCentredRows };
  const networks = {
    cnn: () => ({ layersModel: buildGenreCnn({ ...shape, head: o.head, filters: o.filters }), name: architectureName(o.head ?? 'flatten', o.filters) }),
    'frame-timbre': () => ({ layersModel: buildFrameTimbreNet(shape), name: FRAME_TIMBRE_ARCHITECTURE }),
    'cnn-with-timbre': () => ({
      layersModel: buildCnnWithTimbre({ ...shape, ...joint }),
      name: cnnWithTimbreName(joint),
    }),
  };
  if (melView && o.network !== 'cnn-with-timbre') throw new Error('melViewBands needs the cnn-with-timbre network');
  if (o.timbreCentredRows && o.network !== 'cnn-with-timbre') throw new Error('timbreCentredRows needs the cnn-with-timbre network');
  const { layersModel, name: architecture } = networks[o.network ?? 'cnn']();
  const metadata: GenreModelMetadata = {
    format: METADATA_FORMAT, name: o.name, version: o.version, createdAt: new Date().toISOString(), labels: o.labels, features,
    normalisation, architecture, training: {},
    dataCard: { description: '', clipsPerGenre: {}, sources: [], licences: [] }, metrics: {},
  };
  layersModel.compile({ optimizer: tf.train.adam(o.learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const model = createGenreModel({ tf, members: [{ layersModel, normalisation }], metadata, backend: o.backend });

  const random = createRandom(o.seed);
  const weights = classWeights({ labels: o.train.map((c) => c.label), classes: o.labels.length });
  const clips = o.train.map((c) => c.mfcc);
  const labelOf = o.train.map((c) => c.label);
  const windowsPerClip = o.balanceSources
    ? sourceBalancedWindows({ labels: labelOf, sources: sourcesOf(o.train, 'balanceSources'), segmentsPerClip: o.segmentsPerClip })
    : undefined;
  const { adversary, sourceIdOf } = o.sourceAdversary ? sourceAdversaryFor(o, layersModel) : {};
  const history: EpochReport[] = [];
  let best: { loss: number; weights: tfjs.Tensor[]; epoch: number } | undefined;
  const averager = o.weightAverageEpochs ? new EpochWeightAverage(tf, o.weightAverageEpochs) : undefined;
  let sinceBest = 0;
  let stoppedBecause: TrainResult['stoppedBecause'] = 'epochs';

  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const last = history[history.length - 1];
    if (last && Date.now() + last.seconds * 1000 > o.deadline) {
      stoppedBecause = 'time-budget';
      break;
    }
    const started = Date.now();
    const refs = sampleEpoch({ frames: clips.map((c) => c.frames), segmentFrames: features.segmentFrames, segmentsPerClip: o.segmentsPerClip, windowsPerClip, random });
    const steps = Math.ceil(refs.length / o.batchSize);
    const { nMfcc, segmentFrames } = features;
    const classes = o.labels.length;
    const batchAt = (s: number) => {
      const slice = refs.slice(s * o.batchSize, (s + 1) * o.batchSize);
      const batch = buildTrainingBatch({
        refs: slice, clips, labelOf, segmentFrames, normalisation,
        stretch: o.stretch ? { options: o.stretch, random } : undefined,
        pitch: o.pitchShift ? { options: o.pitchShift, axis: features, random } : undefined,
        augment: { options: o.augment, nMels: features.nMels, random },
        mask: o.masking ? { options: o.masking, random } : undefined,
      });
      const { input, targets } = mixupBatch({
        input: batch.input, labels: batch.labels, classes, perSegment: nMfcc * segmentFrames, options: o.mixup ?? { alpha: 0 }, random,
      });
      smoothTargets(targets, classes, o.labelSmoothing ?? 0);
      return { slice, labels: batch.labels, input, targets, count: batch.labels.length };
    };
    let lossSum = 0;
    let accSum = 0;
    let seen = 0;
    const perEpoch = o.weightRecordsPerEpoch ?? 1;
    const recordAfter = new Set(Array.from({ length: perEpoch - 1 }, (_, j) => Math.round((steps * (j + 1)) / perEpoch)).filter((n) => n >= 1 && n < steps));
    const onBatchEnd = (step: number, loss: number, accuracy: number) => {
      lossSum += loss;
      accSum += accuracy;
      seen++;
      if (averager && recordAfter.has(step + 1)) averager.record(epoch, layersModel.getWeights());
      o.onBatch?.(step + 1, steps, lossSum / seen);
    };
    if (adversary) {
      for (let s = 0; s < steps; s++) {
        const { slice, labels, input, count } = batchAt(s);
        const xs = tf.tensor4d(input, [count, nMfcc, segmentFrames, 1]);
        const r = adversary.step({
          xs, labels, epoch, sources: Int32Array.from(slice, (ref) => sourceIdOf![ref.clip]!),
          sampleWeights: Float32Array.from(labels, (l) => weights[l]!),
        });
        xs.dispose();
        onBatchEnd(s, r.loss, r.accuracy);
      }
    } else {
      const dataset = tf.data.generator(function* () {
        for (let s = 0; s < steps; s++) {
          const { input, targets, count } = batchAt(s);
          yield { xs: tf.tensor4d(input, [count, nMfcc, segmentFrames, 1]), ys: tf.tensor2d(targets, [count, classes]) };
        }
      });
      await layersModel.fitDataset(dataset, {
        epochs: 1,
        batchesPerEpoch: steps,
        classWeight: weights,
        verbose: 0,
        callbacks: { onBatchEnd: async (step, logs) => onBatchEnd(step, logs?.['loss'] ?? 0, logs?.['acc'] ?? logs?.['accuracy'] ?? 0) },
      });
    }
    const report: EpochReport = {
      epoch, loss: lossSum / seen, accuracy: accSum / seen, seconds: 0, msPerStep: (Date.now() - started) / steps, improved: false,
    };
    let monitored = report.loss;
    if (o.validation.length > 0) {
      const val = evaluateClips({ model, clips: o.validation });
      Object.assign(report, {
        valLoss: val.segmentLoss, valSegmentAccuracy: val.segmentAccuracy,
        valClipAccuracy: val.metrics.accuracy, valBalancedAccuracy: val.metrics.balancedAccuracy,
      });
      monitored = val.segmentLoss;
    }
    averager?.record(epoch, layersModel.getWeights());
    if (!best || monitored < best.loss - 1e-4) {
      tf.dispose(best?.weights ?? []);
      // With averaging, the averager already holds this epoch's weights: no second copy.
      best = { loss: monitored, weights: averager ? [] : layersModel.getWeights().map((w) => w.clone()), epoch };
      report.improved = true;
      sinceBest = 0;
    } else {
      sinceBest++;
    }
    report.seconds = (Date.now() - started) / 1000;
    history.push(report);
    o.onEpoch?.(report);
    if (sinceBest >= o.patience) {
      stoppedBecause = 'early-stopping';
      break;
    }
  }
  let averaged: { averagedEpochs: number[]; averagedRecords: number } | undefined;
  if (best) {
    const average = averager?.averageAround(best.epoch);
    layersModel.setWeights(average?.weights ?? best.weights);
    tf.dispose([...best.weights, ...(average?.weights ?? [])]);
    if (average) averaged = { averagedEpochs: average.epochs, averagedRecords: average.records };
  }
  averager?.dispose();
  adversary?.dispose();
  const validation = o.validation.length > 0 ? evaluateClips({ model, clips: o.validation }) : undefined;
  return { model, history, stoppedBecause, ...(validation ? { validation } : {}), ...averaged };
}
