// Uploads that are "audio" only by their header, playlists naming other files, and audio with
// nothing to classify: each gets a 4xx with a message of ours (no ffmpeg stderr, no heap address,
// no path), never a 500 and never a genre. Embedded app, real ffmpeg and pipeline.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { decodeAudio } from '../../src/audio/decode.js';
import { resolveFfmpegPath } from '../../src/audio/ffmpeg/ffmpeg-binary.js';
import { startTestApp, type TestApp } from '../service/harness.js';
import { isolateTmpdir } from './helpers.js';
import { floats, wav } from '../audio/fixtures.js';

const tmp = isolateTmpdir();
let t: TestApp;

before(async () => {
  t = await startTestApp({ queueKind: 'inline', env: { JOB_ATTEMPTS: '1', RESULT_CACHE_TTL_S: '0' } });
});
after(async () => {
  await t?.close();
  tmp.remove();
});

const SECONDS3 = 3 * 22_050;
const CASES: Array<{ name: string; bytes: Buffer; status: number; code: string }> = [
  { name: 'WAV with 0 bits per sample', bytes: wav({ bits: 0, data: Buffer.alloc(40_000, 0x11) }), status: 415, code: 'NOT_AUDIO' },
  { name: 'WAV with 255 channels', bytes: wav({ channels: 255, data: Buffer.alloc(255 * 2 * 4_000, 0x21) }), status: 422, code: 'UNSUPPORTED_AUDIO' },
  { name: 'ffconcat naming /etc/passwd', bytes: Buffer.from("ffconcat version 1.0\nfile '/etc/passwd'\nfile 'file:/etc/passwd'\n"), status: 415, code: 'NOT_AUDIO' },
  { name: 'HLS playlist naming a file URL', bytes: Buffer.from('#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n'), status: 415, code: 'NOT_AUDIO' },
  { name: 'digital silence (16-bit zeros)', bytes: wav({ data: Buffer.alloc(SECONDS3 * 2) }), status: 422, code: 'SILENT_AUDIO' },
  { name: 'near-silence at −100 dBFS', bytes: wav({ tag: 3, bits: 32, data: floats(SECONDS3, (i) => 1e-5 * Math.sin(i / 3)) }), status: 422, code: 'SILENT_AUDIO' },
  { name: 'float WAV of NaN', bytes: wav({ tag: 3, bits: 32, data: floats(SECONDS3, () => Number.NaN) }), status: 422, code: 'INVALID_SAMPLES' },
  { name: 'float WAV of ±Infinity', bytes: wav({ tag: 3, bits: 32, data: floats(SECONDS3, (i) => (i % 2 ? Infinity : -Infinity)) }), status: 422, code: 'INVALID_SAMPLES' },
  { name: 'float WAV of a ±1e30 tone (finite, but infinite once squared in float32)', bytes: wav({ tag: 3, bits: 32, data: floats(SECONDS3, (i) => 1e30 * Math.sin(i / 5)) }), status: 422, code: 'INVALID_SAMPLES' },
  { name: 'a tone with one NaN in 1,000 samples, at 44.1 kHz (resampled)', bytes: wav({ tag: 3, bits: 32, rate: 44_100, data: floats(2 * SECONDS3, (i) => (i % 1000 ? 0.5 * Math.sin(i / 7) : Number.NaN)) }), status: 422, code: 'INVALID_SAMPLES' },
];

for (const c of CASES) {
  test(`${c.name} → ${c.status} ${c.code}, a message of ours`, async () => {
    const res = await t.http.post('/predict').attach('file', c.bytes, 'upload.wav');
    assert.equal(res.status, c.status, JSON.stringify(res.body));
    assert.equal(res.body.error.code, c.code);
    const message = String(res.body.error.message);
    assert.doesNotMatch(message, /0x[0-9a-f]{4,}|@ 0x|\/etc\/passwd|pipe:|\[[a-z_]+ @/i, message);
  });
}

test('a quiet but real tone (−60 dBFS) is still classified', async () => {
  const res = await t.http.post('/predict').attach('file', wav({ tag: 3, bits: 32, data: floats(SECONDS3, (i) => 0.0014 * Math.sin(i / 5)) }), 'quiet.wav');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.response, true);
});

test('a float tone 20 dB over full scale (a clipped master, not a bomb) is still classified', async () => {
  const res = await t.http.post('/predict').attach('file', wav({ tag: 3, bits: 32, data: floats(SECONDS3, (i) => 10 * Math.sin(i / 5)) }), 'hot.wav');
  assert.equal(res.status, 200, JSON.stringify(res.body));
});

test('a WAV claiming a 1-Hz rate is read for its first 30 s only, not resampled whole', async () => {
  // 500,000 samples at 1 Hz (six days). With only the output-side limit ffmpeg resampled a whole
  // packet of them first: 9 s of CPU and 1.1 GB of memory per upload, past this 4-s time-out.
  const data = Buffer.alloc(1_000_000);
  for (let i = 0; i < data.length; i += 2) data.writeInt16LE(((i * 7919) % 40_000) - 20_000, i);
  const oneHertz = wav({ rate: 1, data });
  const decoded = await decodeAudio({ input: oneHertz, timeoutMs: 4000 });
  assert.ok(decoded.samples.length <= 30 * 22_050);
  const res = await t.http.post('/predict').attach('file', oneHertz, 'one-hertz.wav');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.ok(res.body.durationSeconds <= 30, JSON.stringify(res.body));
});

test('audio whose timestamps do not advance is read for its first 30 s (ffmpeg\'s -t never fires)', async () => {
  // Every packet stamped 0: ffmpeg decoded all 45 s past both -t limits, and the overflow of the
  // output cap answered 500. The m4a (index last) takes the temp-file path, the Matroska the pipe.
  for (const [name, codec] of [['zero-ts.mkv', 'flac'], ['zero-ts.m4a', 'aac']] as const) {
    const file = join(tmp.dir, name);
    execFileSync(resolveFfmpegPath({}).path, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=440:d=45:sample_rate=22050', '-c:a', codec, '-bsf:a', 'setts=ts=0', file]);
    const res = await t.http.post('/predict').attach('file', readFileSync(file), name);
    assert.equal(res.status, 200, `${name}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.durationSeconds, 30, name);
  }
});

test('a playlist is refused by the format whitelist before any demuxer opens what it names', async () => {
  for (const text of ["ffconcat version 1.0\nfile '/etc/passwd'\n", '#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n']) {
    await assert.rejects(decodeAudio({ input: Buffer.from(text) }), (err: Error) => {
      assert.equal((err as { code?: string }).code, 'NOT_AUDIO');
      assert.match(String(err.cause), /Format not on whitelist/);
      return true;
    });
  }
});
