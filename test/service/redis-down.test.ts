// BullMQ mode with Redis unreachable: the API still starts, /readyz says 503 with the reason,
// prediction and job requests fail fast with 503 QUEUE_UNAVAILABLE (never hang), /metrics answers.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import supertest from 'supertest';
import { buildApp } from '../../src/service/app.js';
import { createMetrics } from '../../src/service/metrics.js';
import { createBullmqQueue } from '../../src/service/queue/bullmq-queue.js';
import { silentLogger, testConfig } from './queue/helpers.js';
import { predictionJobs } from '../../src/service/predictions/jobs.js';

/** A port nothing listens on: bind one, note it, close it. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('Redis down: readyz 503, requests 503 QUEUE_UNAVAILABLE fast, metrics still served', async () => {
  const config = testConfig({ REDIS_TIMEOUT_MS: '500' });
  const queue = await createBullmqQueue({ spec: predictionJobs, config, redisUrl: `redis://127.0.0.1:${await deadPort()}`, logger: silentLogger });
  const { app } = await buildApp({ config, logger: silentLogger, queue, providers: [], metrics: createMetrics({ queue, defaultMetrics: false }) });
  try {
    await app.ready();
    const http = supertest(app.server);
    const ready = await http.get('/readyz').expect(503);
    assert.equal(ready.body.checks.queue.ok, false);
    const started = performance.now();
    const upload = await http.post('/predict').attach('file', Buffer.from('some bytes'), 'a.mp3').expect(503);
    assert.equal(upload.body.error.code, 'QUEUE_UNAVAILABLE');
    assert.ok(Number(upload.headers['retry-after']) > 0);
    assert.equal((await http.get(`/jobs/${'a'.repeat(32)}`).expect(503)).body.error.code, 'QUEUE_UNAVAILABLE');
    assert.ok(performance.now() - started < 2500, 'fails fast (bounded by REDIS_TIMEOUT_MS)');
    await http.get('/metrics').expect(200);
  } finally {
    await app.close();
    await queue.close();
  }
});
