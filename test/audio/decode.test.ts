import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { decodeAudio } from '../../src/audio/decode.js';
import { ffmpegSupportsSoxr } from '../../src/audio/ffmpeg/ffmpeg-capabilities.js';
import { resolveFfmpegPath } from '../../src/audio/ffmpeg/ffmpeg-binary.js';
import { needsSeekableInput } from '../../src/audio/mp4-layout.js';
import { InputError } from '../../src/errors.js';
import { computeMfcc } from '../../src/features/mfcc.js';
import { goldenDir, maxAbsDifference, readNpy } from '../features/fixtures.js';
import { FORMATS, ffmpegSync, makeFixtureDir, makeTone, rms, TONE_MONO_RMS, type Format } from './fixtures.js';

let dir = '';
let cleanup = (): void => {};
const files = {} as Record<Format, string>;

before(() => {
  ({ dir, cleanup } = makeFixtureDir());
  for (const [format, codec] of Object.entries(FORMATS)) files[format as Format] = makeTone(join(dir, `tone.${format}`), 3, codec);
});
after(() => cleanup());

function inputError(code: string, status: number) {
  return (err: unknown) => {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.equal(err.status, status);
    return true;
  };
}

for (const format of Object.keys(FORMATS) as Format[]) {
  for (const mode of ['path', 'buffer'] as const) {
    test(`decodes ${format} from a ${mode} to 22050 Hz mono, downmixed as the channel mean`, async () => {
      const input = mode === 'path' ? files[format] : readFileSync(files[format]);
      const audio = await decodeAudio({ input });
      assert.equal(audio.sampleRate, 22050);
      assert.ok(Math.abs(audio.durationSeconds - 3) < 0.06, `duration ${audio.durationSeconds}`);
      assert.equal(audio.durationSeconds, audio.samples.length / 22050);
      // librosa's mono is the channel mean (RMS 0.0663); ffmpeg's default downmix would give 0.0937
      assert.ok(Math.abs(rms(audio.samples) - TONE_MONO_RMS) < 0.005, `rms ${rms(audio.samples)}`);
    });
  }
}

test('an m4a with its index after the audio, larger than the probe buffer, decodes from a Buffer', async () => {
  const big = join(dir, 'moov-last.m4a');
  ffmpegSync(['-f', 'lavfi', '-i', 'anoisesrc=d=45:c=white:r=44100:a=0.3', '-ac', '2', '-c:a', 'alac', big]);
  const data = readFileSync(big);
  assert.ok(data.length > 6_000_000, `fixture is ${data.length} bytes`);
  assert.equal(needsSeekableInput({ data }), true);
  const audio = await decodeAudio({ input: data, maxSeconds: 2 });
  assert.equal(audio.samples.length, 2 * 22050);
  const faststart = join(dir, 'faststart.m4a');
  ffmpegSync(['-i', files.m4a, '-c', 'copy', '-movflags', '+faststart', faststart]);
  assert.equal(needsSeekableInput({ data: readFileSync(faststart) }), false);
  assert.equal(needsSeekableInput({ data: readFileSync(files.mp3) }), false);
});

test('the golden mp3 (44.1 kHz stereo) matches librosa.load + mfcc: ≤ 1e-3 with soxr', async () => {
  const audio = await decodeAudio({ input: join(goldenDir, 'clip_44100_stereo.mp3') });
  const mfcc = computeMfcc({ samples: audio.samples, sampleRate: audio.sampleRate });
  const golden = readNpy(join(goldenDir, 'mp3_A_mfcc13.npy'));
  assert.deepEqual([mfcc.nMfcc, mfcc.frames], golden.shape);
  const error = maxAbsDifference(mfcc.data, golden.data);
  const soxr = await ffmpegSupportsSoxr({ ffmpegPath: resolveFfmpegPath({}).path });
  // measured: 4e-4 with soxr, 1.1 with ffmpeg's default swr resampler
  assert.ok(error <= (soxr ? 1e-3 : 1.5), `max abs error ${error} (soxr ${soxr})`);
});

test('empty input is EMPTY_AUDIO (400)', async () => {
  await assert.rejects(decodeAudio({ input: Buffer.alloc(0) }), inputError('EMPTY_AUDIO', 400));
  writeFileSync(join(dir, 'empty.mp3'), '');
  await assert.rejects(decodeAudio({ input: join(dir, 'empty.mp3') }), inputError('EMPTY_AUDIO', 400));
});

test('random bytes, text, video without audio and a directory are NOT_AUDIO (415)', async () => {
  let seed = 42;
  const random = Buffer.from(Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff));
  await assert.rejects(decodeAudio({ input: random }), inputError('NOT_AUDIO', 415));
  const text = join(dir, 'notes.mp3');
  writeFileSync(text, 'this is not audio, just a text file with an .mp3 name\n'.repeat(20));
  await assert.rejects(decodeAudio({ input: text }), inputError('NOT_AUDIO', 415));
  await assert.rejects(decodeAudio({ input: readFileSync(text) }), inputError('NOT_AUDIO', 415));
  const video = join(dir, 'video-only.mp4');
  ffmpegSync(['-f', 'lavfi', '-i', 'testsrc=d=2:s=64x64', '-c:v', 'mpeg4', video]);
  await assert.rejects(decodeAudio({ input: video }), (err: unknown) =>
    inputError('NOT_AUDIO', 415)(err) && /no audio stream/.test((err as Error).message));
  await assert.rejects(decodeAudio({ input: dir }), inputError('NOT_AUDIO', 415));
});

test('a missing file is AUDIO_NOT_FOUND; a URL-looking name is not fetched', async () => {
  await assert.rejects(decodeAudio({ input: join(dir, 'nope.mp3') }), inputError('AUDIO_NOT_FOUND', 400));
  await assert.rejects(decodeAudio({ input: 'http://127.0.0.1:9/x.mp3' }), inputError('AUDIO_NOT_FOUND', 400));
});

test('a truncated mp3 decodes what is there', async () => {
  const whole = readFileSync(makeTone(join(dir, 'four.mp3'), 4, FORMATS.mp3));
  const audio = await decodeAudio({ input: whole.subarray(0, Math.floor(whole.length / 2)) });
  assert.ok(audio.durationSeconds > 1.7 && audio.durationSeconds < 2.3, `decoded ${audio.durationSeconds} s`);
});

test('shorter than minSeconds is AUDIO_TOO_SHORT (422)', async () => {
  const short = makeTone(join(dir, 'short.wav'), 0.5, FORMATS.wav);
  await assert.rejects(decodeAudio({ input: short }), inputError('AUDIO_TOO_SHORT', 422));
  const audio = await decodeAudio({ input: short, minSeconds: 0.1 });
  assert.equal(audio.samples.length, 11025);
});

test('decoded duration is capped at maxSeconds', async () => {
  const audio = await decodeAudio({ input: files.flac, maxSeconds: 2 });
  assert.equal(audio.samples.length, 2 * 22050);
  assert.equal(audio.durationSeconds, 2);
  const other = await decodeAudio({ input: readFileSync(files.mp3), maxSeconds: 1.5, sampleRate: 16000 });
  assert.equal(other.samples.length, 24000);
});

test('input over maxBytes is AUDIO_TOO_LARGE (413), from a path or a Buffer', async () => {
  await assert.rejects(decodeAudio({ input: files.wav, maxBytes: 1000 }), inputError('AUDIO_TOO_LARGE', 413));
  await assert.rejects(decodeAudio({ input: readFileSync(files.wav), maxBytes: 1000 }), inputError('AUDIO_TOO_LARGE', 413));
});

test('bad options are INVALID_DECODE_PARAMS', async () => {
  await assert.rejects(decodeAudio({ input: files.wav, sampleRate: 22050.5 }), inputError('INVALID_DECODE_PARAMS', 400));
  await assert.rejects(decodeAudio({ input: files.wav, minSeconds: 5, maxSeconds: 2 }), inputError('INVALID_DECODE_PARAMS', 400));
});

/** A stand-in "ffmpeg" that records its pid and hangs: only a kill ends it. */
function hangingFfmpeg(name: string): { path: string; pid: () => number } {
  const pidFile = join(dir, `${name}.pid`);
  const path = join(dir, `${name}.sh`);
  writeFileSync(path, `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 60\n`);
  chmodSync(path, 0o755);
  return { path, pid: () => Number(readFileSync(pidFile, 'utf8').trim()) };
}

async function assertGone(pid: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`ffmpeg stand-in ${pid} is still running`);
}

test('the wall-clock timeout SIGKILLs a hanging ffmpeg: DECODE_TIMEOUT (422)', async () => {
  await decodeAudio({ input: files.wav }); // the one-off soxr capability probe uses the real binary
  const fake = hangingFfmpeg('hang-timeout');
  const started = Date.now();
  await assert.rejects(decodeAudio({ input: files.wav, ffmpegPath: fake.path, resampler: 'swr', timeoutMs: 400 }), inputError('DECODE_TIMEOUT', 422));
  assert.ok(Date.now() - started < 3000);
  await assertGone(fake.pid());
});

test('an abort signal stops decoding and kills ffmpeg', async () => {
  const fake = hangingFfmpeg('hang-abort');
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('job cancelled')), 300);
  await assert.rejects(decodeAudio({ input: files.wav, ffmpegPath: fake.path, resampler: 'swr', signal: controller.signal }), /job cancelled/);
  await assertGone(fake.pid());
  await assert.rejects(decodeAudio({ input: files.wav, signal: AbortSignal.abort(new Error('already')) }), /already/);
});
