// Descriptors, RSS and leftovers per process over many decodes, bounded, on 127.0.0.1, with the
// defaults (warm pool through the spawn helper):
//   embedded: the server entry (src/server.ts, no Redis), REQUESTS unique 2-s mp3 uploads;
//   worker:   a worker entry (src/worker.ts) fed REQUESTS upload jobs by an API in this process.
// /proc/<pid>/fd and VmRSS are read after 10 % of the requests (warm-up) and at the end; then the
// process gets SIGTERM and its private TMPDIR is listed.
//   npm run bench descriptors        (BENCH_FD_REQUESTS=1000)
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/service/app.js';
import { createBullmqQueue } from '../src/service/queue/bullmq-queue.js';
import { audioFixture } from '../test/helpers/audio-fixtures.js';
import { spawnEntry, type Child } from '../test/service/queue/child-process.js';
import { REDIS_URL, cleanupRedis, silentLogger, testConfig } from '../test/service/queue/helpers.js';
import { predictionJobs } from '../src/service/predictions/jobs.js';

const REQUESTS = Number(process.env.BENCH_FD_REQUESTS ?? 1000);
const BASE_ENV = { MODEL_DIR: process.env.MODEL_DIR ?? 'test/fixtures/tiny-model', TF_BACKEND: 'wasm', RATE_LIMIT_MAX: '0', RESULT_CACHE_TTL_S: '0', JOB_RETENTION_S: '60', LOG_LEVEL: 'info' };

const sample = (pid: number) => ({
  fds: readdirSync(`/proc/${pid}/fd`).length,
  rssMb: Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? NaN) / 1024,
});

async function drive(child: Child, tmp: string, upload: (i: number) => Promise<number>): Promise<string> {
  const pid = child.proc.pid!;
  let warm = sample(pid);
  let errors = 0;
  for (let i = 0; i < REQUESTS; i++) {
    if ((await upload(i)) !== 200) errors++;
    if (i + 1 === Math.ceil(REQUESTS / 10)) warm = sample(pid);
  }
  const end = sample(pid);
  child.proc.kill('SIGTERM');
  const exit = await child.exited;
  const left = readdirSync(tmp).filter((e) => !e.startsWith('tsx-'));
  return `fds ${warm.fds} → ${end.fds}, RSS ${warm.rssMb.toFixed(1)} → ${end.rssMb.toFixed(1)} MB (after ${Math.ceil(REQUESTS / 10)} → ${REQUESTS}), ` +
    `non-200: ${errors}, exit ${exit.code ?? exit.signal}, left in TMPDIR: ${left.length ? left.join(' ') : 'nothing'}`;
}

export default async function descriptorsBench(): Promise<void> {
  const mp3 = readFileSync(await audioFixture({ format: 'mp3', seconds: 2 }));
  const unique = (i: number) => Buffer.concat([mp3, Buffer.from(`${process.pid}-${i}`)]);

  const tmpA = mkdtempSync(join(tmpdir(), 'mp-bench-fd-'));
  const server = spawnEntry('src/server.ts', { ...BASE_ENV, PORT: '0', TMPDIR: tmpA });
  try {
    const { url } = (await server.waitForLog((l) => l.msg === 'listening')) as { url: string };
    const line = await drive(server, tmpA, async (i) => {
      const form = new FormData();
      form.append('file', new Blob([unique(i)]), 'a.mp3');
      const res = await fetch(`${url}/predict`, { method: 'POST', body: form });
      await res.arrayBuffer();
      return res.status;
    });
    console.log(`descriptors, embedded server, ${REQUESTS} uploads: ${line}`);
  } finally {
    server.proc.kill('SIGKILL');
    rmSync(tmpA, { recursive: true, force: true });
  }

  const config = testConfig({ ...BASE_ENV, LOG_LEVEL: 'silent' });
  const tmpB = mkdtempSync(join(tmpdir(), 'mp-bench-fd-'));
  const queue = await createBullmqQueue({ spec: predictionJobs, config, redisUrl: REDIS_URL, logger: silentLogger });
  const { app } = await buildApp({ config, logger: silentLogger, queue, providers: [] });
  const worker = spawnEntry('src/worker.ts', { ...BASE_ENV, REDIS_URL, QUEUE_NAME: config.QUEUE_NAME, QUEUE_PREFIX: config.QUEUE_PREFIX, TMPDIR: tmpB, WORKER_CONCURRENCY: '1' });
  try {
    await worker.waitForLog((l) => l.msg === 'worker ready');
    const boundary = 'bench-fd-boundary';
    const line = await drive(worker, tmpB, async (i) => {
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\nContent-Type: audio/mpeg\r\n\r\n`),
        unique(i),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await app.inject({ method: 'POST', url: '/predict', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
      return res.statusCode;
    });
    console.log(`descriptors, worker process, ${REQUESTS} jobs: ${line}`);
  } finally {
    worker.proc.kill('SIGKILL');
    await app.close();
    await queue.close();
    await cleanupRedis(config.QUEUE_PREFIX);
    rmSync(tmpB, { recursive: true, force: true });
  }
}
