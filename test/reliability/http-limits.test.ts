// Slow, stalled and greedy HTTP clients (issue rows 3 and 10): a stalled upload is dropped by the
// idle time-out and a dripping one by the minimum upload rate, each freeing its slot; concurrent uploads are capped per client and in total when the
// request STARTS; sockets per address are capped; a 25 MB `Expect: 100-continue` gets 413 before
// any "100 Continue"; /metrics and /readyz have their own limit; one client cannot spend the whole
// provider quota. All on 127.0.0.1, bounded in time and requests.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { startTestApp, type TestApp } from '../service/harness.js';
import { fakeResult, sleep } from '../service/queue/helpers.js';
import { openRaw, stalledUpload, type RawExchange } from './raw-http.js';
import { withinMs } from './helpers.js';

async function listening(t: TestApp): Promise<number> {
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  return (t.app.server.address() as { port: number }).port;
}

/** The app with an in-process queue whose jobs answer at once, under `env`. */
const inlineApp = (env: Record<string, string>) => startTestApp({ queueKind: 'inline', process: async () => fakeResult(), env });

async function uploadsInProgress(t: TestApp): Promise<number> {
  const text = (await t.http.get('/metrics').expect(200)).text;
  return Number(/^music_prediction_uploads_in_progress (\d+)/m.exec(text)?.[1]);
}

test('a stalled upload is dropped by HTTP_IDLE_TIMEOUT_MS and its upload slot is freed', async () => {
  const t = await inlineApp({ HTTP_IDLE_TIMEOUT_MS: '1000', SYNC_WAIT_MS: '500', MAX_CONCURRENT_UPLOADS: '1', MAX_CONCURRENT_UPLOADS_PER_CLIENT: '1' });
  let stalled: RawExchange | undefined;
  try {
    const port = await listening(t);
    stalled = await stalledUpload(port, { declaredBytes: 2_000_000, sentBytes: 500_000 });
    await sleep(200);
    assert.equal(await uploadsInProgress(t), 1);
    const closedAfterMs = await withinMs(5_000, 'stalled upload closed', stalled.closed);
    console.log(`stalled upload closed by the server after ${closedAfterMs} ms (idle limit 1000 ms)`);
    assert.equal(await uploadsInProgress(t), 0);
    // The one slot is free again: a whole upload goes through.
    await t.http.post('/predict?mode=async').attach('file', randomBytes(64), 'a.mp3').expect(202);
  } finally {
    stalled?.socket.destroy(); // else a server without the time-out would hold close() forever
    await t.close();
  }
});

test('a dripping upload (never idle, too slow) → 408 UPLOAD_TOO_SLOW, the connection closes and the slot is freed', async () => {
  const t = await inlineApp({ UPLOAD_MIN_BYTES_PER_S: '1000', UPLOAD_RATE_WINDOW_MS: '500', MAX_CONCURRENT_UPLOADS: '1', MAX_CONCURRENT_UPLOADS_PER_CLIENT: '1' });
  let drip: RawExchange | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const port = await listening(t);
    drip = await stalledUpload(port, { declaredBytes: 100_000, sentBytes: 2_000 });
    const socket = drip.socket;
    timer = setInterval(() => socket.writable && socket.write(Buffer.alloc(20, 0x41)), 100); // 200 bytes/s: below 1000
    const answer = await drip.waitFor(/\r\n\r\n\{.*\}/s, 5_000);
    assert.match(answer, /^HTTP\/1\.1 408 /);
    assert.match(answer, /connection: close/i);
    assert.equal(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code, 'UPLOAD_TOO_SLOW');
    await withinMs(2_000, 'dripping upload closed', drip.closed);
    assert.equal(await uploadsInProgress(t), 0);
    // A whole upload at full speed still goes through the one slot.
    await t.http.post('/predict?mode=async').attach('file', randomBytes(64), 'a.mp3').expect(202);
  } finally {
    clearInterval(timer);
    drip?.socket.destroy();
    await t.close();
  }
});

test('concurrent uploads are capped per client (429) and in total (503) from the start of the request', async () => {
  const t = await inlineApp({ TRUST_PROXY: 'true', MAX_CONCURRENT_UPLOADS: '3', MAX_CONCURRENT_UPLOADS_PER_CLIENT: '2' });
  const open: Array<Awaited<ReturnType<typeof stalledUpload>>> = [];
  try {
    const port = await listening(t);
    const upload = async (client: string) => {
      const raw = await stalledUpload(port, { declaredBytes: 19_000_000, sentBytes: 100_000, forwardedFor: client });
      open.push(raw);
      return raw;
    };
    const a1 = await upload('10.0.0.1');
    const a2 = await upload('10.0.0.1');
    const a3 = await upload('10.0.0.1');
    const perClient = await a3.waitFor(/\{"error".*\}/s, 3_000);
    assert.match(perClient, /^HTTP\/1\.1 429/);
    assert.match(perClient, /retry-after: \d+/i);
    assert.match(perClient, /"code":"UPLOADS_PER_CLIENT"/);
    await upload('10.0.0.2'); // the third slot
    const c1 = await upload('10.0.0.3');
    const busy = await c1.waitFor(/\{"error".*\}/s, 3_000);
    assert.match(busy, /^HTTP\/1\.1 503/);
    assert.match(busy, /"code":"UPLOADS_BUSY"/);
    assert.equal(a1.received(), '', 'admitted uploads are still being received');
    assert.equal(a2.received(), '');
    assert.equal(await uploadsInProgress(t), 3);
    open.forEach((raw) => raw.socket.destroy());
    const until = Date.now() + 3_000;
    while ((await uploadsInProgress(t)) !== 0 && Date.now() < until) await sleep(20);
    assert.equal(await uploadsInProgress(t), 0, 'slots freed when the clients went away');
    await t.http.post('/predict?mode=async').set('x-forwarded-for', '10.0.0.1').attach('file', randomBytes(64), 'a.mp3').expect(202);
  } finally {
    open.forEach((raw) => raw.socket.destroy());
    await t.close();
  }
});

test('a percent-encoded path (/%70redict routes to /predict) holds an upload slot too', async () => {
  const t = await inlineApp({ TRUST_PROXY: 'true', MAX_CONCURRENT_UPLOADS: '3', MAX_CONCURRENT_UPLOADS_PER_CLIENT: '1' });
  const open: RawExchange[] = [];
  try {
    const port = await listening(t);
    const upload = async (path: string) => {
      const raw = await stalledUpload(port, { declaredBytes: 19_000_000, sentBytes: 100_000, forwardedFor: '10.0.0.9', path });
      open.push(raw);
      return raw;
    };
    const first = await upload('/%70redict?mode=async');
    await sleep(200);
    assert.equal(await uploadsInProgress(t), 1);
    const second = await upload('/%70r%65dict?mode=async');
    assert.match(await second.waitFor(/\{"error".*\}/s, 3_000), /"code":"UPLOADS_PER_CLIENT"/);
    assert.equal(first.received(), '', 'the first upload is still being received');
  } finally {
    open.forEach((raw) => raw.socket.destroy());
    await t.close();
  }
});

test('MAX_CONNECTIONS_PER_CLIENT: sockets beyond the cap are closed at once; the others still work', async () => {
  const t = await startTestApp({ queueKind: 'inline', process: async () => fakeResult(), env: { MAX_CONNECTIONS_PER_CLIENT: '4' } });
  const sockets: Array<Awaited<ReturnType<typeof openRaw>>> = [];
  try {
    const port = await listening(t);
    for (let i = 0; i < 8; i++) sockets.push(await openRaw(port));
    await sleep(300);
    const closed = sockets.filter((s) => s.socket.destroyed || s.socket.readableEnded);
    assert.equal(closed.length, 4, 'four sockets over the cap closed');
    const kept = sockets.find((s) => !closed.includes(s))!;
    kept.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.match(await kept.waitFor(/\{"status":"ok"\}/, 3_000), /^HTTP\/1\.1 200/);
    // Closing sockets gives the client its share back.
    sockets.forEach((s) => s.socket.destroy());
    await sleep(200);
    await t.http.get('/healthz').expect(200);
  } finally {
    sockets.forEach((s) => s.socket.destroy());
    await t.close();
  }
});

test('Expect: 100-continue with a 25 MB Content-Length → 413 UPLOAD_TOO_LARGE before any 100 Continue; a small one continues', async () => {
  const t = await startTestApp({ queueKind: 'inline', process: async () => fakeResult() });
  const sockets: RawExchange[] = [];
  try {
    const port = await listening(t);
    const big = await openRaw(port);
    sockets.push(big);
    big.socket.write('POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n' +
      `Content-Length: ${25 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n`);
    const answer = await big.waitFor(/\{"error".*\}/s, 3_000);
    assert.match(answer, /^HTTP\/1\.1 413/, 'the first thing sent is the 413');
    assert.doesNotMatch(answer, /100 Continue/);
    assert.match(answer, /"code":"UPLOAD_TOO_LARGE"/);
    await withinMs(3_000, 'connection closed after the 413', big.closed);

    const small = await openRaw(port);
    sockets.push(small);
    small.socket.write('POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n' +
      'Content-Length: 1000\r\nExpect: 100-continue\r\n\r\n');
    assert.match(await small.waitFor(/100 Continue/, 3_000), /^HTTP\/1\.1 100 Continue/);
    small.socket.destroy();

    // Without Expect, a declared 25 MB body is refused before it is read as well.
    const plain = await openRaw(port);
    sockets.push(plain);
    plain.socket.write('POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n' +
      `Content-Length: ${25 * 1024 * 1024}\r\n\r\n`);
    assert.match(await plain.waitFor(/\{"error".*\}/s, 3_000), /^HTTP\/1\.1 413[\s\S]*"code":"UPLOAD_TOO_LARGE"/);
  } finally {
    sockets.forEach((raw) => raw.socket.destroy());
    await t.close();
  }
});

test('/metrics and /readyz are limited per client (PROBE_RATE_LIMIT_MAX) even with RATE_LIMIT_MAX=0; /healthz is not', async () => {
  const t = await startTestApp({ queueKind: 'inline', process: async () => fakeResult(), env: { PROBE_RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '60000' } });
  try {
    for (const path of ['/metrics', '/readyz']) {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const res = await t.http.get(path);
        statuses.push(res.status);
        if (res.status === 429) {
          assert.equal(res.body.error.code, 'RATE_LIMITED');
          assert.ok(res.headers['retry-after']);
        }
      }
      assert.equal(statuses.filter((s) => s === 200).length, 5, `${path}: ${statuses.join(',')}`);
      assert.equal(statuses.filter((s) => s === 429).length, 7, `${path}: ${statuses.join(',')}`);
    }
    for (let i = 0; i < 20; i++) await t.http.get('/healthz').expect(200);
    // Uploads keep the public limit (0: off).
    for (let i = 0; i < 8; i++) await t.http.post('/predict?mode=async').attach('file', randomBytes(64), 'a.mp3').expect(202);
  } finally {
    await t.close();
  }
});

test('provider searches are shared per client: beyond CLIENT_LOOKUP_RATE_LIMIT → 429; cached lookups and other clients still answer', async () => {
  const t = await startTestApp({ queueKind: 'inline', process: async () => fakeResult(), env: { TRUST_PROXY: 'true', CLIENT_LOOKUP_RATE_LIMIT: '3/60s' } });
  try {
    const searches = () => t.fake.requests.filter((r) => r.server === 'deezer').length;
    let allowed = 0;
    const ask = (client: string, i: number) => t.http.get(`/d/music-prediction?artist=Unknown&track=Song%20${i}`).set('x-forwarded-for', client);
    const greedy = [];
    for (let i = 0; i < 8; i++) {
      greedy.push(await ask('10.0.0.1', i));
      if (i === 2) allowed = searches();
    }
    const statuses = greedy.map((r) => r.status);
    assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429, 429, 429]);
    for (const r of greedy.slice(3)) {
      assert.equal(r.body.error.code, 'CLIENT_LOOKUP_LIMIT');
      assert.ok(Number(r.headers['retry-after']) >= 1);
    }
    assert.ok(allowed >= 3);
    assert.equal(searches(), allowed, 'refused lookups never reached the provider');
    assert.deepEqual((await ask('10.0.0.1', 0).expect(200)).body, { response: false }, 'a cached lookup is free');
    assert.deepEqual((await ask('10.0.0.2', 100).expect(200)).body, { response: false }, 'another client has its own share');
    assert.ok(searches() > allowed);
  } finally {
    await t.close();
  }
});
