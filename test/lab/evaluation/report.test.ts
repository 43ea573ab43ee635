import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { renderConfusionPng, formatMetricsTable, formatAnswerCalibration } from '../../../src/lab/evaluation/report.js';
import { summarizeConfusion } from '../../../src/lab/evaluation/metrics.js';

test('confusion PNG is a valid RGB PNG whose cells are shaded by row share', () => {
  const labels = ['Hiphop', 'EDM'];
  const metrics = summarizeConfusion({ confusion: [[10, 0], [5, 5]], labels });
  const png = renderConfusionPng({ metrics, labels, title: 'test' });
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idatLength = png.readUInt32BE(33);
  assert.equal(png.subarray(37, 41).toString('ascii'), 'IDAT');
  const raw = inflateSync(png.subarray(41, 41 + idatLength));
  assert.equal(raw.length, (width * 3 + 1) * height);
  // Some pixels are the saturated diagonal colour (row share 100 %): not white, not black.
  let saturated = 0;
  for (let i = 0; i < raw.length - 2; i += 3) if (raw[i] === 55 && raw[i + 1] === 165) saturated++;
  assert.ok(saturated > 100);
});

test('metrics table lists every genre with precision, recall and n', () => {
  const labels = ['Hiphop', 'EDM'];
  const text = formatMetricsTable({ title: 't', metrics: summarizeConfusion({ confusion: [[3, 1], [0, 4]], labels }), labels });
  assert.match(text, /Hiphop\s+100\.0%\s+75\.0%\s+85\.7%\s+4/);
  assert.match(text, /balanced accuracy 87\.5%/);
});

test('the calibration line gives the shown certainty, how often it was right, and the error at both temperatures', () => {
  const line = formatAnswerCalibration({ clips: 132, meanCertainty: 0.7134, accuracy: 0.5379, ece: 0.1756, eceUncalibrated: 0.121 });
  assert.equal(line, "certainty of the answer on 132 clips of the model's genres: 71.3% on average, right 53.8% of the time; expected calibration error 0.176 (0.121 at temperature 1)");
  assert.doesNotMatch(formatAnswerCalibration({ clips: 6, meanCertainty: 0.5, accuracy: 1, ece: 0.5 }), /temperature/);
});
