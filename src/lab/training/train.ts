// The training loop: seeded, class-weighted, early-stopped on validation loss, with a wall-clock
// deadline so a run always finishes in its budget. Backend-agnostic (wasm with our kernels, cpu,
// or tfjs-node): it only uses public tfjs APIs.
import type * as tfjs from '@tensorflow/tfjs';
import { EpochWeightAverage } from './weight-average.js';
import { createGenreModel } from '../../genre/model/genre-model.js';
import { METADATA_FORMAT, type GenreModelMetadata } from '../../genre/model/metadata.js';
import { evaluateClips } from '../evaluation/evaluate.js';
import { createRandom } from './random.js';
import { computeNormalisation } from './sampler.js';
import { sourceBalancedWindows } from './source-balance.js';
import { classWeights } from './class-weights.js';
import { buildTrainingNetwork, sourceAdversaryFor } from './training-network.js';
import { InputError } from '../../errors.js';
import { trainEpoch } from './train-epoch.js';
import { stylePartnerDraw } from './style-mix.js';
import { sourcesOf, type EpochReport, type TrainOptions, type TrainResult } from './train-options.js';

/** Whether an epoch of `steps` steps records its weights after step `done` (1-based) besides its
 * end: perEpoch − 1 evenly spaced times. */
const recordsAfter = (done: number, steps: number, perEpoch: number) =>
  done < steps && Array.from({ length: perEpoch - 1 }, (_, j) => Math.round((steps * (j + 1)) / perEpoch)).includes(done);

export async function trainGenreModel(o: TrainOptions): Promise<TrainResult> {
  const { tf, features } = o;
  if (o.train.length === 0) throw new InputError('EMPTY_TRAINING_SET', 'no training clips: none of the training files could be read');
  const normalisation = { kind: o.normalisationKind, ...computeNormalisation({ clips: o.train.map((c) => c.mfcc) }) };
  const { layersModel, architecture } = buildTrainingNetwork(o, normalisation);
  const metadata: GenreModelMetadata = {
    format: METADATA_FORMAT, name: o.name, version: o.version, createdAt: new Date().toISOString(), labels: o.labels, features,
    normalisation, architecture, training: {},
    dataCard: { description: '', clipsPerGenre: {}, sources: [], licences: [] }, metrics: {},
  };
  let learningRate = o.learningRate;
  const compile = () => layersModel.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  compile();
  const model = createGenreModel({ tf, members: [{ layersModel, normalisation }], metadata, backend: o.backend });

  const labels = o.train.map((c) => c.label);
  const epochContext = {
    o, layersModel, normalisation, clips: o.train.map((c) => c.mfcc), labelOf: labels, random: createRandom(o.seed),
    weights: classWeights({ labels, classes: o.labels.length }),
    windowsPerClip: o.balanceSources
      ? sourceBalancedWindows({ labels, sources: sourcesOf(o.train, 'balanceSources'), segmentsPerClip: o.segmentsPerClip })
      : undefined,
    adversary: o.sourceAdversary ? sourceAdversaryFor(o, layersModel) : undefined,
    stylePartnerOf: o.styleMix ? stylePartnerDraw({ labels, sources: sourcesOf(o.train, 'styleMix') }) : undefined,
  };
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
    const trained = await trainEpoch(epochContext, epoch, (done, steps, meanLoss) => {
      if (averager && recordsAfter(done, steps, o.weightRecordsPerEpoch ?? 1)) averager.record(epoch, layersModel.getWeights());
      o.onBatch?.(done, steps, meanLoss);
    });
    const report: EpochReport = {
      epoch, loss: trained.loss, accuracy: trained.accuracy, seconds: 0, msPerStep: (Date.now() - started) / trained.steps, improved: false, learningRate,
    };
    let monitored = report.loss;
    if (o.validation.length > 0) {
      const val = evaluateClips({ model, clips: o.validation });
      Object.assign(report, {
        valLoss: val.segmentLoss, valLabelBalancedLoss: val.labelBalancedSegmentLoss, valSegmentAccuracy: val.segmentAccuracy,
        valClipAccuracy: val.metrics.accuracy, valBalancedAccuracy: val.metrics.balancedAccuracy,
      });
      monitored = o.monitor === 'label-balanced-loss' ? val.labelBalancedSegmentLoss : val.segmentLoss;
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
      if (o.learningRateDecay !== undefined && o.learningRateDecay !== 1 && sinceBest < o.patience) {
        // compile() does not dispose an optimizer it was given, so the old one goes here.
        layersModel.optimizer.dispose();
        learningRate *= o.learningRateDecay;
        compile();
      }
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
  epochContext.adversary?.adversary.dispose();
  const validation = o.validation.length > 0 ? evaluateClips({ model, clips: o.validation }) : undefined;
  return { model, history, stoppedBecause, ...(validation ? { validation } : {}), ...averaged };
}
