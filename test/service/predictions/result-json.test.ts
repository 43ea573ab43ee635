// The cache layout of finished results (mfcc last, read back without parsing the image) and the
// reply body built from it: always the same JSON text as JSON.stringify(formatPrediction(...)).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { PredictionResult, TrackPrediction } from '../../../src/genre/result.js';
import { parseCachedResult, serializeResult } from '../../../src/service/predictions/result-json.js';
import { formatPrediction, predictionBody } from '../../../src/service/routes/run-prediction.js';
import { fakeResult } from '../queue/helpers.js';

const base64 = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) & 0xff)).toString('base64');
const upload: PredictionResult = { ...fakeResult(), mfcc: base64 };
const track: TrackPrediction = { ...upload, mp3: 'https://cdn.example/p.mp3?token=1', source: 'deezer', track: { artist: 'A "quoted" ,"mfcc":" artist', title: 'Tïtle ✓', link: 'https://x/1' } };

test('serializeResult is plain JSON with mfcc last; the fast read keeps the image as JSON bytes', () => {
  for (const result of [upload, track]) {
    const text = serializeResult(result);
    assert.deepEqual(JSON.parse(text), result);
    assert.ok(text.endsWith(`"mfcc":${JSON.stringify(base64)}}`));
    const cached = parseCachedResult(Buffer.from(text));
    assert.deepEqual(cached.result, result);
    assert.equal(cached.mfccJson?.toString(), JSON.stringify(base64));
  }
});

test('values in another layout (written before this change) or with an escaped image are parsed whole', () => {
  const old = parseCachedResult(Buffer.from(JSON.stringify(upload)));
  assert.deepEqual(old, { result: upload });
  for (const mfcc of ['with "quotes" and \\ backslash', 'ünïcode ✓', 'ends with quote"', '', 'control\u0001char']) {
    const escaped: PredictionResult = { ...upload, mfcc };
    const cached = parseCachedResult(Buffer.from(serializeResult(escaped)));
    assert.deepEqual(cached.result, escaped, JSON.stringify(mfcc));
    if (cached.mfccJson) assert.equal(cached.mfccJson.toString(), JSON.stringify(mfcc));
  }
  assert.throws(() => parseCachedResult(Buffer.from('{"first":,"mfcc":"AAAA"}')), SyntaxError);
});

test('predictionBody is JSON.stringify(formatPrediction(...)) byte for byte, with or without the cached image', () => {
  const text = fc.string({ unit: 'binary', maxLength: 40 });
  fc.assert(fc.property(text, text, text, fc.oneof(fc.constant(base64), text), fc.boolean(), (artist, title, label, mfcc, isTrack) => {
    const result: PredictionResult = isTrack
      ? { ...track, mfcc, first: [label, 0.5], track: { artist, title } }
      : { ...upload, mfcc, first: [label, 0.5], probabilities: { [label]: 0.5, Jazz: 0.25 } };
    const fresh = isTrack ? { mp3: `https://cdn/${title}` } : undefined;
    const expected = JSON.stringify(formatPrediction(result, fresh));
    assert.equal(predictionBody({ result, fresh }).toString(), expected);
    const cached = parseCachedResult(Buffer.from(serializeResult(result)));
    assert.deepEqual(cached.result, result);
    assert.equal(predictionBody({ result: cached.result, mfccJson: cached.mfccJson, fresh }).toString(), expected);
  }), { seed: 20261123, numRuns: 300 });
});
