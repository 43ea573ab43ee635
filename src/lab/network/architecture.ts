// The CNN: the 2017 original (3 conv layers with 16, 32, 32 filters, pooling and batch norm,
// dropout 0.5, dense 250, softmax) applied to one ≈3-s MFCC segment (nMfcc × segmentFrames × 1)
// instead of the whole 30-s image. Each block is conv(3×3, same, relu) → max-pool 2×2 → batch
// norm: pooling before the norm halves the tensors the (costly on wasm) batch-norm gradient sees.
// Head: 'flatten' (the original: every time position of the last block has its own weights) or
// 'global-average' (the last block's maps averaged over coefficients and time, so a pattern counts
// the same wherever it sits in the segment; an experiment, docs/model.md).
import type * as tfjs from '@tensorflow/tfjs';

export type CnnHead = 'flatten' | 'global-average';
export const CNN_HEADS: readonly CnnHead[] = ['flatten', 'global-average'];
/** The 2017 filter counts of the three conv blocks. */
export const DEFAULT_FILTERS: readonly number[] = [16, 32, 32];

/** The conv blocks' part of an architecture name, e.g. conv16-pool-bn/conv32-pool-bn/conv32-pool-bn. */
export const convBlocksName = (filters: readonly number[] = DEFAULT_FILTERS) => filters.map((f) => `conv${f}-pool-bn`).join('/');

export function architectureName(head: CnnHead, filters: readonly number[] = DEFAULT_FILTERS): string {
  return `${convBlocksName(filters)}/${head === 'global-average' ? 'global-average/' : ''}dropout0.5/dense250/softmax`;
}
export const ARCHITECTURE = architectureName('flatten');

/** The conv → pool → batch-norm blocks, in order, for an input of nMfcc × segmentFrames × 1. */
export function convBlocks({ tf, nMfcc, segmentFrames, filters = DEFAULT_FILTERS, inputShape }: {
  tf: typeof tfjs;
  nMfcc: number;
  segmentFrames: number;
  filters?: readonly number[];
  /** Given to the first layer when it starts a sequential model. */
  inputShape?: number[];
}): tfjs.layers.Layer[] {
  const layers: tfjs.layers.Layer[] = [];
  let height = nMfcc;
  let width = segmentFrames;
  filters.forEach((count, i) => {
    layers.push(tf.layers.conv2d({
      ...(i === 0 && inputShape ? { inputShape } : {}),
      filters: count, kernelSize: 3, padding: 'same', activation: 'relu',
    }));
    // Never pool a dimension below 1 (small nMfcc): pool only the axes that still have room.
    const pool: [number, number] = [height >= 2 ? 2 : 1, width >= 2 ? 2 : 1];
    layers.push(tf.layers.maxPooling2d({ poolSize: pool, strides: pool }));
    height = Math.floor(height / pool[0]);
    width = Math.floor(width / pool[1]);
    // momentum 0.9 (Keras default 0.99): the moving statistics used at inference settle within
    // tens of steps instead of hundreds, so short runs and early epochs validate correctly.
    layers.push(tf.layers.batchNormalization({ momentum: 0.9 }));
  });
  return layers;
}

export function buildGenreCnn({ tf, nMfcc, segmentFrames, classes, head = 'flatten', filters = DEFAULT_FILTERS }: {
  tf: typeof tfjs;
  nMfcc: number;
  segmentFrames: number;
  classes: number;
  head?: CnnHead;
  filters?: readonly number[];
}): tfjs.LayersModel {
  const model = tf.sequential({ name: 'genre_cnn' });
  for (const layer of convBlocks({ tf, nMfcc, segmentFrames, filters, inputShape: [nMfcc, segmentFrames, 1] })) model.add(layer);
  model.add(head === 'flatten' ? tf.layers.flatten() : tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: 250, activation: 'relu' }));
  model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
  return model;
}
