import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTrainingBackend } from '../../../src/lab/network/backend.js';

// Every gradient is computed twice, on the reference cpu backend and on wasm with our kernels,
// from the same random inputs; they must agree to float32 rounding.

function seeded(shape: number[], seed: number): Float32Array {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let s = seed;
  for (let i = 0; i < values.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    values[i] = s / 2 ** 32 - 0.5;
  }
  return values;
}

async function on(backend: 'cpu' | 'wasm', fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  await initTrainingBackend({ preferred: backend });
  const out = fn();
  const values = out.map((t) => t.dataSync() as Float32Array);
  tf.dispose(out);
  return values;
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / (1 + Math.abs(expected[i]!)));
  assert.ok(worst < 1e-4, `${what}: max relative difference ${worst}`);
}

const convCases = [
  { name: 'first layer 3×3 same', x: [4, 13, 30, 1], f: [3, 3, 1, 16], strides: 1, pad: 'same' as const },
  { name: 'deeper layer 3×3 same', x: [3, 6, 15, 16], f: [3, 3, 16, 8], strides: 1, pad: 'same' as const },
  { name: 'valid padding', x: [2, 7, 9, 3], f: [3, 2, 3, 4], strides: 1, pad: 'valid' as const },
  { name: 'stride 2 (stock input-gradient fallback)', x: [2, 9, 11, 2], f: [3, 3, 2, 5], strides: 2, pad: 'same' as const },
  { name: 'even kernel same', x: [2, 8, 8, 2], f: [2, 4, 2, 3], strides: 1, pad: 'same' as const },
];

for (const c of convCases) {
  test(`conv2d gradients on wasm match cpu: ${c.name}`, async () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(seeded(c.x, 1), c.x as [number, number, number, number]);
        const f = tf.tensor4d(seeded(c.f, 2), c.f as [number, number, number, number]);
        const probe = tf.tensor(seeded(tf.conv2d(x, f, c.strides, c.pad).shape, 3), tf.conv2d(x, f, c.strides, c.pad).shape);
        const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), probe)))([x, f]);
        return [dx!, df!];
      });
    const cpu = await on('cpu', run);
    const wasm = await on('wasm', run);
    assertClose(wasm[0]!, cpu[0]!, 'dx');
    assertClose(wasm[1]!, cpu[1]!, 'dfilter');
  });
}

test('max-pool gradient on wasm matches cpu, including ties', async () => {
  for (const [pool, strides, pad] of [[2, 2, 'valid'], [3, 2, 'same'], [[1, 2], [1, 2], 'valid']] as const) {
    const run = () =>
      tf.tidy(() => {
        // Rounded values make ties common: the gradient must go to the same (first) maximum.
        const x = tf.round(tf.mul(tf.tensor4d(seeded([2, 7, 9, 3], 4), [2, 7, 9, 3]), 4)) as tf.Tensor4D;
        const y = tf.maxPool(x, pool as [number, number], strides as [number, number], pad);
        const probe = tf.tensor(seeded(y.shape, 5), y.shape);
        return [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, pool as [number, number], strides as [number, number], pad), probe)))(x)];
      });
    const cpu = await on('cpu', run);
    const wasm = await on('wasm', run);
    assertClose(wasm[0]!, cpu[0]!, `maxPool grad ${JSON.stringify([pool, strides, pad])}`);
  }
});

test('tile on wasm matches cpu (float32 and int32, several axes)', async () => {
  for (const [shape, reps] of [[[1, 1, 1, 4], [3, 5, 7, 1]], [[2, 3], [2, 2]], [[2, 1, 3], [1, 4, 2]], [[5], [3]]] as const) {
    const run = () => {
      const f = tf.tensor(seeded([...shape], 6), [...shape]);
      const i = tf.cast(tf.mul(f, 100), 'int32');
      return [tf.tile(f, [...reps]), tf.cast(tf.tile(i, [...reps]), 'float32')];
    };
    const cpu = await on('cpu', run);
    const wasm = await on('wasm', run);
    assertClose(wasm[0]!, cpu[0]!, `tile float ${JSON.stringify([shape, reps])}`);
    assertClose(wasm[1]!, cpu[1]!, `tile int ${JSON.stringify([shape, reps])}`);
  }
});
