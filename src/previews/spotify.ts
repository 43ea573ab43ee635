import type { Dispatcher } from 'undici';
import { InternalError, TransientError } from '../errors.js';
import { fetchProviderJson, isRecord, str } from './http.js';
import type { PreviewCandidate, PreviewProvider } from './provider.js';
import type { RateLimiter } from './rate-limit.js';

/** Spotify's preview CDN. */
export const SPOTIFY_DOWNLOAD_HOSTS = ['p.scdn.co'];

/**
 * Spotify Web API search with the client-credentials flow (token from `<authUrl>/api/token`,
 * cached until shortly before it expires, fetched again once on a 401). Since 2024-11-27 new apps
 * get `preview_url: null`, so this mostly misses: it is optional and off without credentials.
 */
export function createSpotifyProvider({
  baseUrl,
  authUrl,
  clientId,
  clientSecret,
  timeoutMs,
  dispatcher,
  rateLimiter,
  now = Date.now,
}: {
  baseUrl: string;
  authUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  rateLimiter?: RateLimiter;
  now?: () => number;
}): PreviewProvider {
  let token: { value: string; expiresAt: number } | null = null;

  const getToken = async (signal?: AbortSignal): Promise<string> => {
    if (token && token.expiresAt > now()) return token.value;
    const { status, json } = await fetchProviderJson({
      provider: 'spotify',
      url: `${authUrl}/api/token`,
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
      timeoutMs,
      dispatcher,
      signal,
      passStatuses: [400, 401],
    });
    if (status !== 200) throw new InternalError('PROVIDER_AUTH', 'spotify: client credentials rejected (check SPOTIFY_CLIENT_ID/SECRET)');
    const value = isRecord(json) ? str(json.access_token) : '';
    const expiresIn = isRecord(json) ? Number(json.expires_in) : NaN;
    if (!value || !Number.isFinite(expiresIn)) throw new TransientError('PROVIDER_UNAVAILABLE', 'spotify: unexpected token answer');
    // Renew a minute early so a token never expires between our check and Spotify's.
    token = { value, expiresAt: now() + Math.max(0, expiresIn - 60) * 1000 };
    return value;
  };

  const searchOnce = async (q: string, signal?: AbortSignal): Promise<{ status: number; json: unknown }> => {
    await rateLimiter?.acquire({ signal });
    const access = await getToken(signal);
    const params = new URLSearchParams({ q, type: 'track', limit: '20' });
    return fetchProviderJson({
      provider: 'spotify',
      url: `${baseUrl}/v1/search?${params.toString()}`,
      headers: { authorization: `Bearer ${access}` },
      timeoutMs,
      dispatcher,
      signal,
      passStatuses: [401],
    });
  };

  return {
    name: 'spotify',
    downloadHosts: SPOTIFY_DOWNLOAD_HOSTS,
    async search({ artist, track, signal }) {
      const q = `${artist} - ${track}`;
      let res = await searchOnce(q, signal);
      if (res.status === 401) {
        token = null; // revoked or expired early: one fresh token, then give up
        res = await searchOnce(q, signal);
        if (res.status === 401) throw new TransientError('PROVIDER_UNAVAILABLE', 'spotify: token refused twice');
      }
      return parseSpotifySearch(res.json);
    },
  };
}

export function parseSpotifySearch(json: unknown): PreviewCandidate[] {
  const items = isRecord(json) && isRecord(json.tracks) ? json.tracks.items : undefined;
  if (!Array.isArray(items)) throw new TransientError('PROVIDER_UNAVAILABLE', 'spotify: unexpected answer shape');
  return items.filter(isRecord).map((t) => {
    const firstArtist = Array.isArray(t.artists) ? t.artists.find(isRecord) : undefined;
    const album = isRecord(t.album) ? t.album : undefined;
    const image = album && Array.isArray(album.images) ? album.images.find(isRecord) : undefined;
    return {
      id: str(t.id),
      artist: firstArtist ? str(firstArtist.name) : '',
      title: str(t.name),
      previewUrl: str(t.preview_url) || null,
      link: isRecord(t.external_urls) ? str(t.external_urls.spotify) || undefined : undefined,
      album: album ? str(album.name) || undefined : undefined,
      cover: image ? str(image.url) || undefined : undefined,
    };
  });
}
