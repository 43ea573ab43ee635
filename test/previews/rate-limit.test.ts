import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRateLimiter } from '../../src/previews/rate-limit.js';

test('never more than the quota in any window, and waiters go out in order', async () => {
  const limit = { requests: 4, perMs: 300 };
  const limiter = createRateLimiter({ name: 'test', limit, maxWaitMs: 10_000 });
  const start = performance.now();
  const times: number[] = [];
  await Promise.all(Array.from({ length: 8 }, async (_, i) => {
    await limiter.acquire();
    times[i] = performance.now() - start;
  }));
  assert.deepEqual([...times].sort((a, b) => a - b), times, 'granted in request order');
  for (const t of times) {
    const inWindow = times.filter((u) => u >= t && u < t + limit.perMs).length;
    assert.ok(inWindow <= limit.requests, `${inWindow} calls in the window starting at ${t.toFixed(0)} ms`);
  }
  // Burst of ⌈4/2⌉ = 2 at once, then (4 − 2)/300 ms → one every 150 ms: the 8th at ≈ 900 ms.
  assert.ok(times[1]! < 50, `burst: ${times[1]}`);
  assert.ok(times[7]! >= 850 && times[7]! < 1300, `8th call at ${times[7]} ms`);
});

test('an empty bucket fails with PROVIDER_QUOTA when the wait would be too long', async () => {
  const limiter = createRateLimiter({ name: 'deezer', limit: { requests: 2, perMs: 60_000 }, maxWaitMs: 100 });
  await limiter.acquire();
  await assert.rejects(limiter.acquire(), (err: Error & { code?: string; status?: number; permanent?: boolean }) => {
    assert.equal(err.code, 'PROVIDER_QUOTA');
    assert.equal(err.status, 503);
    assert.equal(err.permanent, false);
    return true;
  });
});

test('an aborted wait gives its reserved token back', async () => {
  let clock = 0;
  const limiter = createRateLimiter({ name: 'x', limit: { requests: 2, perMs: 1000 }, maxWaitMs: 5_000, now: () => clock });
  await limiter.acquire(); // burst of 1 used
  const controller = new AbortController();
  const waiting = limiter.acquire({ signal: controller.signal });
  controller.abort(new Error('client went away'));
  await assert.rejects(waiting, /client went away/);
  clock = 1000; // one token refilled; had the aborted waiter kept its reservation, this would wait
  const t = performance.now();
  await limiter.acquire();
  assert.ok(performance.now() - t < 50);
});
