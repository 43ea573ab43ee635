// Weight averaging: the mean of the recorded epochs within the half-width of the best one, cut at
// the first and the last epoch that ran, every tensor of the model averaged elementwise.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initTrainingBackend } from '../../../src/lab/network/backend.js';
import { EpochWeightAverage } from '../../../src/lab/training/weight-average.js';

test('averages the epochs around the best one, cut at both ends, and frees its copies', async () => {
  const { tf } = await initTrainingBackend({ preferred: 'wasm' });
  const before = tf.memory().numTensors;
  const averager = new EpochWeightAverage(tf, 2);
  for (let epoch = 1; epoch <= 6; epoch++) {
    const weights = [tf.tensor1d([epoch, 10 * epoch]), tf.tensor2d([[epoch * epoch]])];
    averager.record(epoch, weights);
    tf.dispose(weights);
  }
  const middle = averager.averageAround(3);
  assert.deepEqual(middle.epochs, [1, 2, 3, 4, 5]);
  assert.equal(middle.records, 5);
  assert.deepEqual(Array.from(middle.weights[0]!.dataSync()), [3, 30]);
  assert.deepEqual(Array.from(middle.weights[1]!.dataSync()), [(1 + 4 + 9 + 16 + 25) / 5]);
  const end = averager.averageAround(6);
  assert.deepEqual(end.epochs, [4, 5, 6]);
  assert.deepEqual(Array.from(end.weights[0]!.dataSync()), [5, 50]);
  tf.dispose([...middle.weights, ...end.weights]);
  averager.dispose();
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => new EpochWeightAverage(tf, 1).averageAround(1), /no recorded epoch/);
  const skipping = new EpochWeightAverage(tf, 1);
  assert.throws(() => skipping.record(2, []), /epoch 2 recorded out of order/);
});

test('several records per epoch: every record in the window weighs the same', async () => {
  const { tf } = await initTrainingBackend({ preferred: 'wasm' });
  const before = tf.memory().numTensors;
  const averager = new EpochWeightAverage(tf, 1);
  // Epoch 1: records 1, 2; epoch 2: 3, 4, 5; epoch 3: 6, 7; epoch 4: 8 (outside the window of 2).
  const byEpoch = [[1, 2], [3, 4, 5], [6, 7], [8]];
  byEpoch.forEach((values, e) => values.forEach((v) => {
    const weights = [tf.tensor1d([v, -v])];
    averager.record(e + 1, weights);
    tf.dispose(weights);
  }));
  const around = averager.averageAround(2);
  assert.deepEqual(around.epochs, [1, 2, 3]);
  assert.equal(around.records, 7);
  assert.deepEqual(Array.from(around.weights[0]!.dataSync()), [28 / 7, -28 / 7]);
  tf.dispose(around.weights);
  averager.dispose();
  assert.equal(tf.memory().numTensors, before);
});
