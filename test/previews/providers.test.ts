import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import { createDeezerProvider } from '../../src/previews/deezer.js';
import { createItunesProvider } from '../../src/previews/itunes.js';
import { createProviders } from '../../src/previews/providers.js';
import { createSpotifyProvider } from '../../src/previews/spotify.js';
import { FAKE_SPOTIFY_CLIENT_ID, FAKE_SPOTIFY_CLIENT_SECRET, startFakeProviders, type FakeProviders } from '../helpers/fake-providers.js';

let fake: FakeProviders;
const timeoutMs = 300;
const coolio = { artist: 'Coolio', track: "Gangsta's Paradise" };

before(async () => {
  fake = await startFakeProviders({
    tracks: [
      { id: 1, artist: 'Coolio', title: "Gangsta's Paradise", album: 'Gangsta’s Paradise' },
      { id: 2, artist: 'Weird Al', title: "Amish Paradise" },
      { id: 3, artist: 'Obscure Band', title: 'Hidden Gem', advancedSearchOnly: true, providers: ['deezer'] },
      { id: 4, artist: 'New App', title: 'No Preview', preview: false },
    ],
    behaviour: { slowMs: 2_000 },
  });
});
after(() => fake.close());

const errorWith = (code: string, status: number) => (err: Error & { code?: string; status?: number; permanent?: boolean }) => {
  assert.equal(err.code, code, err.message);
  assert.equal(err.status, status);
  assert.equal(err.permanent, false);
  return true;
};

test('deezer: parses the real shape, first artist, preview, link, album and cover', async () => {
  fake.setBehaviour({});
  const deezer = createDeezerProvider({ baseUrl: fake.deezerBaseUrl, timeoutMs });
  const results = await deezer.search(coolio);
  const hit = results.find((r) => r.id === '1');
  assert.ok(hit);
  assert.equal(hit.artist, 'Coolio');
  assert.equal(hit.title, "Gangsta's Paradise");
  assert.match(hit.previewUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/preview\/deezer\/1\.mp3\?token=/);
  assert.equal(hit.link, 'https://www.deezer.com/track/1');
  assert.equal(hit.album, 'Gangsta’s Paradise');
  assert.ok(hit.cover?.startsWith('https://'));
  const sent = fake.requests.filter((r) => r.server === 'deezer').at(-1);
  assert.equal(new URL(sent!.url, 'http://x').searchParams.get('q'), "Coolio - Gangsta's Paradise");
  const noPreview = await deezer.search({ artist: 'New App', track: 'No Preview' });
  assert.equal(noPreview.find((r) => r.id === '4')?.previewUrl, null);
});

test('deezer: the advanced query is tried only when the plain one gives no match', async () => {
  const deezer = createDeezerProvider({ baseUrl: fake.deezerBaseUrl, timeoutMs });
  fake.requests.length = 0;
  await deezer.search(coolio);
  assert.equal(fake.requests.length, 1);
  const results = await deezer.search({ artist: 'Obscure "Band"', track: 'Hidden Gem' });
  const queries = fake.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('q'));
  assert.deepEqual(queries.slice(1), ['Obscure "Band" - Hidden Gem', 'artist:"Obscure  Band" track:"Hidden Gem"']);
  assert.ok(results.some((r) => r.id === '3'));
});

test('deezer: quota error in a 200 body, 5xx, malformed JSON, timeout, connection refused', async () => {
  const deezer = createDeezerProvider({ baseUrl: fake.deezerBaseUrl, timeoutMs });
  fake.setBehaviour({ deezer: 'quota' });
  await assert.rejects(deezer.search(coolio), errorWith('PROVIDER_QUOTA', 503));
  fake.setBehaviour({ deezer: 'error500' });
  await assert.rejects(deezer.search(coolio), errorWith('PROVIDER_UNAVAILABLE', 502));
  fake.setBehaviour({ deezer: 'malformed' });
  await assert.rejects(deezer.search(coolio), errorWith('PROVIDER_UNAVAILABLE', 502));
  fake.setBehaviour({ deezer: 'slow', slowMs: 2_000 });
  const t = performance.now();
  await assert.rejects(deezer.search(coolio), errorWith('PROVIDER_TIMEOUT', 504));
  assert.ok(performance.now() - t < 1_000, 'gave up at the timeout, not when the server answered');
  fake.setBehaviour({});
  const closed = createDeezerProvider({ baseUrl: 'http://127.0.0.1:9', timeoutMs });
  await assert.rejects(closed.search(coolio), errorWith('PROVIDER_UNAVAILABLE', 502));
});

test('itunes: parses the real shape and sends the documented parameters', async () => {
  fake.setBehaviour({});
  const itunes = createItunesProvider({ baseUrl: fake.itunesBaseUrl, timeoutMs, country: 'gb' });
  const results = await itunes.search(coolio);
  assert.equal(results[0]?.id, '1');
  assert.match(results[0]?.previewUrl ?? '', /\/preview\/itunes\/1\.m4a/);
  const params = new URL(fake.requests.at(-1)!.url, 'http://x').searchParams;
  assert.deepEqual(Object.fromEntries(params), { term: "Coolio Gangsta's Paradise", media: 'music', entity: 'song', limit: '25', country: 'GB' });
  assert.equal((await itunes.search({ artist: 'New App', track: 'No Preview' }))[0]?.previewUrl, null);
  fake.setBehaviour({ itunes: 'quota' });
  await assert.rejects(itunes.search(coolio), errorWith('PROVIDER_QUOTA', 503));
  fake.setBehaviour({ itunes: 'malformed' });
  await assert.rejects(itunes.search(coolio), errorWith('PROVIDER_UNAVAILABLE', 502));
  fake.setBehaviour({});
});

test('spotify: one token for many searches, a fresh one after a 401, bad credentials refused', async () => {
  fake.setBehaviour({});
  let clock = 0;
  const spotify = createSpotifyProvider({
    baseUrl: fake.spotifyBaseUrl, authUrl: fake.spotifyBaseUrl, clientId: FAKE_SPOTIFY_CLIENT_ID,
    clientSecret: FAKE_SPOTIFY_CLIENT_SECRET, timeoutMs, now: () => clock,
  });
  fake.requests.length = 0;
  const results = await spotify.search(coolio);
  await spotify.search(coolio);
  assert.equal(results[0]?.artist, 'Coolio');
  assert.equal((await spotify.search({ artist: 'New App', track: 'No Preview' }))[0]?.previewUrl, null);
  assert.equal(fake.requests.filter((r) => r.url === '/api/token').length, 1);
  clock = 3_600_000; // expired: a new token is fetched
  await spotify.search(coolio);
  assert.equal(fake.requests.filter((r) => r.url === '/api/token').length, 2);
  fake.setBehaviour({ spotify: { fault: 'unauthorized', times: 1 } }); // token revoked early
  assert.equal((await spotify.search(coolio))[0]?.id, '1');
  assert.equal(fake.requests.filter((r) => r.url === '/api/token').length, 3);
  fake.setBehaviour({ spotify: { fault: 'unauthorized', times: 2 } });
  await assert.rejects(spotify.search(coolio), errorWith('PROVIDER_UNAVAILABLE', 502));
  fake.setBehaviour({});

  const wrong = createSpotifyProvider({ baseUrl: fake.spotifyBaseUrl, authUrl: fake.spotifyBaseUrl, clientId: 'x', clientSecret: 'y', timeoutMs });
  await assert.rejects(wrong.search(coolio), (err: Error & { code?: string; permanent?: boolean }) => err.code === 'PROVIDER_AUTH' && err.permanent === true);
});

test('createProviders: PREVIEW_PROVIDERS order, spotify only with credentials, shared limiter', async () => {
  const base = { ...fake.env(), PREVIEW_PROVIDERS: 'itunes,spotify,deezer' };
  const logged: string[] = [];
  const logger = { info: (_o: unknown, msg: string) => logged.push(msg) } as never;
  const withSpotify = createProviders({ config: loadConfig(base), logger });
  assert.deepEqual(withSpotify.map((p) => p.name), ['itunes', 'spotify', 'deezer']);
  const { SPOTIFY_CLIENT_ID: _i, SPOTIFY_CLIENT_SECRET: _s, ...noCreds }: Record<string, string> = base;
  const without = createProviders({ config: loadConfig(noCreds), logger });
  assert.deepEqual(without.map((p) => p.name), ['itunes', 'deezer']);
  assert.match(logged.join('\n'), /spotify skipped/);

  fake.setBehaviour({});
  const limited = createProviders({ config: loadConfig({ ...base, PREVIEW_PROVIDERS: 'deezer', DEEZER_RATE_LIMIT: '2/1m', PROVIDER_RATE_MAX_WAIT_MS: '0' }) });
  await limited[0]!.search(coolio);
  await assert.rejects(limited[0]!.search(coolio), errorWith('PROVIDER_QUOTA', 503));
});
