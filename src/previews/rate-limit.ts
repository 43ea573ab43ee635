import { TransientError } from '../errors.js';

/** A provider quota: at most `requests` calls in any window of `perMs` milliseconds. */
export interface RateLimit {
  requests: number;
  perMs: number;
}

export interface RateLimiter {
  /** Resolves when a call may go out; waits at most `maxWaitMs`, else throws PROVIDER_QUOTA. */
  acquire(args?: { signal?: AbortSignal }): Promise<void>;
}

/**
 * Token bucket sized so that it can never exceed the quota in ANY window: a bucket of capacity C
 * refilled at r tokens/ms lets through at most C + r·W calls in a window W, so we take
 * C = ⌈N/2⌉ (a burst) and r = (N − C)/W (the rest, spread evenly). Hand-written: ten lines, and the
 * npm limiters either lack this guarantee or pull in Redis.
 * One limiter per provider per process: create providers once and share them (see providers.ts).
 */
export function createRateLimiter({
  name,
  limit,
  maxWaitMs,
  now = () => performance.now(),
}: {
  name: string;
  limit: RateLimit;
  maxWaitMs: number;
  now?: () => number;
}): RateLimiter {
  const capacity = Math.max(1, Math.ceil(limit.requests / 2));
  const refillPerMs = Math.max(limit.requests - capacity, 1) / limit.perMs;
  let tokens = capacity;
  let updatedAt = now();
  // Waiters queue up in order: each reserves its token by driving `tokens` negative, so the wait
  // of the k-th waiter is computed from the debt ahead of it and nobody starves.
  return {
    async acquire({ signal } = {}) {
      const t = now();
      tokens = Math.min(capacity, tokens + (t - updatedAt) * refillPerMs);
      updatedAt = t;
      const waitMs = tokens >= 1 ? 0 : (1 - tokens) / refillPerMs;
      if (waitMs > maxWaitMs) {
        throw new TransientError('PROVIDER_QUOTA', `${name}: local rate limit reached (${limit.requests} requests per ${limit.perMs} ms); try again later`);
      }
      tokens -= 1;
      if (waitMs > 0) await sleep(waitMs, signal, () => (tokens += 1));
    },
  };
}

function sleep(ms: number, signal: AbortSignal | undefined, onAbort: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      onAbort();
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, Math.ceil(ms));
    const abort = (): void => {
      clearTimeout(timer);
      onAbort();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}
