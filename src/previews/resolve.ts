import { isAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PreviewMatch } from '../types.js';
import { matchPreview } from './match.js';
import type { PreviewProvider } from './provider.js';

/**
 * Asks each provider in order and returns the first match with a preview. A provider that fails
 * (quota, 5xx, timeout) is logged and skipped; if no provider matched and at least one FAILED, the
 * first failure is thrown, so an outage surfaces as 502/503/504 instead of a false "not found".
 * Only clean misses everywhere give null.
 */
export async function resolvePreview({
  artist,
  track,
  providers,
  logger,
  signal,
}: {
  artist: string;
  track: string;
  providers: readonly PreviewProvider[];
  logger?: Logger;
  signal?: AbortSignal;
}): Promise<PreviewMatch | null> {
  let firstFailure: unknown = null;
  for (const provider of providers) {
    signal?.throwIfAborted();
    try {
      const candidates = await provider.search({ artist, track, signal });
      const hit = matchPreview({ artist, candidates });
      if (hit?.previewUrl) {
        logger?.debug({ provider: provider.name, trackId: hit.id }, 'preview matched');
        return {
          provider: provider.name,
          trackId: hit.id,
          artist: hit.artist,
          title: hit.title,
          previewUrl: hit.previewUrl,
          ...(hit.link ? { link: hit.link } : {}),
        };
      }
      logger?.debug({ provider: provider.name, results: candidates.length }, 'no preview match');
    } catch (err) {
      if (signal?.aborted) throw err;
      // Bugs (not AppErrors) must not be mistaken for an outage and silently skipped.
      if (!isAppError(err)) throw err;
      logger?.warn({ provider: provider.name, code: err.code, err: err.message }, 'preview provider failed');
      firstFailure ??= err;
    }
  }
  if (firstFailure !== null) throw firstFailure;
  return null;
}
