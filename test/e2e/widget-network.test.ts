// The widget against the real app in the situations around a prediction: embedded on another
// origin (CORS_ORIGINS), a prediction slower than SYNC_WAIT_MS (504 with a job id → the page polls
// /jobs/:id and still shows the result), and the rate limit (429 → "try again in N s").
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../src/server.js';
import { startFakeProviders, type FakeProviders } from '../helpers/fake-providers.js';
import { launchChromium, startWidgetServer, watchPageProblems } from './browser.js';

let fake: FakeProviders;
let server: RunningServer;
let browser: Browser;
let hostSite: Server;
let hostUrl: string;

/** Another site that embeds the widget: the two lines of docs/widget.md and nothing else of ours. */
function startHostSite(): Promise<string> {
  hostSite = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><title>A blog</title><h1>My music blog</h1>
      <div data-music-prediction data-api-base="${server.url}"></div>
      <script type="module" src="${server.url}/widget.js"></script>`);
  });
  return new Promise((resolve) => hostSite.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(hostSite.address() as AddressInfo).port}`)));
}

before(async () => {
  fake = await startFakeProviders({
    tracks: [
      { artist: 'Coolio', title: "Gangsta's Paradise", audio: { seconds: 6 } },
      { artist: 'Slow Band', title: 'Long Song', audio: { seconds: 6, frequencyHz: 330 } },
    ],
  });
  hostUrl = await startHostSite();
  server = await startWidgetServer({ fake, env: { CORS_ORIGINS: hostUrl, SYNC_WAIT_MS: '200', RATE_LIMIT_MAX: '60' } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => hostSite?.close(resolve));
  await fake?.close();
});

test('embedded on another origin: styles load and a prediction comes through CORS', async () => {
  const page = await browser.newPage();
  const problems = watchPageProblems(page);
  await page.goto(hostUrl);
  await page.click('button:has-text("Predict!")');
  await page.locator('.mp-top li').nth(1).waitFor({ timeout: 30_000 });
  assert.match(await page.locator('.mp-top li').first().innerText(), /^\S.* \d{1,3}%$/);
  const buttonColour = await page.locator('.mp-predict').evaluate((el) => {
    const view = globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } };
    return view.getComputedStyle(el).backgroundColor;
  });
  assert.equal(buttonColour, 'rgb(36, 86, 201)', 'widget.css was loaded from the API origin');
  assert.deepEqual(problems, []);
  await page.close();
});

test('slower than SYNC_WAIT_MS: the API answers 504 with a job id and the page polls until the result', async () => {
  const page = await browser.newPage();
  const problems = watchPageProblems(page);
  const statuses: number[] = [];
  page.on('response', (res) => statuses.push(res.status()));
  await page.goto(server.url + '/');
  await page.fill('input[name=artist]', 'Slow Band');
  await page.fill('input[name=track]', 'Long Song');
  fake.setBehaviour({ preview: { fault: 'slow', times: 1 }, slowMs: 1500 });
  await page.click('button:has-text("Predict!")');
  await page.locator('.mp-top li').nth(1).waitFor({ timeout: 30_000 });
  assert.ok(statuses.includes(504), `the API should have answered 504 first (saw ${statuses.join(', ')})`);
  assert.equal(await page.locator('.mp-error').innerText(), '');
  assert.deepEqual(problems.filter((p) => !p.includes('media-src')), []);
  await page.close();
});

test('rate limited: the page says when to try again and holds the button until then', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + '/');
  // Use up this client's budget (same IP as the browser) with cheap bad requests (400s count too),
  // then ask once more from the page.
  let last = 0;
  for (let i = 0; i < 100 && last !== 429; i += 1) last = (await fetch(`${server.url}/d/music-prediction`)).status;
  assert.equal(last, 429, 'the rate limit should have been reached');
  await page.click('button:has-text("Predict!")');
  const error = page.locator('.mp-error');
  await error.filter({ hasText: 'Too many requests' }).waitFor({ timeout: 10_000 });
  assert.match(await error.innerText(), /Please try again in \d+ s\./);
  assert.equal(await page.locator('.mp-predict').isDisabled(), true);
  await page.close();
});
