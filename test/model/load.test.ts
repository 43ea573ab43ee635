import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGenreModel } from '../../src/model/load.js';
import { saveGenreModel } from '../../src/model/save.js';
import { parseMetadata } from '../../src/model/metadata.js';
import { classifyMfcc } from '../../src/model/classify.js';
import { InternalError } from '../../src/errors.js';
import type { Tensor } from '@tensorflow/tfjs';
import { LABELS, randomCnn, syntheticMfcc, validMetadata } from './helpers.js';

const isInvalid = (pattern: RegExp) => (e: unknown) => e instanceof InternalError && e.code === 'MODEL_INVALID' && pattern.test(e.message);

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'genre-model-'));
}

test('save → load round trip gives the same predictions and metadata', async () => {
  const dir = await tempDir();
  try {
    const { tf, model } = await randomCnn();
    const metadata = validMetadata();
    await saveGenreModel({ layersModel: model, metadata, dir });
    const loaded = await loadGenreModel({ dir, backend: 'wasm' });
    assert.equal(loaded.name, 'test-cnn');
    assert.equal(loaded.version, '1.2.3');
    assert.deepEqual(loaded.labels, LABELS);
    assert.equal(loaded.backend, 'wasm');
    const input = syntheticMfcc(400).data.slice(0, 2 * 13 * 130);
    const before = (model.predict(tf.tensor4d(input, [2, 13, 130, 1])) as Tensor).dataSync();
    const after = loaded.predictSegments({ input, count: 2 });
    assert.equal(after.length, 2 * LABELS.length);
    after.forEach((v, i) => assert.ok(Math.abs(v - before[i]!) < 1e-6, `output ${i}: ${v} vs ${before[i]}`));
    assert.deepEqual(loaded.metadata, parseMetadata(JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8'))));
    loaded.dispose();
    model.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the committed tiny fixture loads and classifies', async () => {
  const model = await loadGenreModel({ dir: 'test/fixtures/tiny-model', backend: 'wasm' });
  const prediction = classifyMfcc({ model, mfcc: syntheticMfcc(1292) });
  assert.equal(prediction.segments.length, 19);
  model.dispose();
});

test('metadata validation lists precise problems', () => {
  assert.throws(() => parseMetadata(validMetadata({ labels: ['A', 'A'] })), /labels must be unique/);
  assert.throws(
    () => parseMetadata(validMetadata({ normalisation: { kind: 'per-coefficient', mean: [0], std: [1] } })),
    /normalisation\.mean: needs 13 values/,
  );
  assert.throws(() => parseMetadata({ ...validMetadata(), features: { ...validMetadata().features, fmax: 50_000 } }), /fmax/);
  assert.throws(() => parseMetadata({ ...validMetadata(), format: 'other' }), /format/);
  assert.throws(() => parseMetadata({ ...validMetadata(), name: '../evil' }), /name/);
});

test('a bad model directory is a MODEL_INVALID startup error', async () => {
  const dir = await tempDir();
  try {
    await assert.rejects(loadGenreModel({ dir: join(dir, 'missing'), backend: 'wasm' }), isInvalid(/cannot read metadata\.json/));
    await writeFile(join(dir, 'metadata.json'), '{not json');
    await assert.rejects(loadGenreModel({ dir, backend: 'wasm' }), isInvalid(/metadata\.json is invalid/));
    await writeFile(join(dir, 'metadata.json'), JSON.stringify(validMetadata()));
    await assert.rejects(loadGenreModel({ dir, backend: 'wasm' }), isInvalid(/cannot load model\.json/));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('loading checks input shape against features and output size against labels', async () => {
  const dir = await tempDir();
  try {
    const { model } = await randomCnn();
    await saveGenreModel({ layersModel: model, metadata: validMetadata({ labels: ['A', 'B', 'C'] }), dir });
    await assert.rejects(loadGenreModel({ dir, backend: 'wasm' }), isInvalid(/output shape \[batch, 5\] does not match 3 labels/));
    const features = { ...validMetadata().features, segmentFrames: 100 };
    await saveGenreModel({ layersModel: model, metadata: validMetadata({ features }), dir });
    await assert.rejects(loadGenreModel({ dir, backend: 'wasm' }), isInvalid(/input shape \[batch, 13, 130, 1\] does not match the features \[batch, 13, 100, 1\]/));
    model.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
