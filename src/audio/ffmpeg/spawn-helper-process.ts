// The spawn helper's own process (started by spawn-helper.ts with child_process.fork): it starts
// ffmpeg for a larger process, so that the larger one never forks. Each request comes with one
// end of two Unix socket pairs, which become ffmpeg's stdin and stdout; the requester keeps the
// other ends, writes the input and reads the samples. (Two, not one socket for both: ffmpeg may
// exit before it read all the input, and the write error would then destroy a shared socket
// with output still unread in it.) Only exits and stderr come back here. This process keeps
// nothing else, so its own forks are cheap.
// It runs no user text: binary and arguments are the service's own command line (decode.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { basename } from 'node:path';
import { watchExit } from './child-exit.js';
import type { HelperEvent, HelperRequest } from './spawn-helper-protocol.js';

/** The exit is reported at most this long after it, with the stderr read so far (child-exit.ts). */
const STDERR_GRACE_MS = 250;
const children = new Map<number, ChildProcess>();
const stdins = new Map<number, Socket>();

function send(event: HelperEvent): void {
  // The requester gone: nothing to report to ('disconnect' below ends this process).
  if (process.connected) process.send?.(event);
}

function start(request: Extract<HelperRequest, { type: 'spawn' }>, stdout: Socket | undefined): void {
  const { id, binary, args } = request;
  const stdin = stdins.get(id);
  stdins.delete(id);
  if (!stdin || !stdout) {
    stdin?.destroy();
    stdout?.destroy();
    return send({ type: 'error', id, message: 'spawn request without its sockets' });
  }
  let child: ChildProcess;
  try {
    child = spawn(binary, args, { stdio: [stdin, stdout, 'pipe'], windowsHide: true });
  } catch (err) {
    return send({ type: 'error', id, message: (err as Error).message });
  } finally {
    // ffmpeg holds its own copies of the descriptors; closing ours does not end the connections.
    stdin.destroy();
    stdout.destroy();
  }
  children.set(id, child);
  child.on('spawn', () => send({ type: 'spawned', id, pid: child.pid ?? -1 }));
  child.on('error', (err) => {
    children.delete(id);
    send({ type: 'error', id, message: err.message });
  });
  watchExit(child, {
    stderrGraceMs: STDERR_GRACE_MS,
    onEnded: (exit) => {
      children.delete(id);
      send({ type: 'exit', id, ...exit });
    },
  });
}

process.on('message', (request: HelperRequest, handle?: unknown) => {
  if (request.type === 'stdin' && handle) stdins.set(request.id, handle as Socket);
  else if (request.type === 'spawn') start(request, handle as Socket | undefined);
  else if (request.type === 'kill') children.get(request.id)?.kill('SIGKILL');
});

// The requester's socket directory (argv[2]): removed here too, since a requester killed with
// SIGKILL cannot remove it itself.
const socketDir = process.argv[2];

// The requester exited or closed the channel: its ffmpegs are of no use any more.
process.on('disconnect', () => {
  for (const child of children.values()) child.kill('SIGKILL');
  if (socketDir && basename(socketDir).startsWith('music-prediction-spawn-')) rmSync(socketDir, { recursive: true, force: true });
  process.exit(0);
});
