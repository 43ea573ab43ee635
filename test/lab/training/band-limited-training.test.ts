// Band-limit augmentation end to end on real files: the copies come from the band-limited
// recording through the same windows and cache, and only the seeded share of windows is replaced.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_FEATURES } from '../../../src/genre/model/metadata.js';
import type { DatasetEntry } from '../../../src/lab/datasets/manifest.js';
import { bandLimitCutoffHz, bandLimitKey } from '../../../src/lab/training/band-limit.js';
import { withBandLimit } from '../../../src/lab/training/band-limited-training.js';
import { extractFileWindows } from '../../../src/lab/training/features.js';
import type { MfccMatrix } from '../../../src/types.js';

function noise(file: string, seconds: number, seed: number): void {
  const src = `anoisesrc=d=${seconds}:a=0.3:seed=${seed}`;
  const r = spawnSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', src, '-ac', '1', '-ar', '22050', file], { timeout: 30_000 });
  assert.equal(r.status, 0, String(r.stderr));
}

const meanOfRow = (m: MfccMatrix, k: number) => m.data.subarray(k * m.frames, (k + 1) * m.frames).reduce((s, v) => s + v, 0) / m.frames;

test('withBandLimit replaces the seeded share of training windows by their band-limited copies', async () => {
  const root = await mkdtemp(join(tmpdir(), 'band-limit-'));
  try {
    const features = { ...DEFAULT_FEATURES, nMfcc: 20 };
    const cacheDir = join(root, 'cache');
    const entries: DatasetEntry[] = [];
    for (let i = 0; i < 4; i++) {
      const path = join(root, `n${i}.wav`);
      noise(path, i === 0 ? 45 : 12, i + 1);
      entries.push({ path, genre: 'edm', group: `g${i}`, source: 'test' });
    }
    const windowsOf = new Map<DatasetEntry, MfccMatrix[]>();
    for (const e of entries) windowsOf.set(e, await extractFileWindows({ path: e.path, features, windows: 2, cacheDir }));
    const labelOf = new Map(entries.map((e) => [e, 1]));
    const common = { seed: 3, entries, windowsOf, labelOf, features, windows: 2, cacheDir };

    const none = await withBandLimit({ ...common, share: 0 });
    assert.deepEqual(none.map((c) => c.mfcc), entries.flatMap((e) => windowsOf.get(e)!));
    assert.equal(none.length, 5, 'the 45-s file gives two windows');

    const all = await withBandLimit({ ...common, share: 1 });
    assert.equal(all.length, 5);
    const expected = await extractFileWindows({ path: entries[0]!.path, features, windows: 2, cacheDir, bandLimitHz: bandLimitCutoffHz(bandLimitKey(entries[0]!)) });
    assert.deepEqual(all.slice(0, 2).map((c) => c.mfcc.data), expected.map((m) => m.data));
    // White noise loses its top octaves: the spectral slope coefficient c1 rises, every window.
    all.forEach((c, i) => assert.ok(meanOfRow(c.mfcc, 1) > meanOfRow(none[i]!.mfcc, 1) + 5, `window ${i}`));
    assert.ok(all.every((c) => c.label === 1 && c.source === 'test'));

    const half = await withBandLimit({ ...common, share: 0.5 });
    const again = await withBandLimit({ ...common, share: 0.5 });
    const replaced = half.map((c, i) => c.mfcc !== none[i]!.mfcc);
    assert.deepEqual(again.map((c, i) => c.mfcc !== none[i]!.mfcc), replaced, 'the same seed draws the same windows');
    assert.ok(replaced.some(Boolean) && !replaced.every(Boolean), `some but not all replaced: ${replaced.join(',')}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
