// Preview lookups (artist + track → match, or a miss) cached per API process. The widget asks for
// the same songs again and again; without this every repeat, even one whose prediction is cached,
// costs a provider search (a round trip to Deezer, and a share of its ≈ 50 requests / 5 s quota).
// In memory, not in Redis: a lookup is cheap to redo, so each API process keeping its own is
// enough, and there is no connection to manage. lru-cache bounds the entries and expires them.
import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger.js';
import type { PreviewMatch } from '../types.js';
import type { PreviewProvider } from './provider.js';
import { resolvePreview } from './resolve.js';

export interface PreviewLookup {
  /** `beforeSearch` runs only when a provider search starts (not for cached or shared lookups);
   * throwing from it refuses the lookup (a per-client share of the provider quota). */
  find(args: { artist: string; track: string; logger?: Logger; signal?: AbortSignal; beforeSearch?: () => void }): Promise<PreviewMatch | null>;
  /** Drops a remembered answer, e.g. when its preview turned out to be gone. */
  forget(args: { artist: string; track: string }): void;
}

const keyOf = ({ artist, track }: { artist: string; track: string }) =>
  `${artist.normalize('NFC').trim().toLowerCase()}\n${track.normalize('NFC').trim().toLowerCase()}`;

/** A hit is dropped this long before its preview URL's token expires, so the widget can still play it. */
export const TOKEN_MARGIN_S = 60;
const MAX_ENTRIES = 10_000;

/**
 * Seconds until a preview URL's signed token expires (`exp=<unix seconds>` in Deezer's `hdnea`
 * parameter), or undefined for URLs without one (iTunes).
 */
export function previewTokenExpiresIn(url: string, nowMs: number): number | undefined {
  // Deezer: `?hdnea=exp=1700000300~acl=…~hmac=…` (sometimes percent-encoded).
  let text = url;
  try {
    text = decodeURIComponent(url);
  } catch {
    // a malformed %-escape: read the URL as it is
  }
  const exp = /[?&~=]exp=(\d{9,11})(?=[~&]|$)/.exec(text)?.[1];
  return exp === undefined ? undefined : Number(exp) - nowMs / 1000;
}

/**
 * resolvePreview with a cache: hits for `ttlSeconds` (less when the preview URL's token expires
 * sooner), misses for `ttlSeconds`; provider failures are never cached. Identical lookups in flight
 * at once share one search (run with the first caller's `signal`). `ttlSeconds` 0 turns the cache off.
 */
export function createPreviewLookup({ providers, ttlSeconds, now = Date.now, resolve = resolvePreview }: {
  providers: readonly PreviewProvider[];
  ttlSeconds: number;
  now?: () => number;
  resolve?: typeof resolvePreview;
}): PreviewLookup {
  if (ttlSeconds <= 0) {
    return {
      find: async ({ beforeSearch, ...args }) => (beforeSearch?.(), resolve({ ...args, providers })),
      forget: () => undefined,
    };
  }
  // `{ match }` boxes: lru-cache cannot store null, and a miss is worth remembering too.
  // ttlResolution 0: read the clock on every check (the default caches it for 1 ms with a timer).
  const cache = new LRUCache<string, { match: PreviewMatch | null }>({ max: MAX_ENTRIES, ttl: ttlSeconds * 1000, ttlResolution: 0, perf: { now } });
  const pending = new Map<string, Promise<PreviewMatch | null>>();
  const find: PreviewLookup['find'] = async ({ artist, track, logger, signal, beforeSearch }) => {
    const key = keyOf({ artist, track });
    const cached = cache.get(key);
    if (cached) {
      logger?.debug({ hit: cached.match !== null }, 'preview lookup cached');
      return cached.match;
    }
    let search = pending.get(key);
    if (!search) {
      beforeSearch?.();
      search = resolve({ artist, track, providers, logger, signal }).then((match) => {
        const expiresIn = match ? previewTokenExpiresIn(match.previewUrl, now()) : undefined;
        const ttl = Math.min(ttlSeconds, expiresIn === undefined ? Infinity : expiresIn - TOKEN_MARGIN_S);
        if (ttl > 0) cache.set(key, { match }, { ttl: ttl * 1000 });
        return match;
      }).finally(() => pending.delete(key));
      pending.set(key, search);
    }
    return search;
  };
  return { find, forget: (args) => void cache.delete(keyOf(args)) };
}
