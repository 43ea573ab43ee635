// Readiness that tells the truth: an ffmpeg binary made non-executable or deleted after boot makes
// /readyz 503 and decodes 503 FFMPEG_UNAVAILABLE (not 500); in Redis mode with no worker alive,
// /readyz is 503 and a synchronous request fails fast with 503 NO_WORKERS instead of waiting
// SYNC_WAIT_MS for a 504, while an asynchronous one is still queued and runs once a worker comes.
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startBullmqWorker } from '../../src/service/queue/bullmq-worker.js';
import { audioFixture } from '../helpers/audio-fixtures.js';
import { pollJob, startTestApp } from '../service/harness.js';
import { REDIS_URL, fakeResult, silentLogger } from '../service/queue/helpers.js';
import { isolateTmpdir } from './helpers.js';
import { predictionJobs } from '../../src/service/predictions/jobs.js';

const tmp = isolateTmpdir();
after(() => tmp.remove());

test('ffmpeg made non-executable, then deleted after boot → /readyz 503, decodes 503 FFMPEG_UNAVAILABLE, no path revealed', async () => {
  const binary = join(tmp.dir, 'ffmpeg-wrapper');
  writeFileSync(binary, '#!/bin/sh\nexec /usr/bin/ffmpeg "$@"\n');
  chmodSync(binary, 0o755);
  const t = await startTestApp({ queueKind: 'inline', env: { FFMPEG_PATH: binary, JOB_ATTEMPTS: '1', RESULT_CACHE_TTL_S: '0' } });
  try {
    const mp3 = readFileSync(await audioFixture({ format: 'mp3', seconds: 2 }));
    const upload = (i: number) => t.http.post('/predict').attach('file', Buffer.concat([mp3, Buffer.from([i])]), 'a.mp3');
    const ready = await t.http.get('/readyz');
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.ok(!JSON.stringify(ready.body).includes(tmp.dir), 'the ffmpeg path is not in /readyz');
    assert.equal((await upload(0)).status, 200);

    for (const [step, breakIt] of [['non-executable', () => chmodSync(binary, 0o644)], ['deleted', () => rmSync(binary)]] as const) {
      breakIt();
      const notReady = await t.http.get('/readyz');
      assert.equal(notReady.status, 503, `${step}: ${JSON.stringify(notReady.body)}`);
      assert.equal(notReady.body.checks.ffmpeg.ok, false);
      assert.ok(!JSON.stringify(notReady.body).includes(tmp.dir), 'the ffmpeg path is not in /readyz');
      // The warm pool's idle process, started before, may still serve one upload; then the decoder is gone.
      const answers = [];
      for (let i = 1; i <= 3; i++) answers.push(await upload(step.length * 10 + i));
      for (const res of answers) assert.ok(res.status === 200 || res.status === 503, `${step}: ${res.status} ${JSON.stringify(res.body)}`);
      const last = answers.at(-1)!;
      assert.equal(last.status, 503, JSON.stringify(last.body));
      assert.equal(last.body.error.code, 'FFMPEG_UNAVAILABLE');
      assert.ok(!String(last.body.error.message).includes(tmp.dir), last.body.error.message);
      assert.ok(Number(last.headers['retry-after']) > 0);
      writeFileSync(binary, '#!/bin/sh\nexec /usr/bin/ffmpeg "$@"\n');
      chmodSync(binary, 0o755);
      assert.equal((await t.http.get('/readyz')).status, 200, `${step}: ready again once ffmpeg is back`);
      assert.equal((await upload(step.length * 10 + 9)).status, 200);
    }
  } finally {
    await t.close();
  }
});

test('Redis mode with no live worker → /readyz 503, sync requests 503 NO_WORKERS fast, async ones queued and served later', async () => {
  const t = await startTestApp({ queueKind: 'bullmq', inProcessWorker: false, process: async () => fakeResult(), env: { SYNC_WAIT_MS: '20000' } });
  let worker: ReturnType<typeof startBullmqWorker> | undefined;
  try {
    // Until the queue's Redis connection is up, /readyz says that instead.
    let notReady = await t.http.get('/readyz');
    for (let i = 0; i < 50 && /unavailable/.test(notReady.body.checks.queue.detail); i++) {
      await new Promise((r) => setTimeout(r, 100));
      notReady = await t.http.get('/readyz');
    }
    assert.equal(notReady.status, 503, JSON.stringify(notReady.body));
    assert.equal(notReady.body.checks.queue.ok, false);
    assert.match(notReady.body.checks.queue.detail, /no worker/);

    const started = performance.now();
    const sync = await t.http.get('/d/music-prediction?artist=Coolio&track=Gangsta%27s%20Paradise');
    const ms = performance.now() - started;
    assert.equal(sync.status, 503, JSON.stringify(sync.body));
    assert.equal(sync.body.error.code, 'NO_WORKERS');
    assert.ok(Number(sync.headers['retry-after']) > 0);
    assert.ok(ms < 3_000, `${ms} ms (SYNC_WAIT_MS is 20 s)`);

    const queued = await t.http.get('/d/music-prediction?artist=Miles%20Davis&track=So%20What&mode=async');
    assert.equal(queued.status, 202, JSON.stringify(queued.body));

    worker = startBullmqWorker({ spec: predictionJobs, config: t.config, redisUrl: REDIS_URL, process: async () => fakeResult(), logger: silentLogger });
    await worker.ready();
    assert.equal((await pollJob(t, queued.headers.location!)).state, 'completed');
    // The worker count is reused for up to 1.5 s.
    const until = Date.now() + 5_000;
    let ready = await t.http.get('/readyz');
    while (ready.status !== 200 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      ready = await t.http.get('/readyz');
    }
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    const served = await t.http.get('/d/music-prediction?artist=Coolio&track=Gangsta%27s%20Paradise');
    assert.equal(served.status, 200, JSON.stringify(served.body));
  } finally {
    await worker?.close();
    await t.close();
  }
});
