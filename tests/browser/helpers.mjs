// helpers.mjs: shared setup for the browser suites: Debian's Chromium driven by playwright-core
// (never a downloaded browser), dist/ served by scripts/serve.mjs on a free port, and a page whose
// console errors, page errors and failed requests are collected for the tests to assert on.
// Not a test file itself (node --test runs only *.test.mjs).
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = join(ROOT, 'dist');
export const SCREENSHOTS = join(ROOT, 'build', 'screenshots');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// XOR that a small network learns well past 95% (used by several suites).
export const XOR_HASH = '#data=xor&samples=400&noise=0.1&test=0.2&dseed=1&hidden=8:tanh,8:tanh&out=sigmoid&loss=bce' +
  '&init=xavier_uniform&opt=sgd&lr=0.03&batch=10&epochs=150&seed=1&shuffle=1';

export function requireDist() {
  for (const f of ['index.html', 'nnplay.html', 'js/main.mjs', 'js/engine.mjs', 'wasm/nnplay-core.mjs', 'vendor/chart.umd.js']) {
    if (!existsSync(join(DIST, f))) throw new Error(`dist/${f} is missing: run npm run build (or node scripts/build-dist.mjs) first`);
  }
}

// Starts the browser and the server once per suite. Returns { browser, url, close }.
export async function launch({ root = DIST } = {}) {
  requireDist();
  const server = await startServer({ root, port: 0 });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  return {
    browser,
    url: server.url,
    close: async () => { await browser.close(); await server.close(); },
  };
}

// A new page that records problems: console errors, uncaught errors, failed or >= 400 requests.
// Long tasks (> 50 ms on the main thread) are recorded from the start with a buffered observer.
export async function openPage(browser, url, { viewport = { width: 1400, height: 1000 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.addInitScript(() => {
    window.__longTasks = [];
    window.__longFrames = [];   // long animation frames with script attribution, to explain a long task
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.duration <= 50) continue;
          window.__longFrames.push({ start: Math.round(e.startTime), duration: Math.round(e.duration),
            scripts: e.scripts.map((x) => `${x.invoker} ${x.sourceURL.split('/').pop()} ${Math.round(x.duration)} ms`) });
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
    } catch { /* no longtask support: the test reports it */ }
  });
  await page.goto(url);
  await waitReady(page);
  return { page, problems, close: () => context.close() };
}

export const waitReady = (page) => page.waitForFunction(() => window.nnplayDebug?.ready === true, null, { timeout: 30000 });
export const debug = (page) => page.evaluate(() => ({
  epoch: nnplayDebug.epoch, playing: nnplayDebug.playing, last: nnplayDebug.lastMetrics,
  points: nnplayDebug.chartPoints(), config: nnplayDebug.config,
}));

// Clicks Play and waits until the run stops by itself (it reached the config's epochs).
export async function playToEnd(page, timeout = 120000) {
  await page.click('#play');
  await page.waitForFunction(() => nnplayDebug.playing === true || nnplayDebug.epoch > 0, null, { timeout: 10000 });
  await page.waitForFunction(() => nnplayDebug.playing === false, null, { timeout });
}

export function screenshotPath(name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, name);
}
