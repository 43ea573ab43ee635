// Errors answered before any route runs (unparseable requests, headers too large, header
// time-outs, bad percent-encoding, long path parameters) have the same JSON shape as every other.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { clientErrorBody } from '../../src/service/edge-errors.js';
import { openRaw } from '../reliability/raw-http.js';
import { withinMs } from '../reliability/helpers.js';
import { fakeResult } from './queue/helpers.js';
import { startTestApp, type TestApp } from './harness.js';

let t: TestApp;
let port: number;
before(async () => {
  t = await startTestApp({ queueKind: 'inline', process: async () => fakeResult(), env: { HTTP_HEADERS_TIMEOUT_MS: '1000' } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  port = (t.app.server.address() as { port: number }).port;
});
after(async () => {
  await t?.close();
});

/** Sends `raw` on a fresh socket; resolves with the status line and the JSON error once the server closes. */
async function exchange(raw: string | Buffer): Promise<{ status: string; code: string; closedAfterMs: number }> {
  const r = await openRaw(port);
  r.socket.write(raw);
  const closedAfterMs = await withinMs(5_000, 'connection closed', r.closed);
  const text = r.received();
  const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message: string } };
  assert.ok(body.error.message.length > 0);
  return { status: text.split('\r\n')[0]!, code: body.error.code, closedAfterMs };
}

test('a malformed request, oversized headers and a stalled header each get a JSON error and a closed connection', async () => {
  assert.deepEqual(await exchange('FOO / HTTP/1.1\r\nHost: x\r\n\r\n').then((e) => [e.status, e.code]), ['HTTP/1.1 400 Bad Request', 'INVALID_REQUEST']);
  const huge = `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
  assert.deepEqual(await exchange(huge).then((e) => [e.status, e.code]), ['HTTP/1.1 431 Request Header Fields Too Large', 'HEADERS_TOO_LARGE']);
  // node:http checks this limit on a timer; by default every 30 s, here within a second of it.
  const stalled = await exchange('GET / HTTP/1.1\r\nHost: x\r\n');
  assert.deepEqual([stalled.status, stalled.code], ['HTTP/1.1 408 Request Timeout', 'REQUEST_TIMEOUT']);
  assert.ok(stalled.closedAfterMs < 3_000, `header time-out of 1000 ms fired after ${stalled.closedAfterMs} ms`);
});

test('no Host header on HTTP/1.1, an unknown Expect, a range past the end, a path out of the web root: JSON errors', async () => {
  assert.deepEqual(await exchange('GET /healthz HTTP/1.1\r\n\r\n').then((e) => [e.status, e.code]), ['HTTP/1.1 400 Bad Request', 'INVALID_REQUEST']);
  const expect = 'POST /predict HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 5\r\n\r\n';
  assert.deepEqual(await exchange(expect).then((e) => [e.status, e.code]), ['HTTP/1.1 417 Expectation Failed', 'EXPECTATION_FAILED']);
  const traversal = await exchange('GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.deepEqual([traversal.status, traversal.code], ['HTTP/1.1 403 Forbidden', 'FORBIDDEN']);
  const range = await t.http.get('/index.html').set('range', 'bytes=99999999-');
  assert.deepEqual([range.status, range.body.error?.code], [416, 'RANGE_NOT_SATISFIABLE']);
  // HTTP/1.0 has no Host requirement.
  const old = await openRaw(port);
  old.socket.write('GET /healthz HTTP/1.0\r\n\r\n');
  await withinMs(5_000, 'HTTP/1.0 answered', old.closed);
  assert.match(old.received(), /^HTTP\/1\.1 200 /);
});

test('a URL that is not valid percent-encoding → 400 INVALID_REQUEST', async () => {
  for (const path of ['/%ZZ', '/jobs/%E0%A4%A']) {
    const res = await t.http.get(path).expect(400);
    assert.equal(res.body.error.code, 'INVALID_REQUEST', path);
  }
});

test('a job id of any length reaches the jobs route: 400 INVALID_JOB_ID', async () => {
  for (const id of ['f'.repeat(101), 'f'.repeat(10_000)]) {
    const res = await t.http.get(`/jobs/${id}`).expect(400);
    assert.equal(res.body.error.code, 'INVALID_JOB_ID', `${id.length} characters`);
  }
});

test('the error node:http reports names the code', () => {
  assert.equal(clientErrorBody({ code: 'ERR_HTTP_REQUEST_TIMEOUT' }).code, 'REQUEST_TIMEOUT');
  assert.equal(clientErrorBody({ code: 'HPE_HEADER_OVERFLOW' }).code, 'HEADERS_TOO_LARGE');
  assert.equal(clientErrorBody({ code: 'HPE_INVALID_METHOD' }).code, 'INVALID_REQUEST');
  assert.equal(clientErrorBody({}).code, 'INVALID_REQUEST');
});
