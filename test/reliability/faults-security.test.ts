// API-level provider faults and security checks (the providers' own unit tests cover the clients;
// this is what a widget user sees). Embedded app, real pipeline, fake Deezer/iTunes servers.
// Faults: slow beyond timeout, 5xx, malformed JSON, quota in a 200 body → fall back to iTunes;
// both down → a 5xx JSON error fast; preview 404/403 → {"response": false}; preview redirect to
// another host → PREVIEW_FORBIDDEN. Security (ALLOW_INSECURE_PREVIEWS off): preview URLs at
// loopback, private, link-local, non-HTTPS, credentialed or non-allowlisted hosts are refused with
// no connection made; no user text reaches a shell or ffmpeg's argv; burst over the rate limit → 429.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../service/harness.js';
import type { ApiFault, FakeBehaviour, PreviewFault } from '../helpers/fake-providers.js';
import { fakeResult } from '../service/queue/helpers.js';
import { HOSTILE_TEXT } from './fuzz-cases.js';
import { isolateTmpdir, seedAudioFiles, withinMs } from './helpers.js';

const tmp = isolateTmpdir();
const ARTISTS = Array.from({ length: 16 }, (_, i) => `Fault Artist ${i}`);
let t: TestApp;
let used = 0;

before(async () => {
  t = await startTestApp({
    queueKind: 'inline',
    tracks: ARTISTS.map((artist) => ({ artist, title: 'Song', audio: { seconds: 2 } })),
    env: { PROVIDER_TIMEOUT_MS: '400', PREVIEW_DOWNLOAD_TIMEOUT_MS: '400', JOB_ATTEMPTS: '2', RESULT_CACHE_TTL_S: '0' },
  });
});
after(async () => {
  await t?.close();
  tmp.remove();
});

/** Asks for a track not asked before (finished jobs are reused for a while), under `behaviour`. */
async function askFresh(behaviour: FakeBehaviour) {
  t.fake.setBehaviour({ slowMs: 3_000, ...behaviour });
  const artist = ARTISTS[used++]!;
  const started = performance.now();
  const res = await withinMs(8_000, JSON.stringify(behaviour), t.http.get(`/d/music-prediction?artist=${encodeURIComponent(artist)}&track=Song`));
  return { res, ms: performance.now() - started };
}

for (const fault of ['slow', 'error500', 'malformed', 'quota'] as ApiFault[]) {
  test(`Deezer ${fault} → the answer comes from iTunes`, async () => {
    const { res, ms } = await askFresh({ deezer: fault });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.response, true);
    assert.equal(res.body.source, 'itunes');
    assert.ok(ms < 4_000, `${ms} ms`);
  });
}

test('Deezer and iTunes both failing → a 5xx JSON error with the first failure, no hang, not a miss', async () => {
  const { res, ms } = await askFresh({ deezer: 'slow', itunes: 'error500' });
  assert.equal(res.status, 504);
  assert.equal(res.body.error.code, 'PROVIDER_TIMEOUT');
  assert.ok(ms < 2_000, `${ms} ms`);
  const quota = (await askFresh({ deezer: 'quota', itunes: 'quota' })).res;
  assert.equal(quota.status, 503);
  assert.equal(quota.body.error.code, 'PROVIDER_QUOTA');
  assert.ok(Number(quota.headers['retry-after']) > 0);
});

for (const [fault, status, expected] of [
  ['notFound', 200, { response: false }],
  ['forbidden', 200, { response: false }],
  ['redirectOtherHost', 502, 'PREVIEW_FORBIDDEN'],
  ['serverError', 200, true], // transient: the job's second attempt downloads it
] as Array<[PreviewFault, number, unknown]>) {
  test(`preview ${fault} → ${JSON.stringify(expected)}`, async () => {
    const { res } = await askFresh({ preview: fault === 'serverError' ? { fault, times: 1 } : fault });
    assert.equal(res.status, status, JSON.stringify(res.body));
    if (expected === true) assert.equal(res.body.response, true);
    else if (typeof expected === 'string') assert.equal(res.body.error.code, expected);
    else assert.deepEqual(res.body, expected);
  });
}

test('preview slower than PREVIEW_DOWNLOAD_TIMEOUT_MS on every attempt → 504 PREVIEW_TIMEOUT, bounded', async () => {
  const { res, ms } = await askFresh({ preview: 'slow' });
  assert.equal(res.status, 504);
  assert.equal(res.body.error.code, 'PREVIEW_TIMEOUT');
  assert.ok(ms < 3_000, `${ms} ms for 2 attempts of 400 ms`);
});

/** A Deezer stand-in whose only track has the preview URL a test chooses; and a canary port. */
async function ssrfRig() {
  let previewUrl = '';
  const { createServer: createHttp } = await import('node:http');
  const deezer = createHttp((_req, res) => {
    const body = JSON.stringify({ data: [{ id: 7, title: 'Song', preview: previewUrl, link: 'https://www.deezer.com/track/7', artist: { id: 1, name: 'Ssrf' }, album: { id: 2, title: 'A' } }], total: 1 });
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((r) => deezer.listen(0, '127.0.0.1', r));
  let connections = 0;
  const canary: Server = createServer((socket) => (connections++, socket.destroy()));
  await new Promise<void>((r) => canary.listen(0, '127.0.0.1', r));
  const port = (s: { address(): unknown }) => (s.address() as { port: number }).port;
  return {
    deezerUrl: `http://127.0.0.1:${port(deezer)}`,
    canaryPort: port(canary),
    setPreview: (url: string) => void (previewUrl = url),
    connections: () => connections,
    close: () => Promise.all([deezer, canary].map((s) => new Promise((r) => s.close(r)))),
  };
}

test('SSRF: preview URLs at loopback, private, link-local, http, credentials or other hosts are refused; nothing is fetched', async () => {
  const rig = await ssrfRig();
  const s = await startTestApp({
    queueKind: 'inline',
    tracks: [],
    // `localhost` is allowlisted on purpose: it passes the name check and must be stopped at connect time.
    env: { PREVIEW_PROVIDERS: 'deezer', DEEZER_BASE_URL: rig.deezerUrl, ALLOW_INSECURE_PREVIEWS: 'false', PREVIEW_ALLOWED_HOSTS: 'localhost', JOB_ATTEMPTS: '1' },
  });
  try {
    const p = rig.canaryPort;
    for (const url of [
      `https://127.0.0.1:${p}/a.mp3`, `https://[::1]:${p}/a.mp3`, 'https://10.1.2.3/a.mp3', 'https://192.168.0.10/a.mp3', 'https://169.254.169.254/latest/meta-data/',
      'https://[::ffff:127.0.0.1]/a.mp3', 'http://cdnt-preview.dzcdn.net/a.mp3', 'https://user:pw@cdnt-preview.dzcdn.net/a.mp3', 'https://evil.example.com/a.mp3',
      'https://cdnt-preview.dzcdn.net.evil.example.com/a.mp3', 'ftp://cdnt-preview.dzcdn.net/a.mp3', 'file:///etc/passwd', `https://localhost:${p}/a.mp3`,
    ]) {
      rig.setPreview(url);
      const res = await withinMs(5_000, url, s.http.get(`/d/music-prediction?artist=Ssrf&track=${encodeURIComponent(url)}`));
      assert.equal(res.status, 502, `${url}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'PREVIEW_FORBIDDEN', url);
    }
    assert.equal(rig.connections(), 0, 'no connection reached the loopback canary');
  } finally {
    await s.close();
    await rig.close();
  }
});

test('no user text reaches a shell or ffmpeg: hostile artists and upload file names leave no trace', async () => {
  // FFMPEG_PATH wrapper that logs its argv, then runs the real ffmpeg.
  const argvLog = join(tmp.dir, 'ffmpeg-argv.log');
  const wrapper = join(tmp.dir, 'ffmpeg-logging');
  writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$@" >> '${argvLog}'\nexec /usr/bin/ffmpeg "$@"\n`);
  chmodSync(wrapper, 0o755);
  const s = await startTestApp({ queueKind: 'inline', env: { FFMPEG_PATH: wrapper, DEEZER_RATE_LIMIT: '100000/1s', ITUNES_RATE_LIMIT: '100000/1s' } });
  let closed = false;
  try {
    const seeds = await seedAudioFiles(tmp.dir);
    const before = new Set(tmp.entries());
    for (const name of HOSTILE_TEXT) {
      const res = await s.http.get(`/d/music-prediction?artist=${encodeURIComponent(`Coolio ${name}`)}&track=${encodeURIComponent(name)}`);
      assert.ok(res.status < 500, `${name}: ${res.status}`);
    }
    await s.http.get(`/d/music-prediction?artist=Coolio&track=${encodeURIComponent("Gangsta's Paradise $(touch /tmp/pwned-mp)")}`).expect(200);
    const names = ['../../../../tmp/pwned-mp-file', '/tmp/pwned-mp-abs', '$(touch /tmp/pwned-mp)', 'a`touch /tmp/pwned-mp`.m4a'];
    for (const [i, filename] of names.entries()) {
      const bytes = i % 2 === 0 ? seeds['m4a-moov-last'] : seeds.mp3; // moov-last goes through a temp file
      const res = await s.http.post('/predict').attach('file', Buffer.concat([bytes, Buffer.from([i])]), filename);
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    for (const path of ['/tmp/pwned-mp', '/tmp/pwned-mp-file', '/tmp/pwned-mp-abs', join(tmp.dir, 'pwned-mp-file')]) assert.equal(existsSync(path), false, path);
    const argv = readFileSync(argvLog, 'utf8');
    assert.match(argv, /^-hide_banner$/m, 'the wrapper saw the decodes');
    for (const text of ['Coolio', 'pwned', 'Gangsta', '..']) assert.ok(!argv.includes(text), `"${text}" reached ffmpeg's argv`);
    assert.deepEqual(tmp.entries().filter((e) => !before.has(e) && e !== 'ffmpeg-argv.log'), [], 'no temp file left');
    // What lives as long as the app (the spawn helper's socket directory) goes with it.
    const left = () => tmp.all().filter((e) => !before.has(e) && e !== 'ffmpeg-argv.log' && !e.startsWith('tsx-'));
    closed = true;
    await s.close();
    for (let i = 0; i < 100 && left().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(left(), [], 'nothing left once the app closed');
  } finally {
    if (!closed) await s.close();
  }
});

test('a burst of 30 concurrent requests over RATE_LIMIT_MAX=10 → exactly 20 × 429 JSON with Retry-After', async () => {
  const s = await startTestApp({ queueKind: 'inline', process: async () => fakeResult(), env: { RATE_LIMIT_MAX: '10', RATE_LIMIT_WINDOW_MS: '60000' } });
  try {
    const answers = await Promise.all(Array.from({ length: 30 }, () => s.http.get('/d/music-prediction?artist=Coolio&track=x')));
    const limited = answers.filter((r) => r.status === 429);
    assert.equal(limited.length, 20);
    for (const r of limited) {
      assert.equal(r.body.error.code, 'RATE_LIMITED');
      assert.ok(Number(r.headers['retry-after']) > 0);
    }
  } finally {
    await s.close();
  }
});
