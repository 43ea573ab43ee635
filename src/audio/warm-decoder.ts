// A pool of pre-spawned ffmpeg processes for Buffer decodes. Why: the system ffmpeg spends
// 60–95 ms just starting (it links ~215 shared libraries) before it reads a byte. One process per
// command line (binary, sample rate, max seconds, resampler…) is started AHEAD of the job and
// waits, blocked reading pipe:0; a decode takes it, writes the bytes, and a replacement starts
// in the background as soon as that decode is done. Hand-written: no library pre-spawns ffmpeg (fluent-ffmpeg and the
// others spawn per command). The pool never fails a request: a missing or dead idle process means
// "use the cold path" (undefined), and so does one that dies under a decode without our kill.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { collectFfmpegOutput, ffmpegExitError, type FfmpegProcess } from './ffmpeg-run.js';

const STDERR_TAIL_CHARS = 16_384;
/** Distinct command lines kept warm; the oldest goes beyond (callers normally use one or two). */
const MAX_COMMAND_LINES = 4;

interface WarmProcess extends FfmpegProcess {
  child: ChildProcess;
  alive(): boolean;
  /** Died without our kill (external signal, spawn error): the input is not to blame. */
  lost(): boolean;
  /** Makes the process count for the event loop again and gives it the input. */
  handOver(input: Buffer): void;
}

const idle = new Map<string, WarmProcess>();

function stdioPipes(child: ChildProcess): Socket[] {
  return [child.stdin, child.stdout, child.stderr].filter((s) => s !== null) as unknown as Socket[];
}

function spawnWarm(binary: string, args: string[]): WarmProcess {
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  let stderr = '';
  let spawnError: Error | undefined;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let stderrClosed = false;
  let killedByUs = false;
  let diedOnItsOwn = false; // decided at exit: a later kill() (after an error) must not change it
  let report: (() => void) | undefined;
  const ended = (): void => {
    if ((spawnError || (exit && stderrClosed)) && report) report();
  };
  child.on('error', (err) => {
    spawnError ??= err; // ENOENT/EACCES: 'exit' may never come
    diedOnItsOwn = true;
    ended();
  });
  child.on('exit', (code, signal) => {
    exit = { code, signal };
    if (signal !== null && !killedByUs) diedOnItsOwn = true;
    ended();
  });
  child.stdin?.on('error', () => {}); // EPIPE when ffmpeg stops reading early: its exit says why
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_TAIL_CHARS);
  });
  child.stderr?.on('close', () => {
    stderrClosed = true;
    ended();
  });
  // Idle, it must not keep the process (a test, a CLI run, a stopping worker) alive.
  child.unref();
  for (const pipe of stdioPipes(child)) pipe.unref();
  return {
    child,
    alive: () => child.pid !== undefined && !spawnError && child.exitCode === null && child.signalCode === null,
    lost: () => diedOnItsOwn,
    handOver(input) {
      child.ref();
      for (const pipe of stdioPipes(child)) pipe.ref();
      child.stdin?.end(input);
    },
    attach({ sink, onEnd, onError }) {
      child.stdout?.pipe(sink, { end: true });
      report = () => {
        report = undefined;
        const err = spawnError ?? (exit ? ffmpegExitError({ ...exit, stderr }) : undefined);
        if (err) onError(err, stderr);
        else onEnd();
      };
      ended();
    },
    kill() {
      killedByUs = true;
      child.kill('SIGKILL');
    },
  };
}

function keep(key: string, binary: string, args: string[]): void {
  if (idle.size >= MAX_COMMAND_LINES && !idle.has(key)) {
    const [oldestKey, oldest] = idle.entries().next().value as [string, WarmProcess];
    idle.delete(oldestKey);
    oldest.kill();
  }
  idle.set(key, spawnWarm(binary, args));
}

/**
 * Decodes `input` with the warm process for this exact command line (args read pipe:0 and write
 * pipe:1), or returns undefined when there is none alive: then the caller spawns one cold.
 */
export async function decodeWithWarmProcess({ binary, args, input, timeoutMs, signal, maxOutputBytes }: {
  binary: string;
  args: string[];
  input: Buffer;
  timeoutMs: number;
  signal?: AbortSignal;
  maxOutputBytes: number;
}): Promise<Buffer | undefined> {
  const key = [binary, ...args].join('\0');
  const ready = idle.get(key);
  idle.delete(key);
  if (ready === undefined || !ready.alive()) {
    ready?.kill();
    keep(key, binary, args); // the next decode of this kind finds one
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
    keep(key, binary, args);
  }
}

/** Pids of the idle processes (tests and diagnostics). */
export function idleWarmDecoderPids(): number[] {
  return [...idle.values()].flatMap((p) => (p.child.pid === undefined ? [] : [p.child.pid]));
}

/** Kills every idle process and waits for their exit. Later decodes start a new pool. */
export async function closeWarmDecoders(): Promise<void> {
  const all = [...idle.values()];
  idle.clear();
  await Promise.all(all.map((p) => new Promise<void>((resolve) => {
    if (!p.alive()) return resolve();
    p.child.once('exit', () => resolve());
    p.child.ref(); // an unref'd child's exit alone would not keep this wait alive
    p.kill();
  })));
}
