// Bad-input fuzz against the REAL app (BullMQ on Redis under a unique prefix, an in-process
// worker running the real pipeline: ffmpeg, MFCC, tiny model). fast-check, fixed seed, 600 cases:
// uploads (random, truncated, bit-flipped, lying-header audio; zero bytes; oversized; huge part
// headers; wrong fields; several files; no file; garbage multipart; wrong content types) and
// query strings (empty, long, unicode, injection-like). Every answer must be a 4xx JSON error
// `{"error":{"code","message"}}` or a well-formed 200/202 — never a 5xx, never a hang; afterwards
// the process still predicts, no temp file and no ffmpeg child (but the warm pool's idle one)
// remain, and no upload bytes stay in Redis.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { idleWarmDecoderPids } from '../../src/audio/ffmpeg/warm-decoder.js';
import { startTestApp, type TestApp } from '../service/harness.js';
import { redisKeys, sleep } from '../service/queue/helpers.js';
import { queryCase, uploadCase, type FuzzCase } from './fuzz-cases.js';
import { isolateTmpdir, seedAudioFiles, strayFfmpegProcesses, withinMs, type SeedFormat } from './helpers.js';

const SEED = 20_261_123;
const RUNS = 600;
const MAX_UPLOAD_BYTES = 256 * 1024;

const tmp = isolateTmpdir();
let t: TestApp;
let seeds: Record<SeedFormat, Buffer>;
let tmpBefore: string[] = [];

before(async () => {
  t = await startTestApp({
    queueKind: 'bullmq',
    env: {
      MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
      // The fuzz sends hundreds of lookups in seconds: the provider quotas are not under test here.
      DEEZER_RATE_LIMIT: '100000/1s',
      ITUNES_RATE_LIMIT: '100000/1s',
      FFMPEG_TIMEOUT_MS: '10000',
    },
  });
  seeds = await seedAudioFiles(tmp.dir);
  tmpBefore = tmp.entries();
});
after(async () => {
  await t?.close();
  tmp.remove();
});

function checkAnswer(c: FuzzCase, res: { statusCode: number; headers: Record<string, unknown>; body: string }): void {
  const where = `${c.family} ${c.method} ${c.url.slice(0, 120)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  assert.ok(res.statusCode < 500, `5xx: ${where}`);
  assert.match(String(res.headers['content-type']), /application\/json/, `not JSON: ${where}`);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  if (res.statusCode >= 400) {
    const error = body.error as { code?: unknown; message?: unknown } | undefined;
    assert.ok(error && typeof error.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(error.code), `no error code: ${where}`);
    assert.ok(typeof error.message === 'string' && error.message.length > 0, `no error message: ${where}`);
    return;
  }
  if (res.statusCode === 202) return assert.match(String(body.jobId), /^[0-9a-f]{32}$/, where);
  assert.equal(res.statusCode, 200, where);
  if (c.url.startsWith('/jobs/')) return assert.match(String(body.id), /^[0-9a-f]{32}$/, where);
  assert.equal(typeof body.response, 'boolean', where);
  if (body.response === true) {
    assert.ok(Array.isArray(body.first) && Array.isArray(body.second) && typeof body.mfcc === 'string', `bad result: ${where}`);
  }
}

test(`fuzz: ${RUNS} bad uploads and query strings (seed ${SEED}) → 4xx JSON or a valid answer, never 5xx or a hang`, async () => {
  const stats = new Map<string, Map<number, number>>();
  let expensive = 0;
  const anyCase = fc.oneof({ weight: 3, arbitrary: uploadCase(seeds, { maxUploadBytes: MAX_UPLOAD_BYTES }) }, { weight: 2, arbitrary: queryCase });
  const started = performance.now();
  await fc.assert(
    fc.asyncProperty(anyCase, async (c) => {
      const res = await withinMs(15_000, c.family, t.app.inject({ method: c.method, url: c.url, headers: c.headers, payload: c.payload }));
      if (c.expensive) expensive++;
      const byStatus = stats.get(c.family) ?? new Map<number, number>();
      byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1);
      stats.set(c.family, byStatus);
      checkAnswer(c, res);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
  const seconds = (performance.now() - started) / 1000;
  const table = [...stats].sort().map(([family, s]) => `${family.padEnd(32)} ${[...s].sort().map(([code, n]) => `${code}×${n}`).join(' ')}`);
  console.log(`fuzz: ${RUNS} cases in ${seconds.toFixed(1)} s, ${expensive} reached ffmpeg\n  ${table.join('\n  ')}`);
  assert.ok(stats.size >= 12, 'every family of bad input was generated');
  assert.ok(expensive < RUNS / 2, `expensive cases are a minority (${expensive})`);
});

test('after the fuzz: the process still predicts, nothing leaked (temp files, ffmpeg, Redis upload bytes), no shell ran', async () => {
  const ok = await t.http.post('/predict').attach('file', seeds.wav, 'ok.wav').expect(200);
  assert.equal(ok.body.response, true);
  await t.http.get('/healthz').expect(200);
  // Jobs submitted with mode=async may still run: wait for the queue to drain.
  const until = Date.now() + 20_000;
  while (((await t.queue.backlog()) > 0 || (await redisKeys(`${t.config.QUEUE_PREFIX}:${t.config.QUEUE_NAME}:active`)).length > 0) && Date.now() < until) await sleep(100);
  await sleep(200);
  assert.deepEqual(tmp.entries(), tmpBefore, 'no temp file left in os.tmpdir()');
  assert.deepEqual((await strayFfmpegProcesses()), [], 'no ffmpeg child left (but the warm pool\'s idle one)');
  assert.ok((await idleWarmDecoderPids()).length <= 1, `idle warm processes: ${(await idleWarmDecoderPids()).join(', ')}`);
  const keys = await redisKeys(`${t.config.QUEUE_PREFIX}:*`);
  assert.deepEqual(keys.filter((k) => k.startsWith(`${t.config.QUEUE_PREFIX}:${t.config.QUEUE_NAME}:upload:`)), [], 'no upload bytes left in Redis');
  assert.equal(existsSync('/tmp/pwned-mp'), false, 'no injected shell command ran');
});
