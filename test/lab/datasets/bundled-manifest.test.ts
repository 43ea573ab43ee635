import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDataset } from '../../../src/lab/datasets/manifest.js';
import { buildDatacard, trainingManifests, writeDatacard, writeManifest, type ClipRow } from '../../../src/lab/datasets/bundled/manifest.js';
import type { SourceTrack } from '../../../src/lab/datasets/bundled/package-tracks.js';

const track = (id: string, genre: SourceTrack['genre'], source: string): SourceTrack => ({ id, file: `/x/${id}.wav`, genre, source, origin: source === 'generated-mma' ? 'generated' : 'recording', why: 'test' });

test('writeManifest writes sorted relative rows that readDataset reads back with group and source', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bundled-manifest-'));
  try {
    const rows: ClipRow[] = [
      { path: join(dir, 'clips/pkg-b/song-01.wav'), genre: 'Metal', group: 'pkg-b/song', source: 'pkg-b', origin: 'recording' },
      { path: join(dir, 'clips/pkg-a/tune-00.wav'), genre: 'Jazz', group: 'pkg-a/tune', source: 'pkg-a', origin: 'midi-rendered' },
    ];
    const file = join(dir, 'train.tsv');
    await writeManifest({ file, rows });
    const text = await readFile(file, 'utf8');
    assert.equal(text.split('\n')[0], 'path\tgenre\tgroup\tsource');
    assert.equal(text.split('\n')[1], 'clips/pkg-a/tune-00.wav\tJazz\tpkg-a/tune\tpkg-a');
    const entries = await readDataset({ location: file });
    assert.deepEqual(entries, [
      { path: join(dir, 'clips/pkg-a/tune-00.wav'), genre: 'Jazz', group: 'pkg-a/tune', source: 'pkg-a' },
      { path: join(dir, 'clips/pkg-b/song-01.wav'), genre: 'Metal', group: 'pkg-b/song', source: 'pkg-b' },
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('buildDatacard counts clips and tracks per genre, split and source, and drops tracks without clips', async () => {
  const tracks = [track('wes/a', 'Classical', 'wes'), track('wes/b', 'Classical', 'wes'), track('gen/x', 'Hiphop', 'generated-mma'), track('stk/y', 'EDM', 'stk'), track('wes/empty', 'Classical', 'wes')];
  const clip = (t: SourceTrack, i: number): ClipRow => ({ path: `/o/${t.id}-${i}.wav`, genre: t.genre, group: t.id, source: t.source, origin: t.origin });
  const clips = [clip(tracks[0]!, 0), clip(tracks[0]!, 1), clip(tracks[1]!, 0), clip(tracks[2]!, 0), clip(tracks[3]!, 0), clip(tracks[3]!, 1)];
  const card = buildDatacard({
    seed: 7,
    tracks,
    clips,
    roleOf: (s) => (s === 'stk' ? 'eval' : 'train'),
    licenceOf: (s) => ({ licence: `licence of ${s}` }),
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  assert.deepEqual(card.split.train.clips, { Classical: 3, Hiphop: 1 });
  assert.deepEqual(card.split.train.tracks, { Classical: 2, Hiphop: 1 });
  assert.deepEqual(card.split.train.clipsByOrigin, { generated: 1, recording: 3 });
  assert.deepEqual(card.split.eval.clips, { EDM: 2 });
  assert.deepEqual(card.sources.map((s) => [s.source, s.role, s.licence]), [
    ['generated-mma', 'train', 'licence of generated-mma'],
    ['stk', 'eval', 'licence of stk'],
    ['wes', 'train', 'licence of wes'],
  ]);
  assert.equal(card.tracks.length, 4, 'a track that gave no clip is not listed');
  assert.equal(card.tracks.find((t) => t.id === 'wes/a')?.clips, 2);

  const dir = await mkdtemp(join(tmpdir(), 'bundled-card-'));
  try {
    await writeDatacard({ file: join(dir, 'datacard.json'), card });
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'datacard.json'), 'utf8')), JSON.parse(JSON.stringify(card)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('trainingManifests keeps generated extras out of train.tsv, one manifest per extra', () => {
  const row = (group: string, genre: ClipRow['genre']): ClipRow => ({ path: `/o/${group}.wav`, genre, group, source: 'generated-mma', origin: 'generated' });
  const rows = [row('gen/hiphop-0000', 'Hiphop'), row('gen/hiphop-lofi-0000', 'Hiphop'), row('gen/jazz-lofi-0001', 'Jazz'), row('gen/jazz-0002', 'Jazz')];
  const extraOf = new Map([['gen/hiphop-lofi-0000', 'extra-hiphop-lofi.tsv'], ['gen/jazz-lofi-0001', 'extra-jazz-lofi.tsv']]);
  const files = trainingManifests({ rows, extraOf });
  assert.deepEqual([...files.keys()], ['train.tsv', 'extra-hiphop-lofi.tsv', 'extra-jazz-lofi.tsv']);
  assert.deepEqual(files.get('train.tsv')!.map((r) => r.group), ['gen/hiphop-0000', 'gen/jazz-0002']);
  assert.deepEqual(files.get('extra-hiphop-lofi.tsv')!.map((r) => r.group), ['gen/hiphop-lofi-0000']);
  assert.deepEqual(files.get('extra-jazz-lofi.tsv')!.map((r) => r.group), ['gen/jazz-lofi-0001']);
  assert.deepEqual([...trainingManifests({ rows, extraOf: new Map() }).keys()], ['train.tsv']);
});
