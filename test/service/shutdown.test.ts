// The real server process (src/server.ts, embedded mode: no Redis) on SIGTERM: a request in
// flight still gets its answer, new connections are refused, the process exits 0; an upload that
// stalls half way and idle sockets do not hold the exit until SHUTDOWN_TIMEOUT_MS.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFakeProviders } from '../helpers/fake-providers.js';
import { spawnEntry } from './queue/child-process.js';
import { openRaw, stalledUpload, type RawExchange } from '../reliability/raw-http.js';
import { DEFAULT_TRACKS, TINY_MODEL_DIR } from './harness.js';

/** The server entry in embedded mode against fake providers, with a 15-s shutdown limit. */
async function startServer() {
  const fake = await startFakeProviders({ tracks: DEFAULT_TRACKS });
  const server = spawnEntry('src/server.ts', {
    ...fake.env(),
    PORT: '0',
    MODEL_DIR: TINY_MODEL_DIR,
    TF_BACKEND: 'wasm',
    ALLOW_INSECURE_PREVIEWS: 'true',
    SHUTDOWN_TIMEOUT_MS: '15000',
  });
  return { fake, server };
}

test('SIGTERM during a prediction: the request is answered, then the server exits 0', async () => {
  const { fake, server } = await startServer();
  try {
    const listening = await server.waitForLog((l) => l.msg === 'listening');
    const url = listening.url as string;
    assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { status: 'ok' });
    fake.setBehaviour({ preview: { fault: 'slow', times: 1 }, slowMs: 1_500 });
    const inFlight = fetch(`${url}/d/music-prediction?artist=Coolio&track=Gangsta%27s%20Paradise`);
    const until = Date.now() + 10_000;
    while (!fake.requests.some((r) => r.server === 'audio') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    server.proc.kill('SIGTERM');
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { response: boolean }).response, true);
    assert.deepEqual(await server.exited, { code: 0, signal: null });
    await assert.rejects(fetch(`${url}/healthz`));
    assert.ok(server.logs.some((l) => l.msg === 'shut down cleanly'));
  } finally {
    server.proc.kill('SIGKILL');
    await fake.close();
  }
});

test('SIGTERM with a stalled upload and idle sockets open: they are closed at once and the server exits 0', async () => {
  const { fake, server } = await startServer();
  const open: RawExchange[] = [];
  try {
    const listening = await server.waitForLog((l) => l.msg === 'listening');
    const port = Number(new URL(listening.url as string).port);
    open.push(await stalledUpload(port, { declaredBytes: 15_000_000, sentBytes: 1_000_000 }));
    for (let i = 0; i < 5; i++) open.push(await openRaw(port));
    await new Promise((r) => setTimeout(r, 300));
    const signalled = Date.now();
    server.proc.kill('SIGTERM');
    assert.deepEqual(await server.exited, { code: 0, signal: null });
    const tookMs = Date.now() - signalled;
    console.log(`SIGTERM with a stalled upload and 5 idle sockets: exit 0 after ${tookMs} ms (SHUTDOWN_TIMEOUT_MS 15000)`);
    assert.ok(tookMs < 5_000, `exit took ${tookMs} ms`);
    assert.ok(server.logs.some((l) => l.msg === 'shutdown: dropped uploads still being received' && l.dropped === 1));
  } finally {
    open.forEach((raw) => raw.socket.destroy());
    server.proc.kill('SIGKILL');
    await fake.close();
  }
});
