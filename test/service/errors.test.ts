// Error paths of the whole app: JSON everywhere, backlog 503 + Retry-After, sync wait 504 with
// the job id, rate limit 429, unknown routes and job ids. Jobs that must hang on cue use an
// injected processor (the real pipeline is covered by legacy/predict tests); the 504 case runs
// the real pipeline behind a slow preview.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audioFixture } from '../helpers/audio-fixtures.js';
import { readFile } from 'node:fs/promises';
import { fakeResult, sleep } from './queue/helpers.js';
import { pollJob, startTestApp } from './harness.js';

test('unknown routes, bad and unknown job ids, wrong methods → JSON errors', async () => {
  const t = await startTestApp({ queueKind: 'inline', process: async () => fakeResult() });
  try {
    const notFound = await t.http.get('/nope').expect(404).expect('content-type', /json/);
    assert.equal(notFound.body.error.code, 'NOT_FOUND');
    assert.equal((await t.http.get('/jobs/not-a-job').expect(400)).body.error.code, 'INVALID_JOB_ID');
    assert.equal((await t.http.get(`/jobs/${'a'.repeat(32)}`).expect(404)).body.error.code, 'JOB_NOT_FOUND');
    assert.equal((await t.http.delete('/predict').expect(404)).body.error.code, 'NOT_FOUND');
    const badJson = await t.http.post('/predict').set('content-type', 'application/json').send('{"a":');
    assert.equal(badJson.status, 400);
    assert.equal(typeof badJson.body.error.code, 'string');
  } finally {
    await t.close();
  }
});

test('backlog beyond MAX_QUEUE_BACKLOG → 503 with Retry-After; cached results still answer', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const t = await startTestApp({
    queueKind: 'bullmq',
    env: { MAX_QUEUE_BACKLOG: '1', WORKER_CONCURRENCY: '1' },
    process: async () => (await gate, fakeResult()),
  });
  try {
    const upload = (n: number) => t.http.post('/predict?mode=async').attach('file', Buffer.from(`bytes-${n}`), 'a.mp3');
    assert.equal((await upload(1)).status, 202); // taken by the worker
    await sleep(150);
    const second = await upload(2).expect(202); // waiting: backlog 1
    const full = await upload(3).expect(503);
    assert.equal(full.body.error.code, 'QUEUE_FULL');
    assert.equal(full.headers['retry-after'], '5');
    release();
    await pollJob(t, second.headers.location!);
    const again = await t.http.post('/predict').attach('file', Buffer.from('bytes-1'), 'a.mp3').expect(200);
    assert.deepEqual(again.body.first, fakeResult().first);
  } finally {
    release();
    await t.close();
  }
});

test('sync request beyond SYNC_WAIT_MS → 504 with the job id; the job finishes and can be polled', async () => {
  const t = await startTestApp({ queueKind: 'bullmq', env: { SYNC_WAIT_MS: '300' } });
  try {
    t.fake.setBehaviour({ preview: { fault: 'slow', times: 1 }, slowMs: 800 });
    const res = await t.http.get('/d/music-prediction?artist=Coolio&track=Gangsta%27s%20Paradise').expect(504);
    assert.equal(res.body.error.code, 'SYNC_WAIT_TIMEOUT');
    assert.match(res.body.jobId, /^[0-9a-f]{32}$/);
    assert.equal(res.headers.location, `/jobs/${res.body.jobId}`);
    const job = await pollJob(t, res.headers.location!);
    assert.equal(job.state, 'completed', JSON.stringify(job.error));
    assert.equal((job.result as { response: boolean }).response, true);
  } finally {
    await t.close();
  }
});

test('rate limit: 429 JSON with Retry-After; health endpoints are exempt', async () => {
  const t = await startTestApp({ queueKind: 'inline', process: async () => fakeResult(), env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' } });
  try {
    for (let i = 0; i < 3; i++) await t.http.get('/d/music-prediction').expect(400);
    const limited = await t.http.get('/d/music-prediction?artist=a&track=b').expect(429).expect('content-type', /json/);
    assert.equal(limited.body.error.code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) > 0);
    for (let i = 0; i < 5; i++) {
      await t.http.get('/healthz').expect(200);
      await t.http.get('/metrics').expect(200);
      // The widget's static files do not count against a visitor's budget.
      await t.http.get('/').expect(200);
      await t.http.get('/widget.js').expect(200);
    }
    await t.http.get('/jobs/0123456789abcdef0123456789abcdef').expect(429);
  } finally {
    await t.close();
  }
});

test('a job failing for good comes back with its own code and status (sync and polled)', async () => {
  const t = await startTestApp({ queueKind: 'inline' });
  try {
    // Real pipeline: a 0.3-s clip is shorter than MIN_AUDIO_SECONDS → AUDIO_TOO_SHORT 422 from decode.
    const short = await readFile(await audioFixture({ format: 'wav', seconds: 0.3 }));
    const res = await t.http.post('/predict').attach('file', short, 'short.wav').expect(422);
    assert.equal(res.body.error.code, 'AUDIO_TOO_SHORT');
    const accepted = await t.http.post('/predict?mode=async').attach('file', Buffer.concat([short, Buffer.from([1])]), 's.wav').expect(202);
    const job = await pollJob(t, accepted.headers.location!);
    assert.equal(job.state, 'failed');
    assert.equal((job.error as { code: string }).code, 'AUDIO_TOO_SHORT');
  } finally {
    await t.close();
  }
});
