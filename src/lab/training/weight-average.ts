// Weight averaging around the best epoch: the model kept is the mean of the weights (batch-norm
// statistics included) recorded in the epochs within `halfWidth` of the best validation epoch:
// each epoch's end, and optionally points within the epoch (denser sampling, as in SWAD).
// Why: one epoch's weights are one noisy draw, and averaging nearby points of the same run
// finds a flatter solution (SWA, SWAD), which tends to transfer better to unseen sources, at no
// cost at inference.
import type * as tfjs from '@tensorflow/tfjs';

export class EpochWeightAverage {
  /** Per epoch (index epoch − 1): the sum of the weights recorded in it, and how many. */
  private readonly epochs: { sum: tfjs.Tensor[]; count: number }[] = [];

  constructor(private readonly tf: typeof tfjs, private readonly halfWidth: number) {}

  /** Adds a copy of the current weights to epoch `epoch`'s (1-based) records. */
  record(epoch: number, weights: tfjs.Tensor[]): void {
    // Epochs come in order, so every epoch in a window has its slot.
    if (epoch < 1 || epoch > this.epochs.length + 1) throw new Error(`epoch ${epoch} recorded out of order`);
    const slot = this.epochs[epoch - 1];
    if (!slot) {
      this.epochs[epoch - 1] = { sum: weights.map((w) => w.clone()), count: 1 };
      return;
    }
    const sum = slot.sum.map((s, i) => this.tf.add(s, weights[i]!));
    this.tf.dispose(slot.sum);
    slot.sum = sum;
    slot.count++;
  }

  /** The mean of every record in the epochs bestEpoch ± halfWidth that ran (1-based), those
   * epochs, and how many records were averaged. */
  averageAround(bestEpoch: number): { weights: tfjs.Tensor[]; epochs: number[]; records: number } {
    const from = Math.max(1, bestEpoch - this.halfWidth);
    const to = Math.min(this.epochs.length, bestEpoch + this.halfWidth);
    if (to < from) throw new Error('no recorded epoch near the best one');
    const slots = this.epochs.slice(from - 1, to);
    const records = slots.reduce((n, e) => n + e.count, 0);
    const weights = slots[0]!.sum.map((_, i) => this.tf.tidy(() => this.tf.div(this.tf.addN(slots.map((e) => e.sum[i]!)), records)));
    return { weights, epochs: Array.from({ length: to - from + 1 }, (_, k) => from + k), records };
  }

  dispose(): void {
    for (const e of this.epochs) this.tf.dispose(e.sum);
    this.epochs.length = 0;
  }
}
