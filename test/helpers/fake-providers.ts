// Local stand-ins for Deezer, iTunes and Spotify: real HTTP servers on 127.0.0.1 (random ports)
// that answer with the real providers' response shapes (docs/previews.md) and serve small
// generated audio files as previews, with switchable faults. Used by the preview, dataset, API,
// widget and reliability tests.
//
//   const fake = await startFakeProviders({ tracks: [{ artist: 'Coolio', title: "Gangsta's Paradise" }] });
//   const config = loadConfig({ ...fake.env(), ALLOW_INSECURE_PREVIEWS: 'true' });
//   fake.setBehaviour({ deezer: 'error500', preview: { fault: 'notFound', times: 1 } });
//   ... fake.requests (every request seen, in order) ...
//   await fake.close();
//
// Preview URLs point at `audioBaseUrl` (http://127.0.0.1:<port>): allowlist exactly "127.0.0.1"
// (PREVIEW_ALLOWED_HOSTS) and set ALLOW_INSECURE_PREVIEWS=true. Faults that must be REFUSED by the
// downloader use other hosts: "localhost" (not allowlisted) and 169.254.169.254 (link-local).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { normalizeText } from '../../src/previews/normalize.js';
import type { ProviderName } from '../../src/types.js';
import { audioFixtureBytes } from './audio-fixtures.js';

export interface FakeTrack {
  /** Numeric provider track id (default: 1000 + index), the same for every provider (Deezer and iTunes ids are numbers). */
  id?: string | number;
  /** The first (main) artist, as the provider spells it. */
  artist: string;
  title: string;
  album?: string;
  /** Providers that know this track (default: all three). */
  providers?: ProviderName[];
  /** false: listed with an empty preview ('' on Deezer, missing on iTunes, null on Spotify). */
  preview?: boolean;
  /** Deezer returns it only for advanced queries (`artist:"…" track:"…"`), as when ranked low. */
  advancedSearchOnly?: boolean;
  /** Generated preview audio (default 3 s, 440 Hz). */
  audio?: { seconds?: number; frequencyHz?: number };
}

/**
 * Faults of a provider API: slow = answers after `slowMs`; quota = Deezer's 200 error body
 * (code 4), HTTP 429 elsewhere; empty = no results; unauthorized = HTTP 401 (a revoked Spotify token).
 */
export type ApiFault = 'ok' | 'slow' | 'error500' | 'malformed' | 'quota' | 'empty' | 'unauthorized';
/**
 * Faults of previews. Served by the audio server: slow, notFound (404), forbidden (403, Deezer's
 * expired token), gone (410), serverError (500), redirectSameHost (302 to 127.0.0.1, allowed),
 * redirectOtherHost (302 to localhost), redirectLoop (endless 302), oversized (Content-Length
 * beyond `oversizedBytes`), oversizedChunked (same bytes, no Content-Length). Written into search
 * answers: privateAddress (http://169.254.169.254/…), otherHost (http://localhost:<port>/…).
 */
export type PreviewFault =
  | 'ok' | 'slow' | 'notFound' | 'forbidden' | 'gone' | 'serverError' | 'redirectSameHost' | 'redirectOtherHost'
  | 'redirectLoop' | 'oversized' | 'oversizedChunked' | 'privateAddress' | 'otherHost';
/** A fault for every request, or only for the next `times` requests (then 'ok'). */
export type Fault<F> = F | { fault: F; times: number };

export interface FakeBehaviour {
  deezer?: Fault<ApiFault>;
  itunes?: Fault<ApiFault>;
  spotify?: Fault<ApiFault>;
  preview?: Fault<PreviewFault>;
  /** Delay of 'slow' faults (default 3000 ms; close() cuts them short). */
  slowMs?: number;
  /** Size served by the oversized faults (default 6 MiB). */
  oversizedBytes?: number;
}

export interface FakeRequest {
  server: ProviderName | 'audio';
  method: string;
  /** Path and query, e.g. "/search?q=Coolio+-+Gangsta%27s+Paradise". */
  url: string;
  at: number;
}

export interface FakeProviders {
  deezerBaseUrl: string;
  itunesBaseUrl: string;
  /** Also the auth URL (`/api/token`); credentials are FAKE_SPOTIFY_CLIENT_ID/SECRET. */
  spotifyBaseUrl: string;
  audioBaseUrl: string;
  requests: FakeRequest[];
  /** Environment pointing the service at these servers (base URLs, Spotify credentials, allowlist). */
  env(): Record<string, string>;
  /** Replaces the whole behaviour (unset parts are 'ok'). */
  setBehaviour(behaviour: FakeBehaviour): void;
  close(): Promise<void>;
}

export const FAKE_SPOTIFY_CLIENT_ID = 'fake-client-id';
export const FAKE_SPOTIFY_CLIENT_SECRET = 'fake-client-secret';

export interface FakeContext {
  tracks: Array<FakeTrack & { id: string }>;
  audioBaseUrl: string;
  previewUrl(provider: ProviderName, track: FakeTrack & { id: string }): string | null;
  search(provider: ProviderName, query: string, advanced: boolean): Array<FakeTrack & { id: string }>;
  spotifyToken: string;
}

export async function startFakeProviders({ tracks, behaviour = {} }: { tracks: FakeTrack[]; behaviour?: FakeBehaviour }): Promise<FakeProviders> {
  const state = { behaviour: normalise(behaviour) };
  const requests: FakeRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const withIds = tracks.map((t, i) => ({ ...t, id: String(t.id ?? 1000 + i) }));
  // Generate the preview files up front, so that a first download is not slowed down by ffmpeg
  // (it would trip the small timeouts tests use).
  await Promise.all(withIds.flatMap((t) => (['mp3', 'm4a'] as const).map((format) => audioFixtureBytes({ format, ...t.audio }))));

  /** Takes one use of a fault: returns the active fault and counts it down. */
  const take = <F extends string>(key: 'deezer' | 'itunes' | 'spotify' | 'preview'): F | 'ok' => {
    const slot = state.behaviour[key];
    if (!slot || slot.fault === 'ok') return 'ok';
    if (slot.times !== Infinity) {
      slot.times -= 1;
      if (slot.times <= 0) state.behaviour[key] = undefined;
    }
    return slot.fault as F;
  };
  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const servers: Server[] = [];
  const listen = async (name: FakeRequest['server'], handler: (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>): Promise<string> => {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push({ server: name, method: req.method ?? 'GET', url: req.url ?? '/', at: Date.now() });
      Promise.resolve(handler(req, res, url)).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  const audioPort = { value: 0 };
  const ctx: FakeContext = {
    tracks: withIds,
    audioBaseUrl: '',
    spotifyToken: `fake-token-${Math.random().toString(36).slice(2)}`,
    previewUrl(provider, track) {
      if (track.preview === false) return null;
      const path = `/preview/${provider}/${track.id}.${provider === 'itunes' ? 'm4a' : 'mp3'}?token=exp-${Date.now()}`;
      const fault = state.behaviour.preview?.fault;
      if (fault === 'privateAddress' || fault === 'otherHost') {
        take('preview');
        return fault === 'privateAddress' ? `http://169.254.169.254/latest/meta-data${path}` : `http://localhost:${audioPort.value}${path}`;
      }
      return `${ctx.audioBaseUrl}${path}`;
    },
    search(provider, query, advanced) {
      const words = new Set(normalizeText(query).split(' '));
      return withIds
        .filter((t) => (t.providers ?? ['deezer', 'itunes', 'spotify']).includes(provider))
        .filter((t) => advanced || !(provider === 'deezer' && t.advancedSearchOnly))
        .map((t) => ({ t, score: normalizeText(`${t.artist} ${t.title}`).split(' ').filter((w) => words.has(w)).length }))
        .filter((x) => x.score > 0)
        .sort((a, b) => b.score - a.score)
        .map((x) => x.t);
    },
  };

  const api = (name: ProviderName, respond: (ctx: FakeContext, req: IncomingMessage, res: ServerResponse, url: URL) => void) =>
    (req: IncomingMessage, res: ServerResponse, url: URL): void => {
      // A revoked token does not stop the token endpoint from issuing a new one.
      if (url.pathname === '/api/token' && state.behaviour[name]?.fault === 'unauthorized') return respond(ctx, req, res, url);
      const fault = take<ApiFault>(name);
      if (fault === 'slow') return later(state.behaviour.slowMs, () => respond(ctx, req, res, url));
      if (fault === 'error500') return sendJson(res, 500, { error: 'internal' });
      if (fault === 'malformed') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"data": [ {"id": 1, ');
      if (fault === 'quota' && name === 'deezer') {
        return sendJson(res, 200, { error: { type: 'Exception', message: 'Quota limit exceeded', code: 4 } });
      }
      if (fault === 'quota') return sendJson(res, 429, { error: 'rate limited' }, { 'retry-after': '1' });
      if (fault === 'unauthorized') return sendJson(res, 401, { error: { status: 401, message: 'The access token expired' } });
      if (fault === 'empty') return respond({ ...ctx, search: () => [] }, req, res, url);
      respond(ctx, req, res, url);
    };

  const deezerBaseUrl = await listen('deezer', api('deezer', respondDeezer));
  const itunesBaseUrl = await listen('itunes', api('itunes', respondItunes));
  const spotifyBaseUrl = await listen('spotify', api('spotify', respondSpotify));
  ctx.audioBaseUrl = await listen('audio', async (_req, res, url) => {
    const match = /^\/(preview|cdn)\/(deezer|itunes|spotify)\/([^/.]+)\.(mp3|m4a)$/.exec(url.pathname);
    const track = withIds.find((t) => t.id === match?.[3]);
    if (!match || !track) return sendJson(res, 404, { error: 'no such preview' });
    const hop = Number(url.searchParams.get('hop') ?? 0);
    // Faults act on the first request of a download only, so a redirect's target is served.
    const urlFault = ['privateAddress', 'otherHost'].includes(state.behaviour.preview?.fault ?? '');
    const fault = match[1] === 'preview' && hop === 0 && !urlFault ? take<PreviewFault>('preview') : 'ok';
    const samePath = `/cdn/${match[2]}/${match[3]}.${match[4]}`;
    if (fault === 'notFound' || fault === 'forbidden' || fault === 'gone' || fault === 'serverError') {
      return sendJson(res, { notFound: 404, forbidden: 403, gone: 410, serverError: 500 }[fault], { error: fault });
    }
    if (fault === 'redirectSameHost') return void res.writeHead(302, { location: samePath }).end();
    if (fault === 'redirectOtherHost') return void res.writeHead(302, { location: `http://localhost:${audioPort.value}${samePath}` }).end();
    if (fault === 'redirectLoop' || (match[1] === 'preview' && hop > 0)) {
      return void res.writeHead(302, { location: `/preview/${match[2]}/${match[3]}.${match[4]}?hop=${hop + 1}` }).end();
    }
    if (fault === 'oversized' || fault === 'oversizedChunked') {
      const size = state.behaviour.oversizedBytes;
      res.writeHead(200, { 'content-type': 'audio/mpeg', ...(fault === 'oversized' ? { 'content-length': String(size) } : {}) });
      return void res.end(Buffer.alloc(size));
    }
    const format = match[4] as 'mp3' | 'm4a';
    const bytes = await audioFixtureBytes({ format, ...track.audio });
    const send = (): void => {
      res.writeHead(200, { 'content-type': format === 'mp3' ? 'audio/mpeg' : 'audio/mp4', 'content-length': String(bytes.length) });
      res.end(bytes);
    };
    if (fault === 'slow') return later(state.behaviour.slowMs, send);
    send();
  });
  audioPort.value = Number(new URL(ctx.audioBaseUrl).port);

  return {
    deezerBaseUrl,
    itunesBaseUrl,
    spotifyBaseUrl,
    audioBaseUrl: ctx.audioBaseUrl,
    requests,
    env: () => ({
      DEEZER_BASE_URL: deezerBaseUrl,
      ITUNES_BASE_URL: itunesBaseUrl,
      SPOTIFY_BASE_URL: spotifyBaseUrl,
      SPOTIFY_AUTH_URL: spotifyBaseUrl,
      SPOTIFY_CLIENT_ID: FAKE_SPOTIFY_CLIENT_ID,
      SPOTIFY_CLIENT_SECRET: FAKE_SPOTIFY_CLIENT_SECRET,
      PREVIEW_ALLOWED_HOSTS: '127.0.0.1',
    }),
    setBehaviour(next) {
      state.behaviour = normalise(next);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      })));
    },
  };
}

type Slot = { fault: string; times: number } | undefined;

function normalise(b: FakeBehaviour): { deezer: Slot; itunes: Slot; spotify: Slot; preview: Slot; slowMs: number; oversizedBytes: number } {
  const slot = (f: Fault<string> | undefined): Slot => (f === undefined ? undefined : typeof f === 'string' ? { fault: f, times: Infinity } : { ...f });
  return {
    deezer: slot(b.deezer),
    itunes: slot(b.itunes),
    spotify: slot(b.spotify),
    preview: slot(b.preview),
    slowMs: b.slowMs ?? 3_000,
    oversizedBytes: b.oversizedBytes ?? 6 * 1024 * 1024,
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

// ---- Response shapes: the fields the real APIs send (trimmed of the irrelevant ones) ----------

function respondDeezer(ctx: FakeContext, _req: IncomingMessage, res: ServerResponse, url: URL): void {
  if (url.pathname !== '/search') return sendJson(res, 200, { error: { type: 'DataException', message: 'no data', code: 800 } });
  const q = url.searchParams.get('q') ?? '';
  const found = ctx.search('deezer', q, /\b(artist|track):"/.test(q));
  const data = found.map((t) => ({
    id: Number(t.id),
    readable: true,
    title: t.title,
    title_short: t.title,
    title_version: '',
    link: `https://www.deezer.com/track/${t.id}`,
    duration: 240,
    rank: 500_000,
    explicit_lyrics: false,
    preview: ctx.previewUrl('deezer', t) ?? '',
    md5_image: 'b1b7ae1e7a4b4e35e0d5b4b4a1f1c6a0',
    artist: { id: 10 + Number(t.id), name: t.artist, link: `https://www.deezer.com/artist/${10 + Number(t.id)}`, picture_medium: '', type: 'artist' },
    album: { id: 20 + Number(t.id), title: t.album ?? `${t.title} (Single)`, cover_medium: `https://cdn-images.dzcdn.net/images/cover/${t.id}/250x250-000000-80-0-0.jpg`, type: 'album' },
    type: 'track',
  }));
  sendJson(res, 200, { data, total: data.length, ...(data.length > 25 ? { next: `${ctx.audioBaseUrl}/search?index=25` } : {}) });
}

function respondItunes(ctx: FakeContext, _req: IncomingMessage, res: ServerResponse, url: URL): void {
  if (url.pathname !== '/search') return sendJson(res, 404, { errorMessage: 'Invalid request' });
  const limit = Number(url.searchParams.get('limit') ?? 50);
  const results = ctx.search('itunes', url.searchParams.get('term') ?? '', false).slice(0, limit).map((t) => {
    const preview = ctx.previewUrl('itunes', t);
    return {
      wrapperType: 'track',
      kind: 'song',
      artistId: 10 + Number(t.id),
      collectionId: 20 + Number(t.id),
      trackId: Number(t.id),
      artistName: t.artist,
      collectionName: t.album ?? `${t.title} - Single`,
      trackName: t.title,
      trackViewUrl: `https://music.apple.com/us/album/${t.id}?i=${t.id}`,
      ...(preview ? { previewUrl: preview } : {}),
      artworkUrl100: `https://is1-ssl.mzstatic.com/image/thumb/${t.id}/100x100bb.jpg`,
      trackTimeMillis: 240_000,
      country: 'USA',
      currency: 'USD',
      primaryGenreName: 'Pop',
      isStreamable: true,
    };
  });
  sendJson(res, 200, { resultCount: results.length, results });
}

function respondSpotify(ctx: FakeContext, req: IncomingMessage, res: ServerResponse, url: URL): void {
  if (url.pathname === '/api/token' && req.method === 'POST') {
    const expected = `Basic ${Buffer.from(`${FAKE_SPOTIFY_CLIENT_ID}:${FAKE_SPOTIFY_CLIENT_SECRET}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return sendJson(res, 400, { error: 'invalid_client' });
    return sendJson(res, 200, { access_token: ctx.spotifyToken, token_type: 'Bearer', expires_in: 3600 });
  }
  if (url.pathname !== '/v1/search') return sendJson(res, 404, { error: { status: 404, message: 'Service not found' } });
  if (req.headers.authorization !== `Bearer ${ctx.spotifyToken}`) {
    return sendJson(res, 401, { error: { status: 401, message: 'Invalid access token' } });
  }
  const items = ctx.search('spotify', url.searchParams.get('q') ?? '', false).map((t) => ({
    id: t.id,
    name: t.title,
    type: 'track',
    uri: `spotify:track:${t.id}`,
    artists: [{ id: `a${t.id}`, name: t.artist, type: 'artist', uri: `spotify:artist:a${t.id}` }],
    album: { id: `al${t.id}`, name: t.album ?? t.title, images: [{ url: `https://i.scdn.co/image/${t.id}`, height: 640, width: 640 }] },
    preview_url: ctx.previewUrl('spotify', t),
    external_urls: { spotify: `https://open.spotify.com/track/${t.id}` },
    duration_ms: 240_000,
    popularity: 50,
  }));
  sendJson(res, 200, { tracks: { href: `${ctx.audioBaseUrl}/v1/search`, items, limit: 20, next: null, offset: 0, previous: null, total: items.length } });
}
