// Audio → the MFCC matrix a model sees. Every setting that changes the numbers (sample rate, clip
// length, minimum length, resampler, MFCC parameters) comes from the model's FeatureParams; the
// caller only adds operational limits (bytes, time, the ffmpeg to run), which never change features.
import { decodeAudio } from '../audio/decode.js';
import { assertUsableSamples, assertValidSamples } from '../audio/sample-check.js';
import type { MelEngine } from '../features/mel-power.js';
import { computeMfcc } from '../features/mfcc.js';
import type { Config } from '../config.js';
import type { MfccMatrix } from '../types.js';
import type { FeatureParams } from './model/metadata.js';

export interface DecodeLimits {
  /** Operational cap on decoded seconds: lowers the model's clipSeconds, never raises it. */
  maxSeconds?: number;
  /** Operational floor: raises the model's minSeconds, never lowers it. */
  minSeconds?: number;
  maxBytes?: number;
  timeoutMs?: number;
  ffmpegPath?: string;
  warmPool?: boolean;
  spawnHelper?: boolean;
}

export interface ExtractedFeatures {
  mfcc: MfccMatrix;
  durationSeconds: number;
  timingsMs: { decode: number; mfcc: number };
}

/** The operational limits a process's config sets on every decode. */
export function decodeLimitsFrom(config: Pick<Config, 'MAX_AUDIO_SECONDS' | 'MIN_AUDIO_SECONDS' | 'MAX_UPLOAD_BYTES' | 'FFMPEG_TIMEOUT_MS' | 'FFMPEG_PATH' | 'FFMPEG_WARM_POOL' | 'FFMPEG_SPAWN_HELPER'>): DecodeLimits {
  return {
    maxSeconds: config.MAX_AUDIO_SECONDS, minSeconds: config.MIN_AUDIO_SECONDS, maxBytes: config.MAX_UPLOAD_BYTES, timeoutMs: config.FFMPEG_TIMEOUT_MS,
    ...(config.FFMPEG_PATH !== undefined ? { ffmpegPath: config.FFMPEG_PATH } : {}), warmPool: config.FFMPEG_WARM_POOL, spawnHelper: config.FFMPEG_SPAWN_HELPER,
  };
}

/** The decode window a model's features call for under the given limits. */
export function decodeWindow(features: FeatureParams, limits: DecodeLimits): { maxSeconds: number; minSeconds: number } {
  const maxSeconds = Math.min(features.clipSeconds, limits.maxSeconds ?? Infinity);
  // A cap below the model's minimum would refuse every input; the minimum then follows the cap.
  const minSeconds = Math.min(Math.max(features.minSeconds, limits.minSeconds ?? 0), maxSeconds);
  return { maxSeconds, minSeconds };
}

export async function extractFeatures({ input, features, limits = {}, engine, signal, onDecoded, refuseUnusable = false }: {
  input: string | Buffer;
  /** Also refuse silent audio (422) instead of classifying it: on for predictions. Non-finite or absurd samples are always refused. */
  refuseUnusable?: boolean;
  /** Called between the decode and the MFCC (progress reporting). */
  onDecoded?: () => void;
  features: FeatureParams;
  limits?: DecodeLimits;
  engine?: MelEngine;
  signal?: AbortSignal;
}): Promise<ExtractedFeatures> {
  const t0 = performance.now();
  const decoded = await decodeFor({ input, features, limits, window: decodeWindow(features, limits), ...(signal ? { signal } : {}) });
  const t1 = performance.now();
  if (refuseUnusable) assertUsableSamples(decoded.samples);
  else assertValidSamples(decoded.samples);
  onDecoded?.();
  const mfcc = mfccWith(features, decoded.samples, decoded.sampleRate, engine);
  const round = (x: number) => Math.round(x * 100) / 100;
  return { mfcc, durationSeconds: decoded.durationSeconds, timingsMs: { decode: round(t1 - t0), mfcc: round(performance.now() - t1) } };
}

/** The one decode call of the pipeline: the model's sample rate and resampler, the caller's window and limits. */
function decodeFor({ input, features, limits, window, signal }: {
  input: string | Buffer;
  features: FeatureParams;
  limits: DecodeLimits;
  window: { maxSeconds: number; minSeconds: number };
  signal?: AbortSignal;
}) {
  return decodeAudio({
    input,
    sampleRate: features.sampleRate,
    resampler: features.resampler,
    ...window,
    ...(limits.maxBytes !== undefined ? { maxBytes: limits.maxBytes } : {}),
    ...(limits.timeoutMs !== undefined ? { timeoutMs: limits.timeoutMs } : {}),
    ...(limits.ffmpegPath !== undefined ? { ffmpegPath: limits.ffmpegPath } : {}),
    warmPool: limits.warmPool ?? false,
    spawnHelper: limits.spawnHelper ?? false,
    ...(signal ? { signal } : {}),
  });
}

function mfccWith(features: FeatureParams, samples: Float32Array, sampleRate: number, engine?: MelEngine): MfccMatrix {
  const { nFft, hopLength, nMels, nMfcc, lifter, fmin, fmax } = features;
  return computeMfcc({ samples, sampleRate, nFft, hopLength, nMels, nMfcc, lifter, fmin, fmax, ...(engine ? { engine } : {}) });
}

/**
 * Up to `windows` consecutive clipSeconds-long windows of one long file, each turned into MFCCs on
 * its own exactly as an upload of that length would be (the dB range is relative to each window's
 * peak). For training: a 90-s recording holds three previews' worth of music. A later window
 * shorter than `minExtraSeconds` is dropped.
 */
export async function extractFeatureWindows({ input, features, windows, limits = {}, minExtraSeconds, filterSamples }: {
  input: string | Buffer;
  features: FeatureParams;
  windows: number;
  limits?: DecodeLimits;
  minExtraSeconds: number;
  /** Applied to the whole decoded recording before it is cut: a training augmentation's hook. */
  filterSamples?: (samples: Float32Array, sampleRate: number) => Float32Array;
}): Promise<MfccMatrix[]> {
  const decoded = await decodeFor({ input, features, limits, window: { maxSeconds: features.clipSeconds * windows, minSeconds: features.minSeconds } });
  assertValidSamples(decoded.samples);
  if (filterSamples) decoded.samples = filterSamples(decoded.samples, decoded.sampleRate);
  const length = Math.round(features.clipSeconds * decoded.sampleRate);
  const out: MfccMatrix[] = [];
  for (let start = 0; start < decoded.samples.length && out.length < windows; start += length) {
    const samples = decoded.samples.subarray(start, Math.min(decoded.samples.length, start + length));
    if (start > 0 && samples.length < minExtraSeconds * decoded.sampleRate) break;
    out.push(mfccWith(features, samples, decoded.sampleRate));
  }
  return out;
}
