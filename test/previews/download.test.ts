import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import { downloadPreview } from '../../src/previews/download.js';
import { allowedPreviewHosts, createProviders } from '../../src/previews/providers.js';
import { resolvePreview } from '../../src/previews/resolve.js';
import { createPreviewDispatcher, type LookupFunction } from '../../src/previews/safe-dispatcher.js';
import { audioFixtureBytes } from '../helpers/audio-fixtures.js';
import { startFakeProviders, type FakeProviders, type PreviewFault } from '../helpers/fake-providers.js';

let fake: FakeProviders;
let url: string;
const base = { allowedHosts: ['127.0.0.1'], allowInsecure: true, maxBytes: 1_000_000, timeoutMs: 500 };

before(async () => {
  fake = await startFakeProviders({ tracks: [{ id: 7, artist: 'Coolio', title: "Gangsta's Paradise" }] });
  url = `${fake.audioBaseUrl}/preview/deezer/7.mp3?token=abc`;
});
after(() => fake.close());

const rejectsWith = async (promise: Promise<unknown>, code: string, status?: number, permanent?: boolean): Promise<void> => {
  await assert.rejects(promise, (err: Error & { code?: string; status?: number; permanent?: boolean }) => {
    assert.equal(err.code, code, err.message);
    if (status !== undefined) assert.equal(err.status, status);
    if (permanent !== undefined) assert.equal(err.permanent, permanent);
    return true;
  });
};

test('downloads the preview bytes, also through a same-host redirect', async () => {
  fake.setBehaviour({});
  const expected = await audioFixtureBytes({ format: 'mp3' });
  assert.deepEqual(await downloadPreview({ ...base, url }), expected);
  fake.setBehaviour({ preview: 'redirectSameHost' });
  assert.deepEqual(await downloadPreview({ ...base, url }), expected);
});

test('refused before any request: http without insecure, other hosts, private literals, credentials', async () => {
  fake.setBehaviour({});
  fake.requests.length = 0;
  await rejectsWith(downloadPreview({ ...base, url, allowInsecure: false }), 'PREVIEW_FORBIDDEN', 502, true);
  await rejectsWith(downloadPreview({ ...base, url: url.replace('127.0.0.1', 'localhost') }), 'PREVIEW_FORBIDDEN');
  await rejectsWith(downloadPreview({ ...base, url: 'ftp://127.0.0.1/x.mp3' }), 'PREVIEW_FORBIDDEN');
  await rejectsWith(downloadPreview({ ...base, url: 'not a url' }), 'PREVIEW_FORBIDDEN');
  await rejectsWith(downloadPreview({ ...base, url: url.replace('http://', 'http://user:pw@') }), 'PREVIEW_FORBIDDEN');
  for (const ip of ['10.0.0.8', '169.254.169.254', '[::ffff:192.168.0.1]', '[fd00::1]', '0.0.0.0']) {
    await rejectsWith(
      downloadPreview({ ...base, url: `https://${ip}/x.mp3`, allowedHosts: [ip.replace(/[[\]]/g, '')] }),
      'PREVIEW_FORBIDDEN',
    );
  }
  // Loopback literal, also in the odd spellings the URL parser canonicalises: refused unless insecure.
  for (const host of ['127.0.0.1:1', '2130706433', '0x7f.1', '[::1]', '[::ffff:127.0.0.1]']) {
    const allowedHosts = ['127.0.0.1', '::1', '::ffff:7f00:1'];
    await assert.rejects(downloadPreview({ ...base, url: `https://${host}/x.mp3`, allowedHosts, allowInsecure: false }), {
      code: 'PREVIEW_FORBIDDEN',
      message: /is not public/,
    });
  }
  assert.equal(fake.requests.length, 0, 'nothing reached the server');
});

test('a host name resolving to a loopback/private address is refused at connect time', async () => {
  const lookups: string[] = [];
  const rebinding: LookupFunction = (hostname, options, callback) => {
    lookups.push(hostname);
    if (options.all) callback(null, [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  };
  const dispatcher = createPreviewDispatcher({ allowInsecure: false, lookup: rebinding });
  await rejectsWith(
    downloadPreview({ ...base, allowInsecure: false, url: 'https://cdnt-preview.dzcdn.net/api/1/x.mp3', allowedHosts: ['*.dzcdn.net'], dispatcher }),
    'PREVIEW_FORBIDDEN', 502, true,
  );
  assert.deepEqual(lookups, ['cdnt-preview.dzcdn.net']);
  await dispatcher.close();
  // The same name resolving to 127.0.0.1 on plain http is allowed only in insecure mode.
  const toLoopback: LookupFunction = (_h, options, cb) => (options.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4));
  const insecure = createPreviewDispatcher({ allowInsecure: true, lookup: toLoopback });
  const viaName = url.replace('127.0.0.1', 'cdn.example.test');
  assert.ok((await downloadPreview({ ...base, url: viaName, allowedHosts: ['cdn.example.test'], dispatcher: insecure })).length > 1000);
  await insecure.close();
});

test('redirects: to another host refused, more than 3 refused', async () => {
  fake.setBehaviour({ preview: 'redirectOtherHost' });
  await rejectsWith(downloadPreview({ ...base, url }), 'PREVIEW_FORBIDDEN');
  fake.setBehaviour({ preview: 'redirectLoop' });
  fake.requests.length = 0;
  await rejectsWith(downloadPreview({ ...base, url }), 'PREVIEW_FORBIDDEN');
  assert.equal(fake.requests.length, 4, 'the original request and 3 redirects');
  fake.setBehaviour({});
});

test('HTTP statuses map onto the documented errors', async () => {
  const cases: Array<[PreviewFault, string, number, boolean]> = [
    ['notFound', 'PREVIEW_NOT_FOUND', 404, true], ['forbidden', 'PREVIEW_NOT_FOUND', 404, true],
    ['gone', 'PREVIEW_NOT_FOUND', 404, true], ['serverError', 'PREVIEW_UNAVAILABLE', 502, false],
  ];
  for (const [fault, code, status, permanent] of cases) {
    fake.setBehaviour({ preview: fault });
    await rejectsWith(downloadPreview({ ...base, url }), code, status, permanent);
  }
  fake.setBehaviour({});
  await rejectsWith(downloadPreview({ ...base, url: 'http://127.0.0.1:9/x.mp3' }), 'PREVIEW_UNAVAILABLE', 502, false);
});

test('byte cap: by Content-Length and while streaming', async () => {
  for (const fault of ['oversized', 'oversizedChunked'] as const) {
    fake.setBehaviour({ preview: fault, oversizedBytes: 300_000 });
    await rejectsWith(downloadPreview({ ...base, url, maxBytes: 200_000 }), 'PREVIEW_TOO_LARGE', 502, true);
  }
  fake.setBehaviour({ preview: 'oversizedChunked', oversizedBytes: 150_000 });
  assert.equal((await downloadPreview({ ...base, url, maxBytes: 200_000 })).length, 150_000);
  fake.setBehaviour({});
});

test('the whole download is time-limited', async () => {
  fake.setBehaviour({ preview: 'slow', slowMs: 3_000 });
  const t = performance.now();
  await rejectsWith(downloadPreview({ ...base, url, timeoutMs: 200 }), 'PREVIEW_TIMEOUT', 504, false);
  assert.ok(performance.now() - t < 1_000);
  fake.setBehaviour({});
});

test('provider answers pointing at a private address or another host are refused end to end', async () => {
  const config = loadConfig({ ...fake.env(), ALLOW_INSECURE_PREVIEWS: 'true', PREVIEW_PROVIDERS: 'deezer' });
  const providers = createProviders({ config });
  for (const fault of ['privateAddress', 'otherHost'] as const) {
    fake.setBehaviour({ preview: fault });
    const match = await resolvePreview({ artist: 'Coolio', track: "Gangsta's Paradise", providers });
    assert.ok(match);
    const allowedHosts = [...allowedPreviewHosts({ provider: match.provider, config }), '169.254.169.254'];
    // Even allowlisted, link-local stays refused; localhost is simply not allowlisted.
    await rejectsWith(downloadPreview({ ...base, url: match.previewUrl, allowedHosts }), 'PREVIEW_FORBIDDEN');
  }
  fake.setBehaviour({});
});
