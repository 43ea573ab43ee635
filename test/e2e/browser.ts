// Launches the system's Debian Chromium through playwright-core (which never downloads a browser
// here: executablePath points at /usr/bin/chromium). No Chromium → a clear failure, never a skip.
// Also starts the real server the way every browser test uses it.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import type { FakeProviders } from '../helpers/fake-providers.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    timeout: 30_000,
    args: [
      '--no-sandbox', // root in CI containers: Chromium's sandbox needs user namespaces we may not have
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Lets the test check that the preview really starts, as it does after a click in a real browser.
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Collects what the page reports as broken: script errors and CSP violations. */
export function watchPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text())) {
      problems.push(`CSP: ${message.text()}`);
    }
  });
  return problems;
}

/** The real server as the browser tests use it: embedded queue, tiny model, the fake providers. */
export async function startWidgetServer({ fake, env = {} }: { fake: FakeProviders; env?: Record<string, string> }): Promise<RunningServer> {
  const config = loadConfig({
    ...fake.env(),
    PREVIEW_PROVIDERS: 'deezer,itunes',
    ALLOW_INSECURE_PREVIEWS: 'true',
    MODEL_DIR: 'test/fixtures/tiny-model',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...env,
  });
  return startServer({ config, logger: createLogger(config, 'e2e') });
}
