// The spawn helper's process and the Unix socket pairs it is handed (spawn-helper.ts says why
// ffmpeg is started through a helper). Node has no socketpair(), hence a private listening socket
// that pairs connections one at a time.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HelperEvent } from './spawn-helper-protocol.js';

export interface Helper {
  proc: ChildProcess;
  server: Server;
  path: string;
  dir: string;
  listeners: Map<number, (event: HelperEvent) => void>;
  pairing: Promise<unknown>;
  /** Starts and handed-over processes whose reports must keep this process alive (track()). */
  active: number;
  /** Gives the helper up: no new spawn uses it, and it is killed. */
  retire(): void;
}

/** A connection not accepted by then (EMFILE on accept) means the helper is retired. */
const PAIR_TIMEOUT_MS = 5000;

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

/** Starts a helper; onGone is told when it can no longer spawn (exited, failed, retired). */
export function startHelper(onGone: (helper: Helper) => void): Helper {
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
  const helper: Helper = {
    proc, server, path, dir, listeners: new Map(), pairing: Promise.resolve(), active: 0,
    retire: () => {
      onGone(helper);
      proc.kill('SIGKILL');
    },
  };
  proc.on('message', (event: HelperEvent) => helper.listeners.get(event.id)?.(event));
  let ended = false;
  const gone = (why: string) => {
    onGone(helper);
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
export function socketPair(helper: Helper): Promise<[Socket, Socket]> {
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
      helper.retire();
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
export function track(helper: Helper): () => void {
  if (helper.active++ === 0) helper.proc.channel?.ref();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--helper.active === 0) helper.proc.channel?.unref();
  };
}
