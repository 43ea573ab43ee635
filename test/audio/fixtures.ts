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

/** A WAV whose header says what the test wants (format tag 1 = PCM, 3 = float). */
export function wav({ tag = 1, channels = 1, rate = 22_050, bits = 16, data }: { tag?: number; channels?: number; rate?: number; bits?: number; data: Buffer }): Buffer {
  const header = Buffer.alloc(44);
  const block = Math.max(1, (channels * bits) / 8);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(tag, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * block, 28);
  header.writeUInt16LE(block, 32);
  header.writeUInt16LE(bits, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** `count` float32 samples, little-endian, from `value(i)`. */
export function floats(count: number, value: (i: number) => number): Buffer {
  const out = Buffer.alloc(count * 4);
  for (let i = 0; i < count; i++) out.writeFloatLE(value(i), i * 4);
  return out;
}
