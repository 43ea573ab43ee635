// Audio front end benchmark: MFCC of 30 s (the golden clip) with the SIMD WebAssembly mel power
// (default) and the float64 TypeScript one, the mel power and the STFT alone, fft.js on the same
// frames for scale, decode of a 30-s mp3
// and m4a with the system and the bundled ffmpeg (cold spawn, and with the warm pool), the MFCC
// image encode (sharp).
// Run: npm run bench audio
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeAudio } from '../src/audio/decode.js';
import { bundledFfmpegPath, resolveFfmpegPath } from '../src/audio/ffmpeg-binary.js';
import { ffmpegSupportsSoxr } from '../src/audio/ffmpeg-capabilities.js';
import { needsSeekableInput } from '../src/audio/mp4-layout.js';
import { closeWarmDecoders } from '../src/audio/warm-decoder.js';
import { computeMelPower } from '../src/features/mel-power.js';
import { computeMfcc } from '../src/features/mfcc.js';
import { renderMfccImage } from '../src/features/mfcc-image.js';
import { createStftPlan, forEachPowerFrame } from '../src/features/stft.js';
import { formatTimings, measure, summarize, type Timing } from './lib.js';

const here = dirname(fileURLToPath(import.meta.url));
const clipPath = join(here, '..', 'test', 'fixtures', 'golden', 'clip_22050_mono.wav');

/** 16-bit PCM mono WAV → float32 (the golden clip; no ffmpeg involved in the MFCC figures). */
function readClip(): Float32Array {
  const wav = readFileSync(clipPath);
  const dataAt = wav.indexOf('data', 12, 'latin1');
  const count = wav.readUInt32LE(dataAt + 4) / 2;
  return Float32Array.from({ length: count }, (_, i) => wav.readInt16LE(dataAt + 8 + i * 2) / 32768);
}

/**
 * measure() plus the median CPU time of the timed runs: on a shared, overloaded machine the wall
 * clock mostly measures the other processes, CPU time a lot less.
 */
async function measureWithCpu(name: string, fn: () => unknown, { warmup, runs, extra = {} }: { warmup: number; runs: number; extra?: Record<string, string | number> }): Promise<Timing> {
  const cpuMs: number[] = [];
  const timed = async (): Promise<void> => {
    const before = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(before);
    cpuMs.push((used.user + used.system) / 1000);
  };
  const timing = await measure(name, timed, { warmup, runs });
  const sorted = cpuMs.slice(warmup).sort((a, b) => a - b);
  return { ...timing, extra: { cpu_median_ms: (sorted[Math.floor(sorted.length / 2)] ?? Number.NaN).toFixed(2), ...extra } };
}

type RealFft = { createComplexArray(): number[]; realTransform(out: number[], input: ArrayLike<number>): void };

async function featureTimings(samples: Float32Array): Promise<Timing[]> {
  const sampleRate = 22050;
  const mfcc = computeMfcc({ samples, sampleRate });
  const plan = createStftPlan({ nFft: 2048, hopLength: 512 });
  const FFT = createRequire(import.meta.url)('fft.js') as new (size: number) => RealFft;
  const fftjs = new FFT(2048);
  const out = fftjs.createComplexArray();
  const frame = new Float64Array(2048);
  const image = await renderMfccImage({ mfcc });
  // 50 ms apart, as jobs arrive at light load (the helper thread is idle, not spinning); CPU is
  // this process's, all threads.
  const spacedMfcc = async (name: string, fn: () => unknown): Promise<Timing> => {
    const { wallMs, cpuMs } = await spacedRuns(fn, { gapMs: 50, warmup: 10, runs: 30 });
    return summarize(name, wallMs, { cpu_median_ms: cpuMs.sort((a, b) => a - b)[cpuMs.length >> 1]!.toFixed(2) });
  };
  const spaced = [
    await spacedMfcc('MFCC 30 s, one thread, 50 ms apart', () => computeMfcc({ samples, sampleRate })),
  ];
  return [
    await measureWithCpu(`MFCC 30 s (13×${mfcc.frames}, n_fft 2048, 128 mels), wasm SIMD mel power (default)`, () => computeMfcc({ samples, sampleRate }), { warmup: 10, runs: 40 }),
    await measureWithCpu('  of which mel power (wasm SIMD, float32)', () => computeMelPower({ samples, sampleRate }), { warmup: 10, runs: 40 }),
    await measureWithCpu('MFCC 30 s, TypeScript float64 mel power (engine js)', () => computeMfcc({ samples, sampleRate, engine: 'js' }), { warmup: 10, runs: 40 }),
    await measureWithCpu('  of which mel power (js)', () => computeMelPower({ samples, sampleRate, engine: 'js' }), { warmup: 10, runs: 40 }),
    ...spaced,
    await measureWithCpu('  of which STFT power (js, hand-written real FFT)', () => forEachPowerFrame({ plan, samples, visit: () => {} }), { warmup: 10, runs: 40 }),
    await measureWithCpu('  reference: fft.js realTransform × frames', () => {
      for (let t = 0; t < mfcc.frames; t++) fftjs.realTransform(out, frame);
    }, { warmup: 10, runs: 40 }),
    await measureWithCpu('MFCC image encode (sharp JPEG q85 4:4:4)', () => renderMfccImage({ mfcc }), {
      warmup: 3, runs: 20, extra: { bytes: image.jpeg.length, size: `${image.width}x${image.height}` },
    }),
  ];
}

/** Runs `fn` warmup + runs times, `gapMs` apart: wall and process-CPU ms of the timed runs. */
async function spacedRuns(fn: () => unknown, { gapMs, warmup, runs }: { gapMs: number; warmup: number; runs: number }): Promise<{ wallMs: number[]; cpuMs: number[] }> {
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    await new Promise((r) => setTimeout(r, gapMs));
    const before = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const wall = performance.now() - t0;
    const used = process.cpuUsage(before);
    if (i >= warmup) {
      wallMs.push(wall);
      cpuMs.push((used.user + used.system) / 1000);
    }
  }
  return { wallMs, cpuMs };
}

async function decodeTimings(): Promise<Timing[]> {
  const dir = mkdtempSync(join(tmpdir(), 'music-prediction-bench-'));
  try {
    const mp3 = join(dir, 'clip.mp3');
    const m4a = join(dir, 'clip.m4a');
    const source = ['-v', 'error', '-y', '-i', clipPath, '-af', 'aresample=44100,pan=stereo|c0=c0|c1=0.5*c0'];
    execFileSync('ffmpeg', [...source, '-c:a', 'libmp3lame', '-b:a', '192k', mp3], { timeout: 60_000 });
    execFileSync('ffmpeg', [...source, '-c:a', 'aac', '-b:a', '128k', m4a], { timeout: 60_000 });
    const binaries: [string, string][] = [[resolveFfmpegPath({}).source, resolveFfmpegPath({}).path]];
    const bundled = bundledFfmpegPath();
    if (bundled !== undefined) binaries.push(['bundled 2018', bundled]);
    const timings: Timing[] = [];
    for (const [label, ffmpegPath] of binaries) {
      const soxr = await ffmpegSupportsSoxr({ ffmpegPath });
      for (const [name, path] of [['mp3', mp3], ['m4a', m4a]] as const) {
        const data = readFileSync(path);
        const extra = { resampler: soxr ? 'soxr' : 'swr', bytes: data.length };
        timings.push(await measure(`decode 30-s ${name}, ${label}, path`, () => decodeAudio({ input: path, ffmpegPath }), { warmup: 2, runs: 10, extra }));
        timings.push(await measure(`decode 30-s ${name}, ${label}, Buffer`, () => decodeAudio({ input: data, ffmpegPath }), { warmup: 2, runs: 10, extra }));
        if (needsSeekableInput({ data })) continue; // this m4a (moov last) goes through a temp file: no pool
        // Warm pool: back to back (the replacement is still starting when the next decode comes),
        // and 300 ms apart (it is ready, as between requests of a worker that also runs MFCC etc.).
        const warm = (): Promise<unknown> => decodeAudio({ input: data, ffmpegPath, warmPool: true });
        timings.push(await measure(`decode 30-s ${name}, ${label}, Buffer, warm pool`, warm, { warmup: 2, runs: 10, extra }));
        const { wallMs: spacedMs } = await spacedRuns(warm, { gapMs: 300, warmup: 2, runs: 10 });
        timings.push(summarize(`decode 30-s ${name}, ${label}, Buffer, warm, 300 ms apart`, spacedMs, extra));
      }
    }
    return timings;
  } finally {
    await closeWarmDecoders();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function audioBench(): Promise<void> {
  const start = process.cpuUsage();
  console.log(formatTimings('audio: features', await featureTimings(readClip())));
  console.log(formatTimings('audio: decode to 22050 Hz mono f32 (includes ffmpeg start-up)', await decodeTimings()));
  const cpu = process.cpuUsage(start);
  console.log(`  (bench process CPU: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; machine load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')})`);
}
