import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarise } from '../../../src/cli/dataset.js';
import { runCli } from '../../helpers/cli.js';

const cli = (args: string[]) => runCli(['dataset', ...args]);

test('dataset --help lists build-bundled (with its options), info and collect', () => {
  const r = cli(['--help']);
  assert.equal(r.status, 0, r.stderr);
  for (const word of ['build-bundled', '--cache', '--out', '--seed', 'info', 'collect']) assert.ok(r.stdout.includes(word), word);
  const b = cli(['build-bundled', '--help']);
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /eval-heldout\.tsv/);
});

test('dataset info counts clips and groups per genre and per source of a manifest', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dataset-info-'));
  try {
    const rows = [
      '# a comment before the header',
      'path\tgenre\tgroup\tsource',
      'clips/a-00.wav\tJazz\tpkg/a\tpkg',
      'clips/a-01.wav\tJazz\tpkg/a\tpkg',
      'clips/b-00.wav\tMetal\tpkg/b\tpkg',
      'clips/g-00.wav\tHiphop\tgen/g\tgenerated-mma',
    ];
    await writeFile(join(dir, 'train.tsv'), rows.join('\n') + '\n');
    const r = cli(['info', join(dir, 'train.tsv'), '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      clips: 4,
      groups: 3,
      byGenre: { Jazz: { clips: 2, groups: 1 }, Metal: { clips: 1, groups: 1 }, Hiphop: { clips: 1, groups: 1 } },
      bySource: { pkg: { Jazz: 2, Metal: 1 }, 'generated-mma': { Hiphop: 1 } },
    });
    const table = cli(['info', join(dir, 'train.tsv')]);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /4 clips from 3 groups/);
    assert.match(table.stdout, /generated-mma\s+1\s+0\s+0/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('dataset: a FIFO for a manifest is refused at once; collect\'s usage errors exit 2', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dataset-fifo-'));
  try {
    const fifo = join(dir, 'train.tsv');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const r = cli(['info', fifo]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /BAD_MANIFEST.*neither a folder nor a regular file/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  for (const args of [['collect', '--csv'], ['collect', '--bogus']]) {
    const r = cli(args);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('dataset: bad sub-commands, options and datasets are clear errors', () => {
  const unknown = cli(['frobnicate']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown sub-command "frobnicate"/);
  const badOpt = cli(['build-bundled', '--per-genre', 'many']);
  assert.equal(badOpt.status, 2);
  assert.match(badOpt.stderr, /--per-genre must be a non-negative integer/);
  const badExtra = cli(['build-bundled', '--lofi-jazz', '2.5']);
  assert.equal(badExtra.status, 2);
  assert.match(badExtra.stderr, /--lofi-jazz must be a non-negative integer/);
  const noArg = cli(['info']);
  assert.equal(noArg.status, 2);
  const missing = cli(['info', '/nonexistent/dataset.tsv']);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /dataset not found/);
});

test('summarise counts each group once per genre', () => {
  const s = summarise([
    { path: '/a', genre: 'EDM', group: 'g1', source: 's' },
    { path: '/b', genre: 'EDM', group: 'g1', source: 's' },
    { path: '/c', genre: 'EDM', group: 'g2', source: 't' },
  ]);
  assert.deepEqual(s.byGenre, { EDM: { clips: 3, groups: 2 } });
  assert.equal(s.groups, 2);
});
