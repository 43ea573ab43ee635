import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cutClip, planClips, probeDuration } from '../../../src/lab/datasets/bundled/clip.js';

test('planClips spreads up to maxClips 30-s windows over a long track, inside its bounds', () => {
  const starts = planClips({ durationSec: 200, maxClips: 4 });
  assert.equal(starts.length, 4);
  assert.equal(starts[0], 5, 'skips 5 s of intro');
  assert.ok(starts.at(-1)! + 30 <= 195, 'and 5 s of outro');
  for (let i = 1; i < starts.length; i++) assert.ok(starts[i]! - starts[i - 1]! >= 30, 'clips do not overlap');
});

test('planClips: one clip for 20–31 s tracks, none below the minimum, fewer clips when the track is short', () => {
  assert.deepEqual(planClips({ durationSec: 25, maxClips: 4 }), [0]);
  assert.deepEqual(planClips({ durationSec: 12, maxClips: 4 }), []);
  assert.deepEqual(planClips({ durationSec: Number.NaN, maxClips: 4 }), []);
  assert.equal(planClips({ durationSec: 70, maxClips: 4 }).length, 2);
  assert.equal(planClips({ durationSec: 45, maxClips: 4 }).length, 1);
});

test('cutClip writes 30-s 22050 Hz mono WAV clips, padding a short input, and skips finished clips', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bundled-clip-'));
  try {
    const long = join(dir, 'long.ogg');
    const short = join(dir, 'short.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=70:sample_rate=44100', '-ac', '2', long]);
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=220:duration=22', short]);
    assert.ok(Math.abs((await probeDuration({ file: long })) - 70) < 0.1);
    const starts = planClips({ durationSec: await probeDuration({ file: long }), maxClips: 4 });
    for (const [i, startSec] of starts.entries()) await cutClip({ input: long, output: join(dir, `out/long-${i}.wav`), startSec });
    await cutClip({ input: short, output: join(dir, 'out/short-0.wav'), startSec: 0 });
    for (const name of ['long-0', 'long-1', 'short-0']) {
      const info = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=sample_rate,channels,codec_name:format=duration', '-of', 'json', join(dir, `out/${name}.wav`)], { encoding: 'utf8' });
      const parsed = JSON.parse(info) as { streams: { sample_rate: string; channels: number; codec_name: string }[]; format: { duration: string } };
      assert.equal(parsed.streams[0]?.sample_rate, '22050');
      assert.equal(parsed.streams[0]?.channels, 1);
      assert.equal(parsed.streams[0]?.codec_name, 'pcm_s16le');
      assert.ok(Math.abs(Number(parsed.format.duration) - 30) < 0.01, `${name} lasts 30 s`);
    }
    const before = (await stat(join(dir, 'out/long-0.wav'))).mtimeMs;
    await cutClip({ input: long, output: join(dir, 'out/long-0.wav'), startSec: 5 });
    assert.equal((await stat(join(dir, 'out/long-0.wav'))).mtimeMs, before, 'an existing clip is not redone');
    await assert.rejects(probeDuration({ file: join(dir, 'missing.ogg') }), /ffprobe failed/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
