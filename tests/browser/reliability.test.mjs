// reliability.test.mjs: the page when training goes wrong or asks too much. Learning rate 10 on the
// spiral with SGD (the page's default network: it stays finite but saturates, its loss leaping to some
// 13 times ln 2 by epoch 2, rule 2 of the core's divergence.h) stops with the core's divergence
// message, keeps the last finite weights, the chart and the epoch count, and a lower rate continues
// the same run; CSV regression targets near 1e38 stop with the core's cause and the exported model
// loads back; a CSV with one feature column and a class target trains (it was refused with "Cannot
// read properties of null"); the largest config the form allows is refused with the memory it needs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { XOR_HASH, debug, launch, messageWith, openPage, screenshotPath, waitReady } from './helpers.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const csvFile = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
const SPIRAL_LR10 = XOR_HASH.replace('data=xor', 'data=spiral').replace('lr=0.03', 'lr=10').replace('epochs=150', 'epochs=100');
const DIVERGED = /training diverged at epoch (\d+): the loss rose to [0-9.]+, over 10 times [0-9.]+ \(the loss of (?:a network that has learned nothing|the weights training started from)\); the learning rate 10 is probably too high for sgd: lower it and continue; the weights of epoch (\d+) are kept/;

test('learning rate 10 on spiral with SGD stops with the message, keeps weights, chart and epoch; a lower rate continues', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + SPIRAL_LR10);
  await page.click('#play');
  const text = await messageWith(page, 'training diverged');
  await page.waitForFunction(() => !nnplayDebug.playing);
  const [, at, keptEpoch] = DIVERGED.exec(text) ?? assert.fail(`no divergence message in: ${text}`);
  assert.equal(Number(at), Number(keptEpoch) + 1);
  assert.ok(Number(keptEpoch) >= 1, `diverged at epoch ${at}: no history kept to show`);
  assert.match(text, /Training diverged; the last finite weights, the chart and the epoch count are kept/);
  assert.match(text, /Lower "Learning rate"/);
  assert.equal(text.match(/training diverged at epoch/g).length, 1, 'one block with the message');
  const d = await debug(page);
  assert.equal(d.epoch, Number(keptEpoch));
  assert.equal(d.points.loss, Number(keptEpoch));
  assert.ok(Number.isFinite(d.last.loss));
  assert.equal(await page.textContent('#run-state'), 'diverged');
  const kept = await page.evaluate(() => nnplayDebug.exportModel());
  assert.doesNotMatch(kept, /null|NaN|Infinity/);
  await page.screenshot({ path: screenshotPath('diverged.png') });

  // A lower rate: the same run goes on (weights, epoch and chart kept), the link says 0.03.
  await page.fill('#lr', '0.03');
  await page.dispatchEvent('#lr', 'change');
  await messageWith(page, 'Optimizer changed; the run goes on');
  assert.equal(await page.evaluate(() => nnplayDebug.exportModel()), kept, 'the weights are those kept');
  assert.equal((await debug(page)).epoch, Number(keptEpoch));
  assert.match(page.url(), /lr=0\.03/);
  await page.click('#play');
  await page.waitForFunction((e) => nnplayDebug.epoch >= e + 5, Number(keptEpoch));
  await page.click('#play');   // pause
  await page.waitForFunction(() => !nnplayDebug.playing);
  const after = await debug(page);
  assert.equal(after.points.loss, after.epoch, 'one chart point per epoch, before and after the divergence');
  const losses = await page.evaluate(() => nnplayDebug.chartSeries('loss'));
  assert.deepEqual(losses.map((p) => p.x), Array.from({ length: after.epoch }, (_, i) => i + 1));
  assert.ok(losses.every((p) => Number.isFinite(p.y)));
  assert.deepEqual(problems, []);
  await close();
});

test('regression targets near 1e38 stop with the divergence message; the exported model loads back', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + XOR_HASH);
  let csv = 'x,y\n';
  for (let i = 0; i < 40; ++i) csv += `${i},${(i % 2 ? 3e38 : -2e38) * (1 - i / 100)}\n`;
  await page.setInputFiles('#csv-file', csvFile('huge.csv', csv));
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.data === 'csv');
  if ((await debug(page)).config.dataset.task !== 'regression') {
    await page.selectOption('#task', 'regression');
    await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.config.dataset.task === 'regression');
  }
  await page.click('#play');
  const text = await messageWith(page, 'training diverged');
  assert.match(text, /training diverged at epoch 1: .*the regression targets reach [0-9.e+]+, too large for float32 arithmetic: rescale the target; the initial weights are kept/);
  await page.waitForFunction(() => !nnplayDebug.playing);
  assert.equal((await debug(page)).epoch, 0);
  const model = await page.evaluate(() => nnplayDebug.exportModel());
  assert.doesNotMatch(model, /null|NaN|Infinity/);
  await page.setInputFiles('#import-model', { name: 'huge-model.json', mimeType: 'application/json', buffer: Buffer.from(model) });
  await messageWith(page, 'Model huge-model.json loaded');
  assert.equal(await page.evaluate(() => nnplayDebug.exportModel()), model);
  assert.deepEqual(problems, []);
  await close();
});

test('a CSV with one feature column and a class target trains, its classes drawn along the input', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + XOR_HASH);
  let csv = 'size,kind\n';
  for (let i = 0; i < 60; ++i) csv += `${(i * 0.37) % 10},${(i * 0.37) % 10 < 5 ? 'small' : 'large'}\n`;
  await page.setInputFiles('#csv-file', csvFile('one-feature.csv', csv));
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.data === 'csv', null, { timeout: 30000 });
  const d = await debug(page);
  assert.equal(d.config.dataset.target, 'kind');
  assert.doesNotMatch(await page.textContent('#messages'), /refused|Cannot read/);
  await page.click('#step');
  await page.waitForFunction(() => nnplayDebug.epoch === 1 && !nnplayDebug.busy);
  assert.ok(Number.isFinite((await debug(page)).last.loss));
  assert.match(await page.textContent('#boundary-legend'), /Curve: the predicted class/);
  await page.screenshot({ path: screenshotPath('csv-one-feature.png') });
  assert.deepEqual(problems, []);
  await close();
});

test('the largest config the form allows is refused with the memory it needs, not std::bad_alloc', async () => {
  const hidden = Array(6).fill('1024:relu').join(',');
  const hash = `#data=spiral&samples=100000&hidden=${hidden}&out=sigmoid&loss=bce&batch=100000&epochs=10`;
  const { page, problems, close } = await openPage(env.browser, env.url + hash, { wait: 'idle' });
  const text = await messageWith(page, 'refused');
  assert.match(text, /The core refused this configuration:\s*config: this run needs about [0-9.]+ GiB of memory \(data .*\); the limit is 1 GiB/);
  assert.doesNotMatch(text, /bad_alloc/);
  // The page stays usable: a small config trains.
  await page.evaluate((h) => { location.hash = h; }, XOR_HASH);
  await waitReady(page);
  assert.deepEqual(problems, []);
  await close();
});
