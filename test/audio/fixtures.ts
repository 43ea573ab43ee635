// Audio fixtures generated with ffmpeg into a temp dir at test start (nothing binary committed):
// a 3-s 440 Hz sine (lavfi's amplitude 1/8) in the left channel and at half that in the right one,
// like the golden mp3, in every format we accept.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FORMATS = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '128k'],
  m4a: ['-c:a', 'aac', '-b:a', '128k'],
  wav: ['-c:a', 'pcm_s16le'],
  ogg: ['-c:a', 'libvorbis'],
  opus: ['-c:a', 'libopus', '-b:a', '96k'],
  flac: ['-c:a', 'flac'],
} as const;
export type Format = keyof typeof FORMATS;

export function ffmpegSync(args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { timeout: 60_000, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** RMS of the channel mean of makeTone's output: 0.75 · (1/8) / √2. */
export const TONE_MONO_RMS = (0.75 * 0.125) / Math.SQRT2;

/** A sine tone in a stereo file (right = 0.5 × left); `seconds` long. */
export function makeTone(path: string, seconds: number, codecArgs: readonly string[]): string {
  const tone = `sine=frequency=440:sample_rate=44100:duration=${seconds}`;
  ffmpegSync(['-f', 'lavfi', '-i', tone, '-af', 'pan=stereo|c0=c0|c1=0.5*c0', ...codecArgs, path]);
  return path;
}

export function makeFixtureDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'music-prediction-audio-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function rms(samples: Float32Array): number {
  let sum = 0;
  for (const v of samples) sum += v * v;
  return Math.sqrt(sum / samples.length);
}
