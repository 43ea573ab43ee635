// Nothing left behind: the server (embedded) and a worker, each with a private TMPDIR, decode
// through the spawn helper (its socket directory lives in TMPDIR), get SIGTERM and exit 0; then
// TMPDIR must be empty; a server killed with SIGKILL leaves nothing either. (tsx's own cache, made
// because the entries run under tsx here, is not ours.)
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startTestApp, TINY_MODEL_DIR } from '../service/harness.js';
import { audioFixture } from '../helpers/audio-fixtures.js';
import { startFakeProviders } from '../helpers/fake-providers.js';
import { spawnEntry, type Child } from '../service/queue/child-process.js';
import { REDIS_URL } from '../service/queue/helpers.js';

const ours = (dir: string) => readdirSync(dir).filter((e) => !e.startsWith('tsx-'));

async function stopAndCheck(child: Child, dir: string): Promise<void> {
  assert.ok(ours(dir).some((e) => e.startsWith('music-prediction-spawn-')), `the spawn helper ran: ${ours(dir).join(', ')}`);
  child.proc.kill('SIGTERM');
  assert.deepEqual(await child.exited, { code: 0, signal: null });
  assert.deepEqual(ours(dir), [], 'TMPDIR is empty after a clean shutdown');
}

/** The server entry in embedded mode with its own TMPDIR, the tiny model and fake providers. */
async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'mp-leftovers-'));
  const fake = await startFakeProviders({ tracks: [] });
  const server = spawnEntry('src/server.ts', { ...fake.env(), TMPDIR: dir, PORT: '0', MODEL_DIR: TINY_MODEL_DIR, TF_BACKEND: 'wasm', MIN_AUDIO_SECONDS: '1' });
  return { dir, fake, server };
}

test('server (embedded mode): SIGTERM after uploads leaves TMPDIR empty', async () => {
  const { dir, fake, server } = await startServer();
  try {
    const { url } = (await server.waitForLog((l) => l.msg === 'listening')) as { url: string };
    const mp3 = readFileSync(await audioFixture({ format: 'mp3', seconds: 2 }));
    for (let i = 0; i < 3; i++) {
      const form = new FormData();
      form.append('file', new Blob([Buffer.concat([mp3, Buffer.from([i])])]), 'a.mp3');
      const res = await fetch(`${url}/predict`, { method: 'POST', body: form });
      assert.equal(res.status, 200, await res.text());
    }
    await stopAndCheck(server, dir);
  } finally {
    server.proc.kill('SIGKILL');
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('server SIGKILLed: its spawn helper removes the socket directory', async () => {
  const { dir, fake, server } = await startServer();
  try {
    const { url } = (await server.waitForLog((l) => l.msg === 'listening')) as { url: string };
    const form = new FormData();
    form.append('file', new Blob([readFileSync(await audioFixture({ format: 'mp3', seconds: 2 }))]), 'a.mp3');
    assert.equal((await fetch(`${url}/predict`, { method: 'POST', body: form })).status, 200);
    assert.ok(ours(dir).some((e) => e.startsWith('music-prediction-spawn-')), `the spawn helper ran: ${ours(dir).join(', ')}`);
    server.proc.kill('SIGKILL');
    await server.exited;
    const deadline = Date.now() + 5000;
    while (ours(dir).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(ours(dir), [], 'TMPDIR is empty after the server was killed');
  } finally {
    server.proc.kill('SIGKILL');
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('worker: SIGTERM after jobs leaves TMPDIR empty', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mp-leftovers-'));
  const t = await startTestApp({ queueKind: 'bullmq', inProcessWorker: false });
  const worker = spawnEntry('src/worker.ts', { ...t.env, REDIS_URL, TMPDIR: dir });
  try {
    await worker.waitForLog((l) => l.msg === 'worker ready');
    const mp3 = readFileSync(await audioFixture({ format: 'mp3', seconds: 2 }));
    for (let i = 0; i < 3; i++) {
      const res = await t.http.post('/predict').attach('file', Buffer.concat([mp3, Buffer.from([i])]), 'a.mp3');
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    await stopAndCheck(worker, dir);
  } finally {
    worker.proc.kill('SIGKILL');
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
