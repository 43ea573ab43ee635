// A preview provider (stand-in on 127.0.0.1) that answers the search with an endless body, with
// and without a Content-Length: the API must answer 502 PROVIDER_RESPONSE_TOO_LARGE quickly, read
// no more than the cap (plus socket buffers), and keep its memory. The stand-in stops on its own
// after BODY_LIMIT bytes so a regression fails the test instead of exhausting the machine.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../service/harness.js';
import { fakeResult } from '../service/queue/helpers.js';
import { withinMs } from './helpers.js';

const BODY_LIMIT = 192 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x20);

let server: Server;
let declareLength = false;
let sent = 0;
let t: TestApp;

before(async () => {
  server = createServer((_req, res) => {
    // '{"data": [' then spaces for ever: valid JSON so far, never complete.
    res.writeHead(200, { 'content-type': 'application/json', ...(declareLength ? { 'content-length': String(2 ** 31) } : {}) });
    res.write('{"data": [');
    const pump = () => {
      while (sent < BODY_LIMIT && !res.destroyed) {
        sent += CHUNK.length;
        if (!res.write(CHUNK)) return void res.once('drain', pump);
      }
      res.destroy();
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  t = await startTestApp({
    queueKind: 'inline',
    process: async () => fakeResult(),
    env: { DEEZER_BASE_URL: base, ITUNES_BASE_URL: base, PROVIDER_TIMEOUT_MS: '20000', DEEZER_RATE_LIMIT: '1000/1s', ITUNES_RATE_LIMIT: '1000/1s' },
  });
});
after(async () => {
  await t?.close();
  await new Promise((r) => server.close(r));
});

for (const withLength of [false, true]) {
  test(`a provider streaming an endless search answer (${withLength ? 'Content-Length 2 GiB' : 'no Content-Length'}) → 502, bounded read and memory`, async (ctx) => {
    declareLength = withLength;
    sent = 0;
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const res = await withinMs(15_000, 'endless provider body', t.http.get(`/d/music-prediction?artist=Endless${withLength ? 1 : 0}&track=Body`));
    const ms = performance.now() - started;
    assert.equal(res.status, 502, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'PROVIDER_RESPONSE_TOO_LARGE');
    assert.ok(ms < 3_000, `${ms} ms`);
    // Both providers asked (Deezer, then iTunes): the cap is 512 KiB each; loopback socket buffers
    // hold a few MB more that the server counts as written.
    assert.ok(sent < 24 * 1024 * 1024, `the stand-in wrote ${sent} bytes`);
    const grewMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    ctx.diagnostic(`${res.status} ${res.body.error.code} in ${ms.toFixed(0)} ms; stand-in wrote ${(sent / 2 ** 20).toFixed(1)} MiB; RSS +${grewMb.toFixed(1)} MB`);
    assert.ok(grewMb < 64, `RSS grew by ${grewMb.toFixed(1)} MB`);
    const health = await t.http.get('/healthz');
    assert.equal(health.status, 200);
  });
}
