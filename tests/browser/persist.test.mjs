// persist.test.mjs: nothing lost. The page keeps its session (config, weights as the model file, epoch,
// chart history) in IndexedDB (web/js/persist.mjs); a reload mid-training brings back the config, the
// weights bit for bit (exportModel before and after), the epoch and the chart; a training worker that
// dies (it closes itself, as one out of memory would vanish) is seen, restarted, and the last saved
// session is put back on it, with a message saying so.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { XOR_HASH, debug, launch, messageWith, openPage, waitReady } from './helpers.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const LONG = XOR_HASH.replace('epochs=150', 'epochs=100000');
const state = (page) => page.evaluate(async () => ({
  model: await nnplayDebug.exportModel(), epoch: nnplayDebug.epoch, config: nnplayDebug.config,
  loss: nnplayDebug.chartSeries('loss'), testAccuracy: nnplayDebug.chartSeries('testAccuracy'),
}));

async function playTo(page, epoch) {
  await page.click('#play');
  await page.waitForFunction((e) => nnplayDebug.epoch >= e, epoch, { timeout: 60000 });
}

async function pause(page) {
  await page.click('#play');
  await page.waitForFunction(() => !nnplayDebug.playing);
}

test('a reload mid-training restores the config, the weights bit for bit, the epoch and the chart', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + LONG);
  await playTo(page, 25);
  await pause(page);
  const saved = await page.evaluate(() => nnplayDebug.saveNow());
  const before = await state(page);
  assert.equal(saved.model, before.model);
  assert.equal(saved.epoch, before.epoch);
  assert.equal(before.loss.length, before.epoch);

  await page.reload();
  await waitReady(page);
  const text = await messageWith(page, 'the saved session is restored');
  assert.match(text, new RegExp(`The page was reloaded; the saved session is restored:\\s*epoch ${before.epoch}, its weights and its chart`));
  const after = await state(page);
  assert.equal(after.model, before.model, 'weights bit for bit');
  assert.deepEqual(after, before);

  // Mid-run (no pause): whatever was saved last comes back, consistent, and training goes on from it.
  await page.click('#play');
  await page.waitForFunction((e) => nnplayDebug.savedEpoch > e + 20 && nnplayDebug.playing, before.epoch, { timeout: 60000 });
  await page.reload();
  await waitReady(page);
  await messageWith(page, 'the saved session is restored');
  const mid = await debug(page);
  assert.ok(mid.epoch > before.epoch, `restored epoch ${mid.epoch} after ${before.epoch}`);
  assert.equal(mid.points.loss, mid.epoch);
  await playTo(page, mid.epoch + 3);
  await pause(page);
  const series = await page.evaluate(() => nnplayDebug.chartSeries('loss'));
  assert.deepEqual(series.map((p) => p.x), Array.from({ length: series.length }, (_, i) => i + 1), 'epochs go on from the restored count');
  assert.deepEqual(problems, []);
  await close();
});

// An untouched network (the one its config draws: not trained, edited or loaded) is saved without
// its model file, so no export holds up the worker when Play is pressed (Fashion-MNIST's took 0.5 s);
// a weight edited before any training is saved with it and survives a reload.
test('an untouched network is saved without its model file; an edit at epoch 0 is saved and restored', async () => {
  const hash = '#data=circle&samples=120&noise=0.1&test=0.2&dseed=2&hidden=4:relu&out=sigmoid&loss=bce&opt=momentum&lr=0.05&batch=16&epochs=1000&seed=4&shuffle=0';
  const { page, problems, close } = await openPage(env.browser, env.url + hash);
  const fresh = await page.evaluate(() => nnplayDebug.saveNow());
  assert.deepEqual(fresh, { model: null, epoch: 0 }, 'untouched: no model file');
  const drawn = await state(page);

  await page.reload();   // the saved untouched session: the page draws the same network again
  await waitReady(page);
  assert.equal((await state(page)).model, drawn.model, 'the same weights, bit for bit');

  await page.focus('#network-diagram line[data-kind="edge"][data-layer="1"][data-i="1"][data-j="2"]');
  await page.keyboard.press('Enter');
  await page.fill('#weight-value', '-0.625');
  await page.press('#weight-value', 'Enter');
  await page.waitForSelector('#weight-editor', { state: 'hidden' });
  // The edit alone saves the session (no Save, no training): wait for the stored record to hold it.
  const storedModel = () => page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('nnplay');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const get = open.result.transaction('session').objectStore('session').get('last');
      get.onsuccess = () => { open.result.close(); resolve(get.result?.model ?? null); };
    };
  }));
  for (const deadline = Date.now() + 30000; !(await storedModel())?.includes('-0.625');) {
    assert.ok(Date.now() < deadline, 'the edit was not saved within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const edited = await state(page);
  assert.equal(edited.epoch, 0);
  assert.equal(JSON.parse(edited.model).layers[0].W[1][2], -0.625, 'the model holds the edit');
  await page.reload();
  await waitReady(page);
  await messageWith(page, 'the saved session is restored');
  assert.equal((await state(page)).model, edited.model, 'the edit is back after a reload');
  assert.deepEqual(problems, []);
  await close();
});

test('a worker that dies is restarted and the last saved session restored, with a message', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + LONG);
  await playTo(page, 20);
  await pause(page);
  const saved = await page.evaluate(() => nnplayDebug.saveNow());
  await page.evaluate(() => nnplayDebug.crashWorker());
  const text = await messageWith(page, 'The training worker was restarted; the saved session is restored');
  assert.match(text, /The training worker stopped:\s*the training worker stopped \(it closed, ran out of memory or was killed\)/);
  await waitReady(page);
  const after = await state(page);
  assert.equal(after.model, saved.model, 'the saved weights, bit for bit');
  assert.equal(after.epoch, saved.epoch);
  assert.equal(after.loss.length, saved.epoch);
  // The new worker trains on.
  await page.click('#step');
  await page.waitForFunction((e) => nnplayDebug.epoch === e + 1 && !nnplayDebug.busy, saved.epoch);
  assert.deepEqual(problems, []);
  await close();
});
