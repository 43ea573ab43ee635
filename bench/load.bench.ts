// Load and soak on 127.0.0.1, bounded: the real API (BullMQ on the local Redis, unique prefix)
// with 2 worker PROCESSES (src/worker.ts) running the real pipeline on uploads.
//   load: closed loop of CONNECTIONS clients for LOAD_SECONDS → throughput, p50/p99, errors.
//   soak: SOAK_REQUESTS uploads; RSS of the API (this process) and of each worker sampled from
//         /proc; growth = last sample − sample after warm-up (the first 10 % of requests).
//   npm run bench load     (BENCH_LOAD_SECONDS=20 BENCH_CONNECTIONS=8 BENCH_SOAK_REQUESTS=2000)
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { buildApp } from '../src/service/app.js';
import { createProviders } from '../src/previews/providers.js';
import { createBullmqQueue } from '../src/service/queue/bullmq-queue.js';
import { audioFixture } from '../test/helpers/audio-fixtures.js';
import { spawnEntry } from '../test/service/queue/child-process.js';
import { REDIS_URL, cleanupRedis, silentLogger, testConfig } from '../test/service/queue/helpers.js';
import { formatTimings, quantile, summarize } from './lib.js';
import { predictionJobs } from '../src/service/predictions/jobs.js';

const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const SOAK_REQUESTS = Number(process.env.BENCH_SOAK_REQUESTS ?? 2000);
const MODEL_DIR = process.env.MODEL_DIR ?? 'test/fixtures/tiny-model';

const rssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? NaN) / 1024;
};

export default async function loadBench(): Promise<void> {
  const env: Record<string, string> = {
    MODEL_DIR,
    TF_BACKEND: 'wasm',
    RATE_LIMIT_MAX: '0',
    MAX_QUEUE_BACKLOG: '10000',
    // One client with many connections: the per-client caps would refuse most of it.
    MAX_CONCURRENT_UPLOADS: '64',
    MAX_CONCURRENT_UPLOADS_PER_CLIENT: '64',
    MAX_CONNECTIONS_PER_CLIENT: '0',
    LOG_LEVEL: 'silent',
    // Every upload is unique: no cache hits, every request is a job on a worker.
    RESULT_CACHE_TTL_S: '0',
    JOB_RETENTION_S: '60',
  };
  const config = testConfig(env);
  Object.assign(env, { QUEUE_NAME: config.QUEUE_NAME, QUEUE_PREFIX: config.QUEUE_PREFIX, REDIS_URL, WORKER_CONCURRENCY: '1' });
  const queue = await createBullmqQueue({ spec: predictionJobs, config, redisUrl: REDIS_URL, logger: silentLogger });
  const { app } = await buildApp({ config, logger: silentLogger, queue, providers: createProviders({ config }) });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const workers = [0, 1].map(() => spawnEntry('src/worker.ts', { ...env, LOG_LEVEL: 'info' }));
  const clip = await readFile(await audioFixture({ format: 'mp3', seconds: 5 }));
  const statuses = new Map<number, number>();
  const upload = async (): Promise<number> => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.concat([clip, randomBytes(16)])], { type: 'audio/mpeg' }), 'clip.mp3');
    const t0 = performance.now();
    const res = await fetch(`${base}/predict`, { method: 'POST', body: form });
    const body = (await res.json()) as { response?: boolean };
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status === 200 && body.response !== true) statuses.set(-1, (statuses.get(-1) ?? 0) + 1);
    return performance.now() - t0;
  };
  const errors = () => [...statuses].filter(([s]) => s !== 200).reduce((a, [, n]) => a + n, 0);
  try {
    await Promise.all(workers.map((w) => w.waitForLog((l) => l.msg === 'worker ready', 120_000)));
    for (let i = 0; i < 4; i++) await upload();
    statuses.clear();

    const latencies: number[] = [];
    const until = performance.now() + LOAD_SECONDS * 1000;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) latencies.push(await upload());
    }));
    const seconds = (performance.now() - t0) / 1000;
    const sorted = [...latencies].sort((a, b) => a - b);
    const loadRow = summarize(`load: ${CONNECTIONS} connections × ${LOAD_SECONDS} s, 2 workers`, latencies, {
      reqPerS: (latencies.length / seconds).toFixed(2), p99: quantile(sorted, 0.99).toFixed(1), errors: errors(), statuses: JSON.stringify(Object.fromEntries(statuses)),
    });
    console.log(formatTimings(`load (model ${MODEL_DIR}, 5-s mp3 uploads, node ${process.version})`, [loadRow]));

    statuses.clear();
    const pids = { api: process.pid, worker1: workers[0]!.proc.pid!, worker2: workers[1]!.proc.pid! };
    const samples: Array<Record<string, number>> = [];
    const sample = (done: number) => samples.push({ done, ...Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, rssMb(pid)])) });
    let done = 0;
    let next = 0;
    const soakLatencies: number[] = [];
    const s0 = performance.now();
    sample(0);
    await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
      while (next++ < SOAK_REQUESTS) {
        soakLatencies.push(await upload());
        if (++done % Math.ceil(SOAK_REQUESTS / 20) === 0) sample(done);
      }
    }));
    const soakSeconds = (performance.now() - s0) / 1000;
    const warm = samples.find((s) => (s.done ?? 0) >= SOAK_REQUESTS / 10) ?? samples[0]!;
    const last = samples.at(-1)!;
    const growth = Object.keys(pids).map((k) => `${k} ${warm[k]!.toFixed(1)}→${last[k]!.toFixed(1)} MB (${(last[k]! - warm[k]!).toFixed(1)})`).join(', ');
    console.log(formatTimings(`soak: ${SOAK_REQUESTS} uploads through API + 2 workers`, [
      summarize('soak upload → JSON', soakLatencies, { reqPerS: (SOAK_REQUESTS / soakSeconds).toFixed(2), errors: errors(), statuses: JSON.stringify(Object.fromEntries(statuses)) }),
    ]));
    console.log(`  RSS after warm-up → end: ${growth}`);
    console.log(`  RSS samples (MB): ${samples.map((s) => `${s.done}:${s.api!.toFixed(0)}/${s.worker1!.toFixed(0)}/${s.worker2!.toFixed(0)}`).join(' ')}`);
    console.log(`  worker crashes: ${workers.filter((w) => w.proc.exitCode !== null || w.proc.signalCode !== null).length}`);
  } finally {
    for (const w of workers) w.proc.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await app.close();
    await queue.close();
    await cleanupRedis(config.QUEUE_PREFIX);
  }
}
