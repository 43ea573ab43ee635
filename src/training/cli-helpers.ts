// Small helpers shared by the train / evaluate / predict commands.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError } from '../cli/command.js';
import type { DatasetEntry } from '../datasets/manifest.js';

export function parseNumber(name: string, raw: string | undefined, fallback: number, { integer = true, min = 0, max = Infinity } = {}): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got "${raw}"`);
  }
  return value;
}

export function parseList(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

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
// The bundled dataset's datacard.json (src/datasets/bundled) lists each source with its licence.
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
    if (!parsed.success) throw new UsageError(`${join(dir, 'sources.json')}: expected {"<source>": {"licence": "…"}}`);
    return parsed.data;
  }
  const card = datacardSchema.safeParse(await read('datacard.json'));
  return card.success ? Object.fromEntries(card.data.sources.map((s) => [s.source, { licence: s.licence }])) : {};
}

/** A one-line progress bar on stderr when it is a terminal; nothing otherwise (logs stay clean). */
export function progressBar(prefix: string, done: number, total: number, suffix = ''): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / Math.max(1, total)) * width);
  process.stderr.write(`\r${prefix} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${suffix}\x1b[K`);
  if (done >= total) process.stderr.write('\r\x1b[K');
}
