// train --member-data: data heard by one network of a model only. The other network is the one a
// run without that data trains (same seed, byte for byte); the data card counts the extra clips;
// recipes that cannot be told apart, name a network that does not exist or would train on a held-out
// source are refused.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import trainCommand from '../../../src/cli/train.js';
import { isAppError } from '../../../src/errors.js';
import { loadGenreModel } from '../../../src/genre/model/load.js';
import { memberRecipes, readMemberData, type MemberDataOption } from '../../../src/lab/training/member-data.js';
import { memberName } from '../../../src/lab/training/members.js';
import { ffmpegSync } from '../../audio/fixtures.js';

test('memberRecipes: one network per view, each with its own data; look-alike or missing networks are refused', () => {
  const pair = memberRecipes(['plain'], [24, 24], [{ member: 2, data: ['a.tsv', 'b.tsv'] }]);
  assert.deepEqual(pair.map(memberName), ['plain-mel-view24', 'plain-mel-view24-extra-data']);
  assert.deepEqual(pair[1]!.extraData, ['a.tsv', 'b.tsv']);
  const refused: [number[], MemberDataOption[]][] = [[[24, 24], []], [[0, 24], [{ member: 3, data: ['a.tsv'] }]]];
  for (const [views, data] of refused) {
    assert.throws(() => memberRecipes(['plain'], views, data), (err) => isAppError(err) && err.code === 'BAD_RECIPE');
  }
  assert.throws(() => memberRecipes(['centred', 'standardised'], [0, 16]), (err) => isAppError(err) && err.code === 'BAD_RECIPE');
});

test('readMemberData: clips of a genre outside the labels are skipped with a warning, like --data', async () => {
  const root = await mkdtemp(join(tmpdir(), 'member-data-'));
  try {
    const manifest = join(root, 'extra.tsv');
    await writeFile(manifest, 'path\tgenre\tgroup\tsource\na.wav\tClassical\ta\tgen\nb.wav\tPolka\tb\tgen\nc.wav\tPolka\tc\tgen\n');
    const warnings: string[] = [];
    const recipes = memberRecipes(['plain'], [16, 16], [{ member: 2, data: [manifest] }]);
    const own = await readMemberData({ recipes, labels: ['Classical', 'Metal'], valFraction: 0, seed: 1, warn: (line) => warnings.push(line) });
    assert.equal(own[0], undefined);
    assert.deepEqual(own[1]!.train.map((e) => e.group), ['a']);
    assert.deepEqual(warnings, [`--member-data ${manifest}: skipping 2 clip(s) of genre "Polka" (not in --labels)`]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('train --mel-view 16,16 --member-data 2=<manifest>: network 1 is the run without it, network 2 heard more', async () => {
  const root = await mkdtemp(join(tmpdir(), 'member-data-'));
  try {
    const wav = (dir: string, name: string, src: string) => ffmpegSync(['-f', 'lavfi', '-i', src, '-ac', '1', '-ar', '22050', join(dir, name)]);
    for (const [genre, srcs] of Object.entries({
      Classical: ['sine=frequency=440:duration=4', 'sine=frequency=523:duration=4'],
      Metal: ['anoisesrc=d=4:c=pink:a=0.4', 'anoisesrc=d=4:c=white:a=0.3'],
    })) {
      await mkdir(join(root, 'data', genre), { recursive: true });
      srcs.forEach((src, i) => wav(join(root, 'data', genre), `${i}.wav`, src));
    }
    await mkdir(join(root, 'extra'));
    wav(join(root, 'extra'), 'x1.wav', 'sine=frequency=300:duration=4');
    wav(join(root, 'extra'), 'x2.wav', 'anoisesrc=d=4:c=brown:a=0.5');
    await writeFile(join(root, 'extra', 'extra.tsv'), 'path\tgenre\tgroup\tsource\nx1.wav\tClassical\tx1\tgenerated\nx2.wav\tMetal\tx2\tgenerated\n');
    const common = ['--data', join(root, 'data'), '--labels', 'Classical,Metal', '--epochs', '1', '--batch-size', '4', '--val-fraction', '0',
      '--cache-dir', join(root, 'cache'), '--backend', 'wasm', '--network', 'cnn-with-timbre', '--normalisation', 'plain', '--filters', '4,8,8', '--seed', '3'];
    const extra = join(root, 'extra', 'extra.tsv');
    assert.equal(await trainCommand.run([...common, '--out', join(root, 'pair'), '--mel-view', '16,16', '--member-data', `2=${extra}`]), 0);
    assert.equal(await trainCommand.run([...common, '--out', join(root, 'one'), '--mel-view', '16']), 0);
    const weights = (dir: string) => readFile(join(root, dir, 'weights.bin'));
    assert.deepEqual(await weights('pair/plain-mel-view16'), await weights('one'), 'network 1 did not hear the extra data');
    assert.notDeepEqual(await weights('pair/plain-mel-view16-extra-data'), await weights('one'));
    const model = await loadGenreModel({ dir: join(root, 'pair'), backend: 'wasm' });
    assert.deepEqual(model.metadata.members?.map((m) => [m.path, m.training['extraData']]), [['plain-mel-view16', undefined], ['plain-mel-view16-extra-data', [extra]]]);
    assert.deepEqual(model.metadata.dataCard.clipsPerGenre, { Classical: 3, Metal: 3 });
    assert.match(model.metadata.dataCard.description, /--member-data 2=/);
    model.dispose();
    // Data one network hears must not come from a source held out for evaluation.
    await writeFile(join(root, 'extra', 'held.tsv'), 'path\tgenre\tgroup\tsource\nx1.wav\tClassical\th1\tgenerated\n');
    const errors: string[] = [];
    const consoleError = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      assert.equal(await trainCommand.run([...common, '--out', join(root, 'bad'), '--mel-view', '16,16', '--member-data', `2=${extra}`, '--eval-data', join(root, 'extra', 'held.tsv')]), 1);
    } finally {
      console.error = consoleError;
    }
    assert.match(errors.join('\n'), /EVAL_DATA_OVERLAP: --member-data shares source\(s\) with the held-out clips: generated/);
    // Nor may the evaluation set share a source with the shared training data (a folder's source is its name).
    await writeFile(join(root, 'eval.tsv'), 'path\tgenre\tgroup\tsource\ndata/Classical/0.wav\tClassical\te1\tdata\n');
    errors.length = 0;
    console.error = (line: string) => errors.push(line);
    try {
      assert.equal(await trainCommand.run([...common, '--out', join(root, 'bad'), '--eval-data', join(root, 'eval.tsv')]), 1);
    } finally {
      console.error = consoleError;
    }
    assert.match(errors.join('\n'), /EVAL_DATA_OVERLAP: --eval-data shares source\(s\) with --data: data/);
    for (const bad of [['--mel-view', '16,16'], ['--mel-view', '16,16', '--member-data', `3=${extra}`], ['--mel-view', '16', '--member-data', extra]]) {
      assert.equal(await trainCommand.run([...common, '--out', join(root, 'bad'), ...bad]), 2, bad.join(' '));
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
