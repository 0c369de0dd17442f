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
// NNPLAY_DIST: another dist folder to test (default: dist/ of this checkout).
export const DIST = process.env.NNPLAY_DIST ? resolve(process.env.NNPLAY_DIST) : join(ROOT, 'dist');
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
// wait: 'ready' (a trainer for the link's config) or 'idle' (the page settled, maybe waiting for data).
// init: an extra function run in the page before its scripts (page.addInitScript); before: an async
// hook given the page before it opens the URL (to route requests, say).
export async function openPage(browser, url, { viewport = { width: 1400, height: 1000 }, wait = 'ready', init, before } = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
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
  if (init) await page.addInitScript(init);
  if (before) await before(page);
  await page.goto(url);
  await (wait === 'ready' ? waitReady(page) : waitIdle(page));
  return { page, problems, close: () => context.close() };
}

export const waitReady = (page) => page.waitForFunction(() => window.nnplayDebug?.ready === true, null, { timeout: 30000 });
// The page is not loading or building anything (it may be waiting for data the user must give).
export const waitIdle = (page) => page.waitForFunction(() => window.nnplayDebug?.busy === false, null, { timeout: 30000 });
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

// An iris-like CSV: 150 rows, 3 classes by name, numeric features; the label column sits between
// features (so the default target, the last column, is a number). Deterministic.
export function irisCsv() {
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const names = ['setosa', 'versicolor', 'virginica'];
  const rows = ['sepal_len,sepal_wid,species,petal_len,petal_wid'];
  for (let i = 0; i < 150; i++) {
    const k = i % 3;
    const v = [4.8 + 0.9 * k + 0.8 * rnd(), 3.4 - 0.3 * k + 0.6 * rnd(), 1.4 + 2.2 * k + 0.9 * rnd(), 0.2 + 0.8 * k + 0.5 * rnd()];
    rows.push([v[0], v[1]].map((x) => x.toFixed(2)).concat(names[k], [v[2], v[3]].map((x) => x.toFixed(2))).join(','));
  }
  return rows.join('\n') + '\n';
}

// The text of #messages once it contains `needle`.
export async function messageWith(page, needle) {
  await page.waitForFunction((n) => document.getElementById('messages').textContent.includes(n), needle, { timeout: 30000 });
  return page.textContent('#messages');
}

// The main thread's tasks while fn runs, from Chromium's trace: { wall, cpu } in ms per task. The
// CPU time (the trace's thread time) is what the page's own code costs; the wall time also holds
// the time the OS gave other processes, which on a loaded machine stretches any task (a 14 ms
// chart update measured 225 ms at load average 29).
export async function mainThreadTasks(browser, page, fn) {
  await browser.startTracing(page, { categories: ['toplevel', 'disabled-by-default-devtools.timeline'] });
  await fn();
  const { traceEvents } = JSON.parse((await browser.stopTracing()).toString());
  const main = new Set(traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  return traceEvents.filter((e) => e.name === 'RunTask' && e.ph === 'X' && main.has(`${e.pid}:${e.tid}`))
    .map((e) => ({ wall: e.dur / 1000, cpu: (e.tdur ?? e.dur) / 1000 }));
}
