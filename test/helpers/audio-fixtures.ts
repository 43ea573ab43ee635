// Small audio files generated with the system ffmpeg into a temp dir, once per test process
// (cached by parameters), so tests need no committed binaries and work on a fresh machine.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type FixtureFormat = 'mp3' | 'm4a' | 'wav' | 'flac' | 'ogg';

export interface AudioFixtureOptions {
  format: FixtureFormat;
  /** Length in seconds (default 3). */
  seconds?: number;
  /** Sine frequency in Hz (default 440); a little pink noise is mixed in so it is not pure tone. */
  frequencyHz?: number;
  sampleRate?: number;
}

const CODECS: Record<FixtureFormat, string[]> = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '64k'],
  m4a: ['-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart'],
  wav: ['-c:a', 'pcm_s16le'],
  flac: ['-c:a', 'flac'],
  ogg: ['-c:a', 'libvorbis', '-q:a', '2'],
};

let dir: string | null = null;
const cache = new Map<string, Promise<string>>();

function fixtureDir(): string {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'music-prediction-audio-'));
    const created = dir;
    process.once('exit', () => rmSync(created, { recursive: true, force: true }));
  }
  return dir;
}

/** Path of a generated audio file (created on first use, then reused by the whole process). */
export function audioFixture({ format, seconds = 3, frequencyHz = 440, sampleRate = 22050 }: AudioFixtureOptions): Promise<string> {
  const key = `${format}-${seconds}-${frequencyHz}-${sampleRate}`;
  let pending = cache.get(key);
  if (!pending) {
    const out = join(fixtureDir(), `${key}.${format}`);
    const args = [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', `sine=frequency=${frequencyHz}:sample_rate=${sampleRate}:duration=${seconds}`,
      '-f', 'lavfi', '-i', `anoisesrc=color=pink:amplitude=0.05:sample_rate=${sampleRate}:duration=${seconds}`,
      '-filter_complex', 'amix=inputs=2:duration=shortest', '-ac', '1', '-ar', String(sampleRate),
      ...CODECS[format], out,
    ];
    pending = run('ffmpeg', args, { timeout: 20_000 }).then(() => out);
    cache.set(key, pending);
  }
  return pending;
}

/** The bytes of a generated audio file. */
export async function audioFixtureBytes(options: AudioFixtureOptions): Promise<Buffer> {
  return readFile(await audioFixture(options));
}
