// Source-adversarial training (domain-adversarial training, Ganin & Lempitsky 2015, with the head
// told the genre): a small head learns to name a training segment's source from the joint
// network's joined features and the segment's genre, while the network learns through a gradient
// reversal to defeat it. Why: on held-out sources the network fails where one source's recording
// chain stands in for its genre (lo-fi albums, acoustic jazz); told the genre, the head can only
// win on what tells sources of the same genre apart. The head exists only in training: the saved
// model is the network alone. On held-out sources it lifted acoustic jazz and lost overall at
// λ 0.3 and 0.1 (docs/experiments.md), so the shipped recipe does not use it.
import type * as tfjs from '@tensorflow/tfjs';
import { JOINED_FEATURES_LAYER } from '../network/cnn-with-timbre.js';

export interface SourceAdversaryOptions {
  /** λ: the scale of the reversed gradient that reaches the network (the head learns at full rate). */
  weight: number;
  /** λ rises linearly from 0 over this many epochs, so the head has learnt something first; default 2. */
  rampEpochs?: number;
}
export const SOURCE_ADVERSARY_UNITS = 64;

/** λ for a (1-based) epoch: 0 in the first, `weight` from epoch `rampEpochs + 1` on. */
export const adversaryWeightAt = ({ weight, rampEpochs = 2 }: SourceAdversaryOptions, epoch: number) =>
  rampEpochs <= 0 ? weight : weight * Math.min(1, (epoch - 1) / rampEpochs);

/** Identity forward; backward, the gradient times −scale. */
export function reverseGradient(tf: typeof tfjs, x: tfjs.Tensor, scale: number): tfjs.Tensor {
  const reversed = tf.customGrad((...args) => ({ value: tf.clone(args[0] as tfjs.Tensor), gradFunc: (dy: tfjs.Tensor) => tf.mul(dy, -scale) }));
  return reversed(x) as tfjs.Tensor;
}

export interface AdversaryStep {
  /** One batch: inputs [n, nMfcc, segmentFrames, 1], genre and source indices, per-segment loss weights. */
  xs: tfjs.Tensor4D;
  labels: Int32Array;
  sources: Int32Array;
  sampleWeights: Float32Array;
  epoch: number;
}
export interface StepReport { loss: number; accuracy: number; sourceLoss: number }

/** The training step with the head for a cnn-with-timbre `network` (compiled or not: its own
 * optimizer is not used). `dispose` frees the head and the optimizer, never the network. */
export function createSourceAdversary({ tf, network, classes, sources, learningRate, options }: {
  tf: typeof tfjs;
  network: tfjs.LayersModel;
  classes: number;
  sources: number;
  learningRate: number;
  options: SourceAdversaryOptions;
}): { step: (batch: AdversaryStep) => StepReport; dispose: () => void } {
  const joined = network.getLayer(JOINED_FEATURES_LAYER).output as tfjs.SymbolicTensor;
  const trunk = tf.model({ inputs: network.inputs, outputs: [joined, network.outputs[0]!] });
  const head = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [joined.shape[1]! + classes], units: SOURCE_ADVERSARY_UNITS, activation: 'relu' }),
      tf.layers.dense({ units: sources, activation: 'softmax' }),
    ],
  });
  const optimizer = tf.train.adam(learningRate);
  const variables = [...network.trainableWeights, ...head.trainableWeights].map((w) => w.read() as tfjs.Variable);
  const step = ({ xs, labels, sources: sourceOf, sampleWeights, epoch }: AdversaryStep): StepReport => {
    const report: StepReport = { loss: 0, accuracy: 0, sourceLoss: 0 };
    const lambda = adversaryWeightAt(options, epoch);
    tf.tidy(() => {
      const genreTargets = tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat();
      const sourceTargets = tf.oneHot(tf.tensor1d(sourceOf, 'int32'), sources).toFloat();
      const weights = tf.tensor1d(sampleWeights);
      optimizer.minimize(() => {
        const [features, probabilities] = trunk.apply(xs, { training: true }) as tfjs.Tensor[];
        const genreLoss = tf.mean(tf.mul(tf.metrics.categoricalCrossentropy(genreTargets, probabilities!), weights));
        const headInput = tf.concat([reverseGradient(tf, features!, lambda), genreTargets], 1);
        const sourceLoss = tf.mean(tf.metrics.categoricalCrossentropy(sourceTargets, head.apply(headInput, { training: true }) as tfjs.Tensor));
        report.loss = genreLoss.dataSync()[0]!;
        report.sourceLoss = sourceLoss.dataSync()[0]!;
        report.accuracy = tf.mean(tf.metrics.categoricalAccuracy(genreTargets, probabilities!)).dataSync()[0]!;
        return tf.add(genreLoss, sourceLoss) as tfjs.Scalar;
      }, false, variables);
    });
    return report;
  };
  return { step, dispose: () => { head.dispose(); optimizer.dispose(); } };
}
