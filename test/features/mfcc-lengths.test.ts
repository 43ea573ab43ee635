// The fast MFCC against a naive reference on lengths that are not multiples of the hop, on very
// short input (shorter than one FFT) and on FFT sizes whose log2(n/2) is odd and even.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { computeMfcc } from '../../src/features/mfcc.js';
import { referenceMfcc } from './reference-mfcc.js';

function noise(length: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31 - 0.5) * 0.8;
  });
}

const params = [
  { sr: 8000, nFft: 64, hop: 16, nMels: 11, nMfcc: 6, lifter: 0 }, // log2(32) odd: radix-2 first stage; odd n_mels
  { sr: 8000, nFft: 32, hop: 7, nMels: 8, nMfcc: 8, lifter: 5 }, // log2(16) even: radix-4 only
  { sr: 16000, nFft: 128, hop: 50, nMels: 20, nMfcc: 13, lifter: 22 },
  { sr: 4000, nFft: 4, hop: 1, nMels: 2, nMfcc: 2, lifter: 0 },
];
const lengths = [1, 15, 16, 17, 63, 100, 333];

for (const p of params) {
  test(`matches the naive reference for n_fft ${p.nFft}, hop ${p.hop}, lengths ${lengths.join('/')}`, () => {
    for (const length of lengths) {
      const y = noise(length, length * 7 + p.nFft);
      const fast = computeMfcc({ samples: y, sampleRate: p.sr, nFft: p.nFft, hopLength: p.hop, nMels: p.nMels, nMfcc: p.nMfcc, lifter: p.lifter });
      const ref = referenceMfcc(y, p);
      assert.equal(fast.frames, 1 + Math.floor(length / p.hop), `frames for length ${length}`);
      assert.equal(fast.nMfcc, p.nMfcc);
      for (let k = 0; k < p.nMfcc; k++) {
        for (let t = 0; t < fast.frames; t++) {
          const diff = Math.abs(fast.data[k * fast.frames + t]! - ref[k]![t]!);
          assert.ok(diff < 2e-3, `length ${length} coef ${k} frame ${t}: ${fast.data[k * fast.frames + t]} vs ${ref[k]![t]}`);
        }
      }
    }
  });
}

test('digital silence gives the amin floor everywhere, not NaN', () => {
  const mfcc = computeMfcc({ samples: new Float32Array(4000), sampleRate: 22050 });
  assert.ok(mfcc.data.every(Number.isFinite));
  // log-mel is -100 dB in every band: c0 = -100·√128, the other coefficients 0
  assert.ok(Math.abs(mfcc.data[0]! + 100 * Math.sqrt(128)) < 1e-3);
  assert.ok(Math.abs(mfcc.data[mfcc.frames]!) < 1e-3);
});

test('bad parameters and empty input are InputErrors', () => {
  const y = noise(1000, 1);
  const bad = [
    { nFft: 1000 }, { nFft: 2 }, { hopLength: 0 }, { hopLength: 1.5 }, { nMels: 0 }, { nMfcc: 0 },
    { nMfcc: 129 }, { lifter: -1 }, { fmax: 20000 }, { fmin: 5000, fmax: 4000 },
  ];
  for (const options of bad) {
    assert.throws(() => computeMfcc({ samples: y, sampleRate: 22050, ...options }), (err: unknown) =>
      err instanceof InputError && err.code === 'INVALID_FEATURE_PARAMS' && err.status === 400, JSON.stringify(options));
  }
  assert.throws(() => computeMfcc({ samples: y, sampleRate: 0 }), /sampleRate/);
  assert.throws(() => computeMfcc({ samples: new Float32Array(0), sampleRate: 22050 }), (err: unknown) =>
    err instanceof InputError && err.code === 'EMPTY_AUDIO');
});
