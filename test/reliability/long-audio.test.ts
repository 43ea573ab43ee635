// Audio that would keep ffmpeg busy: a real 3-hour FLAC (2 MB: a tone, then silence) is cut at
// MAX_AUDIO_SECONDS; a decode slower than FFMPEG_TIMEOUT_MS and an ffmpeg that hangs for good are
// both answered with DECODE_TIMEOUT 422 on time, and the ffmpeg process is killed (checked in
// /proc: no ffmpeg child of this process remains). All through the HTTP API, embedded mode.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { idleWarmDecoderPids } from '../../src/audio/ffmpeg/warm-decoder.js';
import { startTestApp } from '../service/harness.js';
import { sleep } from '../service/queue/helpers.js';
import { descendantProcesses, isolateTmpdir, strayFfmpegProcesses } from './helpers.js';

const run = promisify(execFile);
const tmp = isolateTmpdir();
let threeHours: Buffer;
let hiRes: Buffer;

before(async () => {
  const ffmpeg = (args: string[], out: string) =>
    run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', ...args, join(tmp.dir, out)], { timeout: 60_000 });
  await Promise.all([
    ffmpeg(['sine=frequency=220:sample_rate=8000:duration=60,apad=whole_dur=10800', '-ac', '1', '-c:a', 'flac'], 'three-hours.flac'),
    // 30 s of stereo 96-kHz noise: a real decode + resample that takes longer than 100 ms.
    ffmpeg(['anoisesrc=color=pink:sample_rate=96000:duration=30', '-ac', '2', '-c:a', 'flac', '-compression_level', '0'], 'hi-res.flac'),
  ]);
  threeHours = await readFile(join(tmp.dir, 'three-hours.flac'));
  hiRes = await readFile(join(tmp.dir, 'hi-res.flac'));
});
after(() => tmp.remove());

/** Waits (briefly) until no ffmpeg process below this one is alive, but the warm pool's idle one. */
async function ffmpegChildrenAfter(ms: number): Promise<Array<{ pid: number }>> {
  const until = Date.now() + ms;
  while ((await strayFfmpegProcesses()).length > 0 && Date.now() < until) await sleep(25);
  assert.ok((await idleWarmDecoderPids()).length <= 1, `idle warm processes: ${(await idleWarmDecoderPids()).join(', ')}`);
  return (await strayFfmpegProcesses());
}

test('a 3-hour FLAC upload is decoded only up to MAX_AUDIO_SECONDS, in bounded time', async () => {
  const t = await startTestApp({ queueKind: 'inline', env: { MAX_AUDIO_SECONDS: '30' } });
  try {
    const started = performance.now();
    const res = await t.http.post('/predict').attach('file', threeHours, 'long.flac').expect(200);
    const ms = performance.now() - started;
    assert.equal(res.body.response, true);
    assert.ok(Math.abs(res.body.durationSeconds - 30) < 0.05, `decoded ${res.body.durationSeconds} s of a 10,800-s file`);
    assert.ok(ms < 10_000, `took ${ms.toFixed(0)} ms`);
    assert.deepEqual(await ffmpegChildrenAfter(1_000), []);
  } finally {
    await t.close();
  }
});

test('a decode slower than FFMPEG_TIMEOUT_MS → 422 DECODE_TIMEOUT on time; ffmpeg is killed', async () => {
  const t = await startTestApp({ queueKind: 'inline', env: { FFMPEG_TIMEOUT_MS: '100', JOB_ATTEMPTS: '1', MAX_UPLOAD_BYTES: String(30 * 1024 * 1024) } });
  try {
    const started = performance.now();
    const res = await t.http.post('/predict').attach('file', hiRes, 'hires.flac');
    const ms = performance.now() - started;
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'DECODE_TIMEOUT');
    assert.ok(ms < 3_000, `answered after ${ms.toFixed(0)} ms`);
    assert.deepEqual(await ffmpegChildrenAfter(500), [], 'the timed-out ffmpeg was killed');
  } finally {
    await t.close();
  }
});

test('an ffmpeg that hangs forever → 422 DECODE_TIMEOUT after FFMPEG_TIMEOUT_MS; the hung process is SIGKILLed', async () => {
  // FFMPEG_PATH is a wrapper: capability questions go to the real ffmpeg; a decode execs a copy of
  // `sleep` named "ffmpeg" (so /proc shows it as ffmpeg), which never reads its input nor exits.
  const bin = join(tmp.dir, 'hang-bin');
  mkdirSync(join(bin, 'real'), { recursive: true });
  copyFileSync('/bin/sleep', join(bin, 'real', 'ffmpeg'));
  writeFileSync(join(bin, 'ffmpeg'), `#!/bin/sh\ncase "$*" in *filter=aresample*|*-version*) exec /usr/bin/ffmpeg "$@";; esac\nexec "${join(bin, 'real', 'ffmpeg')}" 3600\n`);
  chmodSync(join(bin, 'ffmpeg'), 0o755);
  const t = await startTestApp({ queueKind: 'inline', env: { FFMPEG_PATH: join(bin, 'ffmpeg'), FFMPEG_TIMEOUT_MS: '1000', JOB_ATTEMPTS: '1' } });
  try {
    const started = performance.now();
    const res = await t.http.post('/predict').attach('file', threeHours.subarray(0, 200_000), 'any.flac');
    const ms = performance.now() - started;
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'DECODE_TIMEOUT');
    assert.ok(ms >= 1_000 && ms < 4_000, `answered after ${ms.toFixed(0)} ms`);
    assert.deepEqual(await ffmpegChildrenAfter(1_000), [], 'the hung ffmpeg was killed');
    await t.http.get('/healthz').expect(200);
  } finally {
    await t.close();
  }
  assert.deepEqual(descendantProcesses(['ffmpeg']), [], 'closing the app killed the idle warm process');
});
