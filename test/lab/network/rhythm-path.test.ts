// The rhythm path: it reads the centred segment, so a recording's constant colouring cannot move
// it, it spans ≈ 1.5 s of time, and a network with it saves and loads in the service.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { initTrainingBackend } from '../../../src/lab/network/backend.js';
import { buildCnnWithTimbre, cnnWithTimbreName } from '../../../src/lab/network/cnn-with-timbre.js';
import { RHYTHM_PATTERN_STEPS, rhythmPathLayers } from '../../../src/lab/network/rhythm-path.js';
import { LABELS } from '../../genre/model/helpers.js';
import { assertSavesAndLoads } from './helpers.js';

test('the rhythm path ignores a constant colouring of each coefficient row and spans ≈ 1.5 s', async () => {
  const { tf } = await initTrainingBackend({ preferred: 'wasm' });
  const model = buildCnnWithTimbre({ tf, nMfcc: 20, segmentFrames: 130, classes: LABELS.length, rhythm: true });
  const timeConv = model.layers.find((l) => l.getClassName() === 'Conv2D' && String(l.getConfig()['kernelSize']) === `1,${RHYTHM_PATTERN_STEPS}`)!;
  assert.ok(timeConv, 'a long conv over time');
  // The path's average: the one global average over 16 channels (the CNN path's has 32).
  const pathEnd = model.layers.find((l) => l.getClassName() === 'GlobalAveragePooling2D' && (l.input as SymbolicTensor).shape.at(-1) === 16)!;
  assert.ok(pathEnd, 'the rhythm path ends in a global average');
  const rhythm = tf.model({ inputs: model.inputs, outputs: pathEnd.output as SymbolicTensor });
  const x = tf.randomNormal([1, 20, 130, 1], 0, 1, 'float32', 5);
  const coloured = tf.add(x, tf.linspace(-3, 3, 20).reshape([1, 20, 1, 1]));
  const a = (rhythm.predict(x) as Tensor).dataSync();
  const b = (rhythm.predict(coloured) as Tensor).dataSync();
  assert.equal(a.length, 16);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-4, `feature ${i}: ${a[i]} vs ${b[i]}`);
  // 2 frames per step × 33 steps of 23.2 ms.
  assert.ok(Math.abs(2 * RHYTHM_PATTERN_STEPS * 512 / 22050 - 1.53) < 0.01);
  assert.throws(() => rhythmPathLayers({ tf, nMfcc: 20, segmentFrames: 60 }), /at least 68 frames/);
  assert.match(cnnWithTimbreName({ pathDropout: 0.5, rhythm: true }), /path-dropout0\.5 \+ centred frame-flux8\/pool1x2\/time-conv16x33-bn\/global-average; joined/);
  model.dispose();
});

test('a network with the rhythm path saves and loads in the service', async () => {
  const { tf } = await initTrainingBackend({ preferred: 'wasm' });
  const model = buildCnnWithTimbre({ tf, nMfcc: 13, segmentFrames: 130, classes: LABELS.length, pathDropout: 0.5, rhythm: true });
  await assertSavesAndLoads(model, cnnWithTimbreName({ pathDropout: 0.5, rhythm: true }));
  model.dispose();
});
