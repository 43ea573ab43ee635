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
    averager.record(weights);
    tf.dispose(weights);
  }
  const middle = averager.averageAround(3);
  assert.deepEqual(middle.epochs, [1, 2, 3, 4, 5]);
  assert.deepEqual(Array.from(middle.weights[0]!.dataSync()), [3, 30]);
  assert.deepEqual(Array.from(middle.weights[1]!.dataSync()), [(1 + 4 + 9 + 16 + 25) / 5]);
  const end = averager.averageAround(6);
  assert.deepEqual(end.epochs, [4, 5, 6]);
  assert.deepEqual(Array.from(end.weights[0]!.dataSync()), [5, 50]);
  tf.dispose([...middle.weights, ...end.weights]);
  averager.dispose();
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => new EpochWeightAverage(tf, 1).averageAround(1), /no recorded epoch/);
});
