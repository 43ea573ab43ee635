// A fair share of the provider quota per client. Provider searches (lookups the lookup cache
// cannot answer) spend the per-process quota every client shares (DEEZER_RATE_LIMIT …); one client
// asking for new songs as fast as it can would otherwise spend it all and leave everyone else
// 503 PROVIDER_QUOTA. Each client gets a token bucket of CLIENT_LOOKUP_RATE_LIMIT instead; beyond
// it 429 CLIENT_LOOKUP_LIMIT with Retry-After. Cached lookups cost nothing and are never limited.
import { LRUCache } from 'lru-cache';
import type { RateLimit } from '../../previews/rate-limit.js';
import { RetryLaterError } from './errors.js';

/** Clients remembered at once: a bucket evicted early only forgets a client's debt. */
const MAX_CLIENTS = 10_000;

export interface ClientLookupLimit {
  /** Takes one search from this client's share, or throws 429 CLIENT_LOOKUP_LIMIT. */
  take(client: string): void;
}

export function createClientLookupLimit({ limit, now = () => performance.now() }: { limit: RateLimit; now?: () => number }): ClientLookupLimit {
  const refillPerMs = limit.requests / limit.perMs;
  // A bucket untouched for a whole period is full again: forgetting it then changes nothing.
  const buckets = new LRUCache<string, { tokens: number; at: number }>({ max: MAX_CLIENTS, ttl: limit.perMs, ttlResolution: 0, perf: { now } });
  return {
    take(client) {
      const t = now();
      const bucket = buckets.get(client) ?? { tokens: limit.requests, at: t };
      bucket.tokens = Math.min(limit.requests, bucket.tokens + (t - bucket.at) * refillPerMs);
      bucket.at = t;
      if (bucket.tokens < 1) {
        buckets.set(client, bucket, { noUpdateTTL: true });
        const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
        throw new RetryLaterError(
          'CLIENT_LOOKUP_LIMIT',
          `too many new songs looked up from this client (${limit.requests} per ${limit.perMs / 1000} s); songs already looked up still answer`,
          retryAfter,
        );
      }
      bucket.tokens -= 1;
      buckets.set(client, bucket);
    },
  };
}
