// The mel view inverts the feature extractor's DCT: a smooth log-mel spectrum turned into 20 MFCCs,
// normalised, and passed through the view comes back as that spectrum at the view's bands (within
// 0.3 dB: 20 coefficients truncate the ramp's edges).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Tensor } from '@tensorflow/tfjs';
import { initTrainingBackend } from '../../../src/lab/network/backend.js';
import { applyMelView, cepstrumToMelMatrix } from '../../../src/lab/network/mel-view.js';
import { buildCnnWithTimbre, cnnWithTimbreName } from '../../../src/lab/network/cnn-with-timbre.js';
import { applyDct, createDctTable } from '../../../src/features/dct.js';
import { LABELS } from '../../genre/model/helpers.js';
import { assertSavesAndLoads } from './helpers.js';

const N_MELS = 128;
const N_MFCC = 20;
const BANDS = 24;
const spectrum = (m: number) => -40 + 12 * Math.cos((2 * Math.PI * m) / N_MELS) - 20 * (m / N_MELS) + 4 * Math.sin((6 * Math.PI * m) / N_MELS);

test('the view of a smooth spectrum\'s normalised MFCCs is that spectrum at the band centres, up to one scale', async () => {
  const { tf } = await initTrainingBackend({ preferred: 'wasm' });
  const logMel = Float32Array.from({ length: N_MELS }, (_, m) => spectrum(m));
  const mfcc = applyDct({ dct: createDctTable({ nMels: N_MELS, nMfcc: N_MFCC }), logMelFrameMajor: logMel, frames: 1 });
  const std = Array.from({ length: N_MFCC }, (_, k) => 30 / (1 + k));
  const input = tf.input({ shape: [N_MFCC, 1, 1] });
  const before = tf.memory().numTensors;
  const view = tf.model({ inputs: input, outputs: applyMelView(input, { tf, nMfcc: N_MFCC, nMels: N_MELS, bands: BANDS, std }) });
  assert.equal(tf.memory().numTensors, before + 1, 'only the frozen kernel itself is held');
  const x = tf.tensor4d(Array.from(mfcc, (c, k) => c / std[k]!), [1, N_MFCC, 1, 1]);
  const out = ((view.predict(x) as Tensor).arraySync() as number[][][][])[0]!;
  assert.deepEqual([out.length, out[0]!.length, out[0]![0]!.length], [BANDS, 1, 1]);
  const got = out.map((row) => row[0]![0]!);
  const want = got.map((_, j) => spectrum(((j + 0.5) * N_MELS) / BANDS - 0.5));
  const scale = got.reduce((s, g, j) => s + g * want[j]!, 0) / want.reduce((s, w) => s + w * w, 0);
  got.forEach((g, j) => assert.ok(Math.abs(g / scale - want[j]!) < 0.3, `band ${j}: ${g / scale} vs ${want[j]}`));
  const w = cepstrumToMelMatrix({ nMfcc: N_MFCC, nMels: N_MELS, bands: BANDS, std });
  let energy = 0;
  for (const x of w) energy += x * x;
  assert.ok(Math.abs(energy / BANDS - 1) < 1e-5);
  assert.throws(() => cepstrumToMelMatrix({ nMfcc: N_MFCC, nMels: N_MELS, bands: BANDS, std: std.slice(0, 5) }), /coefficient spreads/);
});

test('a network with the mel view keeps it frozen, names it, and saves and loads', async () => {
  const { tf } = await initTrainingBackend({ preferred: 'wasm' });
  const std = new Array<number>(13).fill(1);
  const model = buildCnnWithTimbre({ tf, nMfcc: 13, segmentFrames: 130, classes: LABELS.length, melView: { bands: 16, nMels: N_MELS, std } });
  const view = model.getLayer('mel_view');
  assert.equal(view.trainable, false);
  assert.ok(!model.trainableWeights.some((v) => v.originalName.startsWith('mel_view')));
  assert.match(cnnWithTimbreName({ melView: { bands: 16 } }), /^centre-in-network\/mel-view16\/conv16-pool-bn/);
  await assertSavesAndLoads(model, cnnWithTimbreName({ melView: { bands: 16 } }));
  model.dispose();
});

test('alongside: a cepstral and a mel-view CNN path, both joined before the dense layer', async () => {
  const { tf } = await initTrainingBackend({ preferred: 'wasm' });
  const melView = { bands: 16, nMels: N_MELS, std: new Array<number>(13).fill(1), alongside: true };
  const model = buildCnnWithTimbre({ tf, nMfcc: 13, segmentFrames: 130, classes: LABELS.length, filters: [8, 16, 16], melView });
  const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D' && String(l.getConfig()['kernelSize']) === '3,3');
  assert.equal(convs.length, 6);
  assert.match(cnnWithTimbreName({ filters: [8, 16, 16], melView }), /^centre-in-network\/\[cepstral \| mel-view16\]\/conv8-pool-bn/);
  await assertSavesAndLoads(model, cnnWithTimbreName({ filters: [8, 16, 16], melView }));
  model.dispose();
});
