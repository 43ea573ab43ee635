// Liveness, readiness and Prometheus metrics. They are exempt from the public traffic limit, so
// orchestrators and scrapers are never locked out by it; /readyz and /metrics do real work per
// call (probes, a metrics dump), so they have their own per-client limit instead (PROBE_RATE_LIMIT_MAX).
import type { FastifyInstance } from 'fastify';
import type { AppMetrics } from '../metrics.js';

/** A readiness check: resolves with a short detail (e.g. "wasm", "/usr/bin/ffmpeg") or throws. */
export interface ReadinessProbe {
  name: string;
  check(): Promise<string | undefined>;
}

const PROBE_TIMEOUT_MS = 2_000;

async function runProbe(probe: ReadinessProbe): Promise<{ ok: boolean; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    const detail = await Promise.race([probe.check(), timeout]);
    return detail === undefined ? { ok: true } : { ok: true, detail };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
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
  app.get('/healthz', { config: noLimit }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: probeLimit }, async (_request, reply) => {
    const results = await Promise.all(probes.map(async (p) => [p.name, await runProbe(p)] as const));
    const checks = Object.fromEntries(results);
    const ready = !isShuttingDown() && results.every(([, r]) => r.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });

  if (metrics) {
    app.get('/metrics', { config: probeLimit }, async (_request, reply) => {
      return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  }
}
