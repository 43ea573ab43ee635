// Embedded mode (no Redis: `npm start`) over many DISTINCT uploads: the in-process result cache
// and finished-job store are bounded (INLINE_CACHE_MAX_BYTES / _ENTRIES), so the server's RSS
// levels off after warm-up instead of growing with every new prediction. The real server process
// (src/server.ts) with the real pipeline; RSS read from /proc every 5 % of the requests.
//   npm run bench embedded-memory   (BENCH_DISTINCT_UPLOADS=3000 BENCH_CLIP_SECONDS=30 BENCH_CONNECTIONS=2)
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { audioFixture } from '../test/helpers/audio-fixtures.js';
import { spawnEntry } from '../test/service/queue/child-process.js';

const UPLOADS = Number(process.env.BENCH_DISTINCT_UPLOADS ?? 3000);
const CLIP_SECONDS = Number(process.env.BENCH_CLIP_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 2);
const MODEL_DIR = process.env.MODEL_DIR ?? 'test/fixtures/tiny-model';

const rssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? NaN) / 1024;
};

export default async function embeddedMemoryBench(): Promise<void> {
  const server = spawnEntry('src/server.ts', {
    PORT: '0',
    MODEL_DIR,
    TF_BACKEND: 'wasm',
    RATE_LIMIT_MAX: '0',
    MAX_CONCURRENT_UPLOADS_PER_CLIENT: String(Math.max(2, CONNECTIONS)),
    LOG_LEVEL: 'info',
  });
  try {
    const url = (await server.waitForLog((l) => l.msg === 'listening', 120_000)).url as string;
    const pid = server.proc.pid!;
    const clip = await readFile(await audioFixture({ format: 'mp3', seconds: CLIP_SECONDS }));
    const statuses = new Map<number, number>();
    const upload = async () => {
      const form = new FormData();
      // Trailing random bytes: every upload has its own sha256, so none is answered from the cache.
      form.append('file', new Blob([Buffer.concat([clip, randomBytes(16)])], { type: 'audio/mpeg' }), 'clip.mp3');
      const res = await fetch(`${url}/predict`, { method: 'POST', body: form });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    };
    const samples: Array<{ done: number; mb: number }> = [{ done: 0, mb: rssMb(pid) }];
    let next = 0;
    let done = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
      while (next++ < UPLOADS) {
        await upload();
        if (++done % Math.ceil(UPLOADS / 20) === 0) samples.push({ done, mb: rssMb(pid) });
      }
    }));
    const seconds = (performance.now() - t0) / 1000;
    const warm = samples.find((s) => s.done >= UPLOADS / 10) ?? samples[0]!;
    const last = samples.at(-1)!;
    const after = samples.filter((s) => s.done >= warm.done).map((s) => s.mb);
    console.log(`embedded memory: ${UPLOADS} distinct ${CLIP_SECONDS}-s mp3 uploads, ${CONNECTIONS} connections, ${(UPLOADS / seconds).toFixed(2)} req/s, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    console.log(`  RSS: start ${samples[0]!.mb.toFixed(1)} MB, after warm-up (${warm.done}) ${warm.mb.toFixed(1)} MB, end ${last.mb.toFixed(1)} MB ` +
      `(growth ${(last.mb - warm.mb).toFixed(1)} MB; after warm-up min ${Math.min(...after).toFixed(1)}, max ${Math.max(...after).toFixed(1)})`);
    console.log(`  RSS samples (MB): ${samples.map((s) => `${s.done}:${s.mb.toFixed(0)}`).join(' ')}`);
    console.log(`  server crashed: ${server.proc.exitCode !== null || server.proc.signalCode !== null}`);
  } finally {
    server.proc.kill('SIGTERM');
    await server.exited;
  }
}
