// The joint network: its CNN path sees each segment centred (inside the network), its timbre path
// the frames as given, and the saved network loads in the service like any other.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { initTrainingBackend } from '../../../src/lab/network/backend.js';
import { buildCnnWithTimbre, cnnWithTimbreName } from '../../../src/lab/network/cnn-with-timbre.js';
import { LABELS } from '../../genre/model/helpers.js';
import { assertSavesAndLoads } from './helpers.js';

test('the CNN path is centred per coefficient row; the timbre path is not; the model saves and loads', async () => {
  const { tf } = await initTrainingBackend({ preferred: 'wasm' });
  const model = buildCnnWithTimbre({ tf, nMfcc: 13, segmentFrames: 130, classes: LABELS.length });
  const add = model.layers.find((l) => l.getClassName() === 'Add')!;
  const centred = tf.model({ inputs: model.inputs, outputs: add.output as SymbolicTensor });
  const x = tf.add(tf.randomNormal([1, 13, 130, 1], 0, 1, 'float32', 3), tf.linspace(-2, 2, 13).reshape([1, 13, 1, 1]));
  const rows = ((centred.predict(x) as Tensor).arraySync() as number[][][][])[0]!;
  for (const row of rows) assert.ok(Math.abs(row.reduce((s, v) => s + v[0]!, 0) / 130) < 1e-5);
  const timbre = model.layers.filter((l) => l.getClassName() === 'Conv2D').find((l) => String(l.getConfig()['kernelSize']) === '13,1');
  assert.ok(timbre, 'a frame-wide timbre layer');
  assert.match(cnnWithTimbreName(), /^centre-in-network\/conv16-pool-bn\/conv32-pool-bn\/conv32-pool-bn\/global-average \+ frame-dense32/);

  await assertSavesAndLoads(model, cnnWithTimbreName());
  model.dispose();
});

test('whole-path dropout: in training a segment keeps all of the timbre features or none; at inference all', async () => {
  const { tf } = await initTrainingBackend({ preferred: 'wasm' });
  const model = buildCnnWithTimbre({ tf, nMfcc: 13, segmentFrames: 130, classes: LABELS.length, pathDropout: 0.5 });
  const drop = model.layers.find((l) => l.getClassName() === 'Dropout' && l.getConfig()['noiseShape'] !== undefined && l.getConfig()['noiseShape'] !== null)!;
  assert.ok(drop, 'a dropout layer with a per-segment noise shape');
  assert.match(cnnWithTimbreName({ pathDropout: 0.5 }), /frame-dense32\/global-average\/path-dropout0\.5; joined/);
  const features = tf.ones([64, 32]);
  const trained = (drop.apply(features, { training: true }) as Tensor).arraySync() as number[][];
  const kinds = new Set(trained.map((row) => (row.every((v) => v === 0) ? 'dropped' : row.every((v) => v === 2) ? 'kept' : 'mixed')));
  assert.deepEqual([...kinds].sort(), ['dropped', 'kept']);
  const served = (drop.apply(features) as Tensor).arraySync() as number[][];
  assert.ok(served.every((row) => row.every((v) => v === 1)));
  model.dispose();
});

test('timbre rows centred: the timbre path hears the first rows centred per segment and the rest as given', async () => {
  const { tf } = await initTrainingBackend({ preferred: 'wasm' });
  const model = buildCnnWithTimbre({ tf, nMfcc: 13, segmentFrames: 130, classes: LABELS.length, timbreCentredRows: 3 });
  const joined = model.layers.find((l) => l.getClassName() === 'Concatenate' && l.getConfig()['axis'] === 1)!;
  assert.ok(joined, 'the timbre input is joined along the coefficient rows');
  const timbreInput = tf.model({ inputs: model.inputs, outputs: joined.output as SymbolicTensor });
  const x = tf.add(tf.randomNormal([1, 13, 130, 1], 0, 1, 'float32', 5), tf.linspace(-2, 2, 13).reshape([1, 13, 1, 1]));
  const given = ((x.arraySync() as number[][][][])[0]!);
  const rows = ((timbreInput.predict(x) as Tensor).arraySync() as number[][][][])[0]!;
  assert.equal(rows.length, 13);
  const mean = (row: number[][]) => row.reduce((s, v) => s + v[0]!, 0) / 130;
  for (const r of [0, 1, 2]) assert.ok(Math.abs(mean(rows[r]!)) < 1e-5, `row ${r} centred`);
  for (const r of [3, 7, 12]) assert.ok(Math.abs(rows[r]![5]![0]! - given[r]![5]![0]!) < 1e-6, `row ${r} as given`);
  assert.ok(Math.abs(mean(rows[12]!)) > 1, 'the last row keeps its level');
  assert.match(cnnWithTimbreName({ timbreCentredRows: 3 }), /global-average \+ centre-rows0-2\/frame-dense32/);
  assert.throws(() => buildCnnWithTimbre({ tf, nMfcc: 13, segmentFrames: 130, classes: LABELS.length, timbreCentredRows: 13 }), /timbreCentredRows/);
  await assertSavesAndLoads(model, cnnWithTimbreName({ timbreCentredRows: 3 }));
  model.dispose();
});
