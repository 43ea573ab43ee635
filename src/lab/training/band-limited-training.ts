// The training windows with band-limit augmentation (band-limit.ts): a seeded share of them
// replaced by the same window of the band-limited recording. Validation and held-out windows are
// never filtered, so early stopping and the reported figures stay on the music as it is.
import type { FeatureParams } from '../../genre/model/metadata.js';
import type { DatasetEntry } from '../datasets/manifest.js';
import type { MfccMatrix } from '../../types.js';
import { extractDatasetFeatures } from './features.js';
import { createRandom } from './random.js';
import type { LabelledClip } from './train-options.js';

export async function withBandLimit({ share, seed, entries, windowsOf, labelOf, features, windows, cacheDir, onProgress, onFailure }: {
  /** 0 leaves every window as it is (and extracts nothing). */
  share: number;
  seed: number;
  /** The training files, in a fixed order (the draws follow it). */
  entries: readonly DatasetEntry[];
  windowsOf: ReadonlyMap<DatasetEntry, MfccMatrix[]>;
  labelOf: ReadonlyMap<DatasetEntry, number>;
  features: FeatureParams;
  windows: number;
  cacheDir?: string;
  onProgress?: (done: number, total: number) => void;
  onFailure?: (entry: DatasetEntry, error: string) => void;
}): Promise<LabelledClip[]> {
  const limitedOf = new Map<DatasetEntry, MfccMatrix[]>();
  if (share > 0) {
    const { clips, failures } = await extractDatasetFeatures({
      entries, features, windows, concurrency: 2, bandLimited: true, ...(cacheDir ? { cacheDir } : {}), ...(onProgress ? { onProgress } : {}),
    });
    for (const c of clips) limitedOf.set(c.entry, [c.mfcc, ...(c.extraWindows ?? [])]);
    for (const f of failures) onFailure?.(f.entry, f.error);
  }
  const random = createRandom(seed * 31 + 1);
  return entries.flatMap((entry) => (windowsOf.get(entry) ?? []).map((mfcc, i) => {
    const limited = limitedOf.get(entry)?.[i];
    return { mfcc: limited && random() < share ? limited : mfcc, label: labelOf.get(entry)!, source: entry.source };
  }));
}
