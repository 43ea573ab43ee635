// A pool of pre-spawned ffmpeg processes for Buffer decodes. Why: the system ffmpeg spends
// 60–95 ms just starting (it links ~215 shared libraries) before it reads a byte. One process per
// command line (binary, sample rate, max seconds, resampler…) is started AHEAD of the job and
// waits, blocked reading pipe:0; a decode takes it, writes the bytes, and a replacement starts
// in the background as soon as that decode is done. Hand-written: no library pre-spawns ffmpeg (they spawn per
// command). The pool never fails a request: a missing or dead idle process means
// "use the cold path" (undefined), and so does one that dies under a decode without our kill.
// With `viaHelper`, the processes are started by a small helper process (spawn-helper.ts), so
// this one never forks: see there for why that matters.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { watchExit, type ChildExit } from './child-exit.js';
import { collectFfmpegOutput, ffmpegExitError, type FfmpegProcess } from './ffmpeg-run.js';
import { spawnThroughHelper, stopSpawnHelper, type HelperEnding, type HelperSpawn } from './spawn-helper.js';

/** Distinct command lines kept warm; the oldest goes beyond (callers normally use one or two). */
const MAX_COMMAND_LINES = 4;
/** How long a decode waits for a replacement still starting through the helper. */
const START_WAIT_MS = 1000;

interface WarmProcess extends FfmpegProcess {
  pid: number | undefined;
  alive(): boolean;
  /** Died without our kill (external signal, spawn error): the input is not to blame. */
  lost(): boolean;
  /** Makes the process count for the event loop again and gives it the input. */
  handOver(input: Buffer): void;
  /** Resolves once the process has exited (after kill(), for closeWarmDecoders). */
  exited(): Promise<void>;
}

const idle = new Map<string, WarmProcess>();
/** Helper starts under way, by command line (at most one each). */
const starting = new Map<string, Promise<void>>();

function stdioPipes(child: ChildProcess): Socket[] {
  // After a spawn that failed with EMFILE, Node leaves these undefined (not null).
  return [child.stdin, child.stdout, child.stderr].filter((s) => s != null) as unknown as Socket[];
}

/** How a warm process ended, told to collectFfmpegOutput: a start error, a failed exit, or success. */
function deliverEnding(ending: { error: Error } | ChildExit, { onEnd, onError }: Parameters<FfmpegProcess['attach']>[0]): void {
  const err = 'error' in ending ? ending.error : ffmpegExitError(ending);
  if (err) onError(err, 'stderr' in ending ? ending.stderr : undefined);
  else onEnd();
}

/**
 * Spawns ffmpeg from this process. A failed spawn (ENOENT, EACCES, EMFILE, EAGAIN …) comes back as
 * the ending of the process, never as an exception: with EMFILE Node gives the child no stdio.
 * Also the cold path of decode.ts (handOver with the input, or an empty Buffer for a file input).
 */
export function spawnWarm(binary: string, args: string[]): WarmProcess {
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  let spawnError: Error | undefined;
  let exit: ChildExit | undefined;
  let killedByUs = false;
  let diedOnItsOwn = false; // decided at exit: a later kill() (after an error) must not change it
  let report: (() => void) | undefined;
  const ended = (): void => {
    if ((spawnError || exit) && report) report();
  };
  child.on('error', (err) => {
    spawnError ??= err; // ENOENT/EACCES: 'exit' may never come
    diedOnItsOwn = true;
    ended();
  });
  watchExit(child, {
    onExit: ({ signal }) => {
      if (signal !== null && !killedByUs) diedOnItsOwn = true;
    },
    onEnded: (ending) => {
      exit = ending;
      ended();
    },
  });
  child.stdin?.on('error', () => {}); // EPIPE when ffmpeg stops reading early: its exit says why
  // Idle, it must not keep the process (a test, a CLI run, a stopping worker) alive.
  child.unref();
  for (const pipe of stdioPipes(child)) pipe.unref();
  return {
    pid: child.pid,
    alive: () => child.pid !== undefined && !spawnError && child.exitCode === null && child.signalCode === null,
    lost: () => diedOnItsOwn,
    handOver(input) {
      child.ref();
      for (const pipe of stdioPipes(child)) pipe.ref();
      child.stdin?.end(input);
    },
    attach(handlers) {
      child.stdout?.pipe(handlers.sink, { end: true });
      report = () => {
        report = undefined;
        deliverEnding(spawnError ? { error: spawnError } : exit!, handlers);
      };
      ended();
    },
    kill() {
      killedByUs = true;
      child.kill('SIGKILL');
    },
    exited: () => new Promise<void>((resolve) => {
      if (exit || spawnError || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.ref(); // an unref'd child's exit alone would not keep this wait alive
    }),
  };
}

/** The same as spawnWarm, through the spawn helper: ffmpeg's stdin and stdout are sockets. */
function fromHelper(spawned: HelperSpawn): WarmProcess {
  let final: HelperEnding | undefined;
  let killedByUs = false;
  let diedOnItsOwn = false;
  let report: (() => void) | undefined;
  const waiting: Array<() => void> = [];
  let attached = false;
  // Both sockets are half-open ones (spawn-helper.ts): ffmpeg's end closing does not close ours, so
  // each must be destroyed here or its descriptor stays open for good (one per decode).
  const releaseStdout = () => {
    if (!attached || spawned.stdout.readableEnded) spawned.stdout.destroy();
    else spawned.stdout.once('end', () => spawned.stdout.destroy());
  };
  spawned.onEvent((event) => {
    final = event;
    if (event.type === 'error' || (event.signal !== null && !killedByUs)) diedOnItsOwn = true;
    spawned.stdin.destroy(); // ffmpeg is gone: nothing more to write
    if (event.type === 'error') spawned.stdout.destroy();
    else releaseStdout(); // after the last bytes were read
    waiting.splice(0).forEach((resolve) => resolve());
    report?.();
  });
  return {
    pid: spawned.pid,
    alive: () => final === undefined && !spawned.stdin.destroyed && !spawned.stdout.destroyed,
    lost: () => diedOnItsOwn,
    handOver(input) {
      spawned.markActive();
      spawned.stdin.end(input);
    },
    attach(handlers) {
      attached = true;
      spawned.stdout.pipe(handlers.sink, { end: true });
      report = () => {
        if (!final) return;
        report = undefined;
        deliverEnding(final.type === 'error' ? { error: new Error(final.message) } : final, handlers);
      };
      report();
    },
    kill() {
      killedByUs = true;
      spawned.kill();
      // A wrapper's own children then read end-of-file too; the output is no longer wanted.
      spawned.stdin.destroy();
      spawned.stdout.destroy();
    },
    exited: () => new Promise<void>((resolve) => {
      if (final) return resolve();
      spawned.markActive(); // the exit report must keep this wait alive
      waiting.push(resolve);
    }),
  };
}

function makeIdle(key: string, process: WarmProcess): void {
  if (idle.size >= MAX_COMMAND_LINES && !idle.has(key)) {
    const [oldestKey, oldest] = idle.entries().next().value as [string, WarmProcess];
    idle.delete(oldestKey);
    oldest.kill();
  }
  idle.get(key)?.kill();
  idle.set(key, process);
}

function keep(key: string, binary: string, args: string[], viaHelper: boolean): void {
  if (idle.get(key)?.alive()) return; // another job's replacement is already waiting
  if (!viaHelper) return makeIdle(key, spawnWarm(binary, args));
  if (starting.has(key)) return;
  // A start that fails (binary gone, helper down) leaves no idle process: the next decode of this
  // kind goes cold and tries again, as with a local spawn that fails.
  const started = spawnThroughHelper({ binary, args })
    .then((spawned) => makeIdle(key, fromHelper(spawned)), () => undefined)
    .finally(() => starting.delete(key));
  starting.set(key, started);
}

/**
 * Decodes `input` with the warm process for this exact command line (args read pipe:0 and write
 * pipe:1), or returns undefined when there is none alive: then the caller spawns one cold.
 */
export async function decodeWithWarmProcess({ binary, args, input, timeoutMs, signal, maxOutputBytes, viaHelper = false }: {
  binary: string;
  args: string[];
  input: Buffer;
  timeoutMs: number;
  signal?: AbortSignal;
  maxOutputBytes: number;
  /** Start the processes through the spawn helper (spawn-helper.ts) instead of forking this one. */
  viaHelper?: boolean;
}): Promise<Buffer | undefined> {
  const key = [binary, ...args].join('\0');
  // A replacement still starting through the helper (back-to-back jobs) is worth waiting for: it
  // is normally a few ms away, and the cold path forks this process (spawn-helper.ts). Bounded,
  // so a helper that does not answer costs a request at most START_WAIT_MS.
  const pending = starting.get(key);
  if (pending) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([pending, new Promise((resolve) => (timer = setTimeout(resolve, START_WAIT_MS)))]);
    clearTimeout(timer);
  }
  let ready = idle.get(key);
  idle.delete(key);
  if (ready !== undefined && !ready.alive()) {
    ready.kill();
    ready = undefined;
  }
  // None idle (jobs running side by side, or a dead one): through the helper, start one now
  // rather than fork this process for a cold spawn; the cold path stays for when that fails.
  if (ready === undefined && viaHelper) ready = await spawnThroughHelper({ binary, args }).then(fromHelper, () => undefined);
  if (ready === undefined) {
    keep(key, binary, args, viaHelper); // the next decode of this kind finds one
    return undefined;
  }
  ready.handOver(input);
  try {
    return await collectFfmpegOutput({ ffmpeg: ready, timeoutMs, signal, maxOutputBytes });
  } catch (err) {
    if (ready.lost() && !signal?.aborted) return undefined;
    throw err;
  } finally {
    // The replacement starts as soon as this decode is done, not at the handover: started
    // alongside, its start-up CPU slowed this very decode (30-s mp3, 2 cores: 116–135 ms instead
    // of 84–104 ms); started now, it is ready again after this job's MFCC, classify and JPEG.
    keep(key, binary, args, viaHelper);
  }
}

/** Pids of the idle processes, once the starts under way are done (tests and diagnostics). */
export async function idleWarmDecoderPids(): Promise<number[]> {
  await Promise.all(starting.values());
  return [...idle.values()].flatMap((p) => (p.pid === undefined ? [] : [p.pid]));
}

/** Kills every idle process and waits for their exit, then stops the spawn helper. */
export async function closeWarmDecoders(): Promise<void> {
  await Promise.all(starting.values());
  const all = [...idle.values()];
  idle.clear();
  await Promise.all(all.map(async (p) => {
    if (!p.alive()) return;
    const exited = p.exited();
    p.kill();
    await exited;
  }));
  stopSpawnHelper();
}
