// Embedded mode keeps everything in this process (issue rows 4 and 5): the result cache and the
// finished-job store stay within INLINE_CACHE_MAX_BYTES / INLINE_CACHE_MAX_ENTRIES over many
// distinct jobs and drop expired entries without being asked; upload bytes held by queued jobs are
// bounded by MAX_QUEUED_UPLOAD_BYTES (503 QUEUE_BYTES_FULL + Retry-After beyond), in both queue modes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createInlineQueue } from '../../src/service/queue/inline-queue.js';
import { pollJob, startTestApp } from '../service/harness.js';
import { fakeResult, scriptedProcessor, silentLogger, sleep, testConfig } from '../service/queue/helpers.js';
import { predictionJobs } from '../../src/service/predictions/jobs.js';

/** A result whose image is `kb` KiB of base64, like a real one (~100–140 KB). */
function resultOfSize(kb: number) {
  return { ...fakeResult(), mfcc: 'A'.repeat(kb * 1024) };
}

for (const { kb, bound } of [{ kb: 60, bound: 'bytes' }, { kb: 1, bound: 'entries' }]) test(`result cache and finished-job store stay within their caps over 300 distinct jobs (${kb}-KiB images: the ${bound} cap binds)`, async () => {
  const config = testConfig({ INLINE_CACHE_MAX_BYTES: String(1024 * 1024), INLINE_CACHE_MAX_ENTRIES: '50', INLINE_CONCURRENCY: '4' });
  const queue = createInlineQueue({ spec: predictionJobs, config, process: scriptedProcessor(async () => resultOfSize(kb)).process, logger: silentLogger });
  const ids: string[] = [];
  let peak = { bytes: 0, entries: 0 };
  for (let i = 0; i < 300; i++) {
    const { id } = await queue.submit({ data: { kind: 'upload', key: `upload:${i}`, sha256: String(i), bytes: 1 }, audio: Buffer.alloc(1) });
    await queue.waitForResult(id, 2_000);
    ids.push(id);
    const m = queue.memory();
    peak = {
      bytes: Math.max(peak.bytes, m.cachedResultBytes, m.finishedJobBytes),
      entries: Math.max(peak.entries, m.cachedResults, m.finishedJobs),
    };
  }
  console.log(`inline stores over 300 jobs of ${kb} KiB: peak ${peak.bytes} bytes, ${peak.entries} entries (caps 1 MiB, 50)`);
  assert.ok(peak.bytes <= 1024 * 1024, `peak ${peak.bytes} bytes`);
  assert.ok(peak.entries <= 50, `peak ${peak.entries} entries`);
  // The oldest are gone, the newest still answer.
  assert.equal(await queue.getCachedResult('upload:0'), null);
  assert.equal(await queue.getStatus(ids[0]!), null);
  assert.ok(await queue.getCachedResult('upload:299'));
  assert.equal((await queue.getStatus(ids[299]!))?.state, 'completed');
  assert.equal(queue.memory().queuedBytes, 0);
  if (bound === 'entries') assert.equal(peak.entries, 50);
  await queue.close();
});

test('cached results expire on time without being asked for again', async () => {
  const config = testConfig({ RESULT_CACHE_TTL_S: '1' });
  const queue = createInlineQueue({ spec: predictionJobs, config, process: scriptedProcessor(async () => resultOfSize(4)).process, logger: silentLogger });
  for (let i = 0; i < 20; i++) {
    const { id } = await queue.submit({ data: { kind: 'upload', key: `upload:${i}`, sha256: String(i), bytes: 1 }, audio: Buffer.alloc(1) });
    await queue.waitForResult(id, 2_000);
  }
  assert.equal(queue.memory().cachedResults, 20);
  await sleep(1_300);
  assert.equal(queue.memory().cachedResults, 0, 'expired entries are dropped, not kept until asked');
  assert.equal(queue.memory().cachedResultBytes, 0);
  await queue.close();
});

for (const queueKind of ['inline', 'bullmq'] as const) {
  test(`${queueKind}: queued upload bytes are bounded by MAX_QUEUED_UPLOAD_BYTES → 503 QUEUE_BYTES_FULL + Retry-After`, async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const t = await startTestApp({
      queueKind,
      env: { MAX_QUEUED_UPLOAD_BYTES: String(1024 * 1024), INLINE_CONCURRENCY: '1', WORKER_CONCURRENCY: '1' },
      process: async () => (await gate, fakeResult()),
    });
    try {
      const answers = [];
      for (let i = 0; i < 10; i++) answers.push(await t.http.post('/predict?mode=async').attach('file', randomBytes(300 * 1024), 'a.mp3'));
      const statuses = answers.map((r) => r.status);
      console.log(`${queueKind}: 10 async uploads of 300 KiB with a 1 MiB byte bound → ${statuses.join(',')}`);
      assert.deepEqual(statuses, [202, 202, 202, 503, 503, 503, 503, 503, 503, 503]);
      for (const r of answers.slice(3)) {
        assert.equal(r.body.error.code, 'QUEUE_BYTES_FULL');
        assert.equal(r.headers['retry-after'], '5');
      }
      assert.ok((await t.queue.queuedBytes()) <= 1024 * 1024);
      release();
      for (const r of answers.slice(0, 3)) assert.equal((await pollJob(t, r.headers.location!, 15_000)).state, 'completed');
      assert.equal(await t.queue.queuedBytes(), 0);
      await t.http.post('/predict?mode=async').attach('file', randomBytes(300 * 1024), 'a.mp3').expect(202);
    } finally {
      release();
      await t.close();
    }
  });
}
