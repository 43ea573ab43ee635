import type { Dispatcher } from 'undici';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { ProviderName } from '../types.js';
import { createDeezerProvider, DEEZER_DOWNLOAD_HOSTS } from './deezer.js';
import { createItunesProvider, ITUNES_DOWNLOAD_HOSTS } from './itunes.js';
import type { PreviewProvider } from './provider.js';
import { createRateLimiter, type RateLimit, type RateLimiter } from './rate-limit.js';
import { createSpotifyProvider, SPOTIFY_DOWNLOAD_HOSTS } from './spotify.js';

export type ProvidersConfig = Pick<
  Config,
  | 'PREVIEW_PROVIDERS' | 'DEEZER_BASE_URL' | 'ITUNES_BASE_URL' | 'ITUNES_COUNTRY' | 'SPOTIFY_BASE_URL'
  | 'SPOTIFY_AUTH_URL' | 'SPOTIFY_CLIENT_ID' | 'SPOTIFY_CLIENT_SECRET' | 'PROVIDER_TIMEOUT_MS'
  | 'DEEZER_RATE_LIMIT' | 'ITUNES_RATE_LIMIT' | 'SPOTIFY_RATE_LIMIT' | 'PROVIDER_RATE_MAX_WAIT_MS'
>;

/**
 * The configured providers in PREVIEW_PROVIDERS order, each with its own rate limiter. Call it
 * ONCE per process and share the result: the limiters only keep quotas if every call goes through
 * the same instances. `rateOverride` (dataset collect's --rate) replaces each provider's quota
 * when it is stricter; `maxWaitMs` overrides PROVIDER_RATE_MAX_WAIT_MS (a batch job may wait longer).
 */
export function createProviders({
  config,
  dispatcher,
  logger,
  rateOverride,
  maxWaitMs = config.PROVIDER_RATE_MAX_WAIT_MS,
}: {
  config: ProvidersConfig;
  dispatcher?: Dispatcher;
  logger?: Logger;
  rateOverride?: RateLimit;
  maxWaitMs?: number;
}): PreviewProvider[] {
  const limiter = (name: ProviderName, quota: RateLimit): RateLimiter =>
    createRateLimiter({ name, limit: stricter(quota, rateOverride), maxWaitMs });
  const timeoutMs = config.PROVIDER_TIMEOUT_MS;
  const providers: PreviewProvider[] = [];
  for (const name of new Set(config.PREVIEW_PROVIDERS)) {
    if (name === 'deezer') {
      providers.push(createDeezerProvider({ baseUrl: config.DEEZER_BASE_URL, timeoutMs, dispatcher, rateLimiter: limiter(name, config.DEEZER_RATE_LIMIT) }));
    } else if (name === 'itunes') {
      providers.push(createItunesProvider({ baseUrl: config.ITUNES_BASE_URL, country: config.ITUNES_COUNTRY, timeoutMs, dispatcher, rateLimiter: limiter(name, config.ITUNES_RATE_LIMIT) }));
    } else if (config.SPOTIFY_CLIENT_ID && config.SPOTIFY_CLIENT_SECRET) {
      providers.push(createSpotifyProvider({
        baseUrl: config.SPOTIFY_BASE_URL,
        authUrl: config.SPOTIFY_AUTH_URL,
        clientId: config.SPOTIFY_CLIENT_ID,
        clientSecret: config.SPOTIFY_CLIENT_SECRET,
        timeoutMs,
        dispatcher,
        rateLimiter: limiter(name, config.SPOTIFY_RATE_LIMIT),
      }));
    } else {
      logger?.info({ provider: 'spotify' }, 'spotify skipped: SPOTIFY_CLIENT_ID/SPOTIFY_CLIENT_SECRET not set');
    }
  }
  return providers;
}

const DOWNLOAD_HOSTS: Record<ProviderName, readonly string[]> = {
  deezer: DEEZER_DOWNLOAD_HOSTS,
  itunes: ITUNES_DOWNLOAD_HOSTS,
  spotify: SPOTIFY_DOWNLOAD_HOSTS,
};

/** Hosts a preview of this provider may be downloaded from: its CDN plus PREVIEW_ALLOWED_HOSTS. */
export function allowedPreviewHosts({
  provider,
  config,
}: {
  provider: ProviderName;
  config: Pick<Config, 'PREVIEW_ALLOWED_HOSTS'>;
}): string[] {
  return [...DOWNLOAD_HOSTS[provider], ...config.PREVIEW_ALLOWED_HOSTS];
}

function stricter(quota: RateLimit, override: RateLimit | undefined): RateLimit {
  if (!override) return quota;
  return override.requests / override.perMs < quota.requests / quota.perMs ? override : quota;
}
