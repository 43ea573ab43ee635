// The pipeline stages composed for real: ffmpeg decode → MFCC (the model's parameters) → tiny
// model → JPEG, and the track path with a real download from the fake provider's audio server.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { closeWarmDecoders, idleWarmDecoderPids } from '../../src/audio/ffmpeg/warm-decoder.js';
import { loadConfig } from '../../src/config.js';
import { InputError } from '../../src/errors.js';
import * as tf from '@tensorflow/tfjs';
import { createGenreModel } from '../../src/genre/model/genre-model.js';
import { loadGenreModel, type GenreModel } from '../../src/genre/model/load.js';
import { loadPipeline } from '../../src/service/load-pipeline.js';
import { createGenrePipeline, type StageProgress } from '../../src/genre/pipeline.js';
import { decodeLimitsFrom } from '../../src/genre/preprocess.js';
import { createPredictor } from '../../src/service/predictions/predictor.js';
import { audioFixture } from '../helpers/audio-fixtures.js';
import { startFakeProviders, type FakeProviders } from '../helpers/fake-providers.js';
import { silentLogger } from '../service/queue/helpers.js';

let model: GenreModel;
let fake: FakeProviders;
before(async () => {
  model = await loadGenreModel({ dir: 'test/fixtures/tiny-model', backend: 'wasm' });
  fake = await startFakeProviders({ tracks: [{ artist: 'Coolio', title: 'Fantastic Voyage', audio: { seconds: 4 } }] });
});
after(async () => {
  model?.dispose();
  await fake?.close();
});

const config = loadConfig({ LOG_LEVEL: 'silent', ALLOW_INSECURE_PREVIEWS: 'true', PREVIEW_ALLOWED_HOSTS: '127.0.0.1', MAX_AUDIO_SECONDS: '30' });

function pipelinePredict({ audio, model: m, config: c, onProgress }: { audio: Buffer; model: GenreModel; config: typeof config; logger: unknown; onProgress?: StageProgress }) {
  return createGenrePipeline({ model: m, limits: decodeLimitsFrom(c) }).predict(audio, onProgress ? { onProgress } : {});
}

test('pipeline.predict: real stages, model feature parameters, stage timings and ordered progress', async () => {
  const audio = await readFile(await audioFixture({ format: 'mp3', seconds: 7 }));
  const stages: string[] = [];
  const result = await pipelinePredict({ audio, model, config, logger: silentLogger, onProgress: (stage) => stages.push(stage) });
  assert.deepEqual(stages, ['decode', 'mfcc', 'classify', 'image']);
  assert.ok(model.labels.includes(result.first[0]) && model.labels.includes(result.second[0]));
  assert.ok(Math.abs(result.durationSeconds - 7) < 0.2, String(result.durationSeconds));
  // 7 s at hop 512 → 302 frames → 130-frame segments at 0, 65, 130, plus one ending at the end (172).
  assert.equal(result.segments.length, 4);
  assert.ok(Math.abs(result.segments.at(-1)!.end - 7) < 0.1, JSON.stringify(result.segments.at(-1)));
  assert.equal(Buffer.from(result.mfcc, 'base64').subarray(0, 2).toString('hex'), 'ffd8');
  for (const stage of ['decode', 'mfcc', 'classify', 'image', 'total']) assert.ok(result.timingsMs[stage]! >= 0, stage);
  assert.deepEqual(result.model, { name: 'tiny-random', version: '0.0.0-fixture', backend: 'wasm' });
});

test('pipeline.predict with a model of two networks: the answer is the mean of its members\' answers', async () => {
  const pair = await loadGenreModel({ dir: 'test/fixtures/tiny-ensemble', backend: 'wasm' });
  try {
    const audio = await readFile(await audioFixture({ format: 'mp3', seconds: 7 }));
    const both = await pipelinePredict({ audio, model: pair, config, logger: silentLogger });
    // Each member alone, as a one-network model sharing the member's network and normalisation.
    const { members: specs, ...rest } = pair.metadata;
    const alone = await Promise.all(pair.members.map(async (member, i) => {
      const one = createGenreModel({ tf, members: [member], metadata: { ...rest, normalisation: specs![i]!.normalisation }, backend: pair.backend });
      return pipelinePredict({ audio, model: one, config, logger: silentLogger });
    }));
    for (const label of pair.labels) {
      const mean = (alone[0]!.probabilities[label]! + alone[1]!.probabilities[label]!) / 2;
      assert.ok(Math.abs(both.probabilities[label]! - mean) < 1e-6, `${label}: ${both.probabilities[label]} vs ${mean}`);
    }
    assert.notDeepEqual(alone[0]!.probabilities, alone[1]!.probabilities);
  } finally {
    pair.dispose();
  }
});

test('pipeline.predict: bytes that are not audio → InputError NOT_AUDIO 415', async () => {
  await assert.rejects(
    pipelinePredict({ audio: Buffer.from('definitely not audio '.repeat(100)), model, config, logger: silentLogger }),
    (err: unknown) => err instanceof InputError && err.code === 'NOT_AUDIO' && err.status === 415,
  );
});

test('FFMPEG_WARM_POOL: uploads keep one ffmpeg started ahead; off, none; the pipeline\'s dispose kills it', async () => {
  await closeWarmDecoders();
  const audio = await readFile(await audioFixture({ format: 'mp3', seconds: 3 }));
  await pipelinePredict({ audio, model, config: { ...config, FFMPEG_WARM_POOL: false }, logger: silentLogger });
  assert.deepEqual((await idleWarmDecoderPids()), []);
  await pipelinePredict({ audio, model, config, logger: silentLogger });
  const [pid] = (await idleWarmDecoderPids());
  assert.ok(pid !== undefined);
  const pipeline = await loadPipeline({ config: loadConfig({ LOG_LEVEL: 'silent', MODEL_DIR: 'test/fixtures/tiny-model', TF_BACKEND: 'wasm' }), logger: silentLogger });
  await pipeline.dispose();
  assert.deepEqual((await idleWarmDecoderPids()), []);
  assert.throws(() => process.kill(pid, 0), /ESRCH/);
});

test('createPredictor().predictTrack: downloads from the allowlisted host and adds mp3/source/track', async () => {
  const predictor = createPredictor({ pipeline: createGenrePipeline({ model, limits: decodeLimitsFrom(config) }), config });
  const previewUrl = `${fake.audioBaseUrl}/preview/deezer/1000.mp3?token=t`;
  const stages: string[] = [];
  const result = await predictor.predictTrack({
    match: { provider: 'deezer', trackId: '1000', artist: 'Coolio', title: 'Fantastic Voyage', previewUrl, link: 'https://www.deezer.com/track/1000' },
    logger: silentLogger,
    onProgress: (stage) => stages.push(stage),
  });
  assert.deepEqual(stages, ['download', 'decode', 'mfcc', 'classify', 'image']);
  assert.equal(result.mp3, previewUrl);
  assert.equal(result.source, 'deezer');
  assert.deepEqual(result.track, { artist: 'Coolio', title: 'Fantastic Voyage', link: 'https://www.deezer.com/track/1000' });
  assert.ok(result.timingsMs.download! >= 0 && result.timingsMs.total! >= result.timingsMs.download!);
});

test('createPredictor().predictTrack: a preview on a host outside the allowlist is refused, not fetched', async () => {
  const strict = createPredictor({ pipeline: createGenrePipeline({ model, limits: decodeLimitsFrom(config) }), config: { ...config, PREVIEW_ALLOWED_HOSTS: [] } });
  const before = fake.requests.length;
  await assert.rejects(
    strict.predictTrack({
      match: { provider: 'deezer', trackId: '1000', artist: 'Coolio', title: 'x', previewUrl: `${fake.audioBaseUrl}/preview/deezer/1000.mp3` },
      logger: silentLogger,
      onProgress: () => {},
    }),
    (err: unknown) => err instanceof InputError && err.code === 'PREVIEW_FORBIDDEN',
  );
  assert.equal(fake.requests.length, before);
});

test('predictAudio with a 20-coefficient model with an other output: the image stays 13 rows, five genres ranked, otherScore calibrated', async () => {
  const wide = await loadGenreModel({ dir: 'test/fixtures/tiny-other', backend: 'wasm' });
  const narrow = await loadGenreModel({ dir: 'test/fixtures/tiny-model', backend: 'wasm' });
  try {
    const audio = await readFile(await audioFixture({ format: 'mp3', seconds: 7 }));
    const result = await pipelinePredict({ audio, model: wide, config, logger: silentLogger });
    const reference = await pipelinePredict({ audio, model: narrow, config, logger: silentLogger });
    // The 2017 image: the same 13-coefficient JPEG whatever the model reads (12 px per coefficient).
    const { default: sharp } = await import('sharp');
    assert.equal((await sharp(Buffer.from(result.mfcc, 'base64')).metadata()).height, 13 * 12);
    assert.equal(result.mfcc, reference.mfcc);
    assert.deepEqual(Object.keys(result.probabilities), ['Hiphop', 'EDM', 'Classical', 'Metal', 'Jazz']);
    assert.ok(Math.abs(Object.values(result.probabilities).reduce((a, b) => a + b) - 1) < 1e-6);
    assert.notEqual(result.first[0], 'Other');
    assert.ok(typeof result.otherScore === 'number' && result.otherScore > 0 && result.otherScore < 1);
    assert.equal(result.uncertain, result.otherScore >= 0.1);
    for (const segment of result.segments) assert.deepEqual(Object.keys(segment.probabilities), Object.keys(result.probabilities));
    assert.equal(reference.otherScore, undefined);
    assert.equal(reference.uncertain, undefined);
  } finally {
    wide.dispose();
    narrow.dispose();
  }
});
