// Queue overload under a concurrent burst (test/service/errors.test.ts checks the sequential case):
// with MAX_QUEUE_BACKLOG=5 and a worker that is stuck, 40 simultaneous uploads are each answered
// 202 or 503 QUEUE_FULL with Retry-After, the backlog never exceeds the limit (admission is
// serialised in the API process), and once the worker is released every accepted job completes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { pollJob, startTestApp } from '../service/harness.js';
import { fakeResult, sleep } from '../service/queue/helpers.js';

test('burst of 40 uploads over MAX_QUEUE_BACKLOG=5 → 202 or 503 QUEUE_FULL + Retry-After; bounded; accepted jobs all finish', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const t = await startTestApp({ queueKind: 'bullmq', env: { MAX_QUEUE_BACKLOG: '5', WORKER_CONCURRENCY: '1' }, process: async () => (await gate, fakeResult()) });
  try {
    await t.http.post('/predict?mode=async').attach('file', randomBytes(32), 'a.mp3').expect(202); // occupies the worker
    await sleep(150);
    const answers = await Promise.all(Array.from({ length: 40 }, () => t.http.post('/predict?mode=async').attach('file', randomBytes(32), 'a.mp3')));
    const accepted = answers.filter((r) => r.status === 202);
    const full = answers.filter((r) => r.status === 503);
    assert.equal(accepted.length + full.length, 40, `statuses: ${answers.map((r) => r.status).join(',')}`);
    for (const r of full) {
      assert.equal(r.body.error.code, 'QUEUE_FULL');
      assert.equal(r.headers['retry-after'], '5');
    }
    const backlog = await t.queue.backlog();
    console.log(`overload burst: ${accepted.length} accepted, ${full.length} × 503, backlog ${backlog} (limit 5)`);
    // 5 admitted; 4 if the first job had not yet left the waiting list for the stuck worker.
    assert.ok(accepted.length >= 4 && accepted.length <= 5, `accepted ${accepted.length} with limit 5`);
    assert.ok(backlog <= 5, `backlog ${backlog} with limit 5`);
    release();
    for (const r of accepted) assert.equal((await pollJob(t, r.headers.location!, 15_000)).state, 'completed');
  } finally {
    release();
    await t.close();
  }
});
