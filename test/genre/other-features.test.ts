// A model trained on another front end (test/fixtures/tiny-other-features: 16 kHz through swr,
// n_fft 1024, hop 256, 64 mels, 20 coefficients, 64-frame segments every 32 frames, 10-s clips)
// is served by the API and the CLI from its metadata alone: shapes, segment count and timeline.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import predictCommand from '../../src/cli/predict.js';
import { loadGenrePipeline, type GenrePipeline } from '../../src/genre/pipeline.js';
import { audioFixture } from '../helpers/audio-fixtures.js';
import { startTestApp, type TestApp } from '../service/harness.js';

const MODEL_DIR = 'test/fixtures/tiny-other-features';
let clip: string;
let pipeline: GenrePipeline;
before(async () => {
  // Longer than the model's 10-s clip, at another rate than the model's.
  clip = await audioFixture({ format: 'mp3', seconds: 12, sampleRate: 44100 });
  pipeline = await loadGenrePipeline(MODEL_DIR, { backend: 'wasm' });
});
after(() => pipeline?.dispose());

// 10 s at 16 kHz, hop 256 → 626 frames (625 if ffmpeg's cut lands a few samples short): 64-frame
// segments start every 32 frames up to 544, plus one ending at the last frame → 19 segments.
function assertTimeline(body: { segments: { start: number; end: number; probabilities: Record<string, number> }[]; probabilities: Record<string, number> }): void {
  assert.equal(body.segments.length, 19);
  assert.deepEqual(body.segments.slice(0, 2).map((s) => [s.start, s.end]), [[0, 1.024], [0.512, 1.536]]);
  const last = body.segments.at(-1)!;
  assert.ok(Math.abs(last.end - 10.016) <= 0.016 && Math.abs(last.end - last.start - 1.024) < 1e-9, JSON.stringify(last));
  assert.deepEqual(Object.keys(body.probabilities), pipeline.metadata.labels);
}

test('extract follows the model: 20 coefficients × 10 s of 16-kHz frames', async () => {
  const { mfcc, durationSeconds } = await pipeline.extract(clip);
  assert.equal(mfcc.nMfcc, 20);
  assert.ok(Math.abs(durationSeconds - 10) < 0.02, String(durationSeconds));
  assert.ok(mfcc.frames === 626 || mfcc.frames === 625, String(mfcc.frames));
});

test('CLI predict serves the model with no option but --model', async (t) => {
  const lines: string[] = [];
  t.mock.method(console, 'log', (line: string) => lines.push(line));
  const code = await predictCommand.run([clip, '--json', '--model', MODEL_DIR, '--backend', 'wasm']);
  t.mock.restoreAll();
  assert.equal(code, 0);
  const body = JSON.parse(lines[0]!) as Parameters<typeof assertTimeline>[0] & { model: string };
  assert.equal(body.model, 'tiny-other-features@0.0.0-fixture');
  assertTimeline(body);
});

test('the API serves the model with MODEL_DIR only', async () => {
  let app: TestApp | undefined;
  try {
    app = await startTestApp({ queueKind: 'inline', env: { MODEL_DIR } });
    const res = await app.http.post('/predict').attach('file', await readFile(clip), 'clip.mp3').expect(200);
    const body = res.body as Parameters<typeof assertTimeline>[0] & { durationSeconds: number; model: { name: string } };
    assert.equal(body.model.name, 'tiny-other-features');
    assert.ok(Math.abs(body.durationSeconds - 10) < 0.02, String(body.durationSeconds));
    assertTimeline(body);
  } finally {
    await app?.close();
  }
});
