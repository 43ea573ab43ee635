import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classWeights } from '../../../src/lab/training/class-weights.js';

test('class weights equalise genres by clip count; an absent genre weighs 0', () => {
  assert.deepEqual(classWeights({ labels: [0, 0, 0, 1], classes: 3 }), { 0: 4 / 6, 1: 2, 2: 0 });
});
