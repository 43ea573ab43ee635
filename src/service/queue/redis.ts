// ioredis connections for BullMQ and our own keys. BullMQ requires `maxRetriesPerRequest: null`
// (its blocking commands must not give up); the API side additionally fails fast while Redis is
// down (no offline queue) so requests get a clear 503 instead of hanging.
import { Redis } from 'ioredis';
import { AppError, TransientError } from '../../errors.js';
import { withTimeout } from '../../with-timeout.js';

export function createRedisConnection({
  url,
  name,
  failFast = false,
}: {
  url: string;
  name: string;
  failFast?: boolean;
}): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableOfflineQueue: !failFast,
    connectionName: name,
    // Reconnect forever with a capped delay: a Redis restart must not need an API restart.
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  // Connection errors surface through the calls that fail (503) and /readyz; without a listener
  // ioredis would print every reconnect failure to stderr.
  redis.on('error', () => {});
  return redis;
}

/**
 * Runs a Redis-backed call with a time limit (BullMQ waits for a connection forever while Redis
 * is down); failures and time-outs become a 503 the routes can answer with.
 */
export async function withRedis<T>(what: string, call: () => Promise<T>, timeoutMs: number): Promise<T> {
  try {
    return await withTimeout(call(), timeoutMs);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new TransientError('QUEUE_UNAVAILABLE', `the job queue is unavailable (${what}): ${(err as Error).message}`, { cause: err });
  }
}
