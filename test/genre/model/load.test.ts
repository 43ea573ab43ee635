import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGenreModel } from '../../../src/genre/model/load.js';
import { saveGenreModel } from '../../../src/lab/network/save.js';
import { parseMetadata, type GenreModelMetadata } from '../../../src/genre/model/metadata.js';
import { classifyMfcc } from '../../../src/genre/model/classify.js';
import { InternalError } from '../../../src/errors.js';
import type { Tensor } from '@tensorflow/tfjs';
import { buildSegmentBatch } from '../../../src/genre/model/segments.js';
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
    await saveGenreModel({ networks: [model], metadata, dir });
    const loaded = await loadGenreModel({ dir, backend: 'wasm' });
    assert.equal(loaded.name, 'test-cnn');
    assert.equal(loaded.version, '1.2.3');
    assert.deepEqual(loaded.labels, LABELS);
    assert.equal(loaded.backend, 'wasm');
    // Two segments side by side: frames 0-129 and 130-259 of a 260-frame matrix.
    const mfcc = syntheticMfcc(260);
    const normalised = buildSegmentBatch({ mfcc, starts: [0, 130], segmentFrames: 130, normalisation: metadata.normalisation! });
    const before = (model.predict(tf.tensor4d(normalised, [2, 13, 130, 1])) as Tensor).dataSync();
    const after = loaded.predictSegments({ mfcc, starts: [0, 130] });
    assert.equal(after.length, 2 * LABELS.length);
    after.forEach((v, i) => assert.ok(Math.abs(v - before[i]!) < 1e-6, `output ${i}: ${v} vs ${before[i]}`));
    const badBatch = (e: unknown) => e instanceof InternalError && e.code === 'BAD_SEGMENT_BATCH';
    for (const starts of [[], [-1], [260], [1.5]]) assert.throws(() => loaded.predictSegments({ mfcc, starts }), badBatch, JSON.stringify(starts));
    assert.throws(() => loaded.predictSegments({ mfcc: syntheticMfcc(260, 1, 20), starts: [0] }), badBatch);
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

test('the held-out-sources claim is kept with the metadata, and a malformed one is refused', () => {
  const claim = {
    description: 'three folds holding out whole sources', command: 'folds.ts …', windowsPerSeed: 1382,
    balancedAccuracyBySeed: [0.76, 0.75], balancedAccuracy: 0.755, recall: { Hiphop: 0.5, EDM: 0.9 },
    calibrationError: { before: 0.03, after: 0.015 }, uncertain: { otherFlagged: 0.66, genreFlagged: 0.1 },
  };
  const parsed = parseMetadata({ ...validMetadata(), metrics: { heldOutSources: claim } });
  assert.deepEqual(parsed.metrics.heldOutSources, claim);
  assert.throws(() => parseMetadata({ ...validMetadata(), metrics: { heldOutSources: { ...claim, balancedAccuracyBySeed: 'high' } } }), /heldOutSources/);
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
    await saveGenreModel({ networks: [model], metadata: validMetadata({ labels: ['A', 'B', 'C'] }), dir });
    await assert.rejects(loadGenreModel({ dir, backend: 'wasm' }), isInvalid(/output shape \[batch, 5\] does not match 3 labels/));
    const features = { ...validMetadata().features, segmentFrames: 100 };
    await saveGenreModel({ networks: [model], metadata: validMetadata({ features }), dir });
    await assert.rejects(loadGenreModel({ dir, backend: 'wasm' }), isInvalid(/input shape \[batch, 13, 130, 1\] does not match the features \[batch, 13, 100, 1\]/));
    model.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a model of two networks: saved in member folders, loaded, and scored as the mean of the members (each normalised its own way)', async () => {
  const dir = await tempDir();
  try {
    const a = await randomCnn();
    const b = await randomCnn();
    const metadata = twoMemberMetadata();
    await saveGenreModel({ networks: [a.model, b.model], metadata, dir });
    assert.deepEqual((await readdir(dir)).sort(), ['centred', 'metadata.json', 'standardised']);
    assert.deepEqual((await readdir(join(dir, 'centred'))).sort(), ['model.json', 'weights.bin']);
    const loaded = await loadGenreModel({ dir, backend: 'wasm' });
    assert.equal(loaded.members.length, 2);
    const mfcc = syntheticMfcc(300);
    const starts = [0, 65, 170];
    const memberOutput = (net: typeof a.model, i: number) => {
      const input = buildSegmentBatch({ mfcc, starts, segmentFrames: 130, normalisation: metadata.members![i]!.normalisation });
      return (net.predict(a.tf.tensor4d(input, [3, 13, 130, 1])) as Tensor).dataSync();
    };
    const [pa, pb] = [memberOutput(a.model, 0), memberOutput(b.model, 1)];
    const tensorsBefore = a.tf.memory().numTensors;
    const got = loaded.predictSegments({ mfcc, starts });
    assert.equal(a.tf.memory().numTensors, tensorsBefore, 'no tensor outlives a prediction');
    assert.equal(got.length, 3 * LABELS.length);
    got.forEach((v, i) => assert.ok(Math.abs(v - (pa[i]! + pb[i]!) / 2) < 1e-6, `output ${i}: ${v} vs ${(pa[i]! + pb[i]!) / 2}`));
    // The two members disagree, so the mean is a real mix, not one member's output.
    assert.ok(Array.from(pa).some((v, i) => Math.abs(v - pb[i]!) > 1e-3));
    const prediction = classifyMfcc({ model: loaded, mfcc });
    assert.ok(Math.abs(Object.values(prediction.probabilities).reduce((x, y) => x + y, 0) - 1) < 1e-5);
    loaded.dispose();

    await rm(join(dir, 'standardised'), { recursive: true });
    await assert.rejects(loadGenreModel({ dir, backend: 'wasm' }), isInvalid(/standardised: cannot load model\.json/));
    await assert.rejects(saveGenreModel({ networks: [a.model], metadata, dir }), /describes 2 network\(s\), 1 given/);
    a.model.dispose();
    b.model.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('metadata of a model of several networks is checked', () => {
  const { normalisation: _n, ...noNormalisation } = validMetadata();
  const ok = twoMemberMetadata();
  assert.doesNotThrow(() => parseMetadata(ok));
  assert.throws(() => parseMetadata(noNormalisation), /either normalisation \(one network\) or members/);
  assert.throws(() => parseMetadata({ ...ok, normalisation: validMetadata().normalisation }), /either normalisation \(one network\) or members/);
  const member = ok.members![0]!;
  assert.throws(() => parseMetadata({ ...ok, members: [member, { ...member }] }), /member paths must be unique/);
  assert.throws(() => parseMetadata({ ...ok, members: [member, { ...member, path: '..' }] }), /members\.1\.path/);
  assert.throws(() => parseMetadata({ ...ok, members: [member, { ...member, path: 'a/b' }] }), /members\.1\.path/);
  assert.throws(() => parseMetadata({ ...ok, members: [member] }), /members/);
  assert.throws(
    () => parseMetadata({ ...ok, members: [member, { ...member, path: 'x', normalisation: { ...member.normalisation, std: [1] } }] }),
    /members\.1\.normalisation\.std: needs 13 values/,
  );
});

test('the committed two-network fixture loads and classifies', async () => {
  const model = await loadGenreModel({ dir: 'test/fixtures/tiny-ensemble', backend: 'wasm' });
  assert.equal(model.members.length, 2);
  const prediction = classifyMfcc({ model, mfcc: syntheticMfcc(1292) });
  assert.equal(prediction.segments.length, 19);
  model.dispose();
});

function twoMemberMetadata(): GenreModelMetadata {
  const { normalisation, ...rest } = validMetadata();
  return {
    ...rest,
    members: [
      { path: 'centred', normalisation: { ...normalisation!, kind: 'per-coefficient-centred' }, architecture: 'cnn', training: {} },
      { path: 'standardised', normalisation: { ...normalisation!, kind: 'per-coefficient-standardised', mean: new Array<number>(13).fill(3) }, architecture: 'cnn', training: {} },
    ],
  };
}

test('a save that fails leaves the model that was there whole, and no staging folder', async () => {
  const parent = await tempDir();
  const dir = join(parent, 'model');
  try {
    const { model } = await randomCnn();
    await saveGenreModel({ networks: [model], metadata: validMetadata(), dir });
    const before = await readFile(join(dir, 'weights.bin'));
    const failing = { save: async () => { throw new Error('disk full'); } } as unknown as typeof model;
    await assert.rejects(saveGenreModel({ networks: [failing], metadata: validMetadata({ version: '9.9.9' }), dir }), /disk full/);
    assert.deepEqual((await readdir(parent)).sort(), ['model']);
    assert.deepEqual(await readFile(join(dir, 'weights.bin')), before);
    assert.equal((await loadGenreModel({ dir, backend: 'wasm' })).version, '1.2.3');
    // A member path blocked by a folder where a file was is replaced on the next save.
    await rm(join(dir, 'weights.bin'));
    await mkdir(join(dir, 'weights.bin'));
    await saveGenreModel({ networks: [model], metadata: validMetadata({ version: '2.0.0' }), dir });
    assert.equal((await loadGenreModel({ dir, backend: 'wasm' })).version, '2.0.0');
    model.dispose();
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});
