// Parity with librosa 0.11 on the golden clip (test/fixtures/golden: arrays computed with librosa).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { computeLogMel, computeMfcc } from '../../src/features/mfcc.js';
import { goldenDir, maxAbsDifference, readNpy, readPcm16Wav } from './fixtures.js';

const clip = readPcm16Wav(join(goldenDir, 'clip_22050_mono.wav'));

test('the golden clip is what the goldens were made from', () => {
  assert.equal(clip.sampleRate, 22050);
  assert.equal(clip.samples.length, 661500);
});

const cases = [
  { name: 'A_mfcc13', options: { nMfcc: 13 } },
  { name: 'A_mfcc20', options: { nMfcc: 20 } },
  { name: 'D_mfcc13_lifter22', options: { nMfcc: 13, hopLength: 1024, nMels: 40, lifter: 22 } },
  { name: 'D_mfcc13_nolifter', options: { nMfcc: 13, hopLength: 1024, nMels: 40 } },
];

for (const engine of ['wasm', 'js'] as const) for (const { name, options } of cases) {
  test(`MFCC matches librosa: ${name} (max abs error <= 1e-3), ${engine} mel power`, () => {
    const golden = readNpy(join(goldenDir, `${name}.npy`));
    const mfcc = computeMfcc({ samples: clip.samples, sampleRate: clip.sampleRate, engine, ...options });
    assert.deepEqual([mfcc.nMfcc, mfcc.frames], golden.shape);
    const error = maxAbsDifference(mfcc.data, golden.data);
    assert.ok(error <= 1e-3, `max abs error ${error}`);
  });
}

for (const engine of ['wasm', 'js'] as const) test(`log-mel (dB) matches librosa.power_to_db(melspectrogram) within 1e-3 dB, ${engine} mel power`, () => {
  const golden = readNpy(join(goldenDir, 'A_logmel_db.npy'));
  const logMel = computeLogMel({ samples: clip.samples, sampleRate: clip.sampleRate, engine });
  assert.deepEqual([logMel.nMels, logMel.frames], golden.shape);
  const error = maxAbsDifference(logMel.data, golden.data);
  assert.ok(error <= 1e-3, `max abs error ${error} dB`);
});

test('the top_db floor is taken over the whole matrix (silent gap at 12.0–12.5 s)', () => {
  const logMel = computeLogMel({ samples: clip.samples, sampleRate: clip.sampleRate });
  let peak = -Infinity;
  let low = Infinity;
  for (const v of logMel.data) {
    peak = Math.max(peak, v);
    low = Math.min(low, v);
  }
  assert.ok(Math.abs(peak - 29.491) < 1e-3, `peak ${peak}`);
  assert.ok(Math.abs(low - (peak - 80)) < 1e-4, `floor ${low}`);
  // frame 528 lies inside the gap: every band sits on the floor
  for (let m = 0; m < logMel.nMels; m++) assert.equal(logMel.data[m * logMel.frames + 528], low);
});

test('n_mfcc 13 is the first 13 rows of n_mfcc 20 (same DCT)', () => {
  const a = computeMfcc({ samples: clip.samples.subarray(0, 22050), sampleRate: 22050, nMfcc: 13 });
  const b = computeMfcc({ samples: clip.samples.subarray(0, 22050), sampleRate: 22050, nMfcc: 20 });
  assert.deepEqual(a.data, b.data.subarray(0, 13 * b.frames));
});
