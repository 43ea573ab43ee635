import type { Rng } from './random.js';

// Word material for rhythmic spoken lines. The words themselves do not matter to an MFCC model;
// what matters is dense, rhythmic, pitched-down speech over a beat, as in rap.
const SUBJECTS = ['I', 'we', 'they', 'you', 'my crew', 'the city', 'the block', 'my mind', 'the crowd', 'the people'];
const VERBS = ['keep it moving', 'stay on top', 'never stop', 'run the game', 'hold it down', 'rise up', 'roll deep', 'break the chain', 'make it rain', 'feel the bass'];
const ENDINGS = [
  ['tonight', 'right', 'light', 'fight', 'bright', 'sight'],
  ['flow', 'go', 'show', 'know', 'slow', 'glow'],
  ['street', 'beat', 'heat', 'feet', 'seat', 'complete'],
  ['time', 'rhyme', 'line', 'shine', 'mine', 'climb'],
  ['game', 'name', 'fame', 'same', 'flame', 'frame'],
];
const FILLERS = ['yeah', 'uh', 'come on', 'check it', 'listen', 'you know', 'let us go'];

/** Rhyming couplets, one line per bar. */
export function rapLines({ rng, count }: { rng: Rng; count: number }): string[] {
  const lines: string[] = [];
  while (lines.length < count) {
    const rhyme = rng.pick(ENDINGS);
    for (let i = 0; i < 2 && lines.length < count; i++) {
      const filler = rng.chance(0.3) ? `${rng.pick(FILLERS)}, ` : '';
      lines.push(`${filler}${rng.pick(SUBJECTS)} ${rng.pick(VERBS)} all ${rng.pick(['day', 'night', 'along', 'the way'])} in the ${rng.pick(rhyme)}`);
    }
  }
  return lines;
}

/** Calmer lines for the occasional voice on other genres, so "a voice" is not a hip-hop cue. */
export function songLines({ rng, count }: { rng: Rng; count: number }): string[] {
  const words = ['oh', 'love', 'the sky', 'is falling', 'down', 'forever', 'with me', 'tonight', 'my heart', 'the fire', 'again'];
  return Array.from({ length: count }, () => Array.from({ length: rng.int(3, 6) }, () => rng.pick(words)).join(' '));
}
