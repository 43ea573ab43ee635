// Liveness, readiness and Prometheus metrics. They are exempt from the public traffic limit, so
// orchestrators and scrapers are never locked out by it; /readyz and /metrics do real work per
// call (probes, a metrics dump), so they have their own per-client limit instead (PROBE_RATE_LIMIT_MAX).
import type { FastifyInstance } from 'fastify';
import { withTimeout } from '../../with-timeout.js';
import type { AppMetrics } from '../metrics.js';
import { json } from './schemas.js';

/** A readiness check: resolves with a short detail (e.g. "wasm", "/usr/bin/ffmpeg") or throws. */
export interface ReadinessProbe {
  name: string;
  check(): Promise<string | undefined>;
}

const PROBE_TIMEOUT_MS = 2_000;

async function runProbe(probe: ReadinessProbe): Promise<{ ok: boolean; detail?: string }> {
  try {
    const detail = await withTimeout(probe.check(), PROBE_TIMEOUT_MS);
    return detail === undefined ? { ok: true } : { ok: true, detail };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

export function registerHealthRoutes(
  app: FastifyInstance,
  {
    probes,
    metrics,
    isShuttingDown,
    probeRateLimit = false,
  }: {
    probes: readonly ReadinessProbe[];
    metrics?: AppMetrics;
    isShuttingDown: () => boolean;
    probeRateLimit?: { max: number; timeWindow: number } | false;
  },
): void {
  const noLimit = { rateLimit: false };
  const probeLimit = { rateLimit: probeRateLimit };
  const up = { type: 'object', required: ['status'], additionalProperties: false, properties: { status: { const: 'ok' } } };
  app.get(
    '/healthz',
    { config: noLimit, schema: { operationId: 'health', summary: 'Liveness (the process answers). Not rate limited.', response: { 200: json('Up.', up) } } },
    async () => ({ status: 'ok' }),
  );

  const readyzSchema = {
    operationId: 'ready',
    summary: 'Readiness (queue/Redis reachable, model loaded, ffmpeg works, a worker is alive, TF backend). Rate limited per client with its own probe limit.',
    response: {
      200: json('Ready.', { $ref: 'Readiness#' }),
      503: json('Not ready (a check failed, or the process is shutting down).', { $ref: 'Readiness#' }),
    },
  };
  app.get('/readyz', { config: probeLimit, schema: readyzSchema }, async (_request, reply) => {
    const results = await Promise.all(probes.map(async (p) => [p.name, await runProbe(p)] as const));
    const checks = Object.fromEntries(results);
    const ready = !isShuttingDown() && results.every(([, r]) => r.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });

  if (metrics) {
    const metricsSchema = {
      operationId: 'metrics',
      summary: 'Prometheus metrics. Rate limited per client with its own probe limit.',
      response: { 200: { description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } } },
    };
    app.get('/metrics', { config: probeLimit, schema: metricsSchema }, async (_request, reply) => {
      return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  }
}
