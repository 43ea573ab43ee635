// Source-adversarial training: the reversal flips the gradient, λ ramps in, the head learns and
// is never part of the saved network, and the training is as deterministic as without it.
import { test } from 'node:test';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { initTrainingBackend } from '../../../src/lab/network/backend.js';
import { buildCnnWithTimbre } from '../../../src/lab/network/cnn-with-timbre.js';
import { DEFAULT_FEATURES } from '../../../src/genre/model/metadata.js';
import { adversaryWeightAt, createSourceAdversary, reverseGradient } from '../../../src/lab/training/source-adversary.js';
import { trainGenreModel } from '../../../src/lab/training/train.js';
import type { LabelledClip } from '../../../src/lab/training/train-options.js';
import { withSeededMathRandom } from '../../../src/lab/training/random.js';
import { syntheticClips } from './helpers.js';

test('the reversal is the identity forward and −scale times the gradient backward', async () => {
  const { tf } = await initTrainingBackend({ preferred: 'wasm' });
  const x = tf.tensor1d([1, -2, 3]);
  assert.deepEqual(Array.from(reverseGradient(tf, x, 0.5).dataSync()), [1, -2, 3]);
  const grad = tf.grad((v: Tensor) => tf.sum(tf.mul(reverseGradient(tf, v, 0.5), tf.tensor1d([1, 2, 4]))))(x);
  assert.deepEqual(Array.from(grad.dataSync()), [-0.5, -1, -2]);
});

test('λ is 0 in the first epoch and reaches its weight after the ramp', () => {
  assert.deepEqual([1, 2, 3, 4].map((e) => adversaryWeightAt({ weight: 0.3 }, e)), [0, 0.15, 0.3, 0.3]);
  assert.equal(adversaryWeightAt({ weight: 0.3, rampEpochs: 0 }, 1), 0.3);
});

test('the head learns to name the source from the features; the network keeps its layers', async () => {
  const { tf } = await initTrainingBackend({ preferred: 'wasm' });
  const network = buildCnnWithTimbre({ tf, nMfcc: 13, segmentFrames: 130, classes: 2, filters: [4, 4, 4] });
  const layersBefore = network.layers.length;
  const adversary = createSourceAdversary({ tf, network, classes: 2, sources: 2, learningRate: 0.01, options: { weight: 0 } });
  // Two sources that differ only in level, both of genre 0: only the features can tell them apart.
  const xs: Tensor4D = tf.tidy(() => tf.concat([tf.randomNormal([8, 13, 130, 1], 2, 1, 'float32', 1), tf.randomNormal([8, 13, 130, 1], -2, 1, 'float32', 2)]));
  const batch = { xs, labels: new Int32Array(16), sources: Int32Array.from({ length: 16 }, (_, i) => (i < 8 ? 0 : 1)), sampleWeights: new Float32Array(16).fill(1), epoch: 1 };
  const first = adversary.step(batch);
  let last = first;
  for (let i = 0; i < 30; i++) last = adversary.step(batch);
  assert.ok(Number.isFinite(first.sourceLoss) && last.sourceLoss < first.sourceLoss / 2, `source loss ${first.sourceLoss} → ${last.sourceLoss}`);
  const tensors = tf.memory().numTensors;
  adversary.dispose();
  assert.ok(tf.memory().numTensors < tensors, 'the head and optimiser are freed');
  assert.equal(network.layers.length, layersBefore);
  assert.equal(network.predict(xs.slice(0, 1)) instanceof tf.Tensor, true);
  xs.dispose();
  network.dispose();
});

test('the reversed gradient reaches the network only when λ > 0', async () => {
  const { tf } = await initTrainingBackend({ preferred: 'wasm' });
  const afterOneStep = (weight: number) => withSeededMathRandom(3, async () => {
    const network = buildCnnWithTimbre({ tf, nMfcc: 13, segmentFrames: 130, classes: 2, filters: [4, 4, 4] });
    const adversary = createSourceAdversary({ tf, network, classes: 2, sources: 2, learningRate: 0.01, options: { weight, rampEpochs: 0 } });
    const xs = tf.randomNormal([4, 13, 130, 1], 0, 1, 'float32', 4) as Tensor4D;
    adversary.step({ xs, labels: new Int32Array(4), sources: Int32Array.from([0, 0, 1, 1]), sampleWeights: new Float32Array(4).fill(1), epoch: 1 });
    const weights = network.getWeights().map((w) => Array.from(w.dataSync()));
    adversary.dispose();
    network.dispose();
    xs.dispose();
    return weights;
  });
  const [none, again, reversed] = [await afterOneStep(0), await afterOneStep(0), await afterOneStep(1)];
  assert.deepEqual(none, again);
  assert.notDeepEqual(none, reversed);
});

const twoSourceClips = (count: number): LabelledClip[] => syntheticClips(count).map((c, i) => ({ ...c, source: i % 3 === 0 ? 'a' : 'b' }));

test('training with the adversary is deterministic for a seed and leaves no head in the model', async () => {
  const { tf, backend } = await initTrainingBackend({ preferred: 'wasm' });
  const once = () => withSeededMathRandom(7, async () => {
    const result = await trainGenreModel({
      tf, backend, train: twoSourceClips(6), validation: twoSourceClips(2), labels: ['A', 'B'], features: DEFAULT_FEATURES,
      epochs: 2, batchSize: 8, segmentsPerClip: 2, patience: 5, learningRate: 0.001, seed: 7, deadline: Date.now() + 60_000,
      augment: { gainDb: 0, eqDb: 0, eqCoefficients: 4 }, normalisationKind: 'per-coefficient', network: 'cnn-with-timbre', filters: [4, 4, 4],
      sourceAdversary: { weight: 0.3, rampEpochs: 1 }, name: 'adv', version: '1',
    });
    const layersModel = result.model.members[0]!.layersModel;
    const names = layersModel.layers.map((l) => l.getClassName());
    const weights = layersModel.getWeights().map((w) => Array.from(w.dataSync()));
    result.model.dispose();
    return { names, weights, losses: result.history.map((h) => h.loss) };
  });
  const a = await once();
  const b = await once();
  assert.deepEqual(a.losses, b.losses);
  assert.deepEqual(a.weights, b.weights);
  assert.ok(a.losses.every(Number.isFinite));
  assert.equal(a.names.filter((n) => n === 'Dense').length, 2, 'dense250 and the softmax only');
  await assert.rejects(trainGenreModel({
    tf, backend, train: twoSourceClips(4), validation: [], labels: ['A', 'B'], features: DEFAULT_FEATURES, epochs: 1, batchSize: 8, segmentsPerClip: 1,
    patience: 1, learningRate: 0.001, seed: 1, deadline: Date.now() + 60_000, augment: { gainDb: 0, eqDb: 0, eqCoefficients: 4 },
    normalisationKind: 'per-coefficient', sourceAdversary: { weight: 0.3 }, name: 'adv', version: '1',
  }), /cnn-with-timbre/);
  await assert.rejects(trainGenreModel({
    tf, backend, train: twoSourceClips(4), validation: [], labels: ['A', 'B'], features: DEFAULT_FEATURES, epochs: 1, batchSize: 8, segmentsPerClip: 1,
    patience: 1, learningRate: 0.001, seed: 1, deadline: Date.now() + 60_000, augment: { gainDb: 0, eqDb: 0, eqCoefficients: 4 }, network: 'cnn-with-timbre',
    normalisationKind: 'per-coefficient', labelSmoothing: 0.1, sourceAdversary: { weight: 0.3 }, name: 'adv', version: '1',
  }), /one-hot targets/);
});
