// Liveness, readiness, metrics, security headers, CORS and the widget's static files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import supertest from 'supertest';
import { buildApp } from '../../src/service/app.js';
import { createInlineQueue } from '../../src/service/queue/inline-queue.js';
import { fakeResult, silentLogger, testConfig } from './queue/helpers.js';
import { startTestApp, type TestApp } from './harness.js';
import { predictionJobs } from '../../src/service/predictions/jobs.js';

let t: TestApp;
before(async () => {
  t = await startTestApp({ queueKind: 'bullmq', env: { CORS_ORIGINS: 'https://blog.example' } });
});
after(async () => {
  await t?.close();
});

test('GET /healthz → 200 {"status":"ok"}', async () => {
  assert.deepEqual((await t.http.get('/healthz').expect(200)).body, { status: 'ok' });
});

test('GET /readyz → 200 with queue (Redis ping), model, backend and ffmpeg checks', async () => {
  const res = await t.http.get('/readyz').expect(200);
  assert.equal(res.body.status, 'ready');
  assert.deepEqual(res.body.checks.queue, { ok: true, detail: 'bullmq' });
  assert.deepEqual(res.body.checks.model, { ok: true, detail: 'tiny-random@0.0.0-fixture' });
  assert.deepEqual(res.body.checks.backend, { ok: true, detail: 'wasm' });
  assert.equal(res.body.checks.ffmpeg.detail, 'system'); // where it came from, not its path
});

test('GET /readyz → 503 when a check fails', async () => {
  const config = testConfig({ LOG_LEVEL: 'silent' });
  const queue = createInlineQueue({ spec: predictionJobs, config, process: async () => fakeResult(), logger: silentLogger });
  const { app } = await buildApp({
    config,
    logger: silentLogger,
    queue,
    providers: [],
    probes: [{ name: 'model', check: async () => { throw new Error('model not loaded'); } }],
  });
  try {
    await app.ready();
    const res = await supertest(app.server).get('/readyz').expect(503);
    assert.deepEqual(res.body, { status: 'not_ready', checks: { queue: { ok: true, detail: 'inline' }, model: { ok: false, detail: 'model not loaded' } } });
  } finally {
    await app.close();
    await queue.close();
  }
});

test('GET /metrics → Prometheus text with request, stage, queue, cache and failure metrics', async () => {
  await t.http.get('/d/music-prediction?artist=Coolio&track=Gangsta%27s%20Paradise').expect(200);
  await t.http.get('/d/music-prediction?artist=Coolio&track=Gangsta%27s%20Paradise').expect(200);
  await new Promise((resolve) => setTimeout(resolve, 100)); // QueueEvents delivery
  const res = await t.http.get('/metrics').expect(200).expect('content-type', /text\/plain/);
  const text = res.text;
  assert.match(text, /music_prediction_http_request_duration_seconds_count\{method="GET",route="\/d\/music-prediction",status="200"\} 2/);
  assert.match(text, /music_prediction_stage_duration_seconds_count\{stage="decode"\} 1/);
  assert.match(text, /music_prediction_stage_duration_seconds_count\{stage="download"\} 1/);
  assert.match(text, /music_prediction_result_cache_lookups_total\{result="hit"\} 1/);
  assert.match(text, /music_prediction_result_cache_lookups_total\{result="miss"\} 1/);
  assert.match(text, /music_prediction_queue_backlog 0/);
  assert.match(text, /music_prediction_jobs_finished_total\{outcome="completed"\} 1/);
});

test('security headers: CSP allows data: images and preview media hosts; CORS only for configured origins', async () => {
  const res = await t.http.get('/healthz').set('origin', 'https://blog.example').expect(200);
  const csp = res.headers['content-security-policy']!;
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /img-src 'self' data:/);
  assert.match(csp, /media-src 'self'[^;]*https:\/\/\*\.dzcdn\.net/);
  assert.match(csp, /media-src[^;]*http:\/\/127\.0\.0\.1/); // ALLOW_INSECURE_PREVIEWS in tests
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['access-control-allow-origin'], 'https://blog.example');
  const other = await t.http.get('/healthz').set('origin', 'https://evil.example').expect(200);
  assert.equal(other.headers['access-control-allow-origin'], undefined);
});

test('the widget directory is served at / (index.html)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mp-public-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>widget</title>');
  const config = testConfig();
  const queue = createInlineQueue({ spec: predictionJobs, config, process: async () => fakeResult(), logger: silentLogger });
  const { app } = await buildApp({ config, logger: silentLogger, queue, providers: [], publicDir: dir });
  try {
    await app.ready();
    const res = await supertest(app.server).get('/').expect(200).expect('content-type', /text\/html/);
    assert.match(res.text, /<title>widget<\/title>/);
  } finally {
    await app.close();
    await queue.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
