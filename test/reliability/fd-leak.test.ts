// File descriptors per decode with the default FFMPEG_SPAWN_HELPER=true: the count of
// /proc/<pid>/fd (this process and the helper) must stay flat after warm-up over 300 decodes
// (before the fix one socket stayed open per decode). And a process out of descriptors (a child
// under `ulimit -n 128` that takes all the free ones) gets 503 DECODER_OVERLOADED, not a crash.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { decodeAudio } from '../../src/audio/decode.js';
import { spawnHelperPid } from '../../src/audio/ffmpeg/spawn-helper.js';
import { closeWarmDecoders } from '../../src/audio/ffmpeg/warm-decoder.js';
import { audioFixture } from '../helpers/audio-fixtures.js';

const run = promisify(execFile);
const fds = (pid: number | string) => readdirSync(`/proc/${pid}/fd`).length;

test('300 decodes through the warm pool and the spawn helper: descriptors flat after warm-up', async (t) => {
  const input = readFileSync(await audioFixture({ format: 'mp3', seconds: 2 }));
  const decode = () => decodeAudio({ input, warmPool: true, spawnHelper: true });
  for (let i = 0; i < 20; i++) await decode();
  const helper = spawnHelperPid();
  assert.ok(helper !== undefined, 'the spawn helper runs');
  const start = { self: fds('self'), helper: fds(helper) };
  for (let i = 0; i < 280; i++) assert.equal((await decode()).durationSeconds > 1.9, true);
  const end = { self: fds('self'), helper: fds(helper) };
  await closeWarmDecoders();
  t.diagnostic(`descriptors after 20 → 300 decodes: this process ${start.self} → ${end.self}, helper ${start.helper} → ${end.helper}`);
  assert.ok(end.self - start.self <= 3, `this process: ${start.self} → ${end.self} descriptors over 280 decodes`);
  assert.ok(end.helper - start.helper <= 3, `the helper: ${start.helper} → ${end.helper} descriptors`);
});

test('out of descriptors (EMFILE on every spawn path) → 503 DECODER_OVERLOADED, no crash, recovers', async (t) => {
  const input = readFileSync(await audioFixture({ format: 'mp3', seconds: 2 })).toString('base64');
  const { stdout } = await run('sh', ['-c', `ulimit -n 128 && exec "${process.execPath}" --import tsx test/reliability/emfile-child.ts "$0"`, input], { timeout: 60_000 });
  const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    first: { ok: boolean };
    hogs: number;
    starved: Array<{ ok: boolean; code?: string; status?: number; message?: string }>;
    recovered: { ok: boolean };
  };
  t.diagnostic(JSON.stringify(report));
  assert.equal(report.first.ok, true, JSON.stringify(report));
  assert.ok(report.hogs > 10, JSON.stringify(report));
  // The first starved decode may still find the idle process started before; the second cannot.
  const refused = report.starved.filter((s) => !s.ok);
  assert.ok(refused.length >= 1, JSON.stringify(report));
  for (const r of refused) {
    assert.equal(r.code, 'DECODER_OVERLOADED', JSON.stringify(r));
    assert.equal(r.status, 503);
  }
  assert.equal(report.recovered.ok, true, JSON.stringify(report));
});
