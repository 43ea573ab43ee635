// The per-process preview lookup cache: what is remembered (hits, misses), for how long (TTL, the
// preview URL's signed token), and what is not (provider failures).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TransientError } from '../../src/errors.js';
import { createPreviewLookup, previewTokenExpiresIn, TOKEN_MARGIN_S } from '../../src/previews/lookup-cache.js';
import type { resolvePreview } from '../../src/previews/resolve.js';
import type { PreviewMatch } from '../../src/types.js';

const T0 = 1_800_000_000_000; // ms
const match = (previewUrl = 'https://audio-ssl.itunes.apple.com/x/preview.m4a'): PreviewMatch =>
  ({ provider: 'itunes', trackId: '1', artist: 'A', title: 'T', previewUrl });

/** A fake resolvePreview that answers from a queue and counts its calls; a clock the test moves. */
function setup(answers: Array<PreviewMatch | null | Error>, ttlSeconds = 600) {
  let clock = T0;
  const calls: string[] = [];
  const resolve = (async ({ artist, track }) => {
    calls.push(`${artist}|${track}`);
    const next = answers.shift();
    if (next instanceof Error) throw next;
    return next ?? null;
  }) as typeof resolvePreview;
  const lookup = createPreviewLookup({ providers: [], ttlSeconds, now: () => clock, resolve });
  return { lookup, calls, advance: (seconds: number) => void (clock += seconds * 1000) };
}

test('a repeated query (case and spacing aside) is answered without a second search, until the TTL', async () => {
  const { lookup, calls, advance } = setup([match(), match()]);
  assert.deepEqual(await lookup.find({ artist: 'Daft Punk', track: 'One More Time' }), match());
  assert.deepEqual(await lookup.find({ artist: ' daft punk', track: 'ONE MORE TIME ' }), match());
  assert.equal(calls.length, 1);
  advance(599);
  await lookup.find({ artist: 'Daft Punk', track: 'One More Time' });
  assert.equal(calls.length, 1);
  advance(2);
  await lookup.find({ artist: 'Daft Punk', track: 'One More Time' });
  assert.equal(calls.length, 2);
});

test('misses are remembered; provider failures are not', async () => {
  const { lookup, calls } = setup([null, new TransientError('PROVIDER_QUOTA', 'quota'), match()]);
  assert.equal(await lookup.find({ artist: 'Nobody', track: 'Nothing' }), null);
  assert.equal(await lookup.find({ artist: 'Nobody', track: 'Nothing' }), null);
  assert.equal(calls.length, 1);
  await assert.rejects(lookup.find({ artist: 'B', track: 'C' }), /quota/);
  assert.deepEqual(await lookup.find({ artist: 'B', track: 'C' }), match());
  assert.equal(calls.length, 3);
});

test('a hit never outlives its preview URL token (less the margin); a nearly expired one is not kept', async () => {
  const exp = T0 / 1000 + 180;
  const signed = `https://cdnt-preview.dzcdn.net/api/1/1/a/b/c/abc.mp3?hdnea=exp=${exp}~acl=/api/1/1/a/b/c/abc.mp3*~data=user_id=0~hmac=ab12`;
  const { lookup, calls, advance } = setup([match(signed), match(signed), match(signed)]);
  await lookup.find({ artist: 'A', track: 'T' });
  advance(180 - TOKEN_MARGIN_S - 1);
  await lookup.find({ artist: 'A', track: 'T' });
  assert.equal(calls.length, 1);
  advance(2); // now within the margin: dropped, and the new answer (same token) is not kept either
  await lookup.find({ artist: 'A', track: 'T' });
  await lookup.find({ artist: 'A', track: 'T' });
  assert.equal(calls.length, 3);
});

test('previewTokenExpiresIn reads plain and percent-encoded tokens, and nothing from unsigned URLs', () => {
  const now = 1_700_000_000_000;
  assert.equal(previewTokenExpiresIn('https://cdnt-preview.dzcdn.net/x.mp3?hdnea=exp=1700000300~acl=/x.mp3*~hmac=f', now), 300);
  assert.equal(previewTokenExpiresIn('https://cdnt-preview.dzcdn.net/x.mp3?hdnea=exp%3D1700000060%7Eacl%3D%2Fx.mp3*%7Ehmac%3Df', now), 60);
  assert.equal(previewTokenExpiresIn('https://audio-ssl.itunes.apple.com/x.m4a', now), undefined);
  assert.equal(previewTokenExpiresIn('https://example.test/x.mp3?exponent=1700000300', now), undefined);
  assert.equal(previewTokenExpiresIn('https://cdnt-preview.dzcdn.net/x.mp3?hdnea=exp=1700000120~bad=%E0%A4%A', now), 120);
});

test('identical lookups in flight share one search; forget() drops an answer; TTL 0 caches nothing', async () => {
  const { lookup, calls } = setup([match(), match()]);
  const [a, b] = await Promise.all([lookup.find({ artist: 'A', track: 'T' }), lookup.find({ artist: 'a', track: 't' })]);
  assert.deepEqual(a, b);
  assert.equal(calls.length, 1);
  lookup.forget({ artist: 'A ', track: 'T' });
  await lookup.find({ artist: 'A', track: 'T' });
  assert.equal(calls.length, 2);

  const off = setup([match(), match()], 0);
  await off.lookup.find({ artist: 'A', track: 'T' });
  await off.lookup.find({ artist: 'A', track: 'T' });
  assert.equal(off.calls.length, 2);
});
