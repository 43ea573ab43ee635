import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfjs from '@tensorflow/tfjs';
import { foldBatchNorms } from '../../../src/genre/model/fold-batch-norm.js';
import { buildCnnWithTimbre } from '../../../src/lab/network/cnn-with-timbre.js';
import { randomCnn } from './helpers.js';

/** Batch-norm statistics far from the fresh ones (γ 1, β 0, mean 0, variance 1), so a wrong fold shows. */
function scrambleBatchNorms(tf: typeof tfjs, model: tfjs.LayersModel): void {
  for (const layer of model.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
    const weights = layer.getWeights().map((w, i) => (i === 3 ? tf.randomUniform(w.shape, 0.2, 3, 'float32', 7) : tf.randomNormal(w.shape, 0.5, 1, 'float32', 11 + i)));
    layer.setWeights(weights);
    tf.dispose(weights);
  }
}

async function checkFold(tf: typeof tfjs, model: tfjs.LayersModel, shape: number[]): Promise<void> {
  scrambleBatchNorms(tf, model);
  const tensorsBefore = tf.memory().numTensors;
  const ownTensors = model.weights.length;
  const folded = await foldBatchNorms(tf, model);
  assert.notEqual(folded, model);
  const kinds = folded.layers.map((l) => l.getClassName());
  assert.ok(!kinds.includes('BatchNormalization'), kinds.join(', '));
  assert.equal(kinds.filter((k) => k === 'DepthwiseConv2D').length, model.layers.filter((l) => l.getClassName() === 'BatchNormalization').length);
  const x = tf.randomNormal(shape, 0, 1, 'float32', 3);
  const [want, got] = tf.tidy(() => [model, folded].map((m) => (m.predict(x) as tfjs.Tensor).dataSync()));
  x.dispose();
  got!.forEach((v, i) => assert.ok(Math.abs(v - want![i]!) < 1e-5, `output ${i}: ${v} vs ${want![i]}`));
  // The copy keeps its weights when the original goes, and nothing is left behind.
  model.dispose();
  const again = tf.tidy(() => (folded.predict(tf.zeros(shape)) as tfjs.Tensor).dataSync());
  assert.ok(again.every(Number.isFinite));
  folded.dispose();
  assert.equal(tf.memory().numTensors, tensorsBefore - ownTensors);
}

test('folding the batch norms of the sequential CNN keeps its outputs', async () => {
  const { tf, model } = await randomCnn();
  await checkFold(tf, model, [3, 13, 130, 1]);
});

test('folding the batch norms of the two-path network (and its mel view) keeps its outputs', async () => {
  const { tf } = await randomCnn();
  const melView = { bands: 24, nMels: 128, std: new Array<number>(20).fill(15) };
  await checkFold(tf, buildCnnWithTimbre({ tf, nMfcc: 20, segmentFrames: 130, classes: 6, pathDropout: 0.5, melView }), [4, 20, 130, 1]);
});

test('a network without batch norms is returned as it is', async () => {
  const { tf } = await randomCnn();
  const input = tf.input({ shape: [4] });
  const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as tfjs.SymbolicTensor });
  assert.equal(await foldBatchNorms(tf, model), model);
  model.dispose();
});
