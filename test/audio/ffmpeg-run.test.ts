// How ffmpeg failures are classified: the input's fault (NOT_AUDIO) vs ours (FFMPEG_FAILED).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import ffmpeg from 'fluent-ffmpeg';
import { resolveFfmpegPath } from '../../src/audio/ffmpeg/ffmpeg-binary.js';
import { runFfmpeg } from '../../src/audio/ffmpeg/ffmpeg-run.js';
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

function command(filter: string) {
  return ffmpeg(`file:${wav}`).setFfmpegPath(resolveFfmpegPath({}).path).inputOptions(['-v', 'error'])
    .audioFilters([filter]).audioChannels(1).format('f32le');
}

test('a good command returns the raw bytes', async () => {
  const raw = await runFfmpeg({ command: command('aresample=8000'), timeoutMs: 20_000, maxOutputBytes: 1 << 20 });
  assert.equal(raw.length, 8000 * 4);
});

test('a broken filter is our fault (InternalError FFMPEG_FAILED), not NOT_AUDIO', async () => {
  await assert.rejects(runFfmpeg({ command: command('aresample=8000:resampler=nosuch'), timeoutMs: 20_000, maxOutputBytes: 1 << 20 }), (err: unknown) =>
    err instanceof InternalError && err.code === 'FFMPEG_FAILED' && !(err instanceof InputError));
});

test('more output than maxOutputBytes stops ffmpeg with DECODE_OUTPUT_OVERFLOW', async () => {
  await assert.rejects(runFfmpeg({ command: command('aresample=8000'), timeoutMs: 20_000, maxOutputBytes: 1000 }), (err: unknown) =>
    err instanceof InternalError && err.code === 'DECODE_OUTPUT_OVERFLOW');
});
