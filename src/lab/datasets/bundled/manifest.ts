import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { MANIFEST_HEADER, tsvLine } from '../tsv.js';
import type { Genre } from './genres.js';
import { GENRES } from './genres.js';
import type { Origin, SourceTrack } from './package-tracks.js';

/** One cut clip: a row of a manifest. `group` is its source track's id. */
export interface ClipRow {
  path: string;
  genre: Genre;
  group: string;
  source: string;
  origin: Origin;
}

/**
 * Writes `path<TAB>genre<TAB>group<TAB>source` (the format src/lab/datasets/manifest.ts reads), paths
 * relative to the manifest so the folder can move. Rows are sorted so the file is byte-identical
 * across runs; written via rename so readers never see half a file.
 */
export async function writeManifest({ file, rows }: { file: string; rows: readonly ClipRow[] }): Promise<void> {
  const base = dirname(file);
  const lines = [...rows]
    .map((r) => tsvLine([relative(base, r.path), r.genre, r.group, r.source]))
    .sort();
  await writeAtomically({ file, text: [`${MANIFEST_HEADER}\n`, ...lines].join('') });
}

/**
 * The training rows by manifest file: the generated extras (`extraOf`: group → file name) in their
 * own manifests, everything else in train.tsv. Why: extras are options of an experiment, so the
 * default training set stays the same whichever extras were built, and a run opts in with --data.
 */
export function trainingManifests({ rows, extraOf }: { rows: readonly ClipRow[]; extraOf: ReadonlyMap<string, string> }): Map<string, ClipRow[]> {
  const files = new Map<string, ClipRow[]>([['train.tsv', []]]);
  for (const name of extraOf.values()) files.set(name, []);
  for (const row of rows) files.get(extraOf.get(row.group) ?? 'train.tsv')!.push(row);
  return files;
}

export interface SourceCard {
  source: string;
  role: 'train' | 'eval';
  origin: Origin;
  licence: string;
  copyrightFile?: string;
  tracks: Record<string, number>;
  clips: Record<string, number>;
}

export interface Datacard {
  name: string;
  version: number;
  seed: number;
  createdAt: string;
  labels: readonly Genre[];
  clipSeconds: number;
  sampleRate: number;
  split: Record<'train' | 'eval', { clips: Record<string, number>; tracks: Record<string, number>; clipsByOrigin: Record<string, number> }>;
  sources: SourceCard[];
  tracks: { id: string; genre: Genre; source: string; origin: Origin; role: 'train' | 'eval'; clips: number; why: string }[];
  buildSeconds?: number;
}

/** Counts per genre/source/origin and the per-track labelling reasons, from what was actually cut. */
export function buildDatacard({
  seed,
  tracks,
  clips,
  roleOf,
  licenceOf,
  createdAt,
}: {
  seed: number;
  tracks: readonly SourceTrack[];
  clips: readonly ClipRow[];
  roleOf: (source: string) => 'train' | 'eval';
  licenceOf: (source: string) => { licence: string; copyrightFile?: string };
  createdAt: string;
}): Datacard {
  const clipsPerTrack = countBy(clips, (c) => c.group);
  const used = tracks.filter((t) => (clipsPerTrack[t.id] ?? 0) > 0);
  const split = (role: 'train' | 'eval') => {
    const rows = clips.filter((c) => roleOf(c.source) === role);
    return {
      clips: countBy(rows, (c) => c.genre),
      tracks: countBy(used.filter((t) => roleOf(t.source) === role), (t) => t.genre),
      clipsByOrigin: countBy(rows, (c) => c.origin),
    };
  };
  const sources = [...new Set(used.map((t) => t.source))].sort().map((source): SourceCard => {
    const own = used.filter((t) => t.source === source);
    return {
      source,
      role: roleOf(source),
      origin: own[0]?.origin ?? 'recording',
      ...licenceOf(source),
      tracks: countBy(own, (t) => t.genre),
      clips: countBy(clips.filter((c) => c.source === source), (c) => c.genre),
    };
  });
  return {
    name: 'bundled',
    version: 1,
    seed,
    createdAt,
    labels: GENRES,
    clipSeconds: 30,
    sampleRate: 22050,
    split: { train: split('train'), eval: split('eval') },
    sources,
    tracks: used
      .map((t) => ({ id: t.id, genre: t.genre, source: t.source, origin: t.origin, role: roleOf(t.source), clips: clipsPerTrack[t.id] ?? 0, why: t.why }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

export async function writeDatacard({ file, card }: { file: string; card: Datacard }): Promise<void> {
  await writeAtomically({ file, text: JSON.stringify(card, null, 2) + '\n' });
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

async function writeAtomically({ file, text }: { file: string; text: string }): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const partial = join(dirname(file), `.partial-${process.pid}-${Date.now()}`);
  await writeFile(partial, text);
  await rename(partial, file);
}
