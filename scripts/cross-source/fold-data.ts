// The cross-source folds' data (docs/experiments.md): feature sets written by extract.ts and which
// fold holds out each source, shared by every script that trains or scores on the folds.
import { readFileSync, existsSync } from 'node:fs';
import { hashString } from '../../src/lab/datasets/bundled/random.js';
import type { MfccMatrix } from '../../src/types.js';

export const LABELS = ['Hiphop', 'EDM', 'Classical', 'Metal', 'Jazz', 'Other'];
/** The five genres, without Other (the last label). */
export const GENRES = LABELS.slice(0, 5);
/** Other's index in LABELS (and in a prediction's probability vector). */
export const OTHER = GENRES.length;
/** Whether a label is one of the five genres (not Other). */
export const isFiveGenre = (label: number) => label < OTHER;
/** A probability vector's five genre entries (without Other). */
export const fiveGenreScores = (p: readonly number[]) => p.slice(0, OTHER);
/** A manifest genre (`hiphop`, …, `other:<label>`) as an index into LABELS; -1 for none of them. */
export const labelOf = (g: string) => (g.startsWith('other') ? OTHER : GENRES.findIndex((l) => l.toLowerCase() === g.toLowerCase()));
export const FEATURE_DIR = (process.env['CROSS_SOURCE_DIR'] ?? '.cache/cross-source') + '/';

export interface Row { path: string; genre: string; group: string; source: string; window: number; frames: number; offset: number }
export interface FeatureSet { rows: Row[]; data: Float32Array }
export function loadFeatureSet(base: string): FeatureSet {
  const rows = JSON.parse(readFileSync(base + '.json', 'utf8')) as Row[];
  const b = readFileSync(base + '.f32');
  return { rows, data: new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4) };
}
/** The sets every fold script reads: the collection, the Debian + generated set when extracted, then
 * the named extra (training-only) sets. */
export const loadFoldSets = (extra: string[] = []): FeatureSet[] =>
  ['shared-orig', ...(existsSync(FEATURE_DIR + 'bundled-orig.json') ? ['bundled-orig'] : []), ...extra].map((name) => loadFeatureSet(FEATURE_DIR + name));
/** The first nMfcc rows of a window's 40-row MFCC (rows are coefficients). */
export const windowMfcc = (s: FeatureSet, r: Row, nMfcc: number): MfccMatrix =>
  ({ data: s.data.subarray(r.offset, r.offset + nMfcc * r.frames), nMfcc, frames: r.frames });

const ISHKUR = 'igorbrigadir+ishkurs-guide-dataset';
const FOLD_SOURCES: string[][] = [
  ['adebnathgit+Curated-audio-dataset-sourced-from-GTZAN-Dataset---Music-Genre-Classification', 'ianfhunter+Enigma'],
  ['Famelgas+MULT_TP2', 'wesnoth-1.16-music'],
  ['gaslight+mastering-ember', 'EvanRibey+pomodoro-timer', 'vitbautroi+lofi.exe', 'gm3+cc0-beats', 'f90+jamendolyrics', 'Zaiusaden+zoputaroweb', 'Fanppop+Jazz', 'debian+naev-data', 'debian+freedroidrpg-data', 'openarena-088-data'],
];
/** The fold (0–2) that holds out this clip's source (Ishkur's guide by scene), or −1 for none.
 * lofiSplit puts pomodoro-timer in fold 0, apart from the other lo-fi album. */
export function foldOf(c: { source: string; group: string }, lofiSplit = false): number {
  if (c.source === ISHKUR) return hashString(c.group) % 3;
  if (lofiSplit && c.source === 'EvanRibey+pomodoro-timer') return 0;
  return FOLD_SOURCES.findIndex((l) => l.includes(c.source));
}
