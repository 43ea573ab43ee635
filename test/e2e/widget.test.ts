// The widget end to end in real headless Chromium: the real app (buildApp via startServer, embedded
// queue, tiny model, real ffmpeg) and local fake Deezer/iTunes. Type an artist and a track, click
// Predict!, see what the API answered (both genres in whole percent, the MFCC image, bars, the
// timeline, the playing preview); upload a file; a miss shows the 2017 miss sentence.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../src/server.js';
import { audioFixture } from '../helpers/audio-fixtures.js';
import { startFakeProviders, type FakeProviders } from '../helpers/fake-providers.js';
import { launchChromium, startWidgetServer, watchPageProblems } from './browser.js';

const MISS = 'The song you are searching could not be found or has no available preview.';
let fake: FakeProviders;
let server: RunningServer;
let browser: Browser;

before(async () => {
  fake = await startFakeProviders({ tracks: [{ artist: 'Coolio', title: "Gangsta's Paradise", audio: { seconds: 12 } }] });
  server = await startWidgetServer({ fake });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.close();
});

async function openWidget(width = 1000): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 1200 } });
  const problems = watchPageProblems(page);
  await page.goto(server.url + '/');
  return { page, problems };
}

// The tsconfig has no DOM lib (server code): browser-side callbacks use these structural types.
type ImageLike = { src: string; naturalWidth: number };
type AudioLike = { paused: boolean; currentTime: number };

const shownTopGenres = (page: Page) => page.locator('.mp-top li').allInnerTexts();
const asShown = ([label, p]: [string, number]) => `${label} ${Math.round(p * 100)}%`;

test('artist and track: Predict! shows both genres, the MFCC image, bars, timeline and the audio element', async () => {
  const { page, problems } = await openWidget();
  assert.equal(await page.inputValue('input[name=artist]'), 'coolio');
  assert.equal(await page.inputValue('input[name=track]'), "gangsta's paradise");
  fake.setBehaviour({ deezer: { fault: 'slow', times: 1 }, slowMs: 800 }); // time to see the waiting line
  await page.click('button:has-text("Predict!")');
  await page.locator('.mp-status', { hasText: "Searching for coolio - gangsta's paradise…" }).waitFor({ timeout: 5_000 });
  await page.locator('.mp-best', { hasText: 'The best prediction of the model:' }).waitFor({ timeout: 30_000 });

  // What the API answers for the same query (now cached), shown exactly as the 2017 page did.
  const api = (await (await fetch(`${server.url}/d/music-prediction?artist=coolio&track=${encodeURIComponent("gangsta's paradise")}`)).json()) as {
    first: [string, number]; second: [string, number]; mp3: string; probabilities: Record<string, number>; segments: unknown[];
  };
  assert.deepEqual(await shownTopGenres(page), [asShown(api.first), asShown(api.second)]);

  const image = await page.locator('img.mp-mfcc').evaluate((img: ImageLike) => ({ src: img.src.slice(0, 23), width: img.naturalWidth }));
  assert.deepEqual({ src: image.src, decoded: image.width > 0 }, { src: 'data:image/jpeg;base64,', decoded: true });
  assert.equal(await page.locator('.mp-bar').count(), Object.keys(api.probabilities).length);
  assert.ok(api.segments.length > 1, 'a 12-s preview has several segments');
  assert.equal(await page.locator('.mp-timeline .mp-segment').count(), api.segments.length);

  const audio = page.locator('audio.mp-audio');
  // Same preview; the token in the query differs because every lookup gets a fresh URL.
  assert.equal((await audio.getAttribute('src'))?.split('?')[0], api.mp3.split('?')[0]);

  mkdirSync('artifacts', { recursive: true });
  await page.screenshot({ path: 'artifacts/widget-e2e.png', fullPage: true });
  // Script errors only: whether the preview may play under the CSP is the next test's subject.
  assert.deepEqual(problems.filter((p) => !p.includes('media-src')), []);
  await page.close();
});

test('the preview starts playing under the page\'s CSP, and "Pause song" pauses it', async () => {
  const { page, problems } = await openWidget();
  await page.click('button:has-text("Predict!")');
  const audio = page.locator('audio.mp-audio');
  await audio.waitFor({ state: 'attached', timeout: 30_000 });
  // Playing for real: not paused and time advancing (so the page's CSP allows the preview's origin).
  // Polled from here: waitForFunction evaluates strings, which the strict CSP rightly refuses.
  const playing = async () => audio.evaluate((el: AudioLike) => !el.paused && el.currentTime > 0);
  for (const started = Date.now(); !(await playing()); await sleep(100)) {
    assert.ok(Date.now() - started < 10_000, `the preview never started playing: ${problems.join('; ') || 'no page error'}`);
  }
  await page.click('button:has-text("Pause song")');
  assert.equal(await audio.evaluate((el: AudioLike) => el.paused), true);
  // The label follows the media element's 'pause' event, which the browser fires a task later.
  for (const paused = Date.now(); (await page.locator('.mp-pause').innerText()) !== 'Play song'; await sleep(50)) {
    assert.ok(Date.now() - paused < 5_000, `the button still says "${await page.locator('.mp-pause').innerText()}" 5 s after pausing`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('upload: choosing an audio file shows a prediction', async () => {
  const { page, problems } = await openWidget();
  await page.setInputFiles('input[type=file]', await audioFixture({ format: 'mp3', seconds: 8, frequencyHz: 220 }));
  await page.locator('.mp-best').waitFor({ timeout: 30_000 });
  const shown = await shownTopGenres(page);
  assert.equal(shown.length, 2);
  for (const line of shown) assert.match(line, /^\S.* \d{1,3}%$/);
  assert.ok(await page.locator('img.mp-mfcc').evaluate((img: ImageLike) => img.naturalWidth > 0));
  assert.deepEqual(problems, []);
  await page.close();
});

test('drag and drop: an audio file dropped on the drop zone gets a prediction', async () => {
  const { page, problems } = await openWidget();
  const bytes = [...(await readFile(await audioFixture({ format: 'wav', seconds: 4, frequencyHz: 523 })))];
  // A real DataTransfer holding a real File, built in the page (types by hand: no DOM lib here).
  const dataTransfer = await page.evaluateHandle((data: number[]) => {
    const dom = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
    };
    const transfer = new dom.DataTransfer();
    transfer.items.add(new dom.File([new Uint8Array(data)], 'dropped.wav', { type: 'audio/wav' }));
    return transfer;
  }, bytes);
  await page.dispatchEvent('.mp-drop', 'dragover', { dataTransfer });
  await page.dispatchEvent('.mp-drop', 'drop', { dataTransfer });
  await page.locator('.mp-top li').nth(1).waitFor({ timeout: 30_000 });
  assert.ok(await page.locator('img.mp-mfcc').evaluate((img: ImageLike) => img.naturalWidth > 0));
  assert.deepEqual(problems, []);
  await page.close();
});

test('a miss shows the 2017 sentence; Enter submits, and the page fits a 375-px phone', async () => {
  const { page, problems } = await openWidget(375);
  await page.fill('input[name=artist]', 'Nobody Anyone Knows');
  await page.fill('input[name=track]', 'No Such Song');
  await page.press('input[name=track]', 'Enter');
  await page.locator('.mp-status', { hasText: MISS }).waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('.mp-result').count(), 0);
  const pageWidth = await page.locator('html').evaluate((html: { scrollWidth: number }) => html.scrollWidth);
  assert.ok(pageWidth <= 375, `no horizontal scrolling on a phone (page is ${pageWidth} px wide)`);
  await page.screenshot({ path: 'artifacts/widget-e2e-phone-miss.png', fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a model with a "none of the five" output: an uncertain answer says so in words above the closest genres', async () => {
  const other = await startWidgetServer({ fake, env: { MODEL_DIR: 'test/fixtures/tiny-other' } });
  const page = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
  try {
    const problems = watchPageProblems(page);
    await page.goto(other.url + '/');
    // The tiny fixture's other output for this tone is ≈ 0.16, above its threshold (0.1).
    await page.setInputFiles('input[type=file]', await audioFixture({ format: 'mp3', seconds: 8, frequencyHz: 220 }));
    await page.locator('.mp-best').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('[data-testid=uncertain]').innerText(), "This doesn't sound like any of the five genres we know.");
    assert.equal((await shownTopGenres(page)).length, 2);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await other.stop();
  }
});
