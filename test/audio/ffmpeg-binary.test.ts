import assert from 'node:assert/strict';
import { accessSync, constants } from 'node:fs';
import { test } from 'node:test';
import { bundledFfmpegPath, resolveFfmpegPath } from '../../src/audio/ffmpeg/ffmpeg-binary.js';
import { InternalError } from '../../src/errors.js';

test('without configuration: ffmpeg on PATH, else the bundled binary; cached', () => {
  const found = resolveFfmpegPath({});
  assert.ok(found.source === 'system' || found.source === 'bundled');
  accessSync(found.path, constants.X_OK);
  assert.equal(resolveFfmpegPath({}), found);
});

test('a configured path wins, and a bare configured name is looked up on PATH', () => {
  const system = resolveFfmpegPath({}).path;
  assert.deepEqual(resolveFfmpegPath({ configured: system }), { path: system, source: 'config' });
  if (resolveFfmpegPath({}).source === 'system') {
    assert.deepEqual(resolveFfmpegPath({ configured: 'ffmpeg' }), { path: system, source: 'config' });
  }
});

test('a configured path that is not an executable file is a clear InternalError', () => {
  for (const configured of ['/nonexistent/ffmpeg', '/etc', 'no-such-ffmpeg-binary']) {
    assert.throws(() => resolveFfmpegPath({ configured }), (err: unknown) =>
      err instanceof InternalError && err.code === 'FFMPEG_NOT_FOUND' && err.message.includes(configured));
  }
});

test('the bundled binary, when installed, is an executable file', () => {
  const bundled = bundledFfmpegPath();
  if (bundled !== undefined) accessSync(bundled, constants.X_OK);
  assert.ok(bundled === undefined || bundled.includes('@ffmpeg-installer'));
});
