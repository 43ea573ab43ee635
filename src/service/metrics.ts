// Prometheus metrics of one app instance (own Registry, so several apps in one test process do
// not collide): request durations, pipeline stage durations, queue depth, cache hits, failures.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FinishedEvent } from './queue/job-queue.js';
import type { PredictionQueue } from './predictions/jobs.js';

export interface AppMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  cacheLookups: Counter<'result'>;
  /** Records stage timings and failure codes of a finished job. */
  observeFinished(event: FinishedEvent): void;
  /** Reports the uploads in progress (src/routes/upload-slots.ts) at each scrape. */
  trackUploads(inUse: () => number): void;
}

export function createMetrics({ queue, defaultMetrics = true }: { queue: PredictionQueue; defaultMetrics?: boolean }): AppMetrics {
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'music_prediction_' });
  const httpDuration = new Histogram({
    name: 'music_prediction_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const stageDuration = new Histogram({
    name: 'music_prediction_stage_duration_seconds',
    help: 'Pipeline stage duration of finished jobs (download, decode, mfcc, classify, image, total)',
    labelNames: ['stage'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const jobs = new Counter({
    name: 'music_prediction_jobs_finished_total',
    help: 'Jobs finished for good, by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'music_prediction_job_failures_total',
    help: 'Jobs failed for good, by error code',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const cacheLookups = new Counter({
    name: 'music_prediction_result_cache_lookups_total',
    help: 'Result cache lookups by result (hit or miss)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'music_prediction_queue_backlog',
    help: 'Jobs waiting or delayed in the queue',
    registers: [registry],
    async collect() {
      // A scrape while Redis is down must still answer: the gauge reads NaN until it is back.
      this.set(await queue.backlog().catch(() => Number.NaN));
    },
  });
  let uploadsInUse = () => 0;
  new Gauge({
    name: 'music_prediction_uploads_in_progress',
    help: 'Uploads being received or answered (capped by MAX_CONCURRENT_UPLOADS)',
    registers: [registry],
    collect() {
      this.set(uploadsInUse());
    },
  });
  return {
    registry,
    httpDuration,
    cacheLookups,
    trackUploads: (inUse) => void (uploadsInUse = inUse),
    observeFinished(event) {
      jobs.inc({ outcome: event.outcome });
      if (event.outcome === 'failed') {
        failures.inc({ code: event.error.code });
        return;
      }
      for (const [stage, ms] of Object.entries(event.timingsMs ?? {})) stageDuration.observe({ stage }, ms / 1000);
    },
  };
}
