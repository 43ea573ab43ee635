// The `features` command end to end: `node --import tsx src/cli.ts features …` as a user runs it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { FORMATS, makeFixtureDir, makeTone, type Format } from '../audio/fixtures.js';

const run = promisify(execFile);
let dir = '';
let cleanup = (): void => {};
const files = {} as Record<Format, string>;

before(() => {
  ({ dir, cleanup } = makeFixtureDir());
  for (const [format, codec] of Object.entries(FORMATS)) files[format as Format] = makeTone(join(dir, `tone.${format}`), 2, codec);
});
after(() => cleanup());

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'features', ...args], {
      timeout: 60_000, maxBuffer: 64 << 20, env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

test('--json prints librosa-layout MFCCs for mp3, m4a, wav, ogg, opus and flac', async () => {
  const formats = Object.keys(FORMATS) as Format[];
  const results = await Promise.all(formats.map((f) => cli([files[f], '--json'])));
  results.forEach((result, i) => {
    assert.equal(result.code, 0, `${formats[i]}: ${result.stderr}`);
    const out = JSON.parse(result.stdout) as { sampleRate: number; nFft: number; hopLength: number; nMels: number; nMfcc: number; shape: number[]; data: number[][] };
    assert.deepEqual([out.sampleRate, out.nFft, out.hopLength, out.nMels, out.nMfcc], [22050, 2048, 512, 128, 13]);
    assert.equal(out.data.length, 13);
    assert.ok(out.shape[1]! >= 86 && out.shape[1]! <= 89, `${formats[i]} frames ${out.shape[1]}`); // 2 s: 1 + 44100/512
    assert.deepEqual(out.shape, [13, out.data[0]!.length]);
    assert.ok(out.data.every((row) => row.length === out.shape[1] && row.every(Number.isFinite)));
  });
});

test('options change the parameters; --image writes a JPEG; the summary is one line', async () => {
  const image = join(dir, 'out.jpg');
  const json = await cli([files.wav, '--json', '--n-mfcc', '20', '--n-mels', '40', '--hop-length', '1024', '--lifter', '22', '--max-seconds', '1']);
  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout) as { shape: number[]; nMels: number };
  assert.deepEqual(out.shape, [20, 1 + Math.floor(22050 / 1024)]);
  assert.equal(out.nMels, 40);
  const summary = await cli([files.ogg, '--image', image]);
  assert.equal(summary.code, 0, summary.stderr);
  assert.match(summary.stdout.trim(), /^.*tone\.ogg: 2\.00 s at 22050 Hz → MFCC 13 × 87 frames.*image written/);
  assert.deepEqual([...readFileSync(image).subarray(0, 3)], [0xff, 0xd8, 0xff]);
});

test('bad input: one-line reason and a non-zero exit', async () => {
  const text = join(dir, 'text.mp3');
  writeFileSync(text, 'not audio\n'.repeat(50));
  const cases = await Promise.all([
    cli([text]), cli([join(dir, 'missing.wav')]), cli([]), cli([files.wav, '--n-mfcc', 'abc']), cli([files.wav, '--nope']),
    cli([files.wav, '--n-fft', '1000']), cli([files.wav, '--hop-length', '100000000']), cli([files.wav, '--image', join(dir, 'no-such-folder', 'x.jpg')]),
  ]);
  const [notAudio, missing, noFile, badNumber, unknown, badFft, hugeHop, imageNowhere] = cases;
  assert.equal(notAudio!.code, 1);
  assert.match(notAudio!.stderr, /NOT_AUDIO/);
  assert.equal(missing!.code, 1);
  assert.match(missing!.stderr, /AUDIO_NOT_FOUND/);
  assert.equal(badFft!.code, 1);
  assert.match(badFft!.stderr, /INVALID_FEATURE_PARAMS: nFft must be a power of two/);
  assert.match(hugeHop!.stderr, /--hop-length must be an integer in \[1, 65536\]/);
  assert.match(imageNowhere!.stderr, /its folder does not exist/);
  for (const usage of [noFile, badNumber, unknown, hugeHop, imageNowhere]) {
    assert.equal(usage!.code, 2, usage!.stderr);
    assert.equal(usage!.stderr.trim().split('\n').length, 1, usage!.stderr);
  }
  for (const c of cases) assert.equal(c.stderr.trim().split('\n').length, 1, c.stderr);
});

test('--help explains the command and exits 0', async () => {
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: music-prediction features <audio-file>/);
  assert.match(help.stdout, /--n-mfcc/);
});
