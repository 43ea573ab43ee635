// A worker process: BullMQ Workers (WORKER_CONCURRENCY) running the prediction pipeline on jobs
// from REDIS_URL. Any number of them, on any machine that reaches Redis. SIGTERM/SIGINT: stop
// taking jobs, finish the running ones, close connections, exit within SHUTDOWN_TIMEOUT_MS.
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from './config.js';
import { InternalError } from './errors.js';
import { createLogger, type Logger } from './logger.js';
import { loadPipeline } from './service/load-pipeline.js';
import { startBullmqWorker } from './service/queue/bullmq-worker.js';
import { onShutdownSignal } from './server.js';
import { predictionJobs } from './service/predictions/jobs.js';

export async function startWorker({ config, logger }: { config: Config; logger: Logger }): Promise<{ stop(): Promise<void> }> {
  if (!config.REDIS_URL) throw new InternalError('REDIS_URL_REQUIRED', 'the worker needs REDIS_URL (redis://host:port or a Unix socket path)');
  const pipeline = await loadPipeline({ config, logger });
  const worker = startBullmqWorker({ spec: predictionJobs, config, redisUrl: config.REDIS_URL, process: pipeline.process, logger });
  await worker.ready();
  logger.info({ queue: config.QUEUE_NAME, prefix: config.QUEUE_PREFIX, concurrency: config.WORKER_CONCURRENCY }, 'worker ready');
  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        await worker.close();
        await pipeline.dispose(); // idle warm ffmpeg processes, the model
      })()),
  };
}

export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'music-prediction-worker');
  const worker = await startWorker({ config, logger });
  onShutdownSignal({ stop: worker.stop, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, logger });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(`music-prediction worker: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
