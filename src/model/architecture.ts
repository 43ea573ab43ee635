// The CNN: the 2017 original (3 conv layers with 16, 32, 32 filters, pooling and batch norm,
// dropout 0.5, dense 250, softmax) applied to one ≈3-s MFCC segment (nMfcc × segmentFrames × 1)
// instead of the whole 30-s image. Each block is conv(3×3, same, relu) → max-pool 2×2 → batch
// norm: pooling before the norm halves the tensors the (costly on wasm) batch-norm gradient sees.
import type * as tfjs from '@tensorflow/tfjs';

export const ARCHITECTURE = 'conv16-pool-bn/conv32-pool-bn/conv32-pool-bn/dropout0.5/dense250/softmax';

export function buildGenreCnn({ tf, nMfcc, segmentFrames, classes }: {
  tf: typeof tfjs;
  nMfcc: number;
  segmentFrames: number;
  classes: number;
}): tfjs.LayersModel {
  const model = tf.sequential({ name: 'genre_cnn' });
  let height = nMfcc;
  let width = segmentFrames;
  [16, 32, 32].forEach((filters, i) => {
    model.add(tf.layers.conv2d({
      ...(i === 0 ? { inputShape: [nMfcc, segmentFrames, 1] } : {}),
      filters, kernelSize: 3, padding: 'same', activation: 'relu',
    }));
    // Never pool a dimension below 1 (small nMfcc): pool only the axes that still have room.
    const pool: [number, number] = [height >= 2 ? 2 : 1, width >= 2 ? 2 : 1];
    model.add(tf.layers.maxPooling2d({ poolSize: pool, strides: pool }));
    height = Math.floor(height / pool[0]);
    width = Math.floor(width / pool[1]);
    // momentum 0.9 (Keras default 0.99): the moving statistics used at inference settle within
    // tens of steps instead of hundreds, so short runs and early epochs validate correctly.
    model.add(tf.layers.batchNormalization({ momentum: 0.9 }));
  });
  model.add(tf.layers.flatten());
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: 250, activation: 'relu' }));
  model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
  return model;
}
