// The data card stored in a model's metadata: what it was trained on, per genre and per source.
import type { DatasetEntry } from '../datasets/manifest.js';
import type { GenreModelMetadata } from '../../genre/model/metadata.js';

type Role = 'train' | 'validation' | 'held-out';

function countBy(entries: readonly { entry: DatasetEntry; label: number }[], labels: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(labels.map((l) => [l, 0]));
  for (const { label } of entries) counts[labels[label]!]! += 1;
  return counts;
}

export function buildDataCard({ labels, parts, licences, description }: {
  labels: readonly string[];
  parts: Record<Role, readonly { entry: DatasetEntry; label: number }[]>;
  licences: Record<string, { licence: string }>;
  description: string;
}): GenreModelMetadata['dataCard'] {
  const sources: GenreModelMetadata['dataCard']['sources'] = [];
  for (const role of ['train', 'validation', 'held-out'] as const) {
    const bySource = new Map<string, { entry: DatasetEntry; label: number }[]>();
    for (const item of parts[role]) bySource.set(item.entry.source, [...(bySource.get(item.entry.source) ?? []), item]);
    for (const [name, items] of [...bySource].sort((a, b) => a[0].localeCompare(b[0]))) {
      sources.push({ name, role, licence: licences[name]?.licence ?? 'unknown', clipsPerGenre: countBy(items, labels) });
    }
  }
  return {
    description,
    clipsPerGenre: countBy([...parts.train, ...parts.validation], labels),
    sources,
    licences: [...new Set(sources.map((s) => s.licence))].sort(),
  };
}
