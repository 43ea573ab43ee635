// The decode window comes from the model; the process's limits may only narrow it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_FEATURES } from '../../src/genre/model/metadata.js';
import { decodeWindow, extractFeatures, extractFeatureWindows } from '../../src/genre/preprocess.js';
import { floats, wav } from '../audio/fixtures.js';

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

// Training, evaluation and the features command extract without refuseUnusable: NaN samples gave
// the MFCC of silence there, so a broken file was learnt from as if it were music.
test('extractFeatures and extractFeatureWindows refuse NaN samples even without refuseUnusable; silence only with it', async () => {
  const features = { ...DEFAULT_FEATURES, clipSeconds: 3, minSeconds: 0.5 };
  const nan = wav({ tag: 3, bits: 32, data: floats(3 * 22_050, () => Number.NaN) });
  const silence = wav({ tag: 3, bits: 32, data: floats(3 * 22_050, () => 0) });
  const invalid = { code: 'INVALID_SAMPLES' };
  await assert.rejects(extractFeatures({ input: nan, features }), invalid);
  await assert.rejects(extractFeatureWindows({ input: nan, features, windows: 2, minExtraSeconds: 1 }), invalid);
  const quiet = await extractFeatures({ input: silence, features });
  assert.equal(quiet.mfcc.nMfcc, features.nMfcc);
  assert.equal((await extractFeatureWindows({ input: silence, features, windows: 2, minExtraSeconds: 1 })).length, 1);
  await assert.rejects(extractFeatures({ input: silence, features, refuseUnusable: true }), { code: 'SILENT_AUDIO' });
});
