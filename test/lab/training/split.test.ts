import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holdOutSources, splitByGroup } from '../../../src/lab/training/split.js';
import type { DatasetEntry } from '../../../src/lab/datasets/manifest.js';
import { InputError } from '../../../src/errors.js';

function dataset(): DatasetEntry[] {
  const entries: DatasetEntry[] = [];
  for (const genre of ['Jazz', 'Metal', 'EDM']) {
    for (let track = 0; track < 17; track++) {
      for (let clip = 0; clip < 1 + (track % 4); clip++) {
        entries.push({ path: `/d/${genre}/${track}-${clip}.ogg`, genre, group: `${genre}-track${track}`, source: track % 3 === 0 ? 'pkgA' : 'pkgB' });
      }
    }
  }
  return entries;
}

test('split by group never puts one group on both sides, for many seeds', () => {
  const entries = dataset();
  for (let seed = 0; seed < 25; seed++) {
    const { train, validation } = splitByGroup({ entries, valFraction: 0.2, seed });
    const trainGroups = new Set(train.map((e) => e.group));
    for (const e of validation) assert.ok(!trainGroups.has(e.group), `seed ${seed}: group ${e.group} leaked`);
    assert.equal(train.length + validation.length, entries.length);
    for (const genre of ['Jazz', 'Metal', 'EDM']) {
      const groups = new Set(validation.filter((e) => e.genre === genre).map((e) => e.group));
      assert.equal(groups.size, Math.round(17 * 0.2), `seed ${seed}: ${genre} validation groups`);
    }
  }
});

test('split is deterministic for a seed and differs between seeds', () => {
  const entries = dataset();
  const a = splitByGroup({ entries, valFraction: 0.2, seed: 7 }).validation.map((e) => e.path);
  const b = splitByGroup({ entries, valFraction: 0.2, seed: 7 }).validation.map((e) => e.path);
  const c = splitByGroup({ entries, valFraction: 0.2, seed: 8 }).validation.map((e) => e.path);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('tiny genres keep at least one training group; bad fractions are rejected', () => {
  const entries: DatasetEntry[] = [
    { path: 'a', genre: 'X', group: 'g1', source: 's' },
    { path: 'b', genre: 'X', group: 'g2', source: 's' },
    { path: 'c', genre: 'Y', group: 'g3', source: 's' },
  ];
  const { train, validation } = splitByGroup({ entries, valFraction: 0.5, seed: 1 });
  assert.equal(validation.length, 1);
  assert.ok(train.some((e) => e.genre === 'Y'));
  assert.throws(() => splitByGroup({ entries, valFraction: 1, seed: 1 }), InputError);
});

test('holding out sources removes them entirely; unknown sources are an error', () => {
  const entries = dataset();
  const { kept, heldOut } = holdOutSources({ entries, sources: ['pkgA'] });
  assert.ok(heldOut.length > 0 && heldOut.every((e) => e.source === 'pkgA'));
  assert.ok(kept.every((e) => e.source !== 'pkgA'));
  assert.throws(() => holdOutSources({ entries, sources: ['nope'] }), /no clips from source\(s\) nope/);
});
