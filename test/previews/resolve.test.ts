import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import { createProviders } from '../../src/previews/providers.js';
import { resolvePreview } from '../../src/previews/resolve.js';
import { startFakeProviders, type FakeProviders } from '../helpers/fake-providers.js';

let fake: FakeProviders;

before(async () => {
  fake = await startFakeProviders({
    tracks: [
      { id: 1, artist: 'Coolio', title: "Gangsta's Paradise" },
      { id: 2, artist: 'Only On Itunes', title: 'Apple Song', providers: ['itunes'] },
      { id: 3, artist: 'No Preview Anywhere', title: 'Silent', preview: false },
      { id: 4, artist: 'Coolio feat. L.V.', title: 'Gangsta Paradise Remix', providers: ['itunes'] },
    ],
  });
});
after(() => fake.close());

const providers = () => createProviders({ config: loadConfig({ ...fake.env(), PREVIEW_PROVIDERS: 'deezer,itunes', PROVIDER_TIMEOUT_MS: '300' }) });

test('the first provider with a match wins', async () => {
  fake.setBehaviour({});
  fake.requests.length = 0;
  const match = await resolvePreview({ artist: 'coolio', track: "gangsta's paradise", providers: providers() });
  assert.equal(match?.provider, 'deezer');
  assert.equal(match?.trackId, '1');
  assert.equal(match?.artist, 'Coolio');
  assert.equal(match?.link, 'https://www.deezer.com/track/1');
  assert.match(match?.previewUrl ?? '', /\/preview\/deezer\/1\.mp3/);
  assert.ok(!fake.requests.some((r) => r.server === 'itunes'), 'iTunes not asked after a Deezer hit');
});

test('a miss on Deezer falls back to iTunes', async () => {
  fake.setBehaviour({});
  const match = await resolvePreview({ artist: 'Only on iTunes', track: 'Apple Song', providers: providers() });
  assert.equal(match?.provider, 'itunes');
  assert.equal(match?.trackId, '2');
});

test('clean misses everywhere give null', async () => {
  fake.setBehaviour({});
  assert.equal(await resolvePreview({ artist: 'No Preview Anywhere', track: 'Silent', providers: providers() }), null);
  assert.equal(await resolvePreview({ artist: 'Nobody', track: 'Nothing', providers: providers() }), null);
});

test('a failing Deezer still lets iTunes answer', async () => {
  fake.setBehaviour({ deezer: 'error500' });
  const match = await resolvePreview({ artist: 'Coolio', track: "Gangsta's Paradise", providers: providers() });
  assert.equal(match?.provider, 'itunes');
});

test('an outage is never reported as "not found"', async () => {
  for (const [fault, code, status] of [
    ['error500', 'PROVIDER_UNAVAILABLE', 502], ['quota', 'PROVIDER_QUOTA', 503],
    ['malformed', 'PROVIDER_UNAVAILABLE', 502], ['slow', 'PROVIDER_TIMEOUT', 504],
  ] as const) {
    fake.setBehaviour({ deezer: fault, slowMs: 2_000 });
    await assert.rejects(
      resolvePreview({ artist: 'Nobody', track: 'Nothing', providers: providers() }),
      (err: Error & { code?: string; status?: number }) => err.code === code && err.status === status,
      fault,
    );
  }
  fake.setBehaviour({ deezer: 'error500', itunes: 'slow', slowMs: 2_000 });
  await assert.rejects(resolvePreview({ artist: 'Coolio', track: "Gangsta's Paradise", providers: providers() }), { code: 'PROVIDER_UNAVAILABLE' });
  fake.setBehaviour({});
});

test('the caller\'s abort stops the lookup', async () => {
  fake.setBehaviour({ deezer: 'slow', slowMs: 2_000 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('client gone')), 50);
  await assert.rejects(resolvePreview({ artist: 'Coolio', track: 'x', providers: providers(), signal: controller.signal }), /client gone/);
  fake.setBehaviour({});
});
