// The API process. Without REDIS_URL it is self-contained (embedded mode: in-process queue and
// the pipeline in this process); with REDIS_URL it only serves HTTP and queues jobs on BullMQ
// for `music-prediction worker` processes. SIGTERM/SIGINT: stop accepting, let running requests
// and jobs finish, close queues and connections, exit — within SHUTDOWN_TIMEOUT_MS.
import { pathToFileURL } from 'node:url';
import { buildApp } from './service/app.js';
import { loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics } from './service/metrics.js';
import { loadPipeline } from './service/load-pipeline.js';
import { createProviders } from './previews/providers.js';
import { createBullmqQueue } from './service/queue/bullmq-queue.js';
import { createInlineQueue } from './service/queue/inline-queue.js';
import { predictionJobs, type PredictionQueue } from './service/predictions/jobs.js';
import type { ReadinessProbe } from './service/routes/health.js';

export interface RunningServer {
  url: string;
  /** Graceful stop; resolves when everything is closed. */
  stop(): Promise<void>;
}

export async function startServer({ config, logger }: { config: Config; logger: Logger }): Promise<RunningServer> {
  let queue: PredictionQueue;
  let probes: ReadinessProbe[] = [];
  let dispose = async (): Promise<void> => {};
  if (config.REDIS_URL) {
    queue = await createBullmqQueue({ spec: predictionJobs, config, redisUrl: config.REDIS_URL, logger });
    logger.info({ queue: config.QUEUE_NAME, prefix: config.QUEUE_PREFIX }, 'API mode: jobs go to BullMQ workers');
  } else {
    const pipeline = await loadPipeline({ config, logger });
    queue = createInlineQueue({ spec: predictionJobs, config, process: pipeline.process, logger });
    probes = pipeline.probes;
    dispose = pipeline.dispose;
    logger.info({ concurrency: config.INLINE_CONCURRENCY }, 'embedded mode: predictions run in this process');
  }
  const providers = createProviders({ config, logger });
  const metrics = config.METRICS_ENABLED ? createMetrics({ queue }) : undefined;
  const { app, beginShutdown } = await buildApp({ config, logger, queue, providers, probes, metrics });
  const url = await app.listen({ host: config.HOST, port: config.PORT });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      beginShutdown(); // also drops uploads still being received
      // In-flight requests (sync waits end within SYNC_WAIT_MS) get a grace; then every socket
      // left is closed, so a client that never finishes cannot hold the exit until the deadline.
      const graceMs = Math.min(config.SYNC_WAIT_MS + 1_000, Math.max(0, config.SHUTDOWN_TIMEOUT_MS - 2_000));
      const force = setTimeout(() => app.server.closeAllConnections(), graceMs);
      force.unref();
      await app.close(); // stops accepting; waits for in-flight requests (including sync waits)
      clearTimeout(force);
      await queue.close(); // inline: lets running jobs finish
      await dispose(); // then the pipeline: idle warm ffmpeg processes, the model
    })());
  return { url, stop };
}

/** Installs SIGTERM/SIGINT handlers that stop gracefully or exit 1 after `timeoutMs`. */
export function onShutdownSignal({ stop, timeoutMs, logger }: { stop: () => Promise<void>; timeoutMs: number; logger: Logger }): void {
  const handler = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out: exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    stop().then(
      () => {
        logger.info('shut down cleanly');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}

export async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'music-prediction-api');
  const server = await startServer({ config, logger });
  logger.info({ url: server.url }, 'listening');
  onShutdownSignal({ stop: server.stop, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, logger });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(`music-prediction: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
