// The warm ffmpeg pool (src/audio/ffmpeg/warm-decoder.ts): same samples and same errors as a cold spawn,
// a dead idle process falls back to the cold path, the timeout counts from the handover, and
// closeWarmDecoders / process exit leave no ffmpeg behind.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { decodeAudio, type DecodeOptions } from '../../src/audio/decode.js';
import { resolveFfmpegPath } from '../../src/audio/ffmpeg/ffmpeg-binary.js';
import { spawnHelperPid } from '../../src/audio/ffmpeg/spawn-helper.js';
import { closeWarmDecoders, idleWarmDecoderPids } from '../../src/audio/ffmpeg/warm-decoder.js';
import { AppError } from '../../src/errors.js';
import { FORMATS, makeFixtureDir, makeTone } from './fixtures.js';

let dir = '';
let cleanup = (): void => {};
const files = {} as Record<'mp3' | 'wav' | 'ogg' | 'opus' | 'flac', Buffer>;

before(async () => {
  ({ dir, cleanup } = makeFixtureDir());
  for (const format of ['mp3', 'wav', 'ogg', 'opus', 'flac'] as const) files[format] = readFileSync(makeTone(join(dir, `tone.${format}`), 3, FORMATS[format]));
  await decodeAudio({ input: files.wav }); // the one-off soxr capability probe uses the real binary
});
afterEach(() => closeWarmDecoders());
after(() => cleanup());

/** Alive and not a zombie: an orphaned ffmpeg that exited stays a zombie until init reaps it. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 250 && isRunning(pid); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(isRunning(pid), false, `process ${pid} is still running`);
}

/** Waits until a wrapper script's process has exec'd the real ffmpeg. */
async function waitForExec(pid: number): Promise<void> {
  const comm = () => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  for (let i = 0; i < 100 && comm() !== 'ffmpeg'; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(comm(), 'ffmpeg');
}

/** Decodes once so that an idle process for these options exists; returns its pid. */
async function primed(options: DecodeOptions, spawnHelper: boolean): Promise<number> {
  await closeWarmDecoders();
  await decodeAudio({ ...options, warmPool: true, spawnHelper }).catch(() => {});
  const pids = (await idleWarmDecoderPids());
  assert.equal(pids.length, 1, `idle processes: ${pids.join(', ')}`);
  return pids[0]!;
}

/** A stand-in "ffmpeg" for the pool: a shell script with the given body. */
function fakeFfmpeg(name: string, body: string): string {
  const path = join(dir, `${name}.sh`);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
    return err;
  }
  return assert.fail('expected a rejection');
}

// Every test runs twice: processes spawned by this process, and through the spawn helper.
for (const spawnHelper of [false, true]) {
  const named = (title: string) => `${spawnHelper ? 'spawn helper' : 'local spawn'}: ${title}`;

  test(named('the warm process gives byte-identical samples to a cold spawn, and is replaced at once'), async () => {
    for (const format of Object.keys(files) as (keyof typeof files)[]) {
      const options = { input: files[format], maxSeconds: 2.5 };
      const cold = await decodeAudio(options);
      const idlePid = await primed(options, spawnHelper);
      const warm = await decodeAudio({ ...options, warmPool: true, spawnHelper });
      const [replacement] = (await idleWarmDecoderPids());
      assert.ok(replacement !== undefined && replacement !== idlePid, `${format}: the idle process ${idlePid} was not used`);
      assert.ok(Buffer.from(warm.samples.buffer).equals(Buffer.from(cold.samples.buffer)), `${format}: samples differ`);
      assert.equal(warm.durationSeconds, cold.durationSeconds);
      await closeWarmDecoders();
    }
  });

  test(named('a warm process that dies mid-decode after some output: the cold retry gives the whole decode'), async () => {
    const marker = join(dir, 'die-once');
    // Real ffmpeg, but the run that finds the marker dies (SIGKILL, not ours) after 40 001 bytes of
    // output: mid-sample, as a pipe can cut it. The brace group then exits, so ffmpeg gets EPIPE.
    const dying = fakeFfmpeg('dying', `'${resolveFfmpegPath({}).path}' "$@" | { head -c 40001; if [ -e '${marker}' ]; then rm '${marker}'; kill -KILL $$; exit 0; fi; cat; }`);
    const options = { input: files.mp3, ffmpegPath: dying };
    const expected = await decodeAudio(options);
    const idlePid = await primed(options, spawnHelper);
    writeFileSync(marker, '');
    const audio = await decodeAudio({ ...options, warmPool: true, spawnHelper });
    await waitGone(idlePid);
    assert.equal(existsSync(marker), false, 'the warm process did not run into the marker');
    assert.ok(Buffer.from(audio.samples.buffer).equals(Buffer.from(expected.samples.buffer)));
  });

  test(named('errors from a warm process are the same as from a cold spawn'), async () => {
    let seed = 7;
    const random = Buffer.from(Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff));
    const text = Buffer.from('this is not audio, just text\n'.repeat(40));
    const short = { input: files.wav.subarray(0, 20_000) }; // 0.1 s of a 3-s wav: AUDIO_TOO_SHORT
    for (const options of [{ input: random }, { input: text }, short]) {
      const cold = await failure(decodeAudio(options));
      await primed(options, spawnHelper);
      const warm = await failure(decodeAudio({ ...options, warmPool: true, spawnHelper }));
      assert.deepEqual([warm.code, warm.status, warm.message], [cold.code, cold.status, cold.message]);
    }
    // A decoder that writes without end is cut off at maxSeconds, as a cold one is.
    const flood = { input: files.wav, maxSeconds: 1, ffmpegPath: fakeFfmpeg('flood', 'exec head -c 50000000 /dev/zero'), resampler: 'swr' as const };
    await primed(flood, spawnHelper);
    assert.equal((await decodeAudio({ ...flood, warmPool: true, spawnHelper })).samples.length, 22_050);
    assert.equal((await decodeAudio(flood)).samples.length, 22_050);
  });

  test(named('an idle process that was killed is discarded: the decode falls back to a cold spawn'), async () => {
    const options = { input: files.mp3 };
    const expected = await decodeAudio(options);
    for (const waitForExit of [true, false]) {
      const idlePid = await primed(options, spawnHelper);
      process.kill(idlePid, 'SIGKILL');
      if (waitForExit) await waitGone(idlePid); // else it dies unnoticed: the handover finds out
      const audio = await decodeAudio({ ...options, warmPool: true, spawnHelper });
      assert.ok(Buffer.from(audio.samples.buffer).equals(Buffer.from(expected.samples.buffer)));
      assert.equal((await idleWarmDecoderPids()).length, 1, 'the pool was refilled');
    }
  });

  test(named('a replacement that cannot start (ffmpeg gone) fails quietly; the next decode goes cold'), async () => {
    const wrapper = fakeFfmpeg('wrapper', `exec '${resolveFfmpegPath({}).path}' "$@"`);
    const options = { input: files.mp3, ffmpegPath: wrapper };
    const expected = await decodeAudio(options);
    await waitForExec(await primed(options, spawnHelper)); // the shell has read the script
    rmSync(wrapper);
    await decodeAudio({ ...options, warmPool: true, spawnHelper }); // the idle process was already running
    await new Promise((r) => setTimeout(r, 100)); // the replacement's spawn error (ENOENT) arrives
    assert.deepEqual((await idleWarmDecoderPids()), []);
    fakeFfmpeg('wrapper', `exec '${resolveFfmpegPath({}).path}' "$@"`);
    const audio = await decodeAudio({ ...options, warmPool: true, spawnHelper });
    assert.ok(Buffer.from(audio.samples.buffer).equals(Buffer.from(expected.samples.buffer)));
  });

  test(named('the timeout counts from the handover and SIGKILLs a hanging warm process'), async () => {
    const hang = { input: files.wav, ffmpegPath: fakeFfmpeg('hang', 'exec sleep 60'), resampler: 'swr' as const, timeoutMs: 400 };
    const idlePid = await primed(hang, spawnHelper);
    await new Promise((r) => setTimeout(r, 700)); // idle longer than the timeout: must not count
    const started = Date.now();
    assert.equal((await failure(decodeAudio({ ...hang, warmPool: true, spawnHelper }))).code, 'DECODE_TIMEOUT');
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 350 && elapsed < 3000, `timed out after ${elapsed} ms`);
    await waitGone(idlePid);

    const abortedPid = await primed(hang, spawnHelper);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('job cancelled')), 200);
    await assert.rejects(decodeAudio({ ...hang, timeoutMs: 10_000, signal: controller.signal, warmPool: true, spawnHelper }), /job cancelled/);
    await waitGone(abortedPid);
  });

  test(named('closeWarmDecoders leaves no ffmpeg child; idle processes do not keep Node alive'), async () => {
    await primed({ input: files.mp3 }, spawnHelper);
    await decodeAudio({ input: files.mp3, sampleRate: 16000, warmPool: true, spawnHelper });
    const pids = (await idleWarmDecoderPids());
    assert.equal(pids.length, 2);
    await closeWarmDecoders();
    assert.deepEqual((await idleWarmDecoderPids()), []);
    for (const pid of pids) assert.equal(isRunning(pid), false);
    const children = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'comm='], { encoding: 'utf8' });
    assert.doesNotMatch(children, /ffmpeg/);

    // A process that decoded with the pool and did nothing else exits on its own; its idle ffmpeg
    // then reads end-of-file on stdin and exits too.
    const script = `import { decodeAudio } from './src/audio/decode.ts';
  import { idleWarmDecoderPids } from './src/audio/ffmpeg/warm-decoder.ts';
  import { readFileSync } from 'node:fs';
  await decodeAudio({ input: readFileSync(${JSON.stringify(join(dir, 'tone.mp3'))}), warmPool: true, spawnHelper: ${spawnHelper} });
  console.log((await idleWarmDecoderPids()).join(','));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(child.status, 0, `exit ${child.status} ${child.signal ?? ''}: ${child.stderr}`);
    const orphan = Number(child.stdout.trim());
    assert.ok(orphan > 0, `child printed "${child.stdout}"`);
    await waitGone(orphan);
  });
}

test('spawn helper killed: its idle ffmpeg is discarded, the decode goes cold, and a new helper refills the pool', async () => {
  const options = { input: files.mp3 };
  const expected = await decodeAudio(options);
  const idlePid = await primed(options, true);
  const helperPid = spawnHelperPid();
  assert.ok(helperPid !== undefined);
  process.kill(helperPid, 'SIGKILL');
  await waitGone(helperPid);
  await waitGone(idlePid); // its input socket closed with the helper's loss: it reads end-of-file
  const audio = await decodeAudio({ ...options, warmPool: true, spawnHelper: true });
  assert.ok(Buffer.from(audio.samples.buffer).equals(Buffer.from(expected.samples.buffer)));
  const [refill] = await idleWarmDecoderPids();
  assert.ok(refill !== undefined && refill !== idlePid);
  assert.ok(spawnHelperPid() !== undefined && spawnHelperPid() !== helperPid, 'a new helper started');
});

test('spawn helper: decodes running side by side start their ffmpegs through the helper too, none by a fork of this process', async () => {
  const parents = join(dir, 'parents.log');
  const wrapper = fakeFfmpeg('ppid', `echo $PPID >> '${parents}'\nexec '${resolveFfmpegPath({}).path}' "$@"`);
  const options = { input: files.mp3, ffmpegPath: wrapper };
  const expected = await decodeAudio(options); // also runs the one-off capability probe
  await primed(options, true);
  writeFileSync(parents, '');
  const decoded = await Promise.all([1, 2, 3].map(() => decodeAudio({ ...options, warmPool: true, spawnHelper: true })));
  for (const audio of decoded) assert.ok(Buffer.from(audio.samples.buffer).equals(Buffer.from(expected.samples.buffer)));
  await idleWarmDecoderPids(); // the replacements have started
  const seen = new Set(readFileSync(parents, 'utf8').trim().split('\n'));
  assert.deepEqual([...seen], [String(spawnHelperPid())], 'every ffmpeg was a child of the helper');
});
