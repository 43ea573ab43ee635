// The data card stored in a model's metadata: what it was trained on, per genre and per source.
import type { DatasetEntry } from '../datasets/manifest.js';
import type { GenreModelMetadata } from '../../genre/model/metadata.js';

type Role = 'train' | 'validation' | 'held-out';

function countBy(entries: readonly { entry: DatasetEntry; label: number }[], labels: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(labels.map((l) => [l, 0]));
  for (const { label } of entries) counts[labels[label]!]! += 1;
  return counts;
}

function minutesBy(entries: readonly { entry: DatasetEntry; label: number }[], labels: readonly string[], secondsOf: (e: DatasetEntry) => number): Record<string, number> {
  const minutes: Record<string, number> = Object.fromEntries(labels.map((l) => [l, 0]));
  for (const { entry, label } of entries) minutes[labels[label]!]! += secondsOf(entry) / 60;
  for (const l of labels) minutes[l] = Math.round(minutes[l]! * 10) / 10;
  return minutes;
}

/** `licences` from a sources.json / datacard.json beside the data; else the entries' own
 * `licence` column; else 'unknown'. `secondsOf` (the audio actually used per entry) adds minutes. */
export function buildDataCard({ labels, parts, licences, description, secondsOf }: {
  labels: readonly string[];
  parts: Record<Role, readonly { entry: DatasetEntry; label: number }[]>;
  licences: Record<string, { licence: string }>;
  description: string;
  secondsOf?: (entry: DatasetEntry) => number;
}): GenreModelMetadata['dataCard'] {
  const sources: GenreModelMetadata['dataCard']['sources'] = [];
  for (const role of ['train', 'validation', 'held-out'] as const) {
    const bySource = new Map<string, { entry: DatasetEntry; label: number }[]>();
    for (const item of parts[role]) bySource.set(item.entry.source, [...(bySource.get(item.entry.source) ?? []), item]);
    for (const [name, items] of [...bySource].sort((a, b) => a[0].localeCompare(b[0]))) {
      const licence = licences[name]?.licence ?? items.find((i) => i.entry.licence)?.entry.licence ?? 'unknown';
      sources.push({ name, role, licence, clipsPerGenre: countBy(items, labels), ...(secondsOf ? { minutesPerGenre: minutesBy(items, labels, secondsOf) } : {}) });
    }
  }
  return {
    description,
    clipsPerGenre: countBy([...parts.train, ...parts.validation], labels),
    sources,
    licences: [...new Set(sources.map((s) => s.licence))].sort(),
  };
}
