// One ffmpeg process started ahead of its input, from this process (spawnWarm) or through the
// spawn helper (warmProcessFromHelper): the same WarmProcess either way, so the pool of
// warm-decoder.ts and the cold path of decode.ts need not know which. A process that dies without
// our kill says so (lost), so its input is not blamed.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { watchExit, type ChildExit } from './child-exit.js';
import { trackChild } from './live-children.js';
import { ffmpegExitError, type FfmpegProcess } from './ffmpeg-run.js';
import type { HelperEnding, HelperSpawn } from './spawn-helper.js';

export interface WarmProcess extends FfmpegProcess {
  pid: number | undefined;
  alive(): boolean;
  /** Died without our kill (external signal, spawn error): the input is not to blame. */
  lost(): boolean;
  /** Makes the process count for the event loop again and gives it the input. */
  handOver(input: Buffer): void;
  /** Resolves once the process has exited (after kill(), for closeWarmDecoders). */
  exited(): Promise<void>;
}

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
  trackChild(child);
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
export function warmProcessFromHelper(spawned: HelperSpawn): WarmProcess {
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
