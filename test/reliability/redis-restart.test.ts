// A Redis of the test's own (random port, append-only file fsynced on every write: the setting a
// BullMQ deployment needs to survive a crash) is SIGKILLed and restarted during a stream of
// uploads. Requests during the outage get a clear 503 JSON error with Retry-After (never a hang
// or a 500); every job accepted (202) before or after completes once Redis is back, with no
// restart of the API or the worker: jobs lost = 0. Queue mechanics are under test here, so the
// worker runs a scripted processor (the real pipeline is covered elsewhere).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import supertest from 'supertest';
import { buildApp } from '../../src/service/app.js';
import { createBullmqQueue } from '../../src/service/queue/bullmq-queue.js';
import { startBullmqWorker } from '../../src/service/queue/bullmq-worker.js';
import { fakeResult, silentLogger, sleep, testConfig } from '../service/queue/helpers.js';
import { startPrivateRedis, withinMs } from './helpers.js';
import { predictionJobs } from '../../src/service/predictions/jobs.js';

test('Redis SIGKILLed and restarted mid-stream: outage answers are 503 JSON, no accepted job is lost, no restart needed', async () => {
  const redis = await startPrivateRedis({ persistent: true });
  const config = testConfig({ RATE_LIMIT_MAX: '0', PROBE_RATE_LIMIT_MAX: '0', MAX_CONCURRENT_UPLOADS_PER_CLIENT: '8', JOB_ATTEMPTS: '3', WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000', SYNC_WAIT_MS: '8000' });
  const queue = await createBullmqQueue({ spec: predictionJobs, config, redisUrl: redis.url, logger: silentLogger });
  const worker = startBullmqWorker({ spec: predictionJobs, config, redisUrl: redis.url, logger: silentLogger, process: async () => (await sleep(30), fakeResult()) });
  await worker.ready();
  const { app } = await buildApp({ config, logger: silentLogger, queue, providers: [] });
  await app.ready();
  const http = supertest(app.server);
  const accepted: string[] = [];
  const outage: Array<{ status: number; code: string; retryAfter?: string }> = [];
  const sync: number[] = [];
  const upload = (mode: 'sync' | 'async') => withinMs(15_000, 'upload', Promise.resolve(http.post(`/predict?mode=${mode}`).attach('file', randomBytes(64), 'x.mp3')));
  try {
    const send = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const res = await upload('async');
        if (res.status === 202) accepted.push(res.body.jobId as string);
        else outage.push({ status: res.status, code: res.body.error?.code, retryAfter: res.headers['retry-after'] });
        await sleep(20);
      }
    };
    await send(15);
    const inFlight = [upload('sync'), upload('sync')];
    await redis.kill();
    await send(10); // Redis is down
    await redis.start();
    // The API's connection reconnects by itself (retry delay ≤ 2 s): wait for readiness, no restart.
    const until = Date.now() + 15_000;
    while ((await http.get('/readyz')).status !== 200 && Date.now() < until) await sleep(100);
    await send(15);
    for (const res of await Promise.all(inFlight)) sync.push(res.status);

    const lost: string[] = [];
    for (const id of accepted) {
      let state = '';
      const deadline = Date.now() + 20_000;
      while (state !== 'completed' && Date.now() < deadline) {
        const res = await http.get(`/jobs/${id}`);
        state = res.status === 200 ? (res.body.state as string) : `http ${res.status}`;
        if (state !== 'completed') await sleep(100);
      }
      if (state !== 'completed') lost.push(`${id}: ${state}`);
    }
    console.log(`redis restart: ${accepted.length} accepted, ${outage.length} refused during the outage (${[...new Set(outage.map((o) => `${o.status} ${o.code}`))].join(', ')}), in-flight sync answers ${sync.join(',')}, lost ${lost.length}`);
    assert.deepEqual(lost, [], 'every accepted job completed');
    assert.ok(accepted.length >= 30, `service resumed after the restart (${accepted.length} accepted)`);
    assert.ok(outage.length >= 1, 'requests during the outage were refused, not queued in memory');
    for (const o of outage) {
      assert.equal(o.status, 503);
      assert.equal(o.code, 'QUEUE_UNAVAILABLE');
      assert.ok(Number(o.retryAfter) > 0);
    }
    for (const status of sync) assert.ok([200, 503, 504].includes(status), `in-flight sync request answered ${status}`);
  } finally {
    await app.close();
    await worker.close();
    await queue.close();
    await redis.stop();
  }
});

test('a worker told to stop while Redis is down closes after REDIS_TIMEOUT_MS, not SHUTDOWN_TIMEOUT_MS, even mid-job', async () => {
  const redis = await startPrivateRedis({ persistent: false });
  const config = testConfig({ REDIS_TIMEOUT_MS: '1000' });
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const worker = startBullmqWorker({ spec: predictionJobs, config, redisUrl: redis.url, logger: silentLogger, process: async () => (markStarted(), await held, fakeResult()) });
  try {
    await worker.ready();
    const queue = await createBullmqQueue({ spec: predictionJobs, config, redisUrl: redis.url, logger: silentLogger });
    await queue.submit({ data: { kind: 'upload', key: 'upload:redis-down', sha256: 'ab'.repeat(32), bytes: 64 }, audio: randomBytes(64) });
    await queue.close();
    await withinMs(10_000, 'job started', started);
    await redis.kill();
    // BullMQ's own close waits for Redis for ever (the process sat out SHUTDOWN_TIMEOUT_MS, exit 1);
    // the job could not record its result without Redis anyway.
    const t0 = Date.now();
    await withinMs(5_000, 'worker closed with Redis down', worker.close());
    const ms = Date.now() - t0;
    assert.ok(ms >= 900, `closed after ${ms} ms, before REDIS_TIMEOUT_MS`);
    console.log(`worker closed ${ms} ms after being told to, Redis down, its job still running`);
  } finally {
    release();
    await redis.stop();
  }
});
