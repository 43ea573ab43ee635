import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scoreSegments } from '../../../src/genre/model/classify.js';
import { evaluateClips } from '../../../src/lab/evaluation/evaluate.js';
import { syntheticMfcc, withRandomModel } from '../../genre/model/helpers.js';

test('segment loss weighs every segment; the label-balanced loss weighs every label present the same', async () => {
  await withRandomModel((model) => {
    // Three clips of label 0, one shorter clip of label 3: the labels have 3 × 9 and 3 segments.
    const clips = [1, 2, 3].map((seed) => ({ mfcc: syntheticMfcc(650, seed), label: 0 })).concat({ mfcc: syntheticMfcc(260, 9), label: 3 });
    const lossesOf = (label: number) => clips.filter((c) => c.label === label).flatMap(({ mfcc }) => {
      const { starts, probabilities } = scoreSegments({ model, mfcc });
      return starts.map((_, s) => -Math.log(Math.max(1e-7, probabilities[s * 5 + label]!)));
    });
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const [zero, three] = [lossesOf(0), lossesOf(3)];
    assert.deepEqual([zero.length, three.length], [27, 3]);
    const evaluation = evaluateClips({ model, clips });
    assert.ok(Math.abs(evaluation.segmentLoss - mean([...zero, ...three])) < 1e-9);
    assert.ok(Math.abs(evaluation.labelBalancedSegmentLoss - (mean(zero) + mean(three)) / 2) < 1e-9);
    assert.ok(Math.abs(evaluation.labelBalancedSegmentLoss - evaluation.segmentLoss) > 1e-6, 'the fixture must tell the two apart');
    assert.ok(Number.isNaN(evaluateClips({ model, clips: [] }).labelBalancedSegmentLoss));
  });
});
