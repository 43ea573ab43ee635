// Source-balanced sampling within each genre. Why: every source is its own recording chain, and a
// genre's training windows come mostly from its largest source (Classical: wesnoth 123 of 188
// clips; Jazz: the generator 60 of 63 on the selection split), so the network can meet the loss by
// learning that source's sound. Giving each clip a weight 1/√(clips of its source in its genre)
// moves windows from big sources to small ones (a source's share becomes ∝ √size instead of ∝
// size), without letting a 3-clip source take over the genre as full balancing would. A genre's
// total number of windows is unchanged, so the class weights of the loss stay valid.
import type { Random } from './random.js';

/** Expected training windows per clip per epoch: segmentsPerClip on average within each genre. */
export function sourceBalancedWindows({ labels, sources, segmentsPerClip }: {
  labels: readonly number[];
  sources: readonly string[];
  segmentsPerClip: number;
}): number[] {
  const size = new Map<string, number>();
  const key = (i: number) => `${labels[i]}\u0000${sources[i]}`;
  labels.forEach((_, i) => size.set(key(i), (size.get(key(i)) ?? 0) + 1));
  const weight = labels.map((_, i) => 1 / Math.sqrt(size.get(key(i))!));
  const genreClips = new Map<number, number>();
  const genreWeight = new Map<number, number>();
  labels.forEach((label, i) => {
    genreClips.set(label, (genreClips.get(label) ?? 0) + 1);
    genreWeight.set(label, (genreWeight.get(label) ?? 0) + weight[i]!);
  });
  return labels.map((label, i) => (segmentsPerClip * genreClips.get(label)! * weight[i]!) / genreWeight.get(label)!);
}

/** A whole number of windows with the given expectation: floor, plus one with the remainder's chance. */
export function drawWindowCount(expected: number, random: Random): number {
  const whole = Math.floor(expected);
  return whole + (random() < expected - whole ? 1 : 0);
}
