// Dataset entries matched to a model's labels, and the licences a dataset declares per source.
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import type { DatasetEntry } from './manifest.js';

/** Genres that mean "none of the genres": `other` or `other:<the source's own label>`. */
export function isOtherGenre(genre: string): boolean {
  return /^other(:|$)/i.test(genre);
}

/** Maps each entry's genre onto a label (case-insensitive); entries of other genres are returned
 * apart. With `otherLabel` (one of `labels`), every `other`/`other:*` genre maps onto it. */
export function matchLabels({ entries, labels, otherLabel }: { entries: readonly DatasetEntry[]; labels: readonly string[]; otherLabel?: string }): {
  matched: { entry: DatasetEntry; label: number }[];
  unmatched: Map<string, number>;
} {
  const index = new Map(labels.map((l, i) => [l.toLowerCase(), i]));
  const matched: { entry: DatasetEntry; label: number }[] = [];
  const unmatched = new Map<string, number>();
  for (const entry of entries) {
    const label = otherLabel !== undefined && isOtherGenre(entry.genre) ? index.get(otherLabel.toLowerCase()) : index.get(entry.genre.toLowerCase());
    if (label === undefined) unmatched.set(entry.genre, (unmatched.get(entry.genre) ?? 0) + 1);
    else matched.push({ entry, label });
  }
  return { matched, unmatched };
}

const sourcesInfoSchema = z.record(z.string(), z.object({ licence: z.string(), description: z.string().optional() }));
// The bundled dataset's datacard.json (bundled/) lists each source with its licence.
const datacardSchema = z.object({ sources: z.array(z.object({ source: z.string(), licence: z.string() })) });

/**
 * Licences per source, from beside a TSV manifest (or inside a dataset folder): `sources.json`
 * ({"<source>": {"licence": "…"}}) or else the bundled build's `datacard.json`. Neither → {}.
 */
export async function readSourcesInfo(location: string): Promise<Record<string, { licence: string }>> {
  const dir = (await stat(location)).isDirectory() ? location : dirname(location);
  const read = (name: string) => readFile(join(dir, name), 'utf8').then((t) => JSON.parse(t) as unknown, () => undefined);
  const sources = await read('sources.json');
  if (sources !== undefined) {
    const parsed = sourcesInfoSchema.safeParse(sources);
    if (!parsed.success) throw new InputError('INVALID_SOURCES_FILE', `${join(dir, 'sources.json')}: expected {"<source>": {"licence": "…"}}`);
    return parsed.data;
  }
  const card = datacardSchema.safeParse(await read('datacard.json'));
  return card.success ? Object.fromEntries(card.data.sources.map((s) => [s.source, { licence: s.licence }])) : {};
}
