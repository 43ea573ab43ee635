// Weight averaging around the best epoch: the model kept is the mean of the epoch-end weights
// (batch-norm statistics included) of the epochs within `halfWidth` of the best validation epoch.
// Why: one epoch's weights are one noisy draw, and averaging nearby points of the same run
// finds a flatter solution (SWA, SWAD), which tends to transfer better to unseen sources, at no
// cost at inference.
import type * as tfjs from '@tensorflow/tfjs';

export class EpochWeightAverage {
  private readonly snapshots: tfjs.Tensor[][] = [];

  constructor(private readonly tf: typeof tfjs, private readonly halfWidth: number) {}

  /** Keeps a copy of the weights at the end of epoch `snapshots.length + 1`. */
  record(weights: tfjs.Tensor[]): void {
    this.snapshots.push(weights.map((w) => w.clone()));
  }

  /** The mean weights of the epochs bestEpoch ± halfWidth that ran (1-based), and how many there were. */
  averageAround(bestEpoch: number): { weights: tfjs.Tensor[]; epochs: number[] } {
    const from = Math.max(1, bestEpoch - this.halfWidth);
    const to = Math.min(this.snapshots.length, bestEpoch + this.halfWidth);
    if (to < from) throw new Error('no recorded epoch near the best one');
    const chosen = this.snapshots.slice(from - 1, to);
    const weights = chosen[0]!.map((_, i) => this.tf.tidy(() => this.tf.div(this.tf.addN(chosen.map((s) => s[i]!)), chosen.length)));
    return { weights, epochs: Array.from({ length: to - from + 1 }, (_, k) => from + k) };
  }

  dispose(): void {
    for (const s of this.snapshots) this.tf.dispose(s);
    this.snapshots.length = 0;
  }
}
