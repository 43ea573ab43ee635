// Training/evaluation features: the SAME extractFeatures as serving (genre/preprocess), cached per file
// under .cache/features (feature-cache.ts) so repeated experiments skip ffmpeg and the STFT.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeatureParams } from '../../genre/model/metadata.js';
import { extractFeatures, extractFeatureWindows } from '../../genre/preprocess.js';
import type { DatasetEntry } from '../datasets/manifest.js';
import type { MfccMatrix } from '../../types.js';
import { bandLimit, bandLimitCutoffHz, bandLimitKey } from './band-limit.js';
import { cacheKey, decodeMfcc, decodeMfccList, encodeMfcc, encodeMfccList, writeCacheEntry } from './feature-cache.js';

/** MFCC of one audio file with the model's feature parameters, through the cache when given. */
export async function extractFileMfcc({ path, features, cacheDir, timeoutMs = 30_000 }: {
  path: string;
  features: FeatureParams;
  cacheDir?: string;
  timeoutMs?: number;
}): Promise<MfccMatrix> {
  const file = cacheDir ? join(cacheDir, `${await cacheKey(path, features)}.f32`) : undefined;
  if (file) {
    const cached = await readFile(file).then(decodeMfcc, () => undefined);
    if (cached && cached.nMfcc === features.nMfcc) return cached;
  }
  const { mfcc } = await extractFeatures({ input: path, features, limits: { timeoutMs } });
  if (file && cacheDir) await writeCacheEntry(cacheDir, file, encodeMfcc(mfcc));
  return mfcc;
}

/** Minimum length of a second or later window: a shorter tail is dropped, not looped. */
export const MIN_EXTRA_WINDOW_SECONDS = 10;

/**
 * Up to `windows` consecutive clipSeconds-long windows of a long file, each turned into MFCCs on
 * its own as an upload of that length would be (the dB range is relative to each window's peak).
 * Why: a 90-s recording holds three previews' worth of music, and the later ones sound more like
 * a real preview (taken from the middle of a song) than the intro does.
 */
export async function extractFileWindows({ path, features, windows, cacheDir, timeoutMs = 60_000, bandLimitHz }: {
  path: string;
  features: FeatureParams;
  windows: number;
  cacheDir?: string;
  timeoutMs?: number;
  /** The recording band-limited at this cutoff first (band-limit.ts): a training augmentation. */
  bandLimitHz?: number;
}): Promise<MfccMatrix[]> {
  if (windows === 1 && bandLimitHz === undefined) return [await extractFileMfcc({ path, features, ...(cacheDir ? { cacheDir } : {}), timeoutMs })];
  // The cache keeps at least CACHED_COEFFICIENTS rows: the ortho DCT's first n rows do not depend
  // on how many are computed, so one cached file serves every coefficient count up to it.
  const stored = { ...features, nMfcc: Math.min(features.nMels, Math.max(features.nMfcc, CACHED_COEFFICIENTS)) };
  const file = cacheDir ? join(cacheDir, `${await cacheKey(path, stored, windows, bandLimitHz)}.f32w`) : undefined;
  if (file) {
    const cached = await readFile(file).then(decodeMfccList, () => undefined);
    if (cached && cached.every((m) => m.nMfcc === stored.nMfcc)) return cached.map((m) => firstRows(m, features.nMfcc));
  }
  const out = await extractFeatureWindows({
    input: path, features: stored, windows, limits: { timeoutMs }, minExtraSeconds: MIN_EXTRA_WINDOW_SECONDS,
    ...(bandLimitHz === undefined ? {} : { filterSamples: (samples: Float32Array, sampleRate: number) => bandLimit(samples, sampleRate, bandLimitHz) }),
  });
  if (file && cacheDir) await writeCacheEntry(cacheDir, file, encodeMfccList(out));
  return out.map((m) => firstRows(m, features.nMfcc));
}

const CACHED_COEFFICIENTS = 40;

function firstRows(m: MfccMatrix, n: number): MfccMatrix {
  return n === m.nMfcc ? m : { data: m.data.slice(0, n * m.frames), nMfcc: n, frames: m.frames };
}

export interface ClipFeatures {
  entry: DatasetEntry;
  mfcc: MfccMatrix;
  /** With `windows` > 1: the file's second and later windows (see extractFileWindows). */
  extraWindows?: MfccMatrix[];
}

/**
 * Features of many files with `concurrency` in flight (ffmpeg runs in its own process, so two
 * at a time keep both cores busy). Files that fail (unreadable, too short) are reported, not fatal.
 */
export async function extractDatasetFeatures({ entries, features, cacheDir, concurrency = 2, windows = 1, bandLimited = false, onProgress }: {
  entries: readonly DatasetEntry[];
  features: FeatureParams;
  /** Every file band-limited at its own cutoff (bandLimitCutoffHz): the augmentation's copies. */
  bandLimited?: boolean;
  /** Windows per long file (extractFileWindows); default 1, the first clipSeconds only. */
  windows?: number;
  cacheDir?: string;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}): Promise<{ clips: ClipFeatures[]; failures: { entry: DatasetEntry; error: string }[] }> {
  const results: (ClipFeatures | undefined)[] = new Array(entries.length);
  const failures: { entry: DatasetEntry; error: string }[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < entries.length) {
      const index = next++;
      const entry = entries[index]!;
      try {
        const [mfcc, ...extraWindows] = await extractFileWindows({
          path: entry.path, features, windows, ...(cacheDir ? { cacheDir } : {}), ...(bandLimited ? { bandLimitHz: bandLimitCutoffHz(bandLimitKey(entry)) } : {}),
        });
        results[index] = { entry, mfcc: mfcc!, ...(extraWindows.length > 0 ? { extraWindows } : {}) };
      } catch (err) {
        failures.push({ entry, error: err instanceof Error ? err.message : String(err) });
      }
      onProgress?.(++done, entries.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return { clips: results.filter((r): r is ClipFeatures => r !== undefined), failures };
}
