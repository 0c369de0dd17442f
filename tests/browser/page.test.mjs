// page.test.mjs: the page loads clean (no console error, no failed request, also under a sub-path),
// every control has a label, a config set in the UI survives the URL round trip, the same link
// gives the same losses, and invalid URL values are named in a message and fall back to defaults.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, XOR_HASH, debug, launch, openPage, screenshotPath, waitReady } from './helpers.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

test('the page loads with no console error and no failed request', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url);
  assert.equal(await page.title(), 'nnplay: a neural-network playground');
  assert.match(await page.textContent('#kernel'), /simd128|scalar/);
  assert.equal(await page.textContent('#run-state'), 'ready');
  assert.deepEqual(problems, []);
  await close();
});

test('dist works under a sub-path (relative URLs only)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnplay-sub-'));
  symlinkSync(DIST, join(dir, 'playground'));
  const sub = await launch({ root: dir });
  try {
    const { page, problems, close } = await openPage(sub.browser, `${sub.url}playground/${XOR_HASH}`);
    await page.click('#step');
    await page.waitForFunction(() => nnplayDebug.epoch === 1);
    assert.deepEqual(problems, []);
    await close();
  } finally {
    await sub.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every control is labelled and is a real form element', async () => {
  const { page, close } = await openPage(env.browser, env.url);
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, button')]
    .filter((n) => !(n.labels?.length || n.getAttribute('aria-label') || n.textContent.trim()))
    .map((n) => n.id || n.outerHTML));
  assert.deepEqual(unlabelled, []);
  await page.focus('#data');
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => document.activeElement.tagName === 'INPUT'));
  await close();
});

test('a config set in the UI, serialized to the URL and reopened, is the same config', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url);
  // A live change (shuffle, lr, ...) keeps the page ready: wait for the change queue too.
  const settle = async () => { await page.evaluate(() => nnplayDebug.changesSettled()); await waitReady(page); };
  await page.selectOption('#data', 'moons'); await settle();
  await page.fill('#noise', '0.25'); await page.press('#noise', 'Enter'); await settle();
  await page.fill('#samples', '300'); await page.press('#samples', 'Enter'); await settle();
  await page.check('#feat-4'); await settle();                 // x1*x2
  await page.click('#add-layer'); await settle();
  await page.fill('#layer-2-units', '5'); await page.press('#layer-2-units', 'Enter'); await settle();
  await page.selectOption('#layer-0-act', 'relu'); await settle();
  await page.selectOption('#output', 'softmax|cce'); await settle();
  await page.selectOption('#init', 'he_uniform'); await settle();
  await page.selectOption('#opt', 'momentum'); await settle();
  await page.fill('#mom', '0.8'); await page.press('#mom', 'Enter'); await settle();
  await page.check('#nest'); await settle();
  await page.fill('#lr', '0.05'); await page.press('#lr', 'Enter'); await settle();
  await page.fill('#batch', '32'); await page.press('#batch', 'Enter'); await settle();
  await page.fill('#l2', '0.001'); await page.press('#l2', 'Enter'); await settle();
  await page.fill('#seed', '42'); await page.press('#seed', 'Enter'); await settle();
  await page.uncheck('#shuffle'); await settle();
  const before = await debug(page);
  const url = page.url();
  assert.deepEqual(before.config.network.layers,
    [{ units: 8, activation: 'relu' }, { units: 8, activation: 'tanh' }, { units: 5, activation: 'tanh' }, { units: 2, activation: 'softmax' }]);
  assert.deepEqual(before.config.network.features, ['x1', 'x2', 'x1*x2']);
  assert.equal(before.config.optimizer.momentum, 0.8);
  assert.equal(before.config.optimizer.nesterov, true);
  assert.equal(before.config.dataset.noise, 0.25);
  assert.equal(before.config.seed, 42);
  assert.equal(before.config.shuffle, false);

  const again = await openPage(env.browser, url);
  const after = await debug(again.page);
  assert.deepEqual(after.config, before.config);
  assert.equal(await again.page.inputValue('#layer-2-units'), '5');
  assert.equal(await again.page.inputValue('#output'), 'softmax|cce');
  assert.deepEqual(problems, []);
  assert.deepEqual(again.problems, []);
  await again.close();
  await close();
});

test('the same link gives the same losses', async () => {
  const losses = [];
  for (let k = 0; k < 2; k++) {
    const { page, close } = await openPage(env.browser, env.url + XOR_HASH);
    const run = [];
    for (let e = 1; e <= 3; e++) {
      await page.click('#step');
      await page.waitForFunction((n) => nnplayDebug.epoch === n, e);
      run.push((await debug(page)).last.loss);
    }
    losses.push(run);
    await close();
  }
  assert.deepEqual(losses[1], losses[0]);
});

test('invalid URL values are named in a message and fall back to the defaults', async () => {
  const hash = '#lr=-1&hidden=10000:relu&out=swish&garbage&batch=abc&foo=1&%E0%A4%A';
  const { page, problems, close } = await openPage(env.browser, env.url + hash);
  const text = await page.textContent('#messages');
  for (const needle of ['lr=-1', 'optimizer.learning_rate', 'a number > 0 and <= 10', 'using the default 0.03',
    'hidden=10000:relu', 'units 1 to 1024', 'out=swish', 'one of relu, leaky_relu, sigmoid', '"garbage"', 'batch=abc',
    'unknown field "foo"', 'not valid URL encoding']) {
    assert.ok(text.includes(needle), `the message names ${needle}: ${text}`);
  }
  const d = await debug(page);
  assert.equal(d.config.optimizer.learning_rate, 0.03);
  assert.deepEqual(d.config.network.layers.slice(0, -1), [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }]);
  assert.equal(d.config.network.layers.at(-1).activation, 'sigmoid');
  assert.equal(d.config.batch_size, 10);
  await page.screenshot({ path: screenshotPath('invalid-url.png') });
  await page.click('#step');
  await page.waitForFunction(() => nnplayDebug.epoch === 1);
  assert.deepEqual(problems, []);
  await close();
});

test('import refuses an invalid config file and changes nothing; a valid one applies', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + XOR_HASH);
  const before = await debug(page);
  await page.setInputFiles('#import', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"optimizer":{"learning_rate":-1}}') });
  await page.waitForFunction(() => document.getElementById('messages').textContent.includes('bad.json'));
  assert.match(await page.textContent('#messages'), /optimizer\.learning_rate: -1 is not allowed/);
  await page.setInputFiles('#import', { name: 'garbage.json', mimeType: 'application/json', buffer: Buffer.from('not json') });
  await page.waitForFunction(() => document.getElementById('messages').textContent.includes('garbage.json'));
  assert.deepEqual((await debug(page)).config, before.config);
  const good = { dataset: { name: 'circle', samples: 200 }, network: { layers: [{ units: 4, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] } };
  await page.setInputFiles('#import', { name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
  await page.waitForFunction(() => nnplayDebug.config.dataset.name === 'circle' && nnplayDebug.ready);
  assert.match(page.url(), /data=circle&samples=200/);
  assert.deepEqual(problems, []);
  await close();
});

test('Export config downloads the core config, which imports back to the same run', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + '#data=moons&opt=momentum&nest=1&seed=9');
  const before = await debug(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  assert.equal(download.suggestedFilename(), 'nnplay-config.json');
  const text = await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8'));
  const exported = JSON.parse(text);
  assert.equal(exported.dataset.name, 'moons');
  assert.equal(exported.optimizer.nesterov, true);
  assert.equal(exported.seed, 9);
  await page.goto(env.url);   // defaults, then import the file
  await waitReady(page);
  await page.setInputFiles('#import', { name: 'nnplay-config.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.waitForFunction(() => nnplayDebug.config.dataset.name === 'moons' && nnplayDebug.ready);
  assert.deepEqual((await debug(page)).config, before.config);
  assert.deepEqual(problems, []);
  await close();
});

test('the Seed network preset sets the reference network and trains its 100 epochs', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url);
  await page.click('#preset-seed');
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.config.dataset.name === 'spiral');
  const { config } = await debug(page);
  assert.deepEqual(config.dataset, { name: 'spiral', samples: 300, noise: 0.1, test_ratio: 0, seed: 1, arms: 3, standardize: true });
  assert.deepEqual(config.network.layers, [{ units: 64, activation: 'relu' }, { units: 3, activation: 'softmax' }]);
  assert.equal(config.init, 'he_normal');
  assert.deepEqual([config.optimizer.name, config.optimizer.learning_rate, config.batch_size, config.shuffle, config.epochs],
    ['sgd', 0.01, 0, false, 100]);
  await page.click('#play');
  await page.waitForFunction(() => nnplayDebug.epoch === 100 && !nnplayDebug.playing, null, { timeout: 60000 });
  const d = await debug(page);
  assert.equal(d.points.loss, 100);
  assert.equal(d.last.test_loss, null);   // no test split
  assert.match(await page.textContent('#run-state'), /done: 100 epochs/);
  assert.deepEqual(problems, []);
  await close();
});

test('editing the hash in the address bar applies the new config', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + XOR_HASH);
  await page.evaluate(() => { location.hash = '#data=circle&hidden=3:relu&lr=0.1'; });
  await page.waitForFunction(() => nnplayDebug.config.dataset.name === 'circle' && nnplayDebug.ready);
  const { config } = await debug(page);
  assert.deepEqual(config.network.layers, [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }]);
  assert.equal(config.optimizer.learning_rate, 0.1);
  assert.equal(await page.inputValue('#lr'), '0.1');
  assert.match(page.url(), /#data=circle&samples=400&/);   // rewritten in full
  assert.deepEqual(problems, []);
  await close();
});

test('phone-sized layout has one column and no horizontal scroll', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + '#data=spiral&arms=3&out=softmax&loss=cce', { viewport: { width: 390, height: 844 } });
  const { scroll, columns } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    columns: getComputedStyle(document.querySelector('.layout')).gridTemplateColumns.split(' ').length,
  }));
  assert.equal(columns, 1);
  assert.ok(scroll <= 0, `horizontal overflow of ${scroll}px`);
  await page.screenshot({ path: screenshotPath('phone.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await close();
});
