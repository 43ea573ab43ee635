import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTrainingBackend } from '../../../src/lab/network/backend.js';
import { DEFAULT_FEATURES } from '../../../src/genre/model/metadata.js';
import { loadGenreModel } from '../../../src/genre/model/load.js';
import { classifyMfcc } from '../../../src/genre/model/classify.js';
import { trainGenreModel } from '../../../src/lab/training/train.js';
import { syntheticClips } from './helpers.js';
import { withSeededMathRandom } from '../../../src/lab/training/random.js';
import { extractFileMfcc } from '../../../src/lab/training/features.js';
import trainCommand from '../../../src/cli/train.js';
import evaluateCommand from '../../../src/cli/evaluate.js';

test('training is deterministic for a seed (split, sampling, stretch, style mixing, augmentation, masking, mixup, init, dropout)', async () => {
  const { tf, backend } = await initTrainingBackend({ preferred: 'wasm' });
  const once = () =>
    withSeededMathRandom(5, async () => {
      const result = await trainGenreModel({
        tf, backend, train: syntheticClips(6).map((c, i) => ({ ...c, source: i < 2 ? 'small' : 'big' })), validation: syntheticClips(2), labels: ['A', 'B'], features: DEFAULT_FEATURES,
        epochs: 2, batchSize: 8, segmentsPerClip: 2, patience: 5, learningRate: 0.001, seed: 5, deadline: Date.now() + 60_000,
        augment: { gainDb: 6, eqDb: 3, eqCoefficients: 4 }, masking: { maskFrames: 20, maskCoefficients: 2 }, normalisationKind: 'per-coefficient',
        stretch: { maxStretch: 0.15 }, styleMix: { probability: 0.5, alpha: 0.1 }, mixup: { alpha: 0.4 }, balanceSources: true, name: 'det', version: '1',
      });
      const weights = result.model.members[0]!.layersModel.getWeights().map((w) => Array.from(w.dataSync()));
      result.model.dispose();
      return { weights, history: result.history.map((h) => h.loss) };
    });
  const a = await once();
  const b = await once();
  assert.deepEqual(a.history, b.history);
  assert.deepEqual(a.weights, b.weights);
});

test('style mixing needs every training clip\'s source', async () => {
  const { tf, backend } = await initTrainingBackend({ preferred: 'wasm' });
  await assert.rejects(trainGenreModel({
    tf, backend, train: syntheticClips(4), validation: [], labels: ['A', 'B'], features: DEFAULT_FEATURES,
    epochs: 1, batchSize: 4, segmentsPerClip: 1, patience: 1, learningRate: 0.001, seed: 1, deadline: Date.now() + 60_000,
    augment: { gainDb: 0, eqDb: 0, eqCoefficients: 4 }, normalisationKind: 'per-coefficient', styleMix: { probability: 0.5, alpha: 0.1 }, name: 'mix', version: '1',
  }), /styleMix needs every training clip's source/);
});

test('weight averaging over epochs keeps no more tensors than the best-epoch model and yields a working model', async () => {
  const { tf, backend } = await initTrainingBackend({ preferred: 'wasm' });
  // Training keeps its optimiser's state alive either way; averaging must add nothing to that.
  const leftAfter = async (weightAverageEpochs: number) => {
    const before = tf.memory().numTensors;
    const result = await withSeededMathRandom(3, () => trainGenreModel({
      tf, backend, train: syntheticClips(6), validation: syntheticClips(2), labels: ['A', 'B'], features: DEFAULT_FEATURES,
      epochs: 3, batchSize: 8, segmentsPerClip: 2, patience: 5, learningRate: 0.001, seed: 3, deadline: Date.now() + 60_000,
      augment: { gainDb: 0, eqDb: 0, eqCoefficients: 4 }, normalisationKind: 'per-coefficient', weightAverageEpochs, name: 'avg', version: '1',
    }));
    assert.equal(result.history.length, 3);
    const [, certainty] = classifyMfcc({ model: result.model, mfcc: syntheticClips(1)[0]!.mfcc }).first;
    assert.ok(certainty > 0.5 && certainty <= 1, String(certainty));
    result.model.dispose();
    return tf.memory().numTensors - before;
  };
  assert.equal(await leftAfter(5), await leftAfter(0));
});

test('weights recorded several times per epoch are all averaged, the epoch ends included', async () => {
  const { tf, backend } = await initTrainingBackend({ preferred: 'wasm' });
  const run = (weightRecordsPerEpoch: number) => withSeededMathRandom(4, () => trainGenreModel({
    tf, backend, train: syntheticClips(8), validation: syntheticClips(2), labels: ['A', 'B'], features: DEFAULT_FEATURES,
    epochs: 2, batchSize: 4, segmentsPerClip: 2, patience: 5, learningRate: 0.001, seed: 4, deadline: Date.now() + 60_000,
    augment: { gainDb: 0, eqDb: 0, eqCoefficients: 4 }, normalisationKind: 'per-coefficient', weightAverageEpochs: 2, weightRecordsPerEpoch, name: 'dense', version: '1',
  }));
  const once = await run(1);
  const dense = await run(3);
  // 8 clips × 2 segments in batches of 4: 4 steps per epoch, records after steps 1, 3 and 4 (the end).
  assert.deepEqual([once.averagedEpochs, once.averagedRecords], [[1, 2], 2]);
  assert.deepEqual([dense.averagedEpochs, dense.averagedRecords], [[1, 2], 6]);
  // Same training (same seed, same steps): only the kept average differs.
  assert.deepEqual(dense.history.map((h) => h.loss), once.history.map((h) => h.loss));
  const weightsOf = (r: typeof once) => r.model.members[0]!.layersModel.getWeights().flatMap((w) => Array.from(w.dataSync()));
  assert.notDeepEqual(weightsOf(dense), weightsOf(once));
  once.model.dispose();
  dense.model.dispose();
});

test('the learning rate decays after each epoch that does not improve the validation loss, and no optimiser is left behind', async () => {
  const { tf, backend } = await initTrainingBackend({ preferred: 'wasm' });
  // Validation labels swapped: the better the network learns, the worse the validation loss.
  const validation = syntheticClips(2).map((c) => ({ ...c, label: 1 - c.label }));
  const run = (learningRateDecay?: number) => withSeededMathRandom(6, () => trainGenreModel({
    tf, backend, train: syntheticClips(6), validation, labels: ['A', 'B'], features: DEFAULT_FEATURES,
    epochs: 4, batchSize: 8, segmentsPerClip: 2, patience: 3, learningRate: 0.001, learningRateDecay, seed: 6, deadline: Date.now() + 60_000,
    augment: { gainDb: 0, eqDb: 0, eqCoefficients: 4 }, normalisationKind: 'per-coefficient', name: 'decay', version: '1',
  }));
  const before = tf.memory().numTensors;
  const constant = await run();
  constant.model.dispose();
  const leftByConstant = tf.memory().numTensors - before;
  const decayed = await run(0.5);
  decayed.model.dispose();
  assert.equal(tf.memory().numTensors - before - leftByConstant, leftByConstant);
  assert.ok(constant.history.every((h) => h.learningRate === 0.001));
  let expected = 0.001;
  for (const [i, h] of decayed.history.entries()) {
    assert.equal(h.learningRate, expected, `epoch ${i + 1}`);
    if (!h.improved) expected *= 0.5;
  }
  assert.ok(decayed.history.some((h) => h.learningRate < 0.001), JSON.stringify(decayed.history.map((h) => [h.improved, h.learningRate])));
});

test('early stopping follows the monitored validation loss: segments, or labels weighed alike', async () => {
  const { tf, backend } = await initTrainingBackend({ preferred: 'wasm' });
  // Forty clips of A and one A clip labelled B: learning A lowers the segment loss while the lone
  // B clip's loss, half of the label-balanced loss, climbs.
  const zeros = syntheticClips(80).filter((c) => c.label === 0);
  const validation = [...zeros, { ...zeros[0]!, label: 1 }];
  const improvedUnder = async (monitor: 'segment-loss' | 'label-balanced-loss') => {
    const r = await withSeededMathRandom(7, () => trainGenreModel({
      tf, backend, train: syntheticClips(8), validation, labels: ['A', 'B'], features: DEFAULT_FEATURES,
      epochs: 2, batchSize: 4, segmentsPerClip: 2, patience: 5, learningRate: 0.003, seed: 7, deadline: Date.now() + 60_000,
      augment: { gainDb: 0, eqDb: 0, eqCoefficients: 4 }, normalisationKind: 'per-coefficient', monitor, name: 'monitor', version: '1',
    }));
    r.model.dispose();
    const [first, second] = r.history;
    assert.ok(second!.valLoss! < first!.valLoss! && second!.valLabelBalancedLoss! > first!.valLabelBalancedLoss!);
    return r.history.map((h) => h.improved);
  };
  assert.deepEqual(await improvedUnder('segment-loss'), [true, true]);
  assert.deepEqual(await improvedUnder('label-balanced-loss'), [true, false]);
});

test('train CLI on ffmpeg-generated tones writes a loadable model; evaluate CLI reports on it', async () => {
  const root = await mkdtemp(join(tmpdir(), 'train-cli-'));
  try {
    const data = join(root, 'data');
    const tones: Record<string, string[]> = {
      Classical: ['sine=frequency=440:duration=4', 'sine=frequency=523:duration=4', 'sine=frequency=659:duration=4'],
      Metal: ['anoisesrc=d=4:c=pink:a=0.4', 'anoisesrc=d=4:c=white:a=0.3', 'anoisesrc=d=4:c=brown:a=0.5'],
    };
    for (const [genre, sources] of Object.entries(tones)) {
      await mkdir(join(data, genre), { recursive: true });
      sources.forEach((src, i) => {
        const r = spawnSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', src, '-ac', '1', '-ar', '22050', join(data, genre, `${i}.wav`)], { timeout: 20_000 });
        assert.equal(r.status, 0, String(r.stderr));
      });
    }
    const out = join(root, 'model');
    const cache = join(root, 'cache');
    const code = await trainCommand.run([
      '--data', data, '--out', out, '--labels', 'Classical,Metal', '--epochs', '2', '--val-fraction', '0.34',
      '--segments-per-clip', '4', '--batch-size', '8', '--cache-dir', cache, '--backend', 'wasm', '--model-version', '0.1.0',
      '--normalisation', 'plain', '--segment-hop', '65',
    ]);
    assert.equal(code, 0);
    assert.deepEqual((await readdir(out)).sort(), ['metadata.json', 'model.json', 'weights.bin']);
    assert.equal((await readdir(cache)).filter((f) => f.endsWith('.f32')).length, 6);

    const model = await loadGenreModel({ dir: out, backend: 'wasm' });
    assert.deepEqual(model.labels, ['Classical', 'Metal']);
    assert.equal(model.version, '0.1.0');
    assert.deepEqual(model.metadata.dataCard.clipsPerGenre, { Classical: 3, Metal: 3 });
    assert.equal(model.metadata.metrics.validation?.clips, 2);
    assert.equal((model.metadata.training['history'] as unknown[]).length, 2);
    const mfcc = await extractFileMfcc({ path: join(data, 'Metal', '0.wav'), features: model.metadata.features });
    const prediction = classifyMfcc({ model, mfcc });
    assert.ok(Math.abs(prediction.probabilities['Classical']! + prediction.probabilities['Metal']! - 1) < 1e-5);
    model.dispose();

    const json = join(root, 'eval.json');
    const png = join(root, 'confusion.png');
    assert.equal(await evaluateCommand.run(['--model', out, '--data', data, '--json', json, '--png', png, '--cache-dir', cache, '--backend', 'wasm']), 0);
    const report = JSON.parse(await readFile(json, 'utf8')) as {
      metrics: { clips: number; accuracy: number; confusion: number[][] }; clips: unknown[]; calibration: { clips: number; accuracy: number; ece: number; eceUncalibrated?: number };
    };
    assert.equal(report.metrics.clips, 6);
    // No Other output here: every clip counts, and the answer's accuracy is the table's.
    assert.equal(report.calibration.clips, 6);
    assert.equal(report.calibration.accuracy, report.metrics.accuracy);
    assert.ok(report.calibration.ece >= 0 && report.calibration.ece <= 1, JSON.stringify(report.calibration));
    assert.equal(report.calibration.eceUncalibrated, undefined);
    assert.equal(report.clips.length, 6);
    assert.equal(report.metrics.confusion.flat().reduce((a, b) => a + b, 0), 6);
    assert.ok((await stat(png)).size > 500);

    // --eval-data: a second dataset scored as held-out, refused when it shares a source with --data.
    const evalTsv = (source: string) => ['path\tgenre\tgroup\tsource', `${join(data, 'Metal', '1.wav')}\tMetal\tm1\t${source}`,
      `${join(data, 'Classical', '1.wav')}\tClassical\tc1\t${source}`].join('\n');
    await writeFile(join(root, 'other.tsv'), evalTsv('elsewhere'));
    await writeFile(join(root, 'same.tsv'), evalTsv('data'));
    const trainArgs = (extra: string[]) => ['--data', data, '--out', join(root, 'model2'), '--labels', 'Classical,Metal', '--epochs', '1',
      '--batch-size', '8', '--cache-dir', cache, '--backend', 'wasm', ...extra];
    assert.equal(await trainCommand.run(trainArgs(['--eval-data', join(root, 'same.tsv')])), 1);
    assert.equal(await trainCommand.run(trainArgs(['--eval-data', join(root, 'other.tsv'), '--centre-segments', '--augment-gain-db', '6', '--head', 'global-average',
      '--mixup', '0.4', '--stretch', '0.15', '--balance-sources'])), 0);
    const meta = JSON.parse(await readFile(join(root, 'model2', 'metadata.json'), 'utf8')) as {
      metrics: { heldOut?: { clips: number } }; normalisation: { kind: string }; architecture: string;
      training: { augment: { gainDb: number }; head: string; mixup: { alpha: number }; stretch: { maxStretch: number }; balanceSources: boolean };
    };
    assert.equal(meta.metrics.heldOut?.clips, 2);
    assert.equal(meta.normalisation.kind, 'per-coefficient-centred');
    assert.equal(meta.training.augment.gainDb, 6);
    assert.deepEqual([meta.training.mixup.alpha, meta.training.stretch.maxStretch, meta.training.balanceSources], [0.4, 0.15, true]);
    // The global-average head trains on wasm, is recorded, and the saved network serves.
    assert.equal(meta.training.head, 'global-average');
    assert.match(meta.architecture, /global-average/);
    const averaged = await loadGenreModel({ dir: join(root, 'model2'), backend: 'wasm' });
    assert.ok(averaged.members[0]!.layersModel.layers.some((l) => l.getClassName() === 'GlobalAveragePooling2D'));
    const p = classifyMfcc({ model: averaged, mfcc: await extractFileMfcc({ path: join(data, 'Metal', '0.wav'), features: averaged.metadata.features }) });
    assert.ok(Math.abs(p.probabilities['Classical']! + p.probabilities['Metal']! - 1) < 1e-5);
    averaged.dispose();
    // The default: two normalisations (centred, standardised), one network each, same seed, saved
    // as one model that averages them, scored at hop 130. Its 'centred' member is exactly the
    // network a one-network --normalisation centred run trains.
    const pairDir = join(root, 'pair');
    const baseArgs = (out: string) => ['--data', data, '--out', out, '--labels', 'Classical,Metal', '--epochs', '1',
      '--batch-size', '8', '--cache-dir', cache, '--backend', 'wasm'];
    const pairArgs = (out: string, list: string) => [...baseArgs(out), '--normalisation', list];
    assert.equal(await trainCommand.run(baseArgs(pairDir)), 0);
    assert.equal(await trainCommand.run(pairArgs(join(root, 'centred'), 'centred')), 0);
    assert.deepEqual((await readdir(pairDir)).sort(), ['centred', 'metadata.json', 'standardised']);
    const pair = await loadGenreModel({ dir: pairDir, backend: 'wasm' });
    const alone = await loadGenreModel({ dir: join(root, 'centred'), backend: 'wasm' });
    assert.deepEqual(pair.metadata.members?.map((m) => m.normalisation.kind), ['per-coefficient-centred', 'per-coefficient-standardised']);
    assert.equal((pair.metadata.members?.[1]?.training['history'] as unknown[]).length, 1);
    assert.equal(pair.metadata.features.segmentHopFrames, 130);
    assert.equal(pair.metadata.metrics.validation?.clips, alone.metadata.metrics.validation?.clips);
    const weightsOf = (m: typeof pair, i: number) => m.members[i]!.layersModel.getWeights().map((w) => Array.from(w.dataSync()));
    assert.deepEqual(weightsOf(pair, 0), weightsOf(alone, 0));
    assert.notDeepEqual(weightsOf(pair, 1), weightsOf(alone, 0));
    pair.dispose();
    alone.dispose();
    assert.equal(await trainCommand.run(pairArgs(pairDir, 'centred,loud')), 2);
    assert.equal(await trainCommand.run([...pairArgs(pairDir, 'centred'), '--centre-segments']), 2);

    assert.notEqual(await trainCommand.run(trainArgs(['--head', 'attention'])), 0);
    assert.notEqual(await trainCommand.run(trainArgs(['--stretch', '2'])), 0);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('no training clip at all (every file unreadable) is EMPTY_TRAINING_SET, not a bare error', async () => {
  const options = { train: [], validation: [] } as unknown as Parameters<typeof trainGenreModel>[0];
  await assert.rejects(trainGenreModel(options), { code: 'EMPTY_TRAINING_SET' });
});
