// buildApp(deps): the HTTP API with everything injected — config, logger, queue, preview
// providers, readiness probes, metrics — so tests build the real app around real Redis, real
// ffmpeg, a tiny model and fake providers. Process wiring lives in server.ts.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { clientErrorHandler, frameworkErrors, requireHost } from './edge-errors.js';
import { applyServerLimits, maxBodyBytes, serverTimeouts } from './http-limits.js';
import type { Logger } from '../logger.js';
import type { AppMetrics } from './metrics.js';
import type { PreviewProvider } from '../previews/provider.js';
import type { PredictionQueue } from './predictions/jobs.js';
import { registerErrorHandling } from './routes/errors.js';
import { registerHealthRoutes, type ReadinessProbe } from './routes/health.js';
import { registerJobRoutes } from './routes/jobs.js';
import { registerLegacyRoute } from './routes/legacy.js';
import { registerOpenApi } from './routes/openapi.js';
import { registerPredictRoute } from './routes/predict.js';
import { registerSchemaCompilers } from './routes/validate.js';
import { registerUploadSlots } from './routes/upload-slots.js';
import { registerWebPlugins } from './web-plugins.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  queue: PredictionQueue;
  providers: readonly PreviewProvider[];
  /** Checked by /readyz besides the queue (model loaded, ffmpeg found, …). */
  probes?: readonly ReadinessProbe[];
  metrics?: AppMetrics;
  /** Widget files served at / (default: ./public when it exists). */
  publicDir?: string;
}

export interface App {
  app: FastifyInstance;
  /**
   * Marks the app as shutting down: /readyz answers 503 so load balancers stop sending traffic,
   * and uploads still being received are dropped (they cannot be answered before the exit).
   */
  beginShutdown(): void;
}

/** Above any URL that fits node:http's 16 KiB of headers. */
const MAX_PARAM_CHARS = 16 * 1024;

export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, logger, queue, providers, metrics } = deps;
  let shuttingDown = false;
  const app = Fastify({
    // Fastify's logger type is narrower than pino's; the instance is the same pino logger.
    loggerInstance: logger as FastifyBaseLogger,
    trustProxy: config.TRUST_PROXY,
    // Only non-multipart bodies count here (multipart has its own per-file limit below).
    bodyLimit: 64 * 1024,
    // Per-request log lines only when debugging: at info level they would dominate the log.
    logController: new LogController({ disableRequestLogging: config.LOG_LEVEL !== 'debug' && config.LOG_LEVEL !== 'trace' }),
    // Silent, slow and idle clients are dropped (Node's defaults wait minutes, or forever).
    ...serverTimeouts(config),
    clientErrorHandler,
    frameworkErrors,
    // Every job id reaches /jobs/:id and gets INVALID_JOB_ID; past the default 100 characters the
    // router skipped the route and the widget's static files answered instead.
    routerOptions: { maxParamLength: MAX_PARAM_CHARS },
  });
  const serverLimits = applyServerLimits(app.server, config);
  registerErrorHandling(app);
  app.addHook('onRequest', requireHost);
  registerSchemaCompilers(app);
  await registerOpenApi(app);

  await registerWebPlugins(app, config, providers);
  // By the matched route, not the raw URL: the router decodes the path, so /%70redict is /predict
  // too and must not slip past the upload caps.
  const uploadSlots = registerUploadSlots(app, config, (request) => request.method === 'POST' && request.routeOptions.url === '/predict');
  await app.register(multipart, {
    limits: { fileSize: config.MAX_UPLOAD_BYTES, files: 2, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 100 },
    // busboy (3.2.6) never finishes a body whose last part it skips (no usable Content-Disposition)
    // once more than fileHwm bytes of it arrive at once, so the upload stalled into a 408. With the
    // buffer as large as any body, that pause never happens; consumed parts stay unbuffered.
    fileHwm: maxBodyBytes(config),
  });

  if (metrics) {
    queue.onFinished((event) => metrics.observeFinished(event));
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
  }

  // During shutdown, answers close their connection: a keep-alive socket left open by a request
  // that was in flight when close() began would otherwise hold the server open until its timeout.
  app.addHook('onSend', async (_request, reply) => {
    if (shuttingDown) void reply.header('connection', 'close');
  });

  const probes: ReadinessProbe[] = [
    {
      name: 'queue',
      check: async () => {
        await queue.ping();
        if ((await queue.liveWorkers?.()) === 0) throw new Error('no worker is consuming the queue');
        return queue.kind;
      },
    },
    ...(deps.probes ?? []),
  ];
  const probeRateLimit = config.PROBE_RATE_LIMIT_MAX > 0 ? { max: config.PROBE_RATE_LIMIT_MAX, timeWindow: config.RATE_LIMIT_WINDOW_MS } : false;
  registerHealthRoutes(app, { probes, metrics, isShuttingDown: () => shuttingDown, probeRateLimit });
  metrics?.trackUploads(uploadSlots.inUse);
  registerLegacyRoute(app, { config, queue, providers, metrics });
  registerPredictRoute(app, { config, queue, metrics });
  registerJobRoutes(app, { queue });

  const publicDir = deps.publicDir ?? resolve('public');
  if (existsSync(publicDir)) await app.register(fastifyStatic, { root: publicDir, prefix: '/', index: ['index.html'] });
  else logger.info({ publicDir }, 'no widget directory: / is not served');

  return {
    app,
    beginShutdown: () => {
      shuttingDown = true;
      const dropped = serverLimits.dropUnfinishedRequests();
      if (dropped > 0) logger.info({ dropped }, 'shutdown: dropped uploads still being received');
    },
  };
}
