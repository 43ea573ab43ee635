import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Running, not a zombie: an orphan's exit is reaped by whatever init the machine has, maybe late. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

test('SIGTERM to a one-shot command kills the ffmpeg it is waiting for (exit 143)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cli-sigterm-'));
  let hungPid: number | undefined;
  try {
    const wav = join(dir, 'stuck-input.wav');
    const made = spawnSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=4', wav], { timeout: 20_000 });
    assert.equal(made.status, 0, String(made.stderr));
    // A stand-in ffmpeg that hangs on this file only (capability probes go to the real one).
    const pidFile = join(dir, 'ffmpeg.pid');
    const fake = join(dir, 'ffmpeg.sh');
    writeFileSync(fake, `#!/bin/sh\ncase "$*" in *stuck-input*) echo $$ > '${pidFile}'; exec sleep 60;; esac\nexec ffmpeg "$@"\n`);
    chmodSync(fake, 0o755);
    const cli = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'predict', wav, '--model', 'test/fixtures/tiny-model', '--backend', 'wasm'], {
      env: { ...process.env, FFMPEG_PATH: fake }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    cli.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = once(cli, 'exit');
    for (let i = 0; i < 300 && !existsSync(pidFile); i++) await sleep(100);
    assert.ok(existsSync(pidFile), `the stand-in ffmpeg never started: ${stderr}`);
    hungPid = Number(readFileSync(pidFile, 'utf8').trim());
    assert.ok(alive(hungPid));
    cli.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 143);
    assert.match(stderr, /stopped by SIGTERM/);
    for (let i = 0; i < 50 && alive(hungPid); i++) await sleep(20);
    assert.equal(alive(hungPid), false, 'the hanging ffmpeg outlived the command');
  } finally {
    if (hungPid !== undefined && alive(hungPid)) process.kill(hungPid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});
