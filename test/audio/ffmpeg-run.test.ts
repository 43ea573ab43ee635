// How ffmpeg failures are classified: the input's fault (NOT_AUDIO) vs ours (FFMPEG_FAILED).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveFfmpegPath } from '../../src/audio/ffmpeg/ffmpeg-binary.js';
import { collectFfmpegOutput } from '../../src/audio/ffmpeg/ffmpeg-run.js';
import { spawnWarm } from '../../src/audio/ffmpeg/warm-process.js';
import { InputError, InternalError } from '../../src/errors.js';
import { FORMATS, makeFixtureDir, makeTone } from './fixtures.js';

let dir = '';
let cleanup = (): void => {};
let wav = '';
before(() => {
  ({ dir, cleanup } = makeFixtureDir());
  wav = makeTone(join(dir, 'tone.wav'), 1, FORMATS.wav);
});
after(() => cleanup());

/** ffmpeg spawned now (the cold path), reading the WAV through `filter`. */
function runFfmpeg({ filter, maxOutputBytes }: { filter: string; maxOutputBytes: number }): Promise<Buffer> {
  const ffmpeg = spawnWarm(resolveFfmpegPath({}).path, ['-v', 'error', '-i', `file:${wav}`, '-af', filter, '-ac', '1', '-f', 'f32le', 'pipe:1']);
  ffmpeg.handOver(Buffer.alloc(0));
  return collectFfmpegOutput({ ffmpeg, timeoutMs: 20_000, maxOutputBytes });
}

test('a good command returns the raw bytes', async () => {
  const raw = await runFfmpeg({ filter: 'aresample=8000', maxOutputBytes: 1 << 20 });
  assert.equal(raw.length, 8000 * 4);
});

test('a broken filter is our fault (InternalError FFMPEG_FAILED), not NOT_AUDIO', async () => {
  await assert.rejects(runFfmpeg({ filter: 'aresample=8000:resampler=nosuch', maxOutputBytes: 1 << 20 }), (err: unknown) =>
    err instanceof InternalError && err.code === 'FFMPEG_FAILED' && !(err instanceof InputError) && !/0x[0-9a-f]{6,}/.test(err.message));
});

test('output stops at maxOutputBytes: the first bytes are the result', async () => {
  const whole = await runFfmpeg({ filter: 'aresample=8000', maxOutputBytes: 1 << 20 });
  const capped = await runFfmpeg({ filter: 'aresample=8000', maxOutputBytes: 1000 });
  assert.ok(capped.equals(whole.subarray(0, 1000)));
});
