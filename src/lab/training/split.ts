// Dataset splits. Clips of one track (a group) are near-duplicates, so every split is by group:
// a group is entirely in one side. Validation groups are drawn per genre (stratified) with a seed.
import { InputError } from '../../errors.js';
import type { DatasetEntry } from '../datasets/manifest.js';
import { createRandom, shuffleInPlace } from './random.js';

export function splitByGroup({ entries, valFraction, seed }: { entries: readonly DatasetEntry[]; valFraction: number; seed: number }): {
  train: DatasetEntry[];
  validation: DatasetEntry[];
} {
  if (!(valFraction >= 0 && valFraction < 1)) throw new InputError('BAD_SPLIT', `val fraction must be in [0, 1), got ${valFraction}`);
  const groupsByGenre = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.group)) continue;
    seen.add(e.group);
    // A group's genre for stratification is that of its first clip.
    const list = groupsByGenre.get(e.genre) ?? [];
    list.push(e.group);
    groupsByGenre.set(e.genre, list);
  }
  const random = createRandom(seed);
  const validationGroups = new Set<string>();
  for (const genre of [...groupsByGenre.keys()].sort()) {
    const groups = shuffleInPlace([...groupsByGenre.get(genre)!].sort(), random);
    let take = Math.round(groups.length * valFraction);
    // Keep at least one validation group per genre when there are two or more to choose from.
    if (valFraction > 0 && take === 0 && groups.length >= 2) take = 1;
    groups.slice(0, Math.min(take, groups.length - 1)).forEach((g) => validationGroups.add(g));
  }
  return {
    train: entries.filter((e) => !validationGroups.has(e.group)),
    validation: entries.filter((e) => validationGroups.has(e.group)),
  };
}

/** Removes whole sources (e.g. a Debian package or a generator) for held-out evaluation. */
export function holdOutSources({ entries, sources }: { entries: readonly DatasetEntry[]; sources: readonly string[] }): {
  kept: DatasetEntry[];
  heldOut: DatasetEntry[];
} {
  const wanted = new Set(sources);
  const known = new Set(entries.map((e) => e.source));
  const unknown = sources.filter((s) => !known.has(s));
  if (unknown.length > 0) {
    throw new InputError('UNKNOWN_SOURCE', `no clips from source(s) ${unknown.join(', ')}; sources present: ${[...known].sort().join(', ')}`);
  }
  return { kept: entries.filter((e) => !wanted.has(e.source)), heldOut: entries.filter((e) => wanted.has(e.source)) };
}
