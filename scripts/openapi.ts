// Writes openapi.yaml from the app's generated OpenAPI document (the one GET /openapi.json serves),
// built with the default configuration so the committed file does not depend on the environment.
// test/service/openapi.test.ts fails when the committed file differs. Usage: npm run openapi
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { buildApp } from '../src/service/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createMetrics } from '../src/service/metrics.js';
import { createProviders } from '../src/previews/providers.js';
import { createInlineQueue } from '../src/service/queue/inline-queue.js';
import { predictionJobs } from '../src/service/predictions/jobs.js';

export const OPENAPI_FILE = 'openapi.yaml';

/** The document as YAML text, exactly as `npm run openapi` writes it. */
export async function generateOpenApiYaml(): Promise<string> {
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const logger = createLogger(config);
  // No job ever runs: the app is built only to collect its routes' schemas.
  const queue = createInlineQueue({ spec: predictionJobs, config, logger, process: () => Promise.reject(new Error('not for predictions')) });
  const metrics = createMetrics({ queue, defaultMetrics: false });
  const { app } = await buildApp({ config, logger, queue, metrics, providers: createProviders({ config, logger }) });
  try {
    await app.ready();
    return app.swagger({ yaml: true });
  } finally {
    await app.close();
    await queue.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(OPENAPI_FILE, await generateOpenApiYaml());
  console.log(`wrote ${OPENAPI_FILE}`);
}
