// train on several datasets at once: a GTZAN-style folder plus a manifest whose header names its
// columns (path, genre, source, group, licence), "other:*" genres as an extra output, long files
// cut into several 30-s windows, 20 coefficients, and the calibration stored for serving.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readDataset } from '../../../src/lab/datasets/manifest.js';
import { loadGenreModel } from '../../../src/genre/model/load.js';
import { DEFAULT_FEATURES } from '../../../src/genre/model/metadata.js';
import trainCommand from '../../../src/cli/train.js';
import { extractFileWindows } from '../../../src/lab/training/features.js';

function tone(file: string, src: string): void {
  const r = spawnSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', src, '-ac', '1', '-ar', '22050', file], { timeout: 30_000 });
  assert.equal(r.status, 0, String(r.stderr));
}

test('a manifest header names its columns in any order; the licence column is kept', async () => {
  const root = await mkdtemp(join(tmpdir(), 'manifest-header-'));
  try {
    await writeFile(join(root, 'm.tsv'), 'path\tgenre\tsource\tgroup\tlicence\tartist\na/1.opus\tjazz\tsrcA\tartist-1\t"none stated (""x"")"\tSomeone\n');
    const [entry] = await readDataset({ location: join(root, 'm.tsv') });
    assert.deepEqual(entry, { path: join(root, 'a/1.opus'), genre: 'jazz', group: 'artist-1', source: 'srcA', licence: 'none stated ("x")' });
    await writeFile(join(root, 'bad.tsv'), 'path\tkind\nx.wav\tjazz\n');
    await assert.rejects(readDataset({ location: join(root, 'bad.tsv') }), /no "genre" column/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('extractFileWindows: a 45-s file gives a 30-s and a 15-s window; the cached 40 rows serve fewer coefficients exactly', async () => {
  const root = await mkdtemp(join(tmpdir(), 'windows-'));
  try {
    const file = join(root, 'long.wav');
    tone(file, 'sine=frequency=330:duration=45');
    const features = { ...DEFAULT_FEATURES, nMfcc: 20 };
    const cacheDir = join(root, 'cache');
    const windows = await extractFileWindows({ path: file, features, windows: 3, cacheDir });
    assert.deepEqual(windows.map((w) => [w.nMfcc, w.frames]), [[20, 1292], [20, 646]]);
    const again = await extractFileWindows({ path: file, features: { ...features, nMfcc: 13 }, windows: 3, cacheDir });
    assert.deepEqual(Array.from(again[1]!.data), Array.from(windows[1]!.data.subarray(0, 13 * 646)));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('train --data folder --data manifest --other-label --windows --n-mfcc --temperature --other-threshold', async () => {
  const root = await mkdtemp(join(tmpdir(), 'train-several-'));
  try {
    const folder = join(root, 'folder');
    for (const [genre, srcs] of Object.entries({
      Classical: ['sine=frequency=440:duration=4', 'sine=frequency=523:duration=4', 'sine=frequency=659:duration=4'],
      Metal: ['anoisesrc=d=4:c=pink:a=0.4', 'anoisesrc=d=4:c=white:a=0.3', 'anoisesrc=d=4:c=brown:a=0.5'],
    })) {
      await mkdir(join(folder, genre), { recursive: true });
      srcs.forEach((src, i) => tone(join(folder, genre, `${i}.wav`), src));
    }
    const music = join(root, 'private');
    await mkdir(music, { recursive: true });
    tone(join(music, 'pop1.wav'), 'anoisesrc=d=45:c=pink:a=0.1');
    tone(join(music, 'pop2.wav'), 'sine=frequency=200:duration=5');
    tone(join(music, 'pop3.wav'), 'sine=frequency=250:duration=5');
    tone(join(music, 'metal4.wav'), 'anoisesrc=d=5:c=white:a=0.6');
    await writeFile(join(music, 'manifest.tsv'), ['path\tgenre\tsource\tgroup\tlicence',
      'pop1.wav\tother:pop\tcollection\tg1\tnone stated', 'pop2.wav\tother:country\tcollection\tg2\tnone stated',
      'pop3.wav\tother:pop\tcollection\tg3\tnone stated', 'metal4.wav\tmetal\tcollection\tg4\tnone stated'].join('\n'));
    // Scored as served: at threshold 0 every answer is flagged uncertain, so counted as Other.
    tone(join(music, 'held1.wav'), 'sine=frequency=330:duration=4');
    tone(join(music, 'held2.wav'), 'anoisesrc=d=4:c=pink:a=0.3');
    await writeFile(join(root, 'held.tsv'), ['path\tgenre\tsource\tgroup', `${join(music, 'held1.wav')}\tclassical\telsewhere\th1`,
      `${join(music, 'held2.wav')}\tmetal\telsewhere\th2`].join('\n'));
    const out = join(root, 'model');
    const code = await trainCommand.run([
      '--data', folder, '--data', join(music, 'manifest.tsv'), '--labels', 'Classical,Metal', '--other-label', 'Other', '--eval-data', join(root, 'held.tsv'),
      '--windows', '3', '--n-mfcc', '20', '--temperature', '1.3', '--other-threshold', '0', '--normalisation', 'centred',
      '--out', out, '--epochs', '1', '--batch-size', '8', '--val-fraction', '0', '--cache-dir', join(root, 'cache'), '--backend', 'wasm',
    ]);
    assert.equal(code, 0);
    const model = await loadGenreModel({ dir: out, backend: 'wasm' });
    const m = model.metadata;
    assert.deepEqual(m.labels, ['Classical', 'Metal', 'Other']);
    assert.equal(m.otherLabel, 'Other');
    assert.equal(m.features.nMfcc, 20);
    assert.deepEqual({ temperature: m.calibration?.temperature, otherThreshold: m.calibration?.otherThreshold }, { temperature: 1.3, otherThreshold: 0 });
    assert.deepEqual(m.metrics.heldOut?.confusion, [[0, 0, 1], [0, 0, 1], [0, 0, 0]]);
    assert.deepEqual(m.dataCard.clipsPerGenre, { Classical: 3, Metal: 4, Other: 3 });
    const collection = m.dataCard.sources.find((s) => s.name === 'collection')!;
    assert.equal(collection.licence, 'none stated');
    // pop1 is 45 s: two windows (30 + 15 s); the others 5 s each.
    assert.deepEqual(collection.minutesPerGenre, { Classical: 0, Metal: 0.1, Other: 0.9 });
    assert.equal((m.training['history'] as unknown[]).length, 1);
    model.dispose();
    assert.equal(await trainCommand.run(['--data', folder, '--out', join(root, 'x'), '--other-threshold', '0.3']), 2);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
