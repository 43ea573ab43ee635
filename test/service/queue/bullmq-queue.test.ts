// BullMQ queue + worker against the real Redis at 127.0.0.1:6379, each test on its own prefix and
// queue name, every key removed afterwards. The processor is scripted here; the real pipeline
// runs through the same worker in test/service.
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { test } from 'node:test';
import { InputError, TransientError } from '../../../src/errors.js';
import { createBullmqQueue } from '../../../src/service/queue/bullmq-queue.js';
import { startBullmqWorker } from '../../../src/service/queue/bullmq-worker.js';
import { SyncWaitTimeout } from '../../../src/service/queue/failure.js';
import { redisKeyspace } from '../../../src/service/queue/redis-stores.js';
import type { FinishedEvent } from '../../../src/service/queue/job-queue.js';
import type { JobProcessor } from '../../../src/service/predictions/processor.js';
import { REDIS_URL, cleanupRedis, fakeResult, leftUploads, scriptedProcessor, silentLogger, sleep, testConfig } from './helpers.js';
import { predictionJobs } from '../../../src/service/predictions/jobs.js';

async function setup(process: JobProcessor, overrides: Record<string, string> = {}) {
  const config = testConfig(overrides);
  const queue = await createBullmqQueue({ spec: predictionJobs, config, redisUrl: REDIS_URL, logger: silentLogger });
  const worker = startBullmqWorker({ spec: predictionJobs, config, redisUrl: REDIS_URL, process, logger: silentLogger });
  await worker.ready();
  return {
    config,
    queue,
    async teardown() {
      await worker.close();
      await queue.close();
      await cleanupRedis(config.QUEUE_PREFIX);
    },
  };
}

const upload = (sha256: string, audio: Buffer) => ({ data: { kind: 'upload' as const, key: `upload:${sha256}`, sha256, bytes: audio.length }, audio });

test('two concurrent submits of the same upload → one job; bytes reach the worker and are deleted after', async () => {
  const seen: string[] = [];
  const { process, calls } = scriptedProcessor(async (job) => {
    seen.push(job.audio?.toString() ?? 'none');
    await sleep(100);
    return fakeResult();
  });
  const env = await setup(process);
  try {
    const events: FinishedEvent[] = [];
    env.queue.onFinished((e) => events.push(e));
    const [a, b] = await Promise.all([env.queue.submit(upload('f00d', Buffer.from('audio!'))), env.queue.submit(upload('f00d', Buffer.from('audio!')))]);
    assert.equal(a.id, b.id);
    const [ra, rb] = await Promise.all([env.queue.waitForResult(a.id, 5000), env.queue.waitForResult(b.id, 5000)]);
    assert.deepEqual(ra.result, fakeResult());
    assert.deepEqual(rb.result, fakeResult());
    assert.equal(calls.length, 1);
    assert.deepEqual(seen, ['audio!']);
    assert.deepEqual((await env.queue.getCachedResult('upload:f00d'))?.result, fakeResult());
    assert.deepEqual(await leftUploads(env.config), []);
    const status = await env.queue.getStatus(a.id);
    assert.equal(status?.state, 'completed');
    assert.deepEqual(status?.result, fakeResult());
    await sleep(50);
    assert.deepEqual(events.map((e) => [e.id, e.outcome]), [[a.id, 'completed']]);
  } finally {
    await env.teardown();
  }
});

test('a transient failure is retried and succeeds; a permanent one fails once with code and status intact', async () => {
  const { process, calls } = scriptedProcessor(async (job) => {
    if (job.data.key === 'upload:bad') throw new InputError('NOT_AUDIO', 'this is not audio');
    if (job.attempt === 1) throw new TransientError('PREVIEW_TIMEOUT', 'slow cdn');
    return fakeResult('Classical');
  });
  const env = await setup(process, { JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '20' });
  try {
    const good = await env.queue.submit(upload('9d', Buffer.from('x')));
    assert.equal((await env.queue.waitForResult(good.id, 5000)).result.first[0], 'Classical');
    const bad = await env.queue.submit(upload('bad', Buffer.from('y')));
    await assert.rejects(
      env.queue.waitForResult(bad.id, 5000),
      (err: unknown) => err instanceof InputError && err.code === 'NOT_AUDIO' && err.status === 415 && err.message === 'this is not audio',
    );
    assert.deepEqual(calls.map((c) => [c.data.key, c.attempt]), [['upload:9d', 1], ['upload:9d', 2], ['upload:bad', 1]]);
    const status = await env.queue.getStatus(bad.id);
    assert.equal(status?.state, 'failed');
    assert.deepEqual(status?.error, { code: 'NOT_AUDIO', message: 'this is not audio', status: 415, permanent: true });
    // Nothing of either upload is left behind.
    assert.deepEqual(await leftUploads(env.config), []);
  } finally {
    await env.teardown();
  }
});

test('transient failures on every attempt end as the last error (5xx kept), after JOB_ATTEMPTS tries', async () => {
  const { process, calls } = scriptedProcessor(async () => {
    throw new TransientError('PROVIDER_UNAVAILABLE', 'deezer is down');
  });
  const env = await setup(process, { JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '10' });
  try {
    const { id } = await env.queue.submit(upload('dead', Buffer.from('z')));
    await assert.rejects(env.queue.waitForResult(id, 5000), (err: unknown) => err instanceof TransientError && err.status === 502 && err.code === 'PROVIDER_UNAVAILABLE');
    assert.equal(calls.length, 2);
  } finally {
    await env.teardown();
  }
});

test('a job whose outcome BullMQ could not record (lock lost) runs again with its bytes; they go once it is recorded', async () => {
  const seen: string[] = [];
  const { process } = scriptedProcessor(async (job, call) => {
    seen.push(job.audio?.toString() ?? 'no bytes');
    // Holding the event loop past the 1 s lock: the lock cannot be renewed and expires in Redis,
    // so completing this run fails (as for a worker starved of CPU, or killed right here).
    if (call === 1) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
    return fakeResult('Metal');
  });
  const env = await setup(process, { WORKER_LOCK_DURATION_MS: '1000', WORKER_STALLED_INTERVAL_MS: '1000' });
  try {
    const { id } = await env.queue.submit(upload('10c4', Buffer.from('keep me')));
    assert.equal((await env.queue.waitForResult(id, 10_000)).result.first[0], 'Metal');
    assert.deepEqual(seen, ['keep me', 'keep me'], 'the second run still had the upload');
    assert.deepEqual(await leftUploads(env.config), []);
  } finally {
    await env.teardown();
  }
});

test('upload bytes that expired while the job waited are stored again by the same upload; a job attempt renews their TTL', async () => {
  const config = testConfig({ UPLOAD_TTL_S: '600' });
  const queue = await createBullmqQueue({ spec: predictionJobs, config, redisUrl: REDIS_URL, logger: silentLogger });
  const redis = new Redis(REDIS_URL);
  const key = redisKeyspace({ prefix: config.QUEUE_PREFIX, queueName: config.QUEUE_NAME }).upload('beef');
  let worker: ReturnType<typeof startBullmqWorker> | undefined;
  try {
    const first = await queue.submit(upload('beef', Buffer.from('late audio')));
    await redis.del(key); // what UPLOAD_TTL_S does to bytes of a job that waits too long
    const again = await queue.submit(upload('beef', Buffer.from('late audio')));
    assert.deepEqual([again.id, again.deduplicated], [first.id, true]);
    assert.equal((await redis.getBuffer(key))?.toString(), 'late audio', 'stored again (it answered 410 UPLOAD_EXPIRED)');
    await redis.expire(key, 30);
    const ttlDuringJob: number[] = [];
    const { process } = scriptedProcessor(async (job) => {
      ttlDuringJob.push(await redis.ttl(key));
      assert.equal(job.audio?.toString(), 'late audio');
      return fakeResult();
    });
    worker = startBullmqWorker({ spec: predictionJobs, config, redisUrl: REDIS_URL, process, logger: silentLogger });
    assert.deepEqual((await queue.waitForResult(first.id, 5000)).result, fakeResult());
    assert.ok(ttlDuringJob[0]! > 500, `TTL during the attempt: ${ttlDuringJob[0]} s`);
    assert.deepEqual(await leftUploads(config), []);
  } finally {
    await worker?.close();
    await queue.close();
    redis.disconnect();
    await cleanupRedis(config.QUEUE_PREFIX);
  }
});

test('sync wait is bounded (SyncWaitTimeout with the job id) and the job still completes; backlog counts waiting jobs', async () => {
  const { process } = scriptedProcessor(async () => (await sleep(400), fakeResult()));
  const env = await setup(process, { WORKER_CONCURRENCY: '1' });
  try {
    const ids = await Promise.all(['1a', '2b', '3c'].map(async (k) => (await env.queue.submit(upload(k, Buffer.from(k)))).id));
    await sleep(100);
    assert.equal(await env.queue.backlog(), 2);
    await assert.rejects(env.queue.waitForResult(ids[0]!, 150), (err: unknown) => err instanceof SyncWaitTimeout && err.jobId === ids[0]);
    assert.deepEqual((await env.queue.waitForResult(ids[0]!, 5000)).result, fakeResult());
    const status = await env.queue.getStatus(ids[2]!);
    assert.ok(status && ['waiting', 'active'].includes(status.state));
    assert.equal(await env.queue.getStatus('f'.repeat(32)), null);
  } finally {
    await env.teardown();
  }
});

test('a result sits in Redis once: the job and its completed event carry a reference to the cached copy', async () => {
  const big = { ...fakeResult('Metal'), mfcc: Buffer.alloc(90_000, 7).toString('base64') };
  const { process, calls } = scriptedProcessor(async () => big);
  const env = await setup(process);
  const redis = new Redis(REDIS_URL);
  try {
    const events: FinishedEvent[] = [];
    env.queue.onFinished((e) => events.push(e));
    const { id } = await env.queue.submit(upload('5eed', Buffer.from('a')));
    const finished = await env.queue.waitForResult(id, 5000);
    assert.deepEqual(finished.result, big);
    assert.equal(finished.mfccJson?.toString(), JSON.stringify(big.mfcc), 'the image comes as JSON bytes, as from the cache');
    const base = `${env.config.QUEUE_PREFIX}:${env.config.QUEUE_NAME}`;
    assert.deepEqual(JSON.parse((await redis.hget(`${base}:${id}`, 'returnvalue'))!), { resultIn: 'cache', timingsMs: big.timingsMs });
    const stream = JSON.stringify(await redis.xrange(`${base}:events`, '-', '+'));
    assert.ok(stream.length < 5_000 && !stream.includes(big.mfcc.slice(0, 100)), `events stream holds ${stream.length} bytes`);
    await sleep(50);
    assert.deepEqual(events.find((e) => e.id === id), { id, outcome: 'completed', timingsMs: big.timingsMs }, 'metrics still get the timings');
    assert.deepEqual((await env.queue.getStatus(id))?.result, big);

    // The cached copy gone (expired or evicted) before the job record: the job counts as gone,
    // and asking again runs it again instead of deduplicating to a result that cannot be read.
    await redis.del(`${base}:result:upload:5eed`);
    assert.equal(await env.queue.getStatus(id), null);
    const again = await env.queue.submit(upload('5eed', Buffer.from('a')));
    assert.deepEqual(again, { id, deduplicated: false });
    assert.deepEqual((await env.queue.waitForResult(id, 5000)).result, big);
    assert.equal(calls.length, 2);
  } finally {
    redis.disconnect();
    await env.teardown();
  }
});

test('with the result cache off (or shorter than job retention) a job returns its result itself', async () => {
  const { process } = scriptedProcessor(async () => fakeResult('EDM'));
  const env = await setup(process, { RESULT_CACHE_TTL_S: '60', JOB_RETENTION_S: '3600' });
  const redis = new Redis(REDIS_URL);
  try {
    const { id } = await env.queue.submit(upload('c0ld', Buffer.from('b')));
    assert.deepEqual((await env.queue.waitForResult(id, 5000)).result, fakeResult('EDM'));
    const stored = JSON.parse((await redis.hget(`${env.config.QUEUE_PREFIX}:${env.config.QUEUE_NAME}:${id}`, 'returnvalue'))!);
    assert.deepEqual(stored, fakeResult('EDM'));
    assert.deepEqual((await env.queue.getStatus(id))?.result, fakeResult('EDM'));
  } finally {
    redis.disconnect();
    await env.teardown();
  }
});
