// readRunData: what a training run trains, validates and tests on, before any feature.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAppError } from '../../../src/errors.js';
import { memberRecipes } from '../../../src/lab/training/member-data.js';
import { readRunData, type RunDataOptions } from '../../../src/lab/training/run-data.js';

async function withManifests(files: Record<string, string[]>, fn: (path: (name: string) => string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'run-data-'));
  try {
    for (const [name, rows] of Object.entries(files)) await writeFile(join(root, name), ['path\tgenre\tgroup\tsource', ...rows].join('\n') + '\n');
    await fn((name) => join(root, name));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const rows = (genre: string, source: string, groups: string[]) => groups.map((g) => `${g}.wav\t${genre}\t${g}\t${source}`);
const base = { labels: ['Classical', 'Metal'], holdoutSources: [], evalData: undefined, valFraction: 0.5, seed: 2 } satisfies Partial<RunDataOptions>;

test('sources held out and the evaluation set are tested on; the rest is split by group; every entry has its label', async () => {
  await withManifests({
    'data.tsv': [...rows('Classical', 'a', ['c1', 'c2', 'c3', 'c4']), ...rows('Metal', 'b', ['m1', 'm2']), ...rows('Metal', 'kept-out', ['k1']), 'x.wav\tPolka\tx\ta'],
    'eval.tsv': rows('Metal', 'elsewhere', ['e1']),
    'own.tsv': rows('Classical', 'generated', ['g1']),
  }, async (path) => {
    const warnings: string[] = [];
    const members = memberRecipes(['plain'], [16, 16], [{ member: 2, data: [path('own.tsv')] }]);
    const run = await readRunData({ ...base, data: [path('data.tsv')], holdoutSources: ['kept-out'], evalData: path('eval.tsv') }, members, (w) => warnings.push(w));
    const groups = (list: { group: string }[]) => list.map((e) => e.group).sort();
    assert.deepEqual(groups(run.heldOut), ['e1', 'k1']);
    assert.deepEqual(groups([...run.train, ...run.validation]), ['c1', 'c2', 'c3', 'c4', 'm1', 'm2']);
    // Half of each genre's groups validate, at least one stays in training.
    assert.deepEqual([run.validation.filter((e) => e.genre === 'Classical').length, run.validation.filter((e) => e.genre === 'Metal').length], [2, 1]);
    assert.equal(run.own[0], undefined);
    assert.deepEqual(groups(run.own[1]!.train), ['g1']);
    for (const e of [...run.train, ...run.validation, ...run.heldOut, ...run.own[1]!.train]) assert.equal(run.labelOf.get(e), e.genre === 'Classical' ? 0 : 1);
    assert.deepEqual(warnings, ['skipping 1 clip(s) of genre "Polka" (not in --labels)']);
  });
});

test('a label with no training clip left, or an evaluation set sharing a source with training, is refused', async () => {
  await withManifests({
    'data.tsv': [...rows('Classical', 'a', ['c1', 'c2']), ...rows('Metal', 'only-metal', ['m1'])],
    'eval.tsv': rows('Classical', 'a', ['e1']),
  }, async (path) => {
    const members = memberRecipes(['plain'], [16]);
    const refused = (options: Partial<RunDataOptions>, code: string, message: RegExp) => assert.rejects(
      readRunData({ ...base, data: [path('data.tsv')], ...options }, members, () => undefined),
      (err) => isAppError(err) && err.code === code && message.test(err.message));
    await refused({ holdoutSources: ['only-metal'] }, 'EMPTY_TRAINING_SET', /no training clips for Metal/);
    await refused({ evalData: path('eval.tsv') }, 'EVAL_DATA_OVERLAP', /--eval-data shares source\(s\) with --data: a/);
  });
});
