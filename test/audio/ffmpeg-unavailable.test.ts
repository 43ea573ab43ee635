// Regression: once a process has decoded successfully, an ffmpeg binary that has since been
// deleted or lost its exec bit made the spawn library throw an uncaught TypeError from its
// spawn-error handler, which killed the process. It must be a 503 FFMPEG_UNAVAILABLE
// (another worker may still have ffmpeg), from decodeAudio and from a spawn itself (where
// decode.ts's check before the spawn does not apply).
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { decodeAudio } from '../../src/audio/decode.js';
import { resolveFfmpegPath } from '../../src/audio/ffmpeg/ffmpeg-binary.js';
import { collectFfmpegOutput } from '../../src/audio/ffmpeg/ffmpeg-run.js';
import { spawnWarm } from '../../src/audio/ffmpeg/warm-process.js';
import { TransientError } from '../../src/errors.js';
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
  assert.ok(err instanceof TransientError, `expected TransientError, got ${String(err)}`);
  assert.equal(err.code, 'FFMPEG_UNAVAILABLE', err.message);
  assert.equal(err.status, 503);
  assert.ok(!err.message.includes('/'), `no path in the client's message: ${err.message}`);
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

test('a cold spawn reports a spawn failure (ENOENT) as FFMPEG_UNAVAILABLE instead of crashing', async () => {
  const binary = wrapper('ffmpeg-gone-too');
  const run = () => {
    const ffmpeg = spawnWarm(binary, ['-v', 'error', '-i', `file:${wav}`, '-af', 'aresample=8000', '-ac', '1', '-f', 'f32le', 'pipe:1']);
    ffmpeg.handOver(Buffer.alloc(0));
    return collectFfmpegOutput({ ffmpeg, timeoutMs: 20_000, maxOutputBytes: 1 << 20 });
  };
  const raw = await run();
  assert.equal(raw.length, 2 * 8000 * 4);
  rmSync(binary);
  await assert.rejects(run(), (err: unknown) => unavailable(err) && /ENOENT/.test(String((err as Error).cause)));
});
