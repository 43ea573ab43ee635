// Real worker processes (src/worker.ts through tsx) on real Redis running the real pipeline:
// a worker SIGKILLed mid-job → the job is picked up by another worker (stalled-job recovery) and
// the client still gets its answer; a worker sent SIGTERM mid-job finishes the job, then exits 0.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pollJob, startTestApp } from '../harness.js';
import { spawnEntry } from './child-process.js';
import { REDIS_URL } from './helpers.js';

const workerEnv = (env: Record<string, string>) => ({
  ...env,
  REDIS_URL,
  WORKER_CONCURRENCY: '1',
  // Short enough for a fast test, long enough that a loaded machine still renews locks in time.
  WORKER_LOCK_DURATION_MS: '4000',
  WORKER_STALLED_INTERVAL_MS: '1000',
  SHUTDOWN_TIMEOUT_MS: '10000',
});
const isReady = (line: Record<string, unknown>) => line.msg === 'worker ready';

test('worker killed with SIGKILL mid-job → another worker completes it; the client gets the answer', async () => {
  const t = await startTestApp({ queueKind: 'bullmq', inProcessWorker: false });
  const first = spawnEntry('src/worker.ts', workerEnv(t.env));
  let second: ReturnType<typeof spawnEntry> | undefined;
  try {
    await first.waitForLog(isReady);
    // The first download hangs for 20 s: the worker is certainly mid-job when it is killed.
    t.fake.setBehaviour({ preview: { fault: 'slow', times: 1 }, slowMs: 20_000 });
    const accepted = await t.http.get('/d/music-prediction?artist=Coolio&track=Gangsta%27s%20Paradise&mode=async').expect(202);
    const until = Date.now() + 15_000;
    while (!t.fake.requests.some((r) => r.server === 'audio') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.equal((await t.http.get(accepted.headers.location!).expect(200)).body.state, 'active');
    first.proc.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');

    second = spawnEntry('src/worker.ts', workerEnv(t.env));
    await second.waitForLog(isReady);
    const job = await pollJob(t, accepted.headers.location!, 30_000);
    assert.equal(job.state, 'completed', JSON.stringify(job.error));
    assert.equal((job.result as { response: boolean }).response, true);
    assert.equal(t.fake.requests.filter((r) => r.server === 'audio').length, 2, 'downloaded again by the second worker');
    assert.ok(second.logs.some((l) => l.msg === 'job done'), 'the second worker ran it');
    // The widget route now answers from the cache.
    const again = await t.http.get('/d/music-prediction?artist=Coolio&track=Gangsta%27s%20Paradise').expect(200);
    assert.equal(again.body.response, true);
  } finally {
    first.proc.kill('SIGKILL');
    second?.proc.kill('SIGTERM');
    await second?.exited;
    await t.close();
  }
});

test('default lock settings: a worker SIGKILLed mid-job is recovered inside SYNC_WAIT_MS; the synchronous client gets 200', async () => {
  const t = await startTestApp({ queueKind: 'bullmq', inProcessWorker: false });
  // The service's own WORKER_LOCK_DURATION_MS / WORKER_STALLED_INTERVAL_MS / SYNC_WAIT_MS defaults.
  const env = { ...t.env, REDIS_URL, WORKER_CONCURRENCY: '1', SHUTDOWN_TIMEOUT_MS: '10000' };
  const first = spawnEntry('src/worker.ts', env);
  let second: ReturnType<typeof spawnEntry> | undefined;
  try {
    await first.waitForLog(isReady);
    t.fake.setBehaviour({ preview: { fault: 'slow', times: 1 }, slowMs: 60_000 });
    const started = Date.now();
    // .then() sends it now (supertest sends on the first then).
    const answer = t.http.get('/d/music-prediction?artist=Coolio&track=Gangsta%27s%20Paradise').then((r) => r);
    const until = Date.now() + 15_000;
    while (!t.fake.requests.some((r) => r.server === 'audio') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.ok(t.fake.requests.some((r) => r.server === 'audio'), 'the first worker is mid-download');
    // A second worker is up before the first dies, as in a deployment with more than one.
    second = spawnEntry('src/worker.ts', env);
    await second.waitForLog(isReady);
    first.proc.kill('SIGKILL');
    const killedAt = Date.now();
    await first.exited;
    const jobStartedMs = killedAt - started;
    const res = await answer;
    const recoveredMs = Date.now() - killedAt;
    console.log(`worker SIGKILL ${jobStartedMs} ms into the request → answer ${recoveredMs} ms after the kill (SYNC_WAIT_MS ${t.config.SYNC_WAIT_MS})`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.response, true);
    assert.ok(second.logs.some((l) => l.msg === 'job done'), 'the second worker ran it');
  } finally {
    first.proc.kill('SIGKILL');
    second?.proc.kill('SIGTERM');
    await second?.exited;
    await t.close();
  }
});

test('worker sent SIGTERM mid-job finishes the job, then exits 0', async () => {
  const t = await startTestApp({ queueKind: 'bullmq', inProcessWorker: false });
  const worker = spawnEntry('src/worker.ts', workerEnv(t.env));
  try {
    await worker.waitForLog(isReady);
    t.fake.setBehaviour({ preview: { fault: 'slow', times: 1 }, slowMs: 1_500 });
    const accepted = await t.http.get('/d/music-prediction?artist=Miles%20Davis&track=So%20What&mode=async').expect(202);
    const until = Date.now() + 15_000;
    while (!t.fake.requests.some((r) => r.server === 'audio') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    worker.proc.kill('SIGTERM');
    const exit = await worker.exited;
    assert.deepEqual(exit, { code: 0, signal: null });
    const job = await t.http.get(accepted.headers.location!).expect(200);
    assert.equal(job.body.state, 'completed');
    assert.ok(worker.logs.some((l) => l.msg === 'shut down cleanly'));
  } finally {
    worker.proc.kill('SIGKILL');
    await t.close();
  }
});
