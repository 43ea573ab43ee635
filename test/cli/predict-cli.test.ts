import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import predictCommand from '../../src/cli/predict.js';

test('predict --json prints one line per file with the documented fields', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'predict-cli-'));
  try {
    const wav = join(dir, 'tone.wav');
    const r = spawnSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=6', '-ac', '1', wav], { timeout: 20_000 });
    assert.equal(r.status, 0, String(r.stderr));
    const lines: string[] = [];
    t.mock.method(console, 'log', (line: string) => lines.push(line));
    const code = await predictCommand.run([wav, join(dir, 'missing.mp3'), '--json', '--model', 'test/fixtures/tiny-model', '--backend', 'wasm']);
    t.mock.restoreAll();
    assert.equal(code, 1); // one file failed
    assert.equal(lines.length, 2);
    const ok = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.deepEqual(Object.keys(ok), ['file', 'first', 'second', 'probabilities', 'segments', 'backend', 'model', 'timingsMs']);
    assert.equal(ok['file'], wav);
    assert.equal(ok['model'], 'tiny-random@0.0.0-fixture');
    assert.equal(ok['backend'], 'wasm');
    assert.deepEqual(Object.keys(ok['timingsMs'] as object), ['decode', 'mfcc', 'classify', 'total']);
    assert.equal((ok['segments'] as unknown[]).length, 3); // 6 s = 259 frames: starts 0, 65, 129
    const failed = JSON.parse(lines[1]!) as { file: string; error: { code: string } };
    assert.equal(failed.error.code, 'AUDIO_NOT_FOUND');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('predict without files is a usage error (exit 2)', async (t) => {
  t.mock.method(console, 'error', () => {});
  assert.equal(await predictCommand.run(['--json']), 2);
});
