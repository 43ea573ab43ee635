// A pool of pre-spawned ffmpeg processes for Buffer decodes. Why: the system ffmpeg spends
// 60–95 ms just starting (it links ~215 shared libraries) before it reads a byte. One process per
// command line (binary, sample rate, max seconds, resampler…) is started AHEAD of the job and
// waits, blocked reading pipe:0; a decode takes it, writes the bytes, and a replacement starts
// in the background as soon as that decode is done. Hand-written: no library pre-spawns ffmpeg (they spawn per
// command). The pool never fails a request: a missing or dead idle process means
// "use the cold path" (undefined), and so does one that dies under a decode without our kill.
// With `viaHelper`, the processes are started by a small helper process (spawn-helper.ts), so
// this one never forks: see there for why that matters.
import { collectFfmpegOutput } from './ffmpeg-run.js';
import { spawnThroughHelper, stopSpawnHelper } from './spawn-helper.js';
import { spawnWarm, warmProcessFromHelper, type WarmProcess } from './warm-process.js';

/** Distinct command lines kept warm; the oldest goes beyond (callers normally use one or two). */
const MAX_COMMAND_LINES = 4;
/** How long a decode waits for a replacement still starting through the helper. */
const START_WAIT_MS = 1000;

const idle = new Map<string, WarmProcess>();
/** Helper starts under way, by command line (at most one each). */
const starting = new Map<string, Promise<void>>();

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
    .then((spawned) => makeIdle(key, warmProcessFromHelper(spawned)), () => undefined)
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
  if (ready === undefined && viaHelper) ready = await spawnThroughHelper({ binary, args }).then(warmProcessFromHelper, () => undefined);
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
