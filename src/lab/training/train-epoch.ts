// One training epoch: fresh random segments of every clip, built into augmented batches and fed
// to the network (through fitDataset, or step by step with the source adversary).
import type * as tfjs from '@tensorflow/tfjs';
import { mixupBatch } from './mixup.js';
import { smoothTargets } from './label-smoothing.js';
import { buildTrainingBatch, sampleEpoch } from './sampler.js';
import type { Random } from './random.js';
import type { Normalisation } from '../../genre/model/segments.js';
import type { MfccMatrix } from '../../types.js';
import type { SourceAdversaryFor } from './training-network.js';
import type { TrainOptions } from './train-options.js';
import type { PartnerDraw } from './style-mix.js';

export interface EpochContext {
  o: TrainOptions;
  layersModel: tfjs.LayersModel;
  normalisation: Normalisation;
  /** The training clips' matrices and labels, in `o.train`'s order. */
  clips: readonly MfccMatrix[];
  labelOf: readonly number[];
  random: Random;
  weights: Record<number, number>;
  windowsPerClip: readonly number[] | undefined;
  adversary: SourceAdversaryFor | undefined;
  /** With `o.styleMix`: draws each clip's style partner (style-mix.ts). */
  stylePartnerOf: PartnerDraw | undefined;
}

/** Trains one epoch; `afterStep(done, steps)` runs after each optimiser step. Returns the mean
 * training loss and accuracy and the step count. */
export async function trainEpoch(ctx: EpochContext, epoch: number, afterStep: (done: number, steps: number, meanLoss: number) => void) {
  const { o, layersModel, normalisation, clips, labelOf, random, weights } = ctx;
  const { tf, features } = o;
  const refs = sampleEpoch({ frames: clips.map((c) => c.frames), segmentFrames: features.segmentFrames, segmentsPerClip: o.segmentsPerClip, windowsPerClip: ctx.windowsPerClip, random });
  const steps = Math.ceil(refs.length / o.batchSize);
  const { nMfcc, segmentFrames } = features;
  const classes = o.labels.length;
  const batchAt = (s: number) => {
    const slice = refs.slice(s * o.batchSize, (s + 1) * o.batchSize);
    const batch = buildTrainingBatch({
      refs: slice, clips, labelOf, segmentFrames, normalisation,
      stretch: o.stretch ? { options: o.stretch, random } : undefined,
      pitch: o.pitchShift ? { options: o.pitchShift, axis: features, random } : undefined,
      styleMix: o.styleMix && ctx.stylePartnerOf ? { options: o.styleMix, partnerOf: ctx.stylePartnerOf, random } : undefined,
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
  const onBatchEnd = (step: number, loss: number, accuracy: number) => {
    lossSum += loss;
    accSum += accuracy;
    seen++;
    afterStep(step + 1, steps, lossSum / seen);
  };
  if (ctx.adversary) {
    const { adversary, sourceIdOf } = ctx.adversary;
    for (let s = 0; s < steps; s++) {
      const { slice, labels, input, count } = batchAt(s);
      const xs = tf.tensor4d(input, [count, nMfcc, segmentFrames, 1]);
      const r = adversary.step({
        xs, labels, epoch, sources: Int32Array.from(slice, (ref) => sourceIdOf[ref.clip]!),
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
  return { loss: lossSum / seen, accuracy: accSum / seen, steps };
}
