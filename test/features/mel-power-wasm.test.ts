// The SIMD mel power (src/features/wasm/mel-power.c) against the float64 TypeScript path, lane
// independence (four frames per pass must not leak into each other), and the committed binary
// against its C source.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { computeMelPower } from '../../src/features/mel-power.js';
import { wasmMelPowerAvailable } from '../../src/features/mel-power-wasm.js';
import { goldenDir, readPcm16Wav } from './fixtures.js';

const clip = readPcm16Wav(join(goldenDir, 'clip_22050_mono.wav'));

function noise(length: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31 - 0.5) * 0.8;
  });
}

/** Largest |dB difference| over values within `rangeDb` of the matrix peak (what power_to_db keeps). */
function maxDbDifference(a: Float32Array, b: Float32Array, rangeDb = 80): number {
  let peak = 0;
  for (const v of a) peak = Math.max(peak, v);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > peak * 10 ** (-rangeDb / 10)) worst = Math.max(worst, Math.abs(10 * Math.log10(b[i]! / a[i]!)));
  }
  return worst;
}

test('WebAssembly SIMD runs on this Node (else the float64 path would be used silently)', () => {
  assert.equal(wasmMelPowerAvailable(), true);
});

test('wasm and js mel power agree within 1e-3 dB on the golden clip', () => {
  const js = computeMelPower({ samples: clip.samples, sampleRate: 22050, engine: 'js' });
  const wasm = computeMelPower({ samples: clip.samples, sampleRate: 22050, engine: 'wasm' });
  assert.deepEqual([wasm.frames, wasm.nMels], [js.frames, js.nMels]);
  const worst = maxDbDifference(js.data, wasm.data);
  assert.ok(worst < 1e-3, `max difference ${worst} dB`);
});

test('wasm and js agree on odd lengths and FFT sizes (edge padding, radix-2 first stage, N = 4)', () => {
  for (const [nFft, hopLength, nMels] of [[2048, 512, 128], [1024, 300, 40], [64, 16, 11], [4, 1, 2]] as const) {
    for (const length of [1, 3, 17, 2047, 2049, 5000]) {
      const samples = noise(length, length + nFft);
      const options = { samples, sampleRate: 8000, nFft, hopLength, nMels };
      const js = computeMelPower({ ...options, engine: 'js' });
      const wasm = computeMelPower({ ...options, engine: 'wasm' });
      assert.equal(wasm.frames, js.frames);
      const worst = maxDbDifference(js.data, wasm.data, 60);
      assert.ok(worst < 1e-3, `n_fft ${nFft} length ${length}: ${worst} dB`);
    }
  }
});

test('the values of a frame do not depend on which of the four lanes computes it', () => {
  // One hop of zeros in front shifts every frame by one lane: frame t + 1 of the longer signal
  // reads exactly the samples (and zero padding) that frame t of the original reads.
  const samples = clip.samples.subarray(0, 22050 * 3);
  const shifted = new Float32Array(samples.length + 512);
  shifted.set(samples, 512);
  const a = computeMelPower({ samples, sampleRate: 22050 });
  const b = computeMelPower({ samples: shifted, sampleRate: 22050 });
  assert.equal(b.frames, a.frames + 1);
  assert.deepEqual(b.data.subarray(128), a.data);
});

test('the committed module is the build of mel-power.c (scripts/build-wasm.sh --check)', async () => {
  const { stdout } = await promisify(execFile)('bash', ['scripts/build-wasm.sh', '--check']);
  assert.match(stdout, /matches/);
});
