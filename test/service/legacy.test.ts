// The 2017 widget route against the real app: BullMQ on real Redis with an in-process worker
// running the real pipeline (ffmpeg, MFCC, tiny model), and the fake Deezer/iTunes servers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TINY_MODEL_LABELS, isBase64Jpeg, pollJob, startTestApp, type TestApp } from './harness.js';

let t: TestApp;
before(async () => {
  t = await startTestApp({ queueKind: 'bullmq' });
});
after(async () => {
  await t?.close();
});

const ask = (artist: string, track: string, extra = '') =>
  t.http.get(`/d/music-prediction?artist=${encodeURIComponent(artist)}&track=${encodeURIComponent(track)}${extra}`);

test('hit: the 2017 fields first, in order, with a real prediction, MFCC JPEG and the preview URL', async () => {
  const res = await ask('coolio', "gangsta's paradise").expect(200).expect('content-type', /application\/json/);
  const body = res.body as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).slice(0, 5), ['response', 'first', 'second', 'mfcc', 'mp3']);
  assert.equal(body.response, true);
  const [first, second] = [body.first as [string, number], body.second as [string, number]];
  assert.ok(TINY_MODEL_LABELS.includes(first[0]) && TINY_MODEL_LABELS.includes(second[0]));
  assert.notEqual(first[0], second[0]);
  assert.ok(first[1] >= second[1] && second[1] >= 0 && first[1] <= 1);
  assert.ok(isBase64Jpeg(body.mfcc), 'mfcc is a base64 JPEG without data: prefix');
  assert.match(body.mp3 as string, new RegExp(`^${t.fake.audioBaseUrl}/preview/deezer/1000\\.mp3\\?token=`));
  assert.equal(body.source, 'deezer');
  assert.deepEqual(body.track, { artist: 'Coolio', title: "Gangsta's Paradise", link: 'https://www.deezer.com/track/1000' });
  const probabilities = body.probabilities as Record<string, number>;
  assert.deepEqual(Object.keys(probabilities).sort(), [...TINY_MODEL_LABELS].sort());
  assert.ok(Math.abs(Object.values(probabilities).reduce((a, b) => a + b, 0) - 1) < 1e-3);
  assert.ok(Array.isArray(body.segments) && (body.segments as unknown[]).length >= 1);
  assert.deepEqual(body.model, { name: 'tiny-random', version: '0.0.0-fixture', backend: 'wasm' });
});

test('repeat of the same track: served from the caches, no second search or download, same preview URL', async () => {
  const downloadsBefore = t.fake.requests.filter((r) => r.server === 'audio').length;
  const searchesBefore = t.fake.requests.filter((r) => r.server !== 'audio').length;
  const processedBefore = t.processed();
  const started = performance.now();
  const res = await ask('Coolio', "Gangsta's Paradise").expect(200);
  const ms = performance.now() - started;
  assert.equal(res.body.response, true);
  assert.equal(t.fake.requests.filter((r) => r.server === 'audio').length, downloadsBefore);
  assert.equal(t.fake.requests.filter((r) => r.server !== 'audio').length, searchesBefore, 'the lookup was remembered (LOOKUP_CACHE_TTL_S)');
  assert.match(res.body.mp3 as string, new RegExp(`^${t.fake.audioBaseUrl}/preview/deezer/1000\\.mp3\\?token=`));
  assert.equal(t.processed(), processedBefore);
  assert.ok(ms < 1000, `cached answer took ${ms} ms`);
});

test('miss, track without preview, and preview gone (404) all answer HTTP 200 {"response": false}', async () => {
  assert.deepEqual((await ask('Nobody Known', 'Nothing Here').expect(200)).body, { response: false });
  assert.deepEqual((await ask('Nobody', 'Silent Track').expect(200)).body, { response: false });
  t.fake.setBehaviour({ preview: 'notFound' });
  try {
    assert.deepEqual((await ask('Miles Davis', 'So What').expect(200)).body, { response: false });
  } finally {
    t.fake.setBehaviour({});
  }
});

test('missing, blank, repeated and over-long parameters → 400 JSON error', async () => {
  for (const url of [
    '/d/music-prediction',
    '/d/music-prediction?artist=Coolio',
    '/d/music-prediction?artist=%20%20&track=x',
    '/d/music-prediction?artist=a&artist=b&track=x',
    `/d/music-prediction?artist=${'a'.repeat(t.config.MAX_QUERY_CHARS + 1)}&track=x`,
    '/d/music-prediction?artist=a&track=b&mode=later',
  ]) {
    const res = await t.http.get(url).expect(400).expect('content-type', /application\/json/);
    assert.equal(res.body.error.code, 'INVALID_QUERY', url);
    assert.equal(typeof res.body.error.message, 'string');
  }
});

test('both providers down → a 5xx JSON error, not a miss', async () => {
  // 'So What' was looked up above, but its preview was gone (404), which drops the remembered
  // lookup: this search reaches the (failing) providers again.
  t.fake.setBehaviour({ deezer: 'error500', itunes: 'error500' });
  try {
    const res = await ask('Miles Davis', 'So What');
    assert.ok([502, 503, 504].includes(res.status), `status ${res.status}`);
    assert.match(res.body.error.code, /^PROVIDER_/);
  } finally {
    t.fake.setBehaviour({});
  }
});

test('mode=async → 202 with job id and Location; polling gives progress and then the result', async () => {
  const res = await ask('Miles Davis', 'So What', '&mode=async').expect(202);
  assert.match(res.body.jobId, /^[0-9a-f]{32}$/);
  assert.equal(res.headers.location, `/jobs/${res.body.jobId}`);
  assert.deepEqual(res.body, { jobId: res.body.jobId, status: 'queued', location: res.headers.location });
  const job = await pollJob(t, res.headers.location!);
  assert.equal(job.state, 'completed');
  const result = job.result as Record<string, unknown>;
  assert.equal(result.response, true);
  assert.ok(isBase64Jpeg(result.mfcc));
  assert.equal((result.track as { title: string }).title, 'So What');
  assert.equal(typeof job.createdAt, 'string');
});
