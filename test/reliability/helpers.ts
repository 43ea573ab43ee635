// Shared by the reliability tests and benchmarks: a private temp dir (so "no temp file left" can
// be checked exactly, even while other test processes write to /tmp), the ffmpeg children of this
// process (read from /proc: "was ffmpeg killed?"; the warm pool's idle ones set apart), a private
// Redis server the test can restart, hand-built multipart bodies (the fuzz needs malformed ones no
// client library would send), and the audio files the fuzz mutates.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { idleWarmDecoderPids } from '../../src/audio/ffmpeg/warm-decoder.js';

const run = promisify(execFile);

/**
 * Points os.tmpdir() (which reads TMPDIR on every call) at a fresh directory for this process.
 * Call it before anything creates temp files; `entries()` lists what is in it now, except what
 * lives as long as the process predicts, not per request: the spawn helper's socket directory
 * (removed when the helper stops, checked in faults-security.test.ts) and tsx's cache, which the
 * helper's process makes when it starts under tsx (tests only); `all()` lists everything.
 */
export function isolateTmpdir(): { dir: string; entries(): string[]; all(): string[]; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mp-reliability-'));
  process.env.TMPDIR = dir;
  const all = () => readdirSync(dir).sort();
  const entries = () => all().filter((e) => !e.startsWith('music-prediction-spawn-') && !e.startsWith('tsx-'));
  return { dir, entries, all, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Live descendants of this process whose command name is one of `names` (Linux /proc). */
export function descendantProcesses(names: readonly string[]): Array<{ pid: number; name: string }> {
  const parentOf = new Map<number, { ppid: number; name: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may contain spaces and parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const [state, ppid] = stat.slice(close + 2).split(' ');
      if (state !== 'Z') parentOf.set(Number(entry), { ppid: Number(ppid), name });
    } catch {
      // the process ended while we looked
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parentOf.get(pid)?.ppid, depth = 0; p !== undefined && depth < 20; p = parentOf.get(p)?.ppid, depth++) {
      if (p === process.pid) return true;
    }
    return false;
  };
  return [...parentOf].filter(([pid, info]) => names.includes(info.name) && isDescendant(pid)).map(([pid, info]) => ({ pid, name: info.name }));
}

/**
 * ffmpeg processes below this one other than the warm pool's idle ones (src/audio/ffmpeg/warm-decoder.ts:
 * one per command line, started ahead on purpose). Anything else left after a request leaked.
 */
export async function strayFfmpegProcesses(): Promise<Array<{ pid: number; name: string }>> {
  const idle = new Set((await idleWarmDecoderPids()));
  return descendantProcesses(['ffmpeg']).filter((p) => !idle.has(p.pid));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PrivateRedis {
  url: string;
  port: number;
  /** Kills the server (SIGKILL: a crash, not a clean shutdown) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port (and the same data directory). */
  start(): Promise<void>;
  /** Kills it and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * A redis-server of our own on a free port. `persistent`: append-only file fsynced on every write
 * (what a BullMQ deployment should run), so a crash loses nothing; otherwise a restart starts empty.
 */
export async function startPrivateRedis({ persistent }: { persistent: boolean }): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mp-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let proc: ChildProcess | undefined;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--logfile', '',
    ...(persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'])];
  const start = async () => {
    proc = spawn('redis-server', args, { stdio: 'ignore' });
    const until = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') return;
      } catch {
        if (Date.now() > until) throw new Error(`redis-server on port ${port} did not start`);
      } finally {
        probe.disconnect();
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const kill = async () => {
    const current = proc;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((r) => current.once('exit', r));
    current.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    port,
    kill,
    start,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type MultipartPart =
  | { kind: 'file'; field: string; filename: string; contentType?: string; data: Buffer; extraHeaders?: string }
  | { kind: 'field'; field: string; value: string };

/** A multipart/form-data body built by hand, so tests control every byte of it. */
export function multipartBody(parts: readonly MultipartPart[], boundary = '----mp-fuzz-boundary-7d3f'): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      part.kind === 'file'
        ? `Content-Disposition: form-data; name="${part.field}"; filename="${part.filename}"\r\nContent-Type: ${part.contentType ?? 'application/octet-stream'}\r\n${part.extraHeaders ?? ''}`
        : `Content-Disposition: form-data; name="${part.field}"\r\n`;
    chunks.push(Buffer.from(`--${boundary}\r\n${disposition}\r\n`, 'latin1'));
    chunks.push(part.kind === 'file' ? part.data : Buffer.from(part.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export type SeedFormat = 'mp3' | 'm4a' | 'm4a-moov-last' | 'wav' | 'flac';

/**
 * Two-second files in every container the fuzz mutates, generated with ffmpeg into `dir`.
 * "m4a-moov-last" keeps its index after the audio (no faststart): the decoder must spool it to a
 * temp file, the one path that writes to disk, so the fuzz checks that nothing stays behind.
 */
export async function seedAudioFiles(dir: string): Promise<Record<SeedFormat, Buffer>> {
  const codecs: Record<SeedFormat, string[]> = {
    mp3: ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'],
    m4a: ['-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart', '-f', 'mp4'],
    'm4a-moov-last': ['-c:a', 'aac', '-b:a', '64k', '-f', 'mp4'],
    wav: ['-c:a', 'pcm_s16le', '-f', 'wav'],
    flac: ['-c:a', 'flac', '-f', 'flac'],
  };
  const out = {} as Record<SeedFormat, Buffer>;
  await Promise.all(
    (Object.keys(codecs) as SeedFormat[]).map(async (format) => {
      const file = join(dir, `seed-${format}`);
      await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=22050:duration=2',
        '-ac', '1', ...codecs[format], file], { timeout: 20_000 });
      out[format] = await readFile(file);
    }),
  );
  return out;
}

/** Races `promise` against a deadline: a hang becomes a test failure with a name, not a stuck run. */
export async function withinMs<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (hang)`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
