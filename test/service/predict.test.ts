// POST /predict against the real app (BullMQ on real Redis, in-process worker, real pipeline).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { audioFixture, type FixtureFormat } from '../helpers/audio-fixtures.js';
import { openRaw } from '../reliability/raw-http.js';
import { withinMs } from '../reliability/helpers.js';
import { fakeResult, leftUploads } from './queue/helpers.js';
import { TINY_MODEL_LABELS, isBase64Jpeg, pollJob, startTestApp, type TestApp } from './harness.js';

let t: TestApp;
before(async () => {
  t = await startTestApp({ queueKind: 'bullmq', env: { MAX_UPLOAD_BYTES: String(300 * 1024) } });
});
after(async () => {
  await t?.close();
});

const fixture = async (format: FixtureFormat, frequencyHz = 440) => readFile(await audioFixture({ format, seconds: 3, frequencyHz }));

test('uploads in mp3, m4a, wav, flac and ogg → 200 with the hit shape minus mp3', async () => {
  for (const format of ['mp3', 'm4a', 'wav', 'flac', 'ogg'] as const) {
    const res = await t.http.post('/predict').attach('file', await fixture(format), `clip.${format}`).expect(200);
    const body = res.body as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).slice(0, 4), ['response', 'first', 'second', 'mfcc'], format);
    assert.equal(body.mp3, undefined);
    assert.ok(TINY_MODEL_LABELS.includes((body.first as [string, number])[0]));
    assert.ok(isBase64Jpeg(body.mfcc), format);
    assert.ok(Math.abs((body.durationSeconds as number) - 3) < 0.2, `${format}: ${body.durationSeconds}`);
  }
  // Nothing of the uploads stays in Redis once their jobs are done.
  assert.deepEqual(await leftUploads(t.config), []);
});

test('the same bytes uploaded twice at once → one job; a third time → from the cache', async () => {
  const bytes = await fixture('mp3', 660);
  const before = t.processed();
  const [a, b] = await Promise.all([
    t.http.post('/predict').attach('file', bytes, 'a.mp3').expect(200),
    t.http.post('/predict').attach('file', bytes, 'b.mp3').expect(200),
  ]);
  assert.deepEqual(a.body, b.body);
  assert.equal(t.processed() - before, 1);
  const again = await t.http.post('/predict').attach('file', bytes, 'c.mp3').expect(200);
  assert.deepEqual(again.body, a.body);
  assert.equal(t.processed() - before, 1);
});

test('?mode=async → 202, Location, and the job result by polling', async () => {
  const res = await t.http.post('/predict?mode=async').attach('file', await fixture('wav', 880), 'x.wav').expect(202);
  assert.equal(res.headers.location, `/jobs/${res.body.jobId}`);
  const job = await pollJob(t, res.headers.location!);
  assert.equal(job.state, 'completed');
  assert.equal((job.result as { response: boolean }).response, true);
  assert.deepEqual(job.progress, { stage: 'image', percent: 90 });
});

test('bad uploads: every one a 4xx JSON error with a clear code', async () => {
  const cases: Array<[string, () => Promise<{ status: number; body: { error?: { code: string } } }>, number, string]> = [
    ['no file', () => t.http.post('/predict').field('note', 'hi'), 400, 'MISSING_FILE'],
    ['two files', async () => t.http.post('/predict').attach('file', await fixture('mp3'), 'a.mp3').attach('file', await fixture('wav'), 'b.wav'), 400, 'TOO_MANY_FILES'],
    ['wrong field', async () => t.http.post('/predict').attach('audio', await fixture('mp3'), 'a.mp3'), 400, 'UNEXPECTED_FILE_FIELD'],
    ['empty file', () => t.http.post('/predict').attach('file', Buffer.alloc(0), 'empty.mp3'), 400, 'EMPTY_AUDIO'],
    ['not audio', () => t.http.post('/predict').attach('file', Buffer.from('hello, this is text and not audio at all'.repeat(50)), 'a.mp3'), 415, 'NOT_AUDIO'],
    ['too large', () => t.http.post('/predict').attach('file', Buffer.alloc(301 * 1024, 7), 'big.mp3'), 413, 'UPLOAD_TOO_LARGE'],
    ['json body', () => t.http.post('/predict').send({ file: 'x' }), 415, 'NOT_MULTIPART'],
    ['raw audio body', async () => t.http.post('/predict').set('content-type', 'audio/mpeg').send(await fixture('mp3')), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['bad mode', async () => t.http.post('/predict?mode=x').attach('file', await fixture('mp3'), 'a.mp3'), 400, 'INVALID_QUERY'],
  ];
  for (const [name, send, status, code] of cases) {
    const res = await send();
    assert.equal(res.status, status, `${name}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error?.code, code, name);
  }
  assert.deepEqual(await leftUploads(t.config), []);
});

test('a chunked body whose text field or skipped part never ends → 413 once the body passes the upload limit, and the connection closes', async () => {
  const app = await startTestApp({ queueKind: 'inline', process: async () => fakeResult(), env: { MAX_UPLOAD_BYTES: String(300 * 1024) } });
  let timer: NodeJS.Timeout | undefined;
  try {
    await app.app.listen({ host: '127.0.0.1', port: 0 });
    for (const head of ['Content-Disposition: form-data; name="note"', 'Content-Type: text/plain']) {
      const r = await openRaw((app.app.server.address() as { port: number }).port);
      const chunk = (data: Buffer) => r.socket.writable && r.socket.write(Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]));
      r.socket.write('POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n');
      chunk(Buffer.from(`--b\r\n${head}\r\n\r\n`));
      // Busboy keeps 1 KiB of a field and drops the rest of it, and all of a part it skips: only a
      // count of the body's bytes can stop it.
      timer = setInterval(() => chunk(Buffer.alloc(64 * 1024, 0x41)), 5);
      const answer = await r.waitFor(/\r\n\r\n\{.*\}/s, 5_000);
      clearInterval(timer);
      assert.match(answer, /^HTTP\/1\.1 413 /, head);
      assert.equal(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code, 'UPLOAD_TOO_LARGE');
      await withinMs(2_000, 'endless body closed', r.closed);
    }
  } finally {
    clearInterval(timer);
    await app.close();
  }
});

test('a last part busboy skips (no Content-Disposition), sent at once, is answered at once, with or without a file before it', async () => {
  // Over 16 KiB: busboy's default part buffer, past which it used to wait for the body forever (408).
  const skipped = Buffer.concat([Buffer.from('--b\r\nContent-Type: application/octet-stream\r\n\r\n'), Buffer.alloc(17_000, 0x41), Buffer.from('\r\n--b--\r\n')]);
  const filePart = Buffer.concat([Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n'), await fixture('wav', 990), Buffer.from('\r\n')]);
  const post = (body: Buffer) => t.http.post('/predict').set('content-type', 'multipart/form-data; boundary=b').send(body);
  const alone = await post(skipped);
  assert.equal(alone.status, 400, JSON.stringify(alone.body));
  assert.equal(alone.body.error.code, 'MISSING_FILE');
  const afterFile = await post(Buffer.concat([filePart, skipped]));
  assert.equal(afterFile.status, 200, JSON.stringify(afterFile.body));
  assert.equal(afterFile.body.response, true);
});

test('a chunked upload that never ends → 413 UPLOAD_TOO_LARGE once the file passes MAX_UPLOAD_BYTES, and the connection closes', async () => {
  const app = await startTestApp({ queueKind: 'inline', process: async () => fakeResult(), env: { MAX_UPLOAD_BYTES: String(300 * 1024) } });
  let timer: NodeJS.Timeout | undefined;
  try {
    await app.app.listen({ host: '127.0.0.1', port: 0 });
    const r = await openRaw((app.app.server.address() as { port: number }).port);
    const chunk = (data: Buffer) => r.socket.writable && r.socket.write(Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]));
    r.socket.write('POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n');
    chunk(Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\nContent-Type: audio/mpeg\r\n\r\n'));
    // No Content-Length to refuse up front, and the part never ends: only the file's size can stop it.
    timer = setInterval(() => chunk(Buffer.alloc(64 * 1024, 0x41)), 5);
    const answer = await r.waitFor(/\r\n\r\n\{.*\}/s, 5_000);
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.match(answer, /connection: close/i);
    assert.equal(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code, 'UPLOAD_TOO_LARGE');
    await withinMs(2_000, 'endless upload closed', r.closed);
  } finally {
    clearInterval(timer);
    await app.close();
  }
});
