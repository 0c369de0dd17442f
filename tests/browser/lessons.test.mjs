// lessons.test.mjs: every lesson of dist/lessons/ (built from web/lessons/*.md) loads offline with no console
// error and no failed request, served under a sub-path; its formulas are typeset (KaTeX output, no
// KaTeX error element, KaTeX's own fonts in use); every embedded view trains one epoch; its links
// open the playground with a config; a race view (optimisation, initialisation) trains every variant.
// The lesson index lists them all and the playground links to it.
// Screenshots of one lesson at 1400x1000 and 390x844 go to build/screenshots/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, ROOT, launch, screenshotPath } from './helpers.mjs';
import { installSchema, parseHash } from '../../web/js/state.mjs';
import { engine } from '../node/_helpers.mjs';

// The lessons with race views (the race's slots of issue 11), and how many.
const RACES = { optimisation: 1, initialisation: 1 };
const SLUGS = readdirSync(join(ROOT, 'web', 'lessons')).filter((n) => n.endsWith('.md') && !n.startsWith('_')).map((n) => n.slice(0, -3)).sort();

let env, dir, base;
before(async () => {
  installSchema((await engine()).schema);   // parseHash reads the core's URL fields
  dir = mkdtempSync(join(tmpdir(), 'nnplay-course-'));
  symlinkSync(DIST, join(dir, 'nnplay'));
  env = await launch({ root: dir });
  base = `${env.url}nnplay/`;
});
after(async () => {
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function open(url, viewport = { width: 1400, height: 1000 }) {
  const context = await env.browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  // Offline: nothing but our two local servers, data: and blob: URLs (no CDN, no font service).
  page.on('request', (r) => { if (!/^(http:\/\/127\.0\.0\.1:\d+\/|data:|blob:)/.test(r.url())) problems.push(`left the site: ${r.url()}`); });
  await page.goto(url);
  return { page, problems, close: () => context.close() };
}

test('the lesson index lists every lesson and the playground links to it', async () => {
  assert.ok(SLUGS.length >= 7, `${SLUGS.length} lessons`);
  const { page, problems, close } = await open(`${base}lessons/`);
  const links = await page.$$eval('.lesson-list a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual([...links].sort(), SLUGS.map((s) => `${s}.html`));
  await page.goto(base);
  await page.waitForFunction(() => window.nnplayDebug?.ready === true, null, { timeout: 30000 });   // its wasm loaded
  await page.click('a[href="lessons/index.html"]');
  await page.waitForURL(/lessons\/index\.html$/);
  assert.deepEqual(problems, []);
  await close();
});

for (const slug of SLUGS) {
  test(`lesson ${slug}: loads clean, formulas typeset, every view trains`, async () => {
    const { page, problems, close } = await open(`${base}lessons/${slug}.html`);
    await page.waitForLoadState('load');
    const math = await page.evaluate(() => ({
      katex: document.querySelectorAll('.katex').length,
      errors: document.querySelectorAll('.katex-error').length,
      font: getComputedStyle(document.querySelector('.katex')).fontFamily,
      fontsLoaded: [...document.fonts].filter((f) => f.family.startsWith('KaTeX') && f.status === 'loaded').length,
    }));
    assert.ok(math.katex >= 3, `${math.katex} typeset formulas`);
    assert.equal(math.errors, 0);
    assert.match(math.font, /KaTeX_Main/);
    assert.ok(math.fontsLoaded > 0, 'KaTeX fonts loaded from dist/vendor/katex');
    const frames = page.frames().filter((f) => f.url().includes('/embed.html'));
    let races = 0;
    assert.equal(frames.length, await page.locator('.lesson-embed iframe').count());
    assert.ok(frames.length >= 1);
    for (const frame of frames) {
      await frame.waitForFunction(() => window.nnplayEmbed?.ready === true, null, { timeout: 30000 });
      await frame.click('#step');
      await frame.waitForFunction(() => nnplayEmbed.epoch === 1 && nnplayEmbed.chartPoints().loss === 1, null, { timeout: 30000 });
      // A race view (race=... in its hash): every variant trained that epoch, each with its own loss.
      if (frame.url().includes('race=')) {
        const race = await frame.evaluate(() => ({ names: nnplayEmbed.race.names, epochs: nnplayEmbed.race.metrics().map((m) => m.length),
          maps: document.querySelectorAll('.race-map canvas').length }));
        assert.ok(race.names.length >= 2, `${race.names.length} variants`);
        assert.deepEqual(race.epochs, race.names.map(() => 1));
        assert.equal(race.maps, race.names.length);
        races++;
      }
    }
    if (RACES[slug]) assert.equal(races, RACES[slug], `${slug}: its race views`);
    const links = await page.$$eval('.lesson-embed a.open', (as) => as.map((a) => a.getAttribute('href')));
    assert.equal(links.length, frames.length);
    for (const href of links) assert.match(href, /^\.\.\/index\.html#data=/);
    assert.ok(await page.locator('.try').count() >= 1, 'a "Try this" box');
    if (slug === SLUGS[0]) {
      await page.screenshot({ path: screenshotPath(`lesson-${slug}-1400.png`), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await page.screenshot({ path: screenshotPath(`lesson-${slug}-390.png`), fullPage: true });
    }
    assert.deepEqual(problems, []);
    await close();
  });
}

test('a lesson view opens the same config in the playground', async () => {
  const lesson = await open(`${base}lessons/${SLUGS[0]}.html`);
  const href = await lesson.page.$eval('.lesson-embed a.open', (a) => a.href);
  await lesson.close();   // (leaving it while its views load would abort their requests)
  const { page, problems, close } = await open(href);
  await page.waitForFunction(() => window.nnplayDebug?.ready === true, null, { timeout: 30000 });
  const { config, messages } = parseHash(new URL(href).hash);
  assert.deepEqual(messages, []);
  assert.deepEqual(await page.evaluate(() => nnplayDebug.config), config);
  assert.deepEqual(problems, []);
  await close();
});
