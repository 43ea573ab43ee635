// Seeded randomness for reproducible training. Hand-written (a few lines) rather than a
// dependency: mulberry32 is a well-known 32-bit generator, plenty for shuffling and sampling.

export type Random = () => number;

/** A deterministic generator of floats in [0, 1). */
export function createRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * Runs `fn` with Math.random replaced by a seeded generator, restoring it afterwards. Needed
 * because tfjs draws weight initialisation and dropout masks from Math.random when no seed is
 * given, and a fixed per-layer seed would reuse one dropout mask for every batch.
 */
export async function withSeededMathRandom<T>(seed: number, fn: () => Promise<T>): Promise<T> {
  const original = Math.random;
  Math.random = createRandom(seed ^ 0x5eed);
  try {
    return await fn();
  } finally {
    Math.random = original;
  }
}
