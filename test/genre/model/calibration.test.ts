import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyTemperature, calibrateScores, genreLabels, topGenre } from '../../../src/genre/model/calibration.js';
import { parseMetadata } from '../../../src/genre/model/metadata.js';
import { validMetadata } from './helpers.js';

const LABELS6 = ['Hiphop', 'EDM', 'Classical', 'Metal', 'Jazz', 'Other'];
const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} vs ${b}`);

test('applyTemperature: T = 1 keeps the probabilities, T > 1 flattens, T < 1 sharpens, order kept', () => {
  const p = [0.7, 0.2, 0.1];
  applyTemperature(p, 1).forEach((q, i) => close(q, p[i]!));
  const flat = applyTemperature(p, 2);
  const sharp = applyTemperature(p, 0.5);
  close(flat.reduce((a, b) => a + b), 1);
  assert.ok(flat[0]! < 0.7 && flat[2]! > 0.1 && flat[0]! > flat[1]!);
  assert.ok(sharp[0]! > 0.7 && sharp[2]! < 0.1);
  // Softmax of logits / T: log-odds shrink by exactly T.
  close(Math.log(flat[0]! / flat[1]!), Math.log(0.7 / 0.2) / 2, 1e-9);
  assert.deepEqual(applyTemperature([1, 0], 3).map((x) => x > 0), [true, true]);
});

test('calibrateScores: the other output becomes otherScore, the genres are renormalised without it', () => {
  const metadata = { labels: LABELS6, otherLabel: 'Other', calibration: { temperature: 1, otherThreshold: 0.5 } };
  const r = calibrateScores({ probabilities: [0.1, 0.1, 0.1, 0.05, 0.05, 0.6], metadata });
  assert.deepEqual(Object.keys(r.genres), LABELS6.slice(0, 5));
  close(r.genres.Hiphop!, 0.25);
  close(Object.values(r.genres).reduce((a, b) => a + b), 1);
  close(r.otherScore!, 0.6);
  assert.equal(r.uncertain, true);
  assert.equal(calibrateScores({ probabilities: [0.3, 0.2, 0.1, 0.05, 0.05, 0.3], metadata }).uncertain, false);
  // Without a threshold: a score, no flag.
  const noThreshold = calibrateScores({ probabilities: [0.3, 0.2, 0.1, 0.05, 0.05, 0.3], metadata: { labels: LABELS6, otherLabel: 'Other' } });
  assert.equal(noThreshold.uncertain, undefined);
  close(noThreshold.otherScore!, 0.3);
  assert.deepEqual(genreLabels(metadata), LABELS6.slice(0, 5));
});

test('calibrateScores: a model with neither keeps its raw outputs bit for bit', () => {
  const raw = [0.30000001192092896, 0.2, 0.1, 0.2, 0.2];
  const r = calibrateScores({ probabilities: raw, metadata: { labels: LABELS6.slice(0, 5) } });
  assert.deepEqual(Object.values(r.genres), raw);
  assert.equal(r.otherScore, undefined);
  assert.equal(r.uncertain, undefined);
});

test('metadata: otherLabel must be a label; a threshold needs an otherLabel; temperature > 0', () => {
  const base = validMetadata({ labels: LABELS6 });
  assert.equal(parseMetadata({ ...base, otherLabel: 'Other', calibration: { temperature: 1.4, otherThreshold: 0.3 } }).otherLabel, 'Other');
  assert.throws(() => parseMetadata({ ...base, otherLabel: 'Pop' }), /otherLabel: must be one of the labels/);
  assert.throws(() => parseMetadata({ ...base, calibration: { temperature: 1, otherThreshold: 0.3 } }), /otherThreshold: needs an otherLabel/);
  assert.throws(() => parseMetadata({ ...base, otherLabel: 'Other', calibration: { temperature: 0 } }), /temperature/);
  assert.throws(() => parseMetadata({ ...base, otherLabel: 'Other', calibration: { temperature: 1, otherThreshold: 1.5 } }), /otherThreshold/);
});

test('topGenre is the answer\'s first genre: the highest, the first listed on a tie', () => {
  assert.deepEqual(topGenre({ Hiphop: 0.2, EDM: 0.5, Jazz: 0.3 }), ['EDM', 0.5]);
  assert.deepEqual(topGenre({ Hiphop: 0.4, EDM: 0.4, Jazz: 0.2 }), ['Hiphop', 0.4]);
});
