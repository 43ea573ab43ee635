import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerCalibration, expectedCalibrationError } from '../../../src/lab/evaluation/calibration-error.js';

test('expected calibration error: bin weight times |certainty − accuracy|, over (b/10, (b+1)/10] bins', () => {
  // Bin (0.9, 1]: certainty 0.95 twice, one right → |0.95 − 0.5| · 2/4. Bin (0.5, 0.6]: 0.6 and
  // 0.55 (0.6 falls in its upper bin edge), both right → |0.575 − 1| · 2/4.
  const rows = [
    { certainty: 0.95, correct: true }, { certainty: 0.95, correct: false },
    { certainty: 0.6, correct: true }, { certainty: 0.55, correct: true },
  ];
  assert.ok(Math.abs(expectedCalibrationError(rows) - (0.45 * 0.5 + 0.425 * 0.5)) < 1e-12);
  // Right as often as it says, bin by bin: 0.
  const honest = [...Array(10)].map((_, i) => ({ certainty: 0.8, correct: i < 8 }));
  assert.ok(Math.abs(expectedCalibrationError(honest)) < 1e-12);
  assert.ok(Number.isNaN(expectedCalibrationError([])));
});

test('answer calibration follows the served answer: temperature applied, Other left out of the ranking and of the clips', () => {
  const metadata = { labels: ['A', 'B', 'Other'], otherLabel: 'Other', calibration: { temperature: 2, otherThreshold: 0.5 } };
  const clips = [
    { label: 0, probabilities: [0.81, 0.09, 0.1] }, // A right; at T 2: √.81 : √.09 = 0.9 : 0.3 → 0.75
    { label: 1, probabilities: [0.81, 0.09, 0.1] }, // the same answer, wrong
    { label: 2, probabilities: [0.1, 0.1, 0.8] }, // Other: not one of the answer's genres
  ];
  const c = answerCalibration({ metadata, clips })!;
  assert.equal(c.clips, 2);
  assert.ok(Math.abs(c.meanCertainty - 0.75) < 1e-9, String(c.meanCertainty));
  assert.equal(c.accuracy, 0.5);
  assert.ok(Math.abs(c.ece - 0.25) < 1e-9);
  // Temperature 1: 0.81 / 0.90 = 0.9 shown, right half the time.
  assert.ok(Math.abs(c.eceUncalibrated! - 0.4) < 1e-9);
  // A model without a temperature reports only what it serves; no clip of its genres: nothing.
  assert.equal(answerCalibration({ metadata: { labels: ['A', 'B'] }, clips: clips.slice(0, 2) })!.eceUncalibrated, undefined);
  assert.equal(answerCalibration({ metadata, clips: clips.slice(2) }), undefined);
});
