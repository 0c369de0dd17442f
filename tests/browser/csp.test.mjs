// csp.test.mjs: nothing injected. Every page ships a strict Content-Security-Policy <meta> (no
// 'unsafe-eval'; nnplay.html allows its inline scripts by sha256, not 'unsafe-inline') and runs under
// it with no violation: the playground, the embed, the example host page, the lessons, and the
// one-file page from file://. Script payloads fed through every URL field, a CSV header, a CSV file
// name and a model file's class names execute nothing (window.__pwned stays undefined, no element
// with an event handler attribute appears) and show as text.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { DIST, XOR_HASH, launch, openPage, waitIdle, waitReady } from './helpers.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

// Records CSP violations of the document (workers' show as console errors, which openPage collects).
const watchCsp = () => {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
};
const cspOf = (page) => page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? null);

// A page that is not the playground (no nnplayDebug): opened, its console errors and page errors
// (its frames' and workers' too) collected.
async function openOther(url) {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(watchCsp);
  await page.goto(url);
  return { page, problems, close: () => context.close() };
}

async function checkPage(url, { wait, frames = [] } = {}) {
  const { page, problems, close } = wait === 'load' ? await openOther(url) : await openPage(env.browser, url, { init: watchCsp });
  const csp = await cspOf(page);
  assert.ok(csp, `${url}: a CSP <meta>`);
  assert.match(csp, /default-src '(self|none)'/);
  assert.match(csp, /script-src [^;]*/);
  assert.doesNotMatch(csp, /'unsafe-eval'/);
  assert.doesNotMatch(/script-src ([^;]*)/.exec(csp)[1], /unsafe-inline/);
  for (const f of frames) await page.waitForFunction(f, null, { timeout: 30000 });
  assert.deepEqual(await page.evaluate(() => window.__csp), [], `${url}: violations`);
  assert.deepEqual(problems.filter((p) => /Content Security Policy|Refused to/i.test(p)), [], `${url}: CSP console errors`);
  assert.deepEqual(problems, []);
  return { page, close };
}

test('every page runs under its CSP with no violation (nnplay.html from file://)', async () => {
  const pages = [
    [env.url + XOR_HASH, {}],
    [env.url + 'embed.html' + XOR_HASH + '&view=map,loss', { wait: 'load', frames: [() => window.nnplayEmbed?.ready === true] }],
    [env.url + 'embed-example.html', { wait: 'load', frames: [() => document.getElementById('nn').contentWindow.nnplayEmbed?.ready === true] }],
    [env.url + 'lessons/index.html', { wait: 'load' }],
    [env.url + 'lessons/forward-propagation.html', { wait: 'load' }],
  ];
  for (const [url, opts] of pages) {
    const { page, close } = await checkPage(url, opts);
    if (url.includes(XOR_HASH) && !url.includes('embed')) {   // the playground trains under its policy
      await page.click('#step');
      await page.waitForFunction(() => nnplayDebug.epoch === 1);
      assert.deepEqual(await page.evaluate(() => window.__csp), []);
    }
    await close();
  }
  const file = pathToFileURL(join(DIST, 'nnplay.html')).href + XOR_HASH;
  const { page, close } = await checkPage(file);
  const csp = await cspOf(page);
  assert.match(csp, /script-src 'sha256-[^']+' 'sha256-[^']+' 'sha256-[^']+' 'wasm-unsafe-eval'/);
  assert.match(csp, /worker-src blob:/);
  await page.click('#play');
  await page.waitForFunction(() => nnplayDebug.epoch >= 20);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  await close();
});

const P1 = '<img src=x onerror="window.__pwned=1">';
const P2 = '"><svg onload="window.__pwned=2">';
const injected = (page) => page.evaluate(() => ({
  pwned: window.__pwned,
  elements: document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload]').length,
}));

test('script payloads through URL fields, a CSV header and file name, and model class names execute nothing', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + XOR_HASH);
  const keys = new URL(page.url()).hash.slice(1).split('&').map((kv) => kv.split('=')[0]);
  assert.ok(keys.length >= 15, `keys from the page's link: ${keys}`);
  for (const key of [...keys, 'target', 'task']) {
    for (const payload of [P1, P2]) {
      const data = ['target', 'task'].includes(key) ? 'csv' : 'xor';
      await page.evaluate((h) => { location.hash = h; }, `#data=${data}&${key}=${encodeURIComponent(payload)}`);
      await waitIdle(page);
      assert.deepEqual(await injected(page), { pwned: undefined, elements: 0 }, `${key}=${payload}`);
    }
  }
  // The link's whole text shows as text in the warnings (one field at least).
  await page.evaluate((h) => { location.hash = h; }, `#data=xor&hidden=${encodeURIComponent(P1)}`);
  await page.waitForFunction((p) => document.getElementById('messages').textContent.includes(p), P1);

  // A CSV whose header, labels and file name are payloads: trained on, then its model re-imported
  // with payload class names.
  const header = `"${P1.replaceAll('"', '""')}","${P2.replaceAll('"', '""')}"`;
  let csv = `${header},label\n`;
  for (let i = 0; i < 30; ++i) csv += `${i % 7},${i % 5},${i % 2 ? P1.replaceAll('"', "'") : 'plain'}\n`;
  await page.evaluate((h) => { location.hash = h; }, XOR_HASH);
  await waitReady(page);
  await page.setInputFiles('#csv-file', { name: `${P2}${P1}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction(() => nnplayDebug.data === 'csv' && nnplayDebug.ready, null, { timeout: 30000 });
  await page.click('#step');
  await page.waitForFunction(() => nnplayDebug.epoch === 1 && !nnplayDebug.busy);
  assert.deepEqual(await injected(page), { pwned: undefined, elements: 0 });
  assert.ok((await page.textContent('body')).includes(P1.replaceAll('"', "'")), 'a label shows as text');

  const model = JSON.parse(await page.evaluate(() => nnplayDebug.exportModel()));
  const swap = (v) => (typeof v === 'string' && v !== 'nnplay-model' ? (v.length % 2 ? P1 : P2) : v);
  const names = JSON.stringify(model, (k, v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.map(swap) : v));
  await page.setInputFiles('#import-model', { name: `${P1}.json`, mimeType: 'application/json', buffer: Buffer.from(names) });
  await page.waitForFunction(() => /Model .*(loaded|refused)/.test(document.getElementById('messages').textContent));
  assert.deepEqual(await injected(page), { pwned: undefined, elements: 0 });
  assert.ok((await page.textContent('#messages')).includes(`${P1}.json`), 'the model file name shows as text');
  assert.deepEqual(problems, []);
  await close();
});
