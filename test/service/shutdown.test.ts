// The real server process (src/server.ts, embedded mode: no Redis) on SIGTERM: a request in
// flight still gets its answer, new connections are refused, the process exits 0.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFakeProviders } from '../helpers/fake-providers.js';
import { spawnEntry } from './queue/child-process.js';
import { DEFAULT_TRACKS, TINY_MODEL_DIR } from './harness.js';

test('SIGTERM during a prediction: the request is answered, then the server exits 0', async () => {
  const fake = await startFakeProviders({ tracks: DEFAULT_TRACKS });
  const server = spawnEntry('src/server.ts', {
    ...fake.env(),
    PORT: '0',
    MODEL_DIR: TINY_MODEL_DIR,
    TF_BACKEND: 'wasm',
    ALLOW_INSECURE_PREVIEWS: 'true',
    SHUTDOWN_TIMEOUT_MS: '15000',
  });
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
