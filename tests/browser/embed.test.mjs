// embed.test.mjs: dist/embed.html in an iframe of a page from another origin (a second server on
// another port), driven through the postMessage host API (setConfig, play, pause, step, reset): the
// host receives one epoch event per epoch and the heat map changes; no console error anywhere. The
// embed alone at 400x300 and 390x844 shows its views without scrolling (screenshots under
// build/screenshots/), and asked-for controls are built and retrain the network.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../scripts/serve.mjs';
import { launch, screenshotPath } from './helpers.mjs';

const XOR = '#data=xor&samples=200&noise=0.1&test=0.2&hidden=8:tanh&out=sigmoid&loss=bce&lr=0.1&batch=10&epochs=400&seed=1';
const CIRCLE = '#data=circle&samples=200&noise=0.1&test=0.2&hidden=4:tanh&out=sigmoid&loss=bce&lr=0.1&batch=10&epochs=100000&seed=1';   // never done before the pause

// A host page that embeds `src`, records every nnplay message from its iframe and can send commands.
const hostPage = (src) => `<!doctype html><html><head><meta charset="utf-8"><title>host</title><link rel="icon" href="data:,"></head>
<body><iframe id="nn" src="${src}" width="640" height="360" title="nnplay"></iframe>
<script>
  window.events = [];
  const frame = document.getElementById('nn');
  addEventListener('message', (e) => {
    if (e.source !== frame.contentWindow || !e.data || e.data.nnplay !== 1) return;
    window.events.push(e.data);
  });
  let id = 0;
  window.send = (msg) => { frame.contentWindow.postMessage({ nnplay: 1, id: ++id, ...msg }, new URL(frame.src).origin); return id; };
</script></body></html>`;

let env, host, hostDir;
before(async () => {
  env = await launch();
  hostDir = mkdtempSync(join(tmpdir(), 'nnplay-host-'));
  writeFileSync(join(hostDir, 'index.html'), hostPage(`${env.url}embed.html${XOR}&view=map,loss`));
  writeFileSync(join(hostDir, 'bad.html'), hostPage(`${env.url}embed.html#data=xor&lr=-1&view=map`));
  host = await startServer({ root: hostDir, port: 0 });
  writeFileSync(join(hostDir, 'locked.html'), hostPage(`${env.url}embed.html${XOR}&origin=${encodeURIComponent(new URL(host.url).origin)}`));
});
after(async () => {
  await host?.close();
  await env?.close();
  if (hostDir) rmSync(hostDir, { recursive: true, force: true });
});

// A page that records problems of every frame (console errors, page errors, failed requests).
async function open(url, viewport = { width: 900, height: 600 }) {
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

const waitEvent = (page, pred, timeout = 30000) => page.waitForFunction(
  (src) => window.events.find(new Function('m', `return (${src})(m)`)), pred.toString(), { timeout })
  .catch(async (e) => { throw new Error(`${e.message}: waiting for ${pred}; got ${JSON.stringify((await page.evaluate(() => window.events)).slice(-8))}`); });
const events = (page, type) => page.evaluate((t) => window.events.filter((m) => m.type === t), type);
const embedFrame = (page) => page.frames().find((f) => f.url().includes('/embed.html'));
// A fingerprint of the heat map's pixels (sum of a sample of the canvas's RGB values).
const mapPrint = (frame) => frame.evaluate(() => {
  const c = document.getElementById('boundary');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let s = 0;
  for (let i = 0; i < d.length; i += 4 * 7) s += d[i] + 2 * d[i + 1] + 3 * d[i + 2];
  return s;
});

test('a page of another origin drives the embed with postMessage and receives an event per epoch', async () => {
  const { page, problems, close } = await open(host.url);
  assert.notEqual(new URL(host.url).origin, new URL(env.url).origin);
  await waitEvent(page, (m) => m.type === 'ready');
  assert.match((await events(page, 'ready'))[0].hash, /data=xor/);

  // setConfig: a new config (and the embed's own, for Reset), acknowledged with the request's id.
  const setId = await page.evaluate((hash) => window.send({ type: 'setConfig', hash }), CIRCLE);
  await waitEvent(page, new Function(`return (m) => m.type === 'ack' && m.id === ${setId}`)());
  const ack = (await events(page, 'ack')).find((m) => m.id === setId);
  assert.equal(ack.ok, true, ack.error);
  assert.deepEqual(ack.warnings, []);
  await waitEvent(page, (m) => m.type === 'ready' && m.hash.includes('data=circle'));
  const frame = embedFrame(page);
  const before = await mapPrint(frame);

  // play, then pause once 30 epochs have arrived.
  await page.evaluate(() => window.send({ type: 'play' }));
  await waitEvent(page, (m) => m.type === 'epoch' && m.epoch >= 30);
  const pauseId = await page.evaluate(() => window.send({ type: 'pause' }));
  await waitEvent(page, new Function(`return (m) => m.type === 'ack' && m.id === ${pauseId}`)());
  await waitEvent(page, (m) => m.type === 'state' && m.state === 'paused');
  const epochs = await events(page, 'epoch');
  const last = epochs.at(-1).epoch;
  assert.deepEqual(epochs.map((m) => m.epoch), Array.from({ length: last }, (_, i) => i + 1), 'one event per epoch, in order');
  for (const m of epochs) {
    assert.equal(typeof m.loss, 'number');
    assert.equal(typeof m.accuracy, 'number');
    assert.equal(typeof m.test_loss, 'number');
  }
  assert.ok(epochs.at(-1).loss < epochs[0].loss, `the loss fell (${epochs[0].loss} -> ${epochs.at(-1).loss})`);
  await frame.waitForFunction(() => nnplayEmbed.playing === false && nnplayEmbed.epoch > 0);
  assert.equal(await frame.evaluate(() => nnplayEmbed.epoch), last, 'no epoch after the pause');
  assert.notEqual(await mapPrint(frame), before, 'the heat map changed');

  // step: exactly one more epoch; reset: back to the set config at epoch 0.
  await page.evaluate(() => window.send({ type: 'step' }));
  await waitEvent(page, new Function(`return (m) => m.type === 'epoch' && m.epoch === ${last + 1}`)());
  await page.evaluate(() => window.send({ type: 'reset' }));
  await frame.waitForFunction(() => nnplayEmbed.ready && nnplayEmbed.epoch === 0);
  assert.match(await frame.evaluate(() => nnplayEmbed.hash), /data=circle/);
  assert.equal(await mapPrint(frame), before, 'Reset draws the fresh network of the set config again');

  // Unknown commands and other versions are refused with a reason; other messages are ignored.
  const badId = await page.evaluate(() => window.send({ type: 'explode' }));
  await waitEvent(page, new Function(`return (m) => m.type === 'ack' && m.id === ${badId}`)());
  assert.match((await events(page, 'ack')).find((m) => m.id === badId).error, /"explode" is not a command/);
  await page.evaluate(() => document.getElementById('nn').contentWindow.postMessage({ nnplay: 2, type: 'play', id: 99 }, '*'));
  await waitEvent(page, (m) => m.type === 'ack' && m.id === 99);
  assert.match((await events(page, 'ack')).find((m) => m.id === 99).error, /version 2 is not supported/);
  await page.evaluate(() => window.send({ type: 'play' }));
  await frame.waitForFunction(() => nnplayEmbed.epoch >= 20);
  await page.screenshot({ path: screenshotPath('embed-host.png') });
  await page.evaluate(() => window.send({ type: 'pause' }));
  await frame.waitForFunction(() => nnplayEmbed.playing === false);
  assert.deepEqual(problems, []);
  await close();
});

test('a bad value in the embed link is named and the embed trains on the default', async () => {
  const { page, problems, close } = await open(`${host.url}bad.html`);
  await waitEvent(page, (m) => m.type === 'ready');
  const frame = embedFrame(page);
  assert.match(await frame.textContent('#message'), /lr=-1 is not allowed/);
  assert.deepEqual(problems, []);
  await close();
});

test('an embed locked to its host\'s origin (origin=) talks to that host', async () => {
  const { page, problems, close } = await open(`${host.url}locked.html`);
  await waitEvent(page, (m) => m.type === 'ready');
  const id = await page.evaluate(() => window.send({ type: 'status' }));
  await waitEvent(page, new Function(`return (m) => m.type === 'ack' && m.id === ${id}`)());
  assert.match((await events(page, 'ack')).find((m) => m.id === id).hash, /data=xor/);
  assert.deepEqual(problems, []);
  await close();
});

for (const [w, h] of [[400, 300], [390, 844]]) {
  test(`the embed alone at ${w}x${h} shows its views without scrolling`, async () => {
    const { page, problems, close } = await open(`${env.url}embed.html${XOR}&view=map,loss&controls=lr,activation`, { width: w, height: h });
    await page.waitForFunction(() => window.nnplayEmbed?.ready === true, null, { timeout: 30000 });
    await page.click('#step');
    await page.waitForFunction(() => nnplayEmbed.epoch === 1);
    const box = await page.evaluate(() => {
      const r = (id) => { const b = document.getElementById(id).getBoundingClientRect(); return { x: b.x, y: b.y, w: b.width, h: b.height }; };
      const s = document.scrollingElement;
      return { scrollW: s.scrollWidth, scrollH: s.scrollHeight, map: r('boundary'), loss: r('loss-chart'), vw: innerWidth, vh: innerHeight };
    });
    assert.ok(box.scrollW <= box.vw && box.scrollH <= box.vh, `no scrolling (${box.scrollW}x${box.scrollH} in ${box.vw}x${box.vh})`);
    for (const [name, r] of Object.entries({ map: box.map, loss: box.loss })) {
      assert.ok(r.w >= 120 && r.h >= 100, `${name} is big enough to read (${r.w}x${r.h})`);
      assert.ok(r.x >= 0 && r.y >= 0 && r.x + r.w <= w + 0.5 && r.y + r.h <= h + 0.5, `${name} is inside the frame`);
    }
    assert.ok(Math.abs(box.map.w - box.map.h) < 1, 'the map is square');
    await page.screenshot({ path: screenshotPath(`embed-${w}x${h}.png`) });
    // An asked-for control retrains: activation sets every hidden layer.
    await page.selectOption('#c-activation', 'relu');
    await page.waitForFunction(() => nnplayEmbed.ready && nnplayEmbed.hash.includes('hidden=8:relu'));
    assert.equal(await page.evaluate(() => nnplayEmbed.epoch), 0);
    assert.deepEqual(await page.$$eval('.control label', (n) => n.map((l) => l.textContent)), ['learning rate', 'activation']);
    assert.deepEqual(problems, []);
    await close();
  });
}

test('the playground\'s Embed button gives a snippet that embeds the same config', async () => {
  const { page, problems, close } = await open(`${env.url}${XOR}`, { width: 1400, height: 1000 });
  await page.waitForFunction(() => window.nnplayDebug?.ready === true, null, { timeout: 30000 });
  await page.click('#copy-embed');
  await page.waitForFunction(() => document.getElementById('messages').textContent.includes('<iframe'));
  await page.screenshot({ path: screenshotPath('embed-button.png') });
  const snippet = await page.$eval('#messages li', (li) => li.textContent);
  const src = /src="([^"]+)"/.exec(snippet)[1].replace(/&amp;/g, '&');
  assert.equal(new URL(src).pathname, '/embed.html');
  const playground = await page.evaluate(() => location.hash);
  assert.equal(new URL(src).hash, `${playground}&view=map,loss`);
  await page.goto(src);
  await page.waitForFunction(() => window.nnplayEmbed?.ready === true, null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => nnplayEmbed.hash), playground);
  assert.deepEqual(problems, []);
  await close();
});
