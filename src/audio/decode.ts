// decode: any common audio file (path or Buffer) → mono float32 samples at `sampleRate`, through
// ffmpeg (this folder is the only code that runs it). Samples come back as raw f32le on ffmpeg's stdout; Buffers go in on stdin.
// The one exception is an MP4/M4A whose index sits after the audio (mp4-layout.ts): a pipe cannot
// seek back to it, so that buffer is written to a private temp file that is always removed.
// With `warmPool`, other Buffers go to a pre-spawned ffmpeg (warm-decoder.ts) with the very same
// command line, which saves ffmpeg's start-up; the cold spawn stays the fallback. Every process is
// spawned by warm-decoder.ts, which turns a failed spawn (EMFILE, ENOENT …) into an error.
// ffmpeg opens only the formats listed in INPUT_FORMATS (decode-arguments.ts) and only the pipe
// (or our temp file), so an uploaded playlist (ffconcat, HLS) is refused before it can name
// another file or a URL.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError, InputError, TransientError } from '../errors.js';
import type { DecodedAudio } from '../types.js';
import { isExecutableFile, resolveFfmpegPath } from './ffmpeg/ffmpeg-binary.js';
import { commandLineWorks } from './ffmpeg/command-check.js';
import { ffmpegSupportsSoxr } from './ffmpeg/ffmpeg-capabilities.js';
import { collectFfmpegOutput } from './ffmpeg/ffmpeg-run.js';
import { needsSeekableInput } from './mp4-layout.js';
import { decodeWithWarmProcess } from './ffmpeg/warm-decoder.js';
import { decodeArguments, type Resampler } from './decode-arguments.js';
import { spawnWarm } from './ffmpeg/warm-process.js';

export interface DecodeOptions {
  input: string | Buffer;
  sampleRate?: number;
  /** Decode at most this many seconds from the start. */
  maxSeconds?: number;
  /** Fewer decoded seconds than this is AUDIO_TOO_SHORT. */
  minSeconds?: number;
  /** Input size limit (bytes of the file or Buffer). */
  maxBytes?: number;
  timeoutMs?: number;
  /** Default: resolveFfmpegPath({}) (PATH, then the bundled binary). */
  ffmpegPath?: string;
  signal?: AbortSignal;
  /** 'auto': soxr when this ffmpeg has it (closest to librosa), else ffmpeg's default swr. */
  resampler?: Resampler;
  /** Buffer inputs: use (and keep) a pre-spawned ffmpeg. Off by default: it leaves a process idling. */
  warmPool?: boolean;
  /** With warmPool: pre-spawn through a small helper process, so this one never forks (spawn-helper.ts). */
  spawnHelper?: boolean;
}

/**
 * Right before a cold spawn: a binary deleted or made non-executable since it was resolved is
 * FFMPEG_UNAVAILABLE (503: another worker may still have one). Bare names are left to spawn's
 * PATH lookup.
 */
function assertRunnable(binary: string): void {
  if (binary.includes('/') && !isExecutableFile(binary)) {
    throw new TransientError('FFMPEG_UNAVAILABLE', 'the audio decoder (ffmpeg) cannot be run on this server', {
      cause: new Error(`${binary} is not an executable file`),
    });
  }
}

async function inputSize(input: string | Buffer): Promise<number> {
  if (typeof input !== 'string') return input.length;
  try {
    const info = await stat(input);
    if (!info.isFile()) throw new InputError('NOT_AUDIO', `${input} is not a regular file`);
    return info.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError('AUDIO_NOT_FOUND', `cannot read ${input}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/**
 * ffmpeg's f32le bytes as samples without a copy when the Buffer owns its ArrayBuffer (Buffer.concat
 * of a multi-MB output allocates its own, at offset 0): a 30-s decode is 2.6 MB, and
 * every extra copy is more garbage per prediction (docs/api.md, "Where the rest goes").
 */
function samplesView(raw: Buffer): Float32Array {
  const count = Math.floor(raw.length / 4);
  // Only a Buffer that owns its whole ArrayBuffer: a small one may sit in Node's shared pool, and
  // callers are allowed to use `samples.buffer`.
  if (raw.byteOffset === 0 && raw.buffer.byteLength === count * 4) return new Float32Array(raw.buffer, 0, count);
  const samples = new Float32Array(count);
  new Uint8Array(samples.buffer).set(raw.subarray(0, count * 4));
  return samples;
}

export async function decodeAudio({
  input, sampleRate = 22050, maxSeconds = 30, minSeconds = 1, maxBytes, timeoutMs = 15000, ffmpegPath, signal, resampler = 'auto', warmPool = false, spawnHelper = false,
}: DecodeOptions): Promise<DecodedAudio> {
  if (!Number.isInteger(sampleRate) || sampleRate < 1000 || sampleRate > 384000) {
    throw new InputError('INVALID_DECODE_PARAMS', `sampleRate must be an integer in [1000, 384000], got ${sampleRate}`);
  }
  if (!(maxSeconds > 0) || !(minSeconds >= 0) || minSeconds > maxSeconds || !(timeoutMs > 0)) {
    throw new InputError('INVALID_DECODE_PARAMS', 'need maxSeconds > 0, 0 <= minSeconds <= maxSeconds, timeoutMs > 0');
  }
  signal?.throwIfAborted();
  const bytes = await inputSize(input);
  if (bytes === 0) throw new InputError('EMPTY_AUDIO', 'the audio input is empty (0 bytes)');
  if (maxBytes !== undefined && bytes > maxBytes) {
    throw new InputError('AUDIO_TOO_LARGE', `the audio input has ${bytes} bytes, more than the limit of ${maxBytes}`);
  }
  const binary = ffmpegPath ?? resolveFfmpegPath({}).path;
  const useSoxr = resampler === 'soxr' || (resampler === 'auto' && (await ffmpegSupportsSoxr({ ffmpegPath: binary })));
  const argsFor = (source: string) => decodeArguments({ source, sampleRate, maxSeconds, useSoxr });

  let tempDir: string | undefined;
  try {
    let source: string;
    let warmInput: Buffer | undefined;
    let pipeInput: Buffer | undefined;
    if (typeof input === 'string') {
      // "file:" keeps a user-supplied name like "http://…" or "concat:…" from being a protocol.
      source = `file:${resolve(input)}`;
    } else if (needsSeekableInput({ data: input })) {
      tempDir = await mkdtemp(join(tmpdir(), 'music-prediction-decode-'));
      const file = join(tempDir, 'input.m4a');
      await writeFile(file, input, { mode: 0o600 });
      source = `file:${file}`;
    } else {
      source = 'pipe:0';
      pipeInput = input;
      if (warmPool) warmInput = input;
    }
    const args = argsFor(source);
    // One second of slack over maxSeconds for ffmpeg's -t rounding: ordinary files never reach it.
    const maxOutputBytes = Math.ceil(maxSeconds * sampleRate + sampleRate) * 4;
    let raw: Buffer | undefined;
    try {
      raw = warmInput
        ? await decodeWithWarmProcess({ binary, args, input: warmInput, timeoutMs, signal, maxOutputBytes, viaHelper: spawnHelper })
        : undefined;
      if (raw === undefined) {
        assertRunnable(binary);
        const cold = spawnWarm(binary, args);
        cold.handOver(pipeInput ?? Buffer.alloc(0));
        raw = await collectFfmpegOutput({ ffmpeg: cold, timeoutMs, signal, maxOutputBytes });
      }
    } catch (err) {
      // A failure the stderr patterns could not place: ours only if our command line also fails
      // on a known-good clip (command-check.ts).
      if (err instanceof AppError && err.code === 'FFMPEG_FAILED' && !signal?.aborted && (await commandLineWorks({ binary, args: argsFor('pipe:0') }))) {
        throw new InputError('UNSUPPORTED_AUDIO', 'this audio cannot be decoded (unsupported channel layout, sample format or encoding)', { cause: err });
      }
      throw err;
    }
    // Output that reached the cap came from timestamps that do not advance (ffmpeg's -t never
    // fired): keep the first maxSeconds of it, as -t would have.
    if (raw.length >= maxOutputBytes) raw = raw.subarray(0, Math.round(maxSeconds * sampleRate) * 4);
    const samples = samplesView(raw);
    const durationSeconds = samples.length / sampleRate;
    if (durationSeconds < minSeconds) {
      throw new InputError('AUDIO_TOO_SHORT', `decoded only ${durationSeconds.toFixed(3)} s of audio, need at least ${minSeconds} s`);
    }
    return { samples, sampleRate, durationSeconds };
  } finally {
    if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
  }
}
