// The dataset's seeded randomness: the training generator (mulberry32) with helpers for picking,
// seeded by a number or a string, so the dataset is reproducible bit for bit.
import { createRandom } from '../../training/random.js';

export interface Rng {
  next(): number;
  int(min: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  range(min: number, max: number): number;
}

export function createRng({ seed }: { seed: number | string }): Rng {
  const next = createRandom(typeof seed === 'number' ? seed >>> 0 : hashString(seed));
  return {
    next,
    int: (min, maxInclusive) => min + Math.floor(next() * (maxInclusive - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    chance: (p) => next() < p,
    range: (min, max) => min + next() * (max - min),
  };
}

/** FNV-1a: turns a track id into a seed so each item's randomness is independent of build order. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
