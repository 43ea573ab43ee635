// Class weights for the training loss: the genres' clip counts differ by more than tenfold, and
// without weights the network would learn the large genres and guess the small ones.

/** Class weights n / (k · n_c) from clip counts (k = genres present), so every genre weighs the
 * same in the loss and the mean weight per clip stays 1. */
export function classWeights({ labels, classes }: { labels: readonly number[]; classes: number }): Record<number, number> {
  const counts = new Array<number>(classes).fill(0);
  labels.forEach((l) => counts[l]!++);
  const present = counts.filter((c) => c > 0).length;
  const weights: Record<number, number> = {};
  counts.forEach((c, i) => {
    weights[i] = c > 0 ? labels.length / (present * c) : 0;
  });
  return weights;
}
