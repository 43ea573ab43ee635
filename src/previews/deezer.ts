import type { Dispatcher } from 'undici';
import { TransientError } from '../errors.js';
import { fetchProviderJson, isRecord, str } from './http.js';
import { matchPreview } from './match.js';
import type { PreviewCandidate, PreviewProvider } from './provider.js';
import type { RateLimiter } from './rate-limit.js';

/** Deezer serves previews from cdns-preview-*.dzcdn.net and cdnt-preview.dzcdn.net. */
export const DEEZER_DOWNLOAD_HOSTS = ['*.dzcdn.net'];

/**
 * Deezer search (no key). Tries the plain query "<artist> - <track>" first (what the original
 * sent), then, only when that gives no match, Deezer's advanced query `artist:"…" track:"…"`,
 * which finds tracks the fuzzy search ranks low.
 */
export function createDeezerProvider({
  baseUrl,
  timeoutMs,
  dispatcher,
  rateLimiter,
}: {
  baseUrl: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  rateLimiter?: RateLimiter;
}): PreviewProvider {
  const searchOnce = async (q: string, signal?: AbortSignal): Promise<PreviewCandidate[]> => {
    await rateLimiter?.acquire({ signal });
    const url = `${baseUrl}/search?${new URLSearchParams({ q }).toString()}`;
    const { json } = await fetchProviderJson({ provider: 'deezer', url, timeoutMs, dispatcher, signal });
    return parseDeezerSearch(json);
  };
  return {
    name: 'deezer',
    downloadHosts: DEEZER_DOWNLOAD_HOSTS,
    async search({ artist, track, signal }) {
      const plain = await searchOnce(`${artist} - ${track}`, signal);
      if (matchPreview({ artist, candidates: plain })) return plain;
      const quote = (s: string): string => s.replace(/"/g, ' ').trim();
      const advanced = await searchOnce(`artist:"${quote(artist)}" track:"${quote(track)}"`, signal);
      const seen = new Set(plain.map((c) => c.id));
      return [...plain, ...advanced.filter((c) => !seen.has(c.id))];
    },
  };
}

/** Deezer answers errors with HTTP 200 and `{"error": {code, message}}`: map them here. */
export function parseDeezerSearch(json: unknown): PreviewCandidate[] {
  if (!isRecord(json)) throw malformed();
  if (isRecord(json.error)) {
    const code = Number(json.error.code);
    const message = str(json.error.message) || 'unknown error';
    if (code === 800) return []; // DATA_NOT_FOUND: a clean miss
    if (code === 4) throw new TransientError('PROVIDER_QUOTA', `deezer: quota exceeded (${message})`);
    throw new TransientError('PROVIDER_UNAVAILABLE', `deezer: error ${code} (${message})`);
  }
  if (!Array.isArray(json.data)) throw malformed();
  return json.data.filter(isRecord).map((t) => ({
    id: str(t.id),
    artist: isRecord(t.artist) ? str(t.artist.name) : '',
    title: str(t.title),
    previewUrl: str(t.preview) || null,
    link: str(t.link) || undefined,
    album: isRecord(t.album) ? str(t.album.title) || undefined : undefined,
    cover: isRecord(t.album) ? str(t.album.cover_medium) || undefined : undefined,
  }));
}

function malformed(): TransientError {
  return new TransientError('PROVIDER_UNAVAILABLE', 'deezer: unexpected answer shape');
}
