// train --network cnn-with-timbre (and --weight-average, --band-limit, --mel-view, --filters): the
// model it writes names that network and its settings, loads in the service, and the options that
// do not fit together are refused with exit code 2.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import trainCommand from '../../src/cli/train.js';
import { loadGenreModel } from '../../src/genre/model/load.js';
import { cnnWithTimbreName } from '../../src/lab/network/cnn-with-timbre.js';
import { ffmpegSync } from '../audio/fixtures.js';

test('train --network cnn-with-timbre --normalisation plain --timbre-path-dropout 0.5, and --weight-average', async () => {
  const root = await mkdtemp(join(tmpdir(), 'train-network-'));
  try {
    for (const [genre, srcs] of Object.entries({
      Classical: ['sine=frequency=440:duration=4', 'sine=frequency=523:duration=4'],
      Metal: ['anoisesrc=d=4:c=pink:a=0.4', 'anoisesrc=d=4:c=white:a=0.3'],
    })) {
      await mkdir(join(root, 'data', genre), { recursive: true });
      srcs.forEach((src, i) => ffmpegSync(['-f', 'lavfi', '-i', src, '-ac', '1', '-ar', '22050', join(root, 'data', genre, `${i}.wav`)]));
    }
    const common = ['--data', join(root, 'data'), '--labels', 'Classical,Metal', '--epochs', '1', '--batch-size', '4', '--val-fraction', '0',
      '--cache-dir', join(root, 'cache'), '--backend', 'wasm'];
    const out = join(root, 'model');
    assert.equal(await trainCommand.run([...common, '--out', out, '--network', 'cnn-with-timbre', '--normalisation', 'plain', '--timbre-path-dropout', '0.5', '--timbre-centred-rows', '3']), 0);
    const model = await loadGenreModel({ dir: out, backend: 'wasm' });
    assert.equal(model.metadata.architecture, cnnWithTimbreName({ pathDropout: 0.5, timbreCentredRows: 3 }));
    assert.equal(model.metadata.training['timbreCentredRows'], 3);
    assert.equal(model.metadata.normalisation?.kind, 'per-coefficient');
    assert.deepEqual([model.metadata.training['network'], model.metadata.training['timbrePathDropout']], ['cnn-with-timbre', 0.5]);
    assert.equal(model.metadata.training['head'], undefined, 'no CNN head is recorded for a network that has none');
    model.dispose();
    const averaged = join(root, 'averaged');
    assert.equal(await trainCommand.run([...common, '--epochs', '2', '--out', averaged, '--network', 'cnn-with-timbre', '--normalisation', 'plain', '--weight-average', '2']), 0);
    const averagedModel = await loadGenreModel({ dir: averaged, backend: 'wasm' });
    assert.equal(averagedModel.metadata.training['weightAverageEpochs'], 2);
    assert.deepEqual(averagedModel.metadata.training['averagedEpochs'], [1, 2]);
    averagedModel.dispose();
    const limited = join(root, 'band-limited');
    assert.equal(await trainCommand.run([...common, '--out', limited, '--network', 'cnn-with-timbre', '--normalisation', 'plain', '--band-limit', '0.5']), 0);
    const limitedModel = await loadGenreModel({ dir: limited, backend: 'wasm' });
    assert.deepEqual(limitedModel.metadata.training['bandLimit'], { share: 0.5, cutoffHz: [2500, 7000] });
    limitedModel.dispose();
    const mel = join(root, 'mel-view');
    assert.equal(await trainCommand.run([...common, '--out', mel, '--network', 'cnn-with-timbre', '--normalisation', 'plain',
      '--mel-view', '16', '--mel-view-alongside', '--filters', '8,16,16']), 0);
    const melModel = await loadGenreModel({ dir: mel, backend: 'wasm' });
    assert.equal(melModel.metadata.architecture, cnnWithTimbreName({ filters: [8, 16, 16], melView: { bands: 16, alongside: true } }));
    assert.deepEqual([melModel.metadata.training['melView'], melModel.metadata.training['filters']], [{ bands: 16, alongside: true }, [8, 16, 16]]);
    melModel.dispose();
    // Several --mel-view values: one network each (0: the cepstral rows), averaged.
    const pair = join(root, 'pair');
    assert.equal(await trainCommand.run([...common, '--out', pair, '--network', 'cnn-with-timbre', '--normalisation', 'plain', '--mel-view', '0,16', '--filters', '8,16,16']), 0);
    const pairModel = await loadGenreModel({ dir: pair, backend: 'wasm' });
    assert.deepEqual(pairModel.metadata.members?.map((m) => [m.path, m.architecture]),
      [['plain', cnnWithTimbreName({ filters: [8, 16, 16] })], ['plain-mel-view16', cnnWithTimbreName({ filters: [8, 16, 16], melView: { bands: 16 } })]]);
    assert.match(pairModel.metadata.architecture, /^mean of 2 networks: plain = .+; plain-mel-view16 = centre-in-network\/mel-view16\//);
    assert.deepEqual(pairModel.metadata.training['melView'], { bands: [0, 16], alongside: false });
    assert.equal(pairModel.members.length, 2);
    pairModel.dispose();
    const plainCnn = ['--network', 'cnn-with-timbre', '--normalisation', 'plain'];
    for (const bad of [['--network', 'cnn-with-timbre'], ['--network', 'cnn-with-timbre', '--normalisation', 'centred'], ['--network', 'rnn'],
      ['--timbre-path-dropout', '0.5'], ['--timbre-centred-rows', '3'], ['--network', 'cnn-with-timbre', '--normalisation', 'plain', '--timbre-centred-rows', '13'], ['--network', 'cnn-with-timbre', '--normalisation', 'plain', '--head', 'flatten'], ['--weight-average', '-1'], ['--band-limit', '1.5'],
      ['--mel-view', '16'], [...plainCnn, '--mel-view', '1'], [...plainCnn, '--mel-view-alongside'], [...plainCnn, '--mel-view', '0,16', '--mel-view-alongside'],
      [...plainCnn, '--mel-view', '16,16'], [...plainCnn, '--mel-view', '0,1'], ['--filters', '8,16'], ['--filters', '8,0,16']]) {
      assert.equal(await trainCommand.run([...common, '--out', join(root, 'bad'), ...bad]), 2, bad.join(' '));
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
