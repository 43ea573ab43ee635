// Liveness, readiness and Prometheus metrics. None of them is rate limited: orchestrators and
// scrapers call them often and must not be locked out by the public traffic limit.
import type { FastifyInstance } from 'fastify';
import { withTimeout } from '../../with-timeout.js';
import type { AppMetrics } from '../metrics.js';

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
  { probes, metrics, isShuttingDown }: { probes: readonly ReadinessProbe[]; metrics?: AppMetrics; isShuttingDown: () => boolean },
): void {
  const noLimit = { rateLimit: false };
  app.get('/healthz', { config: noLimit }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: noLimit }, async (_request, reply) => {
    const results = await Promise.all(probes.map(async (p) => [p.name, await runProbe(p)] as const));
    const checks = Object.fromEntries(results);
    const ready = !isShuttingDown() && results.every(([, r]) => r.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });

  if (metrics) {
    app.get('/metrics', { config: noLimit }, async (_request, reply) => {
      return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  }
}
