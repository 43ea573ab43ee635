import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError, TransientError } from '../../../src/errors.js';
import { SyncWaitTimeout } from '../../../src/service/queue/failure.js';
import { createInlineQueue } from '../../../src/service/queue/inline-queue.js';
import { jobIdForKey } from '../../../src/service/queue/job-queue.js';
import { fakeResult, scriptedProcessor, silentLogger, sleep, testConfig } from './helpers.js';
import { predictionJobs } from '../../../src/service/predictions/jobs.js';

const track = (id: string) => ({
  data: { kind: 'track' as const, key: `track:deezer:${id}`, match: { provider: 'deezer' as const, trackId: id, artist: 'A', title: 'T', previewUrl: 'https://x/y.mp3' } },
});

test('same key submitted twice while running → one job, one processor call, both get the result', async () => {
  const { process, calls } = scriptedProcessor(async () => (await sleep(50), fakeResult()));
  const queue = createInlineQueue({ spec: predictionJobs, config: testConfig(), process, logger: silentLogger });
  const [a, b] = await Promise.all([queue.submit(track('1')), queue.submit(track('1'))]);
  assert.equal(a.id, b.id);
  assert.equal(a.id, jobIdForKey('track:deezer:1'));
  assert.deepEqual([a.deduplicated, b.deduplicated], [false, true]);
  const [ra, rb] = await Promise.all([queue.waitForResult(a.id, 1000), queue.waitForResult(b.id, 1000)]);
  assert.deepEqual(ra, rb);
  assert.equal(calls.length, 1);
  assert.deepEqual((await queue.getCachedResult('track:deezer:1'))?.result, fakeResult());
  assert.equal((await queue.getStatus(a.id))?.state, 'completed');
  await queue.close();
});

test('transient failures retry with backoff up to JOB_ATTEMPTS; permanent ones fail once with their code', async () => {
  const flaky = scriptedProcessor(async (_job, call) => {
    if (call < 3) throw new TransientError('PREVIEW_UNAVAILABLE', 'cdn down');
    return fakeResult('Metal');
  });
  const q1 = createInlineQueue({ spec: predictionJobs, config: testConfig({ JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '10' }), process: flaky.process, logger: silentLogger });
  const { id } = await q1.submit(track('2'));
  assert.equal((await q1.waitForResult(id, 2000)).result.first[0], 'Metal');
  assert.equal(flaky.calls.length, 3);
  assert.equal((await q1.getStatus(id))?.attemptsMade, 3);
  await q1.close();

  const bad = scriptedProcessor(async () => {
    throw new InputError('NOT_AUDIO', 'not audio');
  });
  const q2 = createInlineQueue({ spec: predictionJobs, config: testConfig({ JOB_ATTEMPTS: '3' }), process: bad.process, logger: silentLogger });
  const job = await q2.submit(track('3'));
  await assert.rejects(q2.waitForResult(job.id, 2000), (err: unknown) => err instanceof InputError && err.code === 'NOT_AUDIO' && err.status === 415);
  assert.equal(bad.calls.length, 1);
  assert.deepEqual((await q2.getStatus(job.id))?.error, { code: 'NOT_AUDIO', message: 'not audio', status: 415, permanent: true });
  // Asking again after a failure runs a new attempt instead of replaying the failure forever.
  const again = await q2.submit(track('3'));
  assert.equal(again.deduplicated, false);
  await assert.rejects(q2.waitForResult(again.id, 2000));
  assert.equal(bad.calls.length, 2);
  await q2.close();
});

test('bounded concurrency, backlog counts waiting jobs, sync wait times out with the job id', async () => {
  let running = 0;
  let peak = 0;
  const { process } = scriptedProcessor(async () => {
    running++;
    peak = Math.max(peak, running);
    await sleep(40);
    running--;
    return fakeResult();
  });
  const queue = createInlineQueue({ spec: predictionJobs, config: testConfig({ INLINE_CONCURRENCY: '2' }), process, logger: silentLogger });
  const ids = await Promise.all(['a', 'b', 'c', 'd', 'e'].map(async (k) => (await queue.submit(track(k))).id));
  assert.equal(await queue.backlog(), 3);
  await assert.rejects(queue.waitForResult(ids[4]!, 20), (err: unknown) => err instanceof SyncWaitTimeout && err.jobId === ids[4] && err.status === 504);
  await Promise.all(ids.map((id) => queue.waitForResult(id, 2000)));
  assert.equal(peak, 2);
  assert.equal(await queue.backlog(), 0);
  await queue.close();
});

test('upload bytes reach the processor and are dropped once the job is done; close fails queued jobs', async () => {
  const seen: Array<Buffer | undefined> = [];
  const { process } = scriptedProcessor(async (job) => {
    seen.push(job.audio);
    await sleep(30);
    return fakeResult();
  });
  const queue = createInlineQueue({ spec: predictionJobs, config: testConfig({ INLINE_CONCURRENCY: '1' }), process, logger: silentLogger });
  const audio = Buffer.from('bytes');
  const first = await queue.submit({ data: { kind: 'upload', key: 'upload:abc', sha256: 'abc', bytes: 5 }, audio });
  const second = await queue.submit({ data: { kind: 'upload', key: 'upload:def', sha256: 'def', bytes: 5 }, audio });
  const secondFails = assert.rejects(queue.waitForResult(second.id, 2000), (err: unknown) => err instanceof TransientError && err.code === 'SHUTTING_DOWN');
  await queue.close(); // the running job finishes, the queued one fails with SHUTTING_DOWN
  assert.equal((await queue.getStatus(first.id))?.state, 'completed');
  assert.deepEqual(seen, [audio]);
  await secondFails;
  await assert.rejects(queue.submit(track('z')), (err: unknown) => err instanceof TransientError && err.status === 503);
});

test('unknown job id: status null, wait rejects with JOB_NOT_FOUND', async () => {
  const queue = createInlineQueue({ spec: predictionJobs, config: testConfig(), process: scriptedProcessor(async () => fakeResult()).process, logger: silentLogger });
  assert.equal(await queue.getStatus('0'.repeat(32)), null);
  await assert.rejects(queue.waitForResult('0'.repeat(32), 100), { code: 'JOB_NOT_FOUND' });
  await queue.close();
});
