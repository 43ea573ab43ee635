// The decode window comes from the model; the process's limits may only narrow it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_FEATURES } from '../../src/genre/model/metadata.js';
import { decodeWindow } from '../../src/genre/preprocess.js';

const model = { ...DEFAULT_FEATURES, clipSeconds: 10, minSeconds: 0.5 };

test('decodeWindow: the model sets clip and minimum length; limits only cap or raise them', () => {
  assert.deepEqual(decodeWindow(model, {}), { maxSeconds: 10, minSeconds: 0.5 });
  // A larger MAX_AUDIO_SECONDS never decodes more than the model was trained on; a smaller one caps it.
  assert.deepEqual(decodeWindow(model, { maxSeconds: 600 }), { maxSeconds: 10, minSeconds: 0.5 });
  assert.deepEqual(decodeWindow(model, { maxSeconds: 4 }), { maxSeconds: 4, minSeconds: 0.5 });
  // A stricter MIN_AUDIO_SECONDS refuses more; a looser one does not lower the model's minimum.
  assert.deepEqual(decodeWindow(model, { minSeconds: 2 }), { maxSeconds: 10, minSeconds: 2 });
  assert.deepEqual(decodeWindow(model, { minSeconds: 0.1 }), { maxSeconds: 10, minSeconds: 0.5 });
  // A cap below the minimum would refuse everything: the minimum follows the cap.
  assert.deepEqual(decodeWindow(model, { maxSeconds: 0.3 }), { maxSeconds: 0.3, minSeconds: 0.3 });
});
