// The browser-facing plugins: the widget's Content-Security-Policy (previews play straight from
// the providers' CDNs), CORS, and the per-client rate limit that spares the widget's own files.
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { PreviewProvider } from '../previews/provider.js';

/** Media sources for the CSP: the widget plays previews straight from the providers' CDNs. */
function mediaSources(config: Config, providers: readonly PreviewProvider[]): string[] {
  const hosts = [...providers.flatMap((p) => p.downloadHosts), ...config.PREVIEW_ALLOWED_HOSTS];
  const schemes = config.ALLOW_INSECURE_PREVIEWS ? ['https', 'http'] : ['https'];
  // A CSP host source without a port allows only the scheme's default port; local stand-in
  // providers (the insecure mode's purpose) serve previews from arbitrary ports.
  const ports = config.ALLOW_INSECURE_PREVIEWS ? ['', ':*'] : [''];
  const sources = hosts.flatMap((h) => schemes.flatMap((s) => ports.map((port) => `${s}://${h}${port}`)));
  return ["'self'", ...new Set(sources)];
}

export async function registerWebPlugins(app: FastifyInstance, config: Config, providers: readonly PreviewProvider[]): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        mediaSrc: mediaSources(config, providers),
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        // Self-hosted instances often run on plain http (LAN, localhost): upgrading the page's
        // own requests to https would break the widget there.
        upgradeInsecureRequests: null,
      },
    },
  });
  const origins = config.CORS_ORIGINS;
  await app.register(cors, { origin: origins.includes('*') ? '*' : origins.length > 0 ? origins : false, methods: ['GET', 'POST'] });
  if (config.RATE_LIMIT_MAX > 0 || config.PROBE_RATE_LIMIT_MAX > 0) {
    // The widget's own static files (8 per page load) are cheap and would eat a visitor's budget.
    const isWidgetAsset = (url: string) => /^\/(?:$|\?|index\.html|favicon\.svg|widget(?:\.js|\.css|\/))/.test(url);
    await app.register(rateLimit, {
      // Off globally when RATE_LIMIT_MAX is 0: then only the probe routes' own limit applies.
      global: config.RATE_LIMIT_MAX > 0,
      max: config.RATE_LIMIT_MAX,
      timeWindow: config.RATE_LIMIT_WINDOW_MS,
      allowList: (request) => request.method === 'GET' && isWidgetAsset(request.url),
    });
  }
}
