// Regression: once a process has decoded successfully (fluent-ffmpeg has cached its one-off
// capability probe), an ffmpeg binary that has since been deleted or lost its exec bit made
// fluent-ffmpeg throw an uncaught TypeError (processor.js:543) from the spawn-error handler,
// which killed the process. It must be InternalError FFMPEG_UNAVAILABLE, from decodeAudio and
// from runFfmpeg itself (where decode.ts's check before the spawn does not apply).
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import ffmpeg from 'fluent-ffmpeg';
import { decodeAudio } from '../../src/audio/decode.js';
import { resolveFfmpegPath } from '../../src/audio/ffmpeg/ffmpeg-binary.js';
import { runFfmpeg } from '../../src/audio/ffmpeg/ffmpeg-run.js';
import { InternalError } from '../../src/errors.js';
import { FORMATS, makeFixtureDir, makeTone } from './fixtures.js';

let dir = '';
let cleanup = (): void => {};
let wav = '';
before(() => {
  ({ dir, cleanup } = makeFixtureDir());
  wav = makeTone(join(dir, 'tone.wav'), 2, FORMATS.wav);
});
after(() => cleanup());

/** A working "ffmpeg" at a path of our own, so the test can take it away. */
function wrapper(name: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\nexec '${resolveFfmpegPath({}).path}' "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

function unavailable(err: unknown): boolean {
  assert.ok(err instanceof InternalError, `expected InternalError, got ${String(err)}`);
  assert.equal(err.code, 'FFMPEG_UNAVAILABLE', err.message);
  return true;
}

test('a deleted or non-executable ffmpeg after a successful decode is FFMPEG_UNAVAILABLE, from a path or a Buffer', async () => {
  const binary = wrapper('ffmpeg-gone');
  const ok = await decodeAudio({ input: wav, ffmpegPath: binary });
  assert.equal(ok.samples.length, 2 * 22050);
  chmodSync(binary, 0o644);
  await assert.rejects(decodeAudio({ input: wav, ffmpegPath: binary }), unavailable);
  await assert.rejects(decodeAudio({ input: readFileSync(wav), ffmpegPath: binary }), unavailable);
  rmSync(binary);
  await assert.rejects(decodeAudio({ input: wav, ffmpegPath: binary }), unavailable);
  await assert.rejects(decodeAudio({ input: readFileSync(wav), ffmpegPath: binary }), unavailable);
});

test('runFfmpeg reports a spawn failure (ENOENT) as FFMPEG_UNAVAILABLE instead of crashing', async () => {
  const binary = wrapper('ffmpeg-gone-too');
  const command = (): ffmpeg.FfmpegCommand =>
    ffmpeg(`file:${wav}`).setFfmpegPath(binary).inputOptions(['-v', 'error']).audioFilters(['aresample=8000']).audioChannels(1).format('f32le');
  const raw = await runFfmpeg({ command: command(), timeoutMs: 20_000, maxOutputBytes: 1 << 20 });
  assert.equal(raw.length, 2 * 8000 * 4);
  rmSync(binary);
  await assert.rejects(runFfmpeg({ command: command(), timeoutMs: 20_000, maxOutputBytes: 1 << 20 }), (err: unknown) =>
    unavailable(err) && /ENOENT/.test((err as Error).message));
});
