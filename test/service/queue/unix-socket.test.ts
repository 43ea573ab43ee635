// REDIS_URL as a Unix socket path: a socket-only redis-server of its own (no TCP port), the API's
// queue and a worker connected through the socket, one upload job end to end (bytes in, result
// out, bytes deleted).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { loadConfig } from '../../../src/config.js';
import { createBullmqQueue } from '../../../src/service/queue/bullmq-queue.js';
import { startBullmqWorker } from '../../../src/service/queue/bullmq-worker.js';
import { eventually, fakeResult, scriptedProcessor, silentLogger, sleep, testConfig } from './helpers.js';
import { predictionJobs } from '../../../src/service/predictions/jobs.js';

test('a Unix-socket REDIS_URL carries a job from the API queue to a worker and back', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'redis-socket-'));
  const socket = join(dir, 'redis.sock');
  const server = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(50);
    assert.ok(existsSync(socket), 'redis-server did not create its socket');
    const redisUrl = loadConfig({ REDIS_URL: socket }).REDIS_URL!;
    const config = testConfig();
    const seen: string[] = [];
    const { process } = scriptedProcessor(async (job) => {
      seen.push(job.audio?.toString() ?? 'none');
      return fakeResult('Metal');
    });
    const queue = await createBullmqQueue({ spec: predictionJobs, config, redisUrl, logger: silentLogger });
    const worker = startBullmqWorker({ spec: predictionJobs, config, redisUrl, process, logger: silentLogger });
    try {
      await worker.ready();
      const audio = Buffer.from('socket audio');
      const job = await queue.submit({ data: { kind: 'upload', key: 'upload:5ock', sha256: '5ock', bytes: audio.length }, audio });
      const finished = await queue.waitForResult(job.id, 5000);
      assert.deepEqual(finished.result, fakeResult('Metal'));
      assert.deepEqual(seen, ['socket audio']);
      const direct = new Redis(socket);
      try {
        assert.deepEqual(await eventually(() => direct.keys(`${config.QUEUE_PREFIX}:${config.QUEUE_NAME}:upload:*`), []), []);
      } finally {
        direct.disconnect();
      }
    } finally {
      await worker.close();
      await queue.close();
    }
  } finally {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  }
});
