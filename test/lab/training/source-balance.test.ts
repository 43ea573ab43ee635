// Source-balanced windows: a genre keeps its total, its sources share it ∝ √(their clip counts),
// the window counts drawn per epoch have the expected mean, and sampleEpoch follows them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRandom } from '../../../src/lab/training/random.js';
import { sampleEpoch } from '../../../src/lab/training/sampler.js';
import { drawWindowCount, sourceBalancedWindows } from '../../../src/lab/training/source-balance.js';

// Genre 0: 9 clips from A, 1 from B. Genre 1: 4 clips from C only.
const labels = [...Array<number>(10).fill(0), ...Array<number>(4).fill(1)];
const sources = [...Array<string>(9).fill('A'), 'B', ...Array<string>(4).fill('C')];

test('each genre keeps segmentsPerClip windows per clip; its sources share them ∝ √size', () => {
  const w = sourceBalancedWindows({ labels, sources, segmentsPerClip: 4 });
  const sum = (from: number, to: number) => w.slice(from, to).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum(0, 10) - 40) < 1e-9, 'genre 0 total');
  assert.ok(Math.abs(sum(10, 14) - 16) < 1e-9, 'genre 1 total');
  // √9 : √1 = 3 : 1 → A 30 windows, B 10 (was 36 : 4 by clip count).
  assert.ok(Math.abs(sum(0, 9) - 30) < 1e-9 && Math.abs(w[9]! - 10) < 1e-9);
  // A single-source genre is unchanged.
  assert.deepEqual(w.slice(10), [4, 4, 4, 4]);
  // The same source name in two genres counts separately.
  const shared = sourceBalancedWindows({ labels: [0, 0, 1], sources: ['gen', 'gen', 'gen'], segmentsPerClip: 2 });
  assert.deepEqual(shared, [2, 2, 2]);
});

test('drawn window counts are whole numbers with the expected mean; sampleEpoch follows them', () => {
  const random = createRandom(9);
  const draws = Array.from({ length: 20000 }, () => drawWindowCount(2.3, random));
  assert.ok(draws.every((d) => d === 2 || d === 3));
  assert.ok(Math.abs(draws.reduce((a, b) => a + b, 0) / draws.length - 2.3) < 0.02);
  assert.equal(drawWindowCount(4, () => 0.99), 4);

  const windowsPerClip = sourceBalancedWindows({ labels, sources, segmentsPerClip: 4 });
  const counts = new Array<number>(labels.length).fill(0);
  for (let epoch = 0; epoch < 200; epoch++) {
    for (const ref of sampleEpoch({ frames: labels.map(() => 300), segmentFrames: 130, segmentsPerClip: 4, windowsPerClip, random })) {
      counts[ref.clip]!++;
      assert.ok(ref.start >= 0 && ref.start <= 170);
    }
  }
  counts.forEach((c, i) => assert.ok(Math.abs(c / 200 - windowsPerClip[i]!) < 0.25, `clip ${i}: ${c / 200} vs ${windowsPerClip[i]}`));
});
