import type { GenreRecipe } from './recipes.js';
import type { Rng } from './random.js';

/** A groove library file's usable main grooves (intros, endings and fills are not loops). */
export function mainGrooves({ libraryText }: { libraryText: string }): string[] {
  const names = [...libraryText.matchAll(/^\s*DefGroove\s+(\S+)/gim)].map((m) => m[1] as string);
  return [...new Set(names)].filter((n) => !/(intro|end|fill|break)/i.test(n));
}

const LEAD_RHYTHMS = [
  '{1 8 90; 1.5 8 70; 2 4 85; 3 8 90; 3.5 8 70; 4 4 80}',
  '{1 4 90; 2.5 8 80; 3 2 85}',
  '{1 16 90; 1.25 16 70; 1.5 8 80; 2 8 90; 2.5 8 70; 3 4 85; 4 8 80; 4.5 8 70}',
  '{1 2 90; 3 4 80; 4 4 75}',
  '{1.5 8 85; 2 8 70; 2.5 4 85; 4 8 80; 4.5 8 75}',
];

export interface MmaSong {
  text: string;
  tempo: number;
  groove: string;
  bars: number;
}

/**
 * Writes an mma song: a groove from the genre's libraries, a chord progression transposed to a
 * random key, a random tempo, a voice swap, an Aria (mma's generated melody) on a lead
 * instrument, and a switch to a second groove halfway for variety. Long enough for `seconds`.
 */
export function composeMma({ recipe, grooves, rng, seconds, beatsPerBar = 4, mmaSeed }: {
  recipe: GenreRecipe;
  grooves: string[];
  rng: Rng;
  seconds: number;
  beatsPerBar?: number;
  /** Seeds mma's own randomness (Aria melodies, groove humanisation); unseeded, every run differs. */
  mmaSeed: number;
}): MmaSong {
  const groove = rng.pick(grooves);
  const second = rng.chance(0.5) ? rng.pick(grooves) : groove;
  const tempo = rng.int(recipe.tempo[0], recipe.tempo[1]);
  const bars = Math.ceil((seconds * tempo) / 60 / beatsPerBar) + 1;
  const progression = rng.pick(recipe.progressions);
  const swap = rng.pick(recipe.voiceSwaps);
  const lines = [
    `// generated: seeded, see src/lab/datasets/bundled/compose-mma.ts`,
    `RndSeed ${mmaSeed}`,
    `Tempo ${tempo}`,
    `Transpose ${rng.int(-5, 6)}`,
    ...(swap.length > 0 ? [`VoiceTr ${swap.join(' ')}`] : []),
    `Groove ${groove}`,
  ];
  if (rng.chance(0.85)) {
    lines.push(
      'Begin Aria',
      `  Voice ${rng.pick(recipe.leadVoices)}`,
      `  Octave ${rng.int(4, 6)}`,
      `  Sequence ${fitRhythm({ rhythm: rng.pick(LEAD_RHYTHMS), beatsPerBar })} ${fitRhythm({ rhythm: rng.pick(LEAD_RHYTHMS), beatsPerBar })}`,
      `  Volume ${rng.pick(['mp', 'mf', 'f'])}`,
      `  Direction ${rng.pick(['1', '-1', '0 1 -1', 'r'])}`,
      'End',
    );
  }
  for (let bar = 1; bar <= bars; bar++) {
    if (bar === Math.floor(bars / 2) + 1 && second !== groove) lines.push(`Groove ${second}`);
    lines.push(`${bar} ${progression[(bar - 1) % progression.length]}`);
  }
  return { text: lines.join('\n') + '\n', tempo, groove, bars };
}

/** The groove library's meter (mma's `Time N`); waltzes are 3, most grooves 4. */
export function beatsPerBarOf({ libraryText }: { libraryText: string }): number {
  const m = /^\s*Time\s+(\d+)/im.exec(libraryText);
  return m ? Number(m[1]) : 4;
}

/** Drops the notes of a 4/4 rhythm that fall outside a shorter bar (mma rejects them). */
export function fitRhythm({ rhythm, beatsPerBar }: { rhythm: string; beatsPerBar: number }): string {
  const notes = rhythm.slice(1, -1).split(';').map((n) => n.trim()).filter((n) => Number(n.split(' ')[0]) < beatsPerBar + 1);
  return `{${notes.join('; ')}}`;
}
