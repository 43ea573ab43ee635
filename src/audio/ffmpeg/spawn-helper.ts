// Starting ffmpeg without forking this process. Node's spawn() is fork + exec (libuv 1.46 on
// Linux), and a fork marks every page of the parent copy-on-write: the parent then takes a page
// fault on its first write to each page it touches afterwards. From a 270-MB worker on this
// project's VMs, where a page fault costs ≈ 17 µs, one spawn cost ≈ 7 CPU-ms itself plus ≈ 25 ms
// of faults spread over the next MFCC, classify and JPEG (1,100+ faults in the JPEG alone;
// docs/api.md, "The fork behind every decode"). So a small helper process (spawn-helper-process.ts)
// does the spawning, and ffmpeg's stdin and stdout are one end each of two Unix socket pairs made
// here, whose other ends this process keeps: samples never pass through the helper.
// Hand-written: no library spawns through a helper this way (and Node has no socketpair(), hence
// the private listening socket that pairs connections one at a time).
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HelperEvent, HelperRequest } from './spawn-helper-protocol.js';

interface Helper {
  proc: ChildProcess;
  server: Server;
  path: string;
  dir: string;
  listeners: Map<number, (event: HelperEvent) => void>;
  pairing: Promise<unknown>;
  /** Starts and handed-over processes whose reports must keep this process alive (track()). */
  active: number;
}

/** A start the helper has not confirmed by then is given up (and killed if it comes late). */
const START_TIMEOUT_MS = 5000;
/** A connection not accepted by then (EMFILE on accept) means the helper is retired. */
const PAIR_TIMEOUT_MS = 5000;

let current: Helper | undefined;
let nextId = 0;

/** The built helper (dist), or the TypeScript source when running under tsx (tests, dev). */
function helperModule(): string {
  const built = new URL('./spawn-helper-process.js', import.meta.url);
  return fileURLToPath(existsSync(built) ? built : new URL('./spawn-helper-process.ts', import.meta.url));
}

/** Only the module loaders of this process (tsx under tests), not --eval, --input-type or the like. */
function loaderArgs(): string[] {
  const kept: string[] = [];
  const flags = ['--import', '--require', '-r', '--loader', '--experimental-loader'];
  process.execArgv.forEach((arg, i) => {
    if (flags.includes(arg)) kept.push(arg, process.execArgv[i + 1] ?? '');
    else if (flags.some((f) => arg.startsWith(`${f}=`))) kept.push(arg);
  });
  return kept;
}

function startHelper(): Helper {
  const dir = mkdtempSync(join(tmpdir(), 'music-prediction-spawn-'));
  const path = join(dir, 'pair.sock');
  // process.exit (the server's and worker's signal handlers end with it) skips the helper's own
  // exit event: the directory must go here too, or every start leaves one in TMPDIR.
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  const server = createServer({ allowHalfOpen: true });
  server.listen(path);
  server.unref();
  const proc = fork(helperModule(), [dir], { execArgv: loaderArgs(), stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'json' });
  const helper: Helper = { proc, server, path, dir, listeners: new Map(), pairing: Promise.resolve(), active: 0 };
  proc.on('message', (event: HelperEvent) => helper.listeners.get(event.id)?.(event));
  let ended = false;
  const gone = (why: string) => {
    if (current === helper) current = undefined;
    for (const [id, listener] of helper.listeners) listener({ type: 'error', id, message: why });
    helper.listeners.clear();
    if (ended) return;
    ended = true;
    server.close();
    removeDir();
    process.off('exit', removeDir);
  };
  proc.on('exit', (code, signal) => gone(`the spawn helper exited (${signal ?? code})`));
  proc.on('error', (err) => {
    gone(`the spawn helper failed: ${err.message}`);
    proc.kill('SIGKILL'); // no-op when it never started (EMFILE, EAGAIN)
  });
  // EMFILE/ENFILE on listen or accept: this helper can no longer pair sockets.
  server.on('error', (err) => {
    gone(`the spawn helper's socket failed: ${err.message}`);
    proc.kill('SIGKILL');
  });
  // Idle, the helper must not keep this process alive; a running decode refs it (see track()).
  proc.unref();
  proc.channel?.unref();
  return helper;
}

/**
 * One connected pair: [ours, theirs]. One pairing at a time, so the accepted end is this connect's.
 * A pairing that fails or is never accepted retires the helper (the next spawn starts a new one):
 * a connection accepted late would otherwise be taken for the next pairing's.
 */
function socketPair(helper: Helper): Promise<[Socket, Socket]> {
  const paired = helper.pairing.then(() => new Promise<[Socket, Socket]>((resolve, reject) => {
    const ours = connect({ path: helper.path, allowHalfOpen: true });
    const done = () => {
      clearTimeout(timer);
      ours.off('error', onError);
      ours.off('close', onClose);
      helper.server.off('connection', onConnection);
    };
    const onConnection = (theirs: Socket) => {
      done();
      resolve([ours, theirs]);
    };
    const onError = (err: Error) => {
      done();
      ours.destroy();
      if (current === helper) current = undefined;
      helper.proc.kill('SIGKILL');
      reject(err);
    };
    const onClose = () => onError(new Error('the pairing connection closed before it was accepted'));
    const timer = setTimeout(() => onError(new Error(`the pairing connection was not accepted within ${PAIR_TIMEOUT_MS} ms`)), PAIR_TIMEOUT_MS);
    helper.server.on('connection', onConnection);
    ours.once('error', onError);
    ours.once('close', onClose);
  }));
  helper.pairing = paired.catch(() => undefined);
  return paired;
}

/** Keeps the helper's channel counted by the event loop while a handed-over process runs. */
function track(helper: Helper): () => void {
  if (helper.active++ === 0) helper.proc.channel?.ref();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--helper.active === 0) helper.proc.channel?.unref();
  };
}

/** How a process started through the helper ended: its exit, or no start / a lost helper. */
export type HelperEnding = Extract<HelperEvent, { type: 'exit' | 'error' }>;

export interface HelperSpawn {
  /** Write ffmpeg's input here. */
  stdin: Socket;
  /** ffmpeg's output. */
  stdout: Socket;
  pid: number;
  /** Ends when ffmpeg has exited ('exit') or could not start or lost its helper ('error'). */
  onEvent(listener: (event: HelperEnding) => void): void;
  /** The process now does work: the helper's reports must keep this process alive. */
  markActive(): void;
  kill(): void;
}

/** Starts `binary args` through the helper; rejects when it cannot start (ENOENT, helper down). */
export async function spawnThroughHelper({ binary, args }: { binary: string; args: string[] }): Promise<HelperSpawn> {
  const helper = (current ??= startHelper());
  const [stdin, theirStdin] = await socketPair(helper);
  const [stdout, theirStdout] = await socketPair(helper).catch((err: unknown) => {
    stdin.destroy();
    theirStdin.destroy();
    throw err;
  });
  const ours = [stdin, stdout];
  const id = ++nextId;
  let finalEvent: HelperEnding | undefined;
  let onFinal: ((event: HelperEnding) => void) | undefined;
  let release: (() => void) | undefined;
  const started = new Promise<number>((resolve, reject) => {
    helper.listeners.set(id, (event) => {
      if (event.type === 'spawned') return resolve(event.pid);
      helper.listeners.delete(id);
      release?.();
      finalEvent = event;
      if (event.type === 'error') reject(new Error(event.message));
      onFinal?.(event);
    });
  });
  started.catch(() => ours.forEach((s) => s.destroy()));
  const unreachable = (err: Error | null) => {
    if (err) helper.listeners.get(id)?.({ type: 'error', id, message: `cannot reach the spawn helper: ${err.message}` });
  };
  helper.proc.send({ type: 'stdin', id } satisfies HelperRequest, theirStdin, { keepOpen: false }, unreachable);
  helper.proc.send({ type: 'spawn', id, binary, args } satisfies HelperRequest, theirStdout, { keepOpen: false }, unreachable);
  // Awaited by idleWarmDecoderPids and closeWarmDecoders: the helper's answer must keep this
  // process alive until it comes, and a helper that does not answer must not hold it forever.
  const starting = track(helper);
  const noAnswer = setTimeout(() => {
    helper.listeners.get(id)?.({ type: 'error', id, message: `the spawn helper did not start ${binary} within ${START_TIMEOUT_MS} ms` });
    helper.proc.send({ type: 'kill', id } satisfies HelperRequest, () => undefined);
  }, START_TIMEOUT_MS);
  const pid = await started.finally(() => {
    clearTimeout(noAnswer);
    starting();
  });
  // EPIPE when ffmpeg stops reading early (it had enough): its exit says whether that was wrong.
  stdin.on('error', () => {});
  ours.forEach((s) => s.unref());
  return {
    stdin,
    stdout,
    pid,
    onEvent(listener) {
      onFinal = listener;
      if (finalEvent) listener(finalEvent);
    },
    markActive() {
      ours.forEach((s) => s.ref());
      if (!finalEvent && !release) release = track(helper);
    },
    kill() {
      if (!finalEvent && helper.proc.connected) helper.proc.send({ type: 'kill', id } satisfies HelperRequest);
    },
  };
}

/** The running helper's pid, if any (tests and diagnostics). */
export function spawnHelperPid(): number | undefined {
  return current?.proc.pid;
}

/** Stops the helper (its idle ffmpegs read end-of-file and exit); the next spawn starts a new one. */
export function stopSpawnHelper(): void {
  const helper = current;
  current = undefined;
  if (helper?.proc.connected) helper.proc.disconnect();
  // Its exit event removes the socket directory; so does process.exit, whichever comes first.
}
