import type { Dispatcher } from 'undici';
import { TransientError } from '../errors.js';
import { fetchProviderJson, isRecord, str } from './http.js';
import type { PreviewCandidate, PreviewProvider } from './provider.js';
import type { RateLimiter } from './rate-limit.js';

/** iTunes previews: audio-ssl.itunes.apple.com (older) and *.mzstatic.com (audio-ssl/aod). */
export const ITUNES_DOWNLOAD_HOSTS = ['audio-ssl.itunes.apple.com', '*.mzstatic.com'];

/** iTunes Search API (no key): one `term` query, songs only, in one country's store. */
export function createItunesProvider({
  baseUrl,
  timeoutMs,
  country,
  dispatcher,
  rateLimiter,
}: {
  baseUrl: string;
  timeoutMs: number;
  country: string;
  dispatcher?: Dispatcher;
  rateLimiter?: RateLimiter;
}): PreviewProvider {
  return {
    name: 'itunes',
    downloadHosts: ITUNES_DOWNLOAD_HOSTS,
    async search({ artist, track, signal }) {
      await rateLimiter?.acquire({ signal });
      const params = new URLSearchParams({
        term: `${artist} ${track}`,
        media: 'music',
        entity: 'song',
        limit: '25',
        country: country.toUpperCase(),
      });
      const { json } = await fetchProviderJson({ provider: 'itunes', url: `${baseUrl}/search?${params.toString()}`, timeoutMs, dispatcher, signal });
      return parseItunesSearch(json);
    },
  };
}

export function parseItunesSearch(json: unknown): PreviewCandidate[] {
  if (!isRecord(json) || !Array.isArray(json.results)) {
    throw new TransientError('PROVIDER_UNAVAILABLE', 'itunes: unexpected answer shape');
  }
  return json.results
    .filter(isRecord)
    .filter((r) => r.wrapperType === undefined || r.wrapperType === 'track')
    .map((r) => ({
      id: str(r.trackId),
      // iTunes gives one artist string ("Coolio feat. L.V."); normalisation drops the feat. part.
      artist: str(r.artistName),
      title: str(r.trackName),
      previewUrl: str(r.previewUrl) || null,
      link: str(r.trackViewUrl) || undefined,
      album: str(r.collectionName) || undefined,
      cover: str(r.artworkUrl100) || undefined,
    }));
}
