// The network builders: the CNN with the 2017 filter counts by default, other counts when asked, and a name in the
// metadata that says which.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Tensor } from '@tensorflow/tfjs';
import { initTrainingBackend } from '../../../src/lab/network/backend.js';
import { ARCHITECTURE, architectureName, buildGenreCnn } from '../../../src/lab/network/architecture.js';
import { buildFrameTimbreNet, FRAME_TIMBRE_ARCHITECTURE } from '../../../src/lab/network/frame-timbre.js';

const convFilters = (model: { layers: { getClassName(): string; getConfig(): Record<string, unknown> }[] }) =>
  model.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.getConfig()['filters']);

test('the default network has the 2017 filter counts and name', async () => {
  const { tf } = await initTrainingBackend({ preferred: 'wasm' });
  const model = buildGenreCnn({ tf, nMfcc: 20, segmentFrames: 130, classes: 6 });
  assert.deepEqual(convFilters(model), [16, 32, 32]);
  assert.equal(ARCHITECTURE, 'conv16-pool-bn/conv32-pool-bn/conv32-pool-bn/dropout0.5/dense250/softmax');
  model.dispose();
});

test('other filter counts build that network and name it, with either head', async () => {
  const { tf } = await initTrainingBackend({ preferred: 'wasm' });
  const model = buildGenreCnn({ tf, nMfcc: 20, segmentFrames: 260, classes: 6, head: 'global-average', filters: [8, 12, 24] });
  assert.deepEqual(convFilters(model), [8, 12, 24]);
  assert.deepEqual(model.outputs[0]!.shape, [null, 6]);
  assert.equal(architectureName('global-average', [8, 12, 24]), 'conv8-pool-bn/conv12-pool-bn/conv24-pool-bn/global-average/dropout0.5/dense250/softmax');
  assert.equal(architectureName('flatten', [8, 12, 24]), 'conv8-pool-bn/conv12-pool-bn/conv24-pool-bn/dropout0.5/dense250/softmax');
  model.dispose();
});

test('the frame-timbre network maps one segment to class probabilities through one frame-wide layer', async () => {
  const { tf } = await initTrainingBackend({ preferred: 'wasm' });
  const model = buildFrameTimbreNet({ tf, nMfcc: 20, segmentFrames: 130, classes: 6 });
  const conv = model.layers.find((l) => l.getClassName() === 'Conv2D')!;
  assert.deepEqual(conv.getConfig()['kernelSize'], [20, 1]);
  const out = model.predict(tf.randomNormal([2, 20, 130, 1], 0, 1, 'float32', 7)) as Tensor;
  const rows = out.arraySync() as number[][];
  assert.equal(rows.length, 2);
  for (const row of rows) assert.ok(Math.abs(row.reduce((a, b) => a + b) - 1) < 1e-5);
  assert.equal(FRAME_TIMBRE_ARCHITECTURE, 'frame-dense32/global-average/dropout0.5/softmax');
  out.dispose();
  model.dispose();
});
