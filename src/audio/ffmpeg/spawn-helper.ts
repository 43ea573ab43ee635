// Starting ffmpeg without forking this process. Node's spawn() is fork + exec (libuv 1.46 on
// Linux), and a fork marks every page of the parent copy-on-write: the parent then takes a page
// fault on its first write to each page it touches afterwards. From a 270-MB worker on this
// project's VMs, where a page fault costs ≈ 17 µs, one spawn cost ≈ 7 CPU-ms itself plus ≈ 25 ms
// of faults spread over the next MFCC, classify and JPEG (1,100+ faults in the JPEG alone;
// docs/api.md, "The fork behind every decode"). So a small helper process (spawn-helper-process.ts)
// does the spawning, and ffmpeg's stdin and stdout are one end each of two Unix socket pairs made
// here (spawn-helper-host.ts), whose other ends this process keeps: samples never pass through
// the helper. Hand-written: no library spawns through a helper this way.
import type { Socket } from 'node:net';
import type { HelperEvent, HelperRequest } from './spawn-helper-protocol.js';
import { socketPair, startHelper, track, type Helper } from './spawn-helper-host.js';

/** A start the helper has not confirmed by then is given up (and killed if it comes late). */
const START_TIMEOUT_MS = 5000;

let current: Helper | undefined;
let nextId = 0;
const forget = (helper: Helper) => {
  if (current === helper) current = undefined;
};

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
  const helper = (current ??= startHelper(forget));
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
