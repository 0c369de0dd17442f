// midrun.test.mjs: changes while a run trains (issue 12). A learning-rate change at about epoch 50
// while playing goes to the live trainer: the epoch count keeps rising, the loss curve goes on (no
// reset), the chart marks the epoch ("lr 0.03→0.1"), and every epoch's numbers equal the native CLI
// doing the same in two steps (train --out at lr a, then train --init at lr b), bit for bit. A
// change that needs a fresh run says so ("this restarts training; Undo") and Undo puts back the
// config, the trained network and its chart. Bug 3: three quick Noise changes while playing end in
// the state of the last change, still playing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, XOR_HASH, debug, launch, openPage, screenshotPath } from './helpers.mjs';

const NNPLAY = join(ROOT, 'build', 'native', 'nnplay');
const LONG = XOR_HASH.replace('epochs=150', 'epochs=1000000');

let env, tmp;
before(async () => { env = await launch(); tmp = mkdtempSync(join(tmpdir(), 'nnplay-midrun-')); });
after(async () => { await env?.close(); rmSync(tmp, { recursive: true, force: true }); });

// The native CLI's epochs for a config file (and a model to go on from): parsed JSON lines.
function cli(config, { init, out } = {}) {
  const file = join(tmp, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  const args = ['train', '--config', file, ...(init ? ['--init', init] : []), ...(out ? ['--out', out] : [])];
  return execFileSync(NNPLAY, args, { encoding: 'utf8' }).trim().split('\n').map((l) => JSON.parse(l));
}

// The page's "Export config" download: the core's normalized config of the run.
async function exportedConfig(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  return JSON.parse(readFileSync(await download.path(), 'utf8'));
}

// A form field changed as a user does (its value, then the change event).
async function setField(page, id, value) {
  await page.fill(`#${id}`, value);
  await page.dispatchEvent(`#${id}`, 'change');
}

test('three quick Noise changes while playing end in the last change, still playing (bug 3)', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + LONG);
  await page.click('#play');
  await page.waitForFunction(() => nnplayDebug.epoch > 5);
  // ArrowUp three times within a few ms: each step is an input and a change event, as the browser sends.
  const expected = await page.evaluate(() => {
    const input = document.getElementById('noise');
    for (let i = 0; i < 3; i++) {
      input.stepUp();
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }
    return Number(input.value);
  });
  assert.ok(Math.abs(expected - 0.25) < 1e-9, `noise after three steps up: ${expected}`);
  // Settled: nothing building, the config is the last change's.
  await page.waitForFunction((n) => !nnplayDebug.busy && nnplayDebug.config.dataset.noise === n, expected);
  await page.evaluate(() => nnplayDebug.changesSettled?.());
  const d = await debug(page);
  assert.equal(d.config.dataset.noise, expected);
  assert.equal(d.playing, true, `the run plays on (state "${await page.textContent('#run-state')}", epoch ${d.epoch})`);
  await page.waitForFunction(() => nnplayDebug.epoch >= 3);
  assert.match(page.url(), /noise=0\.25/);
  assert.match(await page.textContent('#restart-note'), /Noise 0\.1 → 0\.25: this restarts training;/);
  assert.deepEqual(problems, []);
  await close();
});

test('the same with the keyboard: ArrowUp three times on Noise while playing', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + LONG);
  await page.click('#play');
  await page.waitForFunction(() => nnplayDebug.epoch > 5);
  await page.focus('#noise');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
  const expected = Number(await page.inputValue('#noise'));
  await page.waitForFunction((n) => !nnplayDebug.busy && nnplayDebug.config.dataset.noise === n, expected);
  await page.evaluate(() => nnplayDebug.changesSettled?.());
  assert.equal((await debug(page)).playing, true, `state "${await page.textContent('#run-state')}"`);
  assert.deepEqual(problems, []);
  await close();
});

test('a change that needs a fresh run says so; Undo puts back the config, the trained network and its chart', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + LONG);
  await page.click('#play');
  await page.waitForFunction(() => nnplayDebug.epoch >= 30);
  await page.click('#play');
  await page.waitForFunction(() => !nnplayDebug.playing);
  const trained = await debug(page);
  const model = await page.evaluate(() => nnplayDebug.exportModel());
  const losses = await page.evaluate(() => nnplayDebug.chartSeries('loss'));
  assert.equal(await page.isHidden('#restart-note'), true);

  await setField(page, 'layer-0-units', '6');   // the network's shape: a fresh run
  await page.waitForSelector('#restart-note:not([hidden])');
  await page.evaluate(() => nnplayDebug.changesSettled?.());
  assert.equal((await debug(page)).epoch, 0);
  assert.match(await page.textContent('#restart-text'), /^Hidden layers 8:tanh,8:tanh → 6:tanh,8:tanh: this restarts training;$/);
  assert.equal(await page.textContent('#restart-undo'), `Undo (back to epoch ${trained.epoch})`);
  await page.screenshot({ path: screenshotPath('restart-note.png') });

  await page.click('#restart-undo');
  await page.waitForFunction((e) => nnplayDebug.ready && nnplayDebug.epoch === e, trained.epoch);
  await page.evaluate(() => nnplayDebug.changesSettled?.());
  const back = await debug(page);
  assert.deepEqual(back.config, trained.config);
  assert.equal(await page.evaluate(() => nnplayDebug.exportModel()), model, 'the trained network, training state included');
  assert.deepEqual(await page.evaluate(() => nnplayDebug.chartSeries('loss')), losses);
  assert.equal(await page.isHidden('#restart-note'), true);
  assert.match(page.url(), /hidden=8:tanh,8:tanh/);
  // It goes on from there: one more epoch continues the run.
  await page.click('#step');
  await page.waitForFunction((e) => nnplayDebug.epoch === e + 1, trained.epoch);
  assert.equal((await debug(page)).points.loss, trained.epoch + 1);
  assert.deepEqual(problems, []);
  await close();
});

test('a learning-rate change at epoch 50 while playing continues the run, marked, and equals the CLI in two steps', async () => {
  const EPOCHS = 100, LR_A = 0.03, LR_B = 0.1;
  const { page, problems, close } = await openPage(env.browser, `${env.url}${XOR_HASH.replace('epochs=150', `epochs=${EPOCHS}`)}&pace=e10`);
  const config = await exportedConfig(page);
  assert.equal(config.optimizer.learning_rate, LR_A);
  await page.click('#play');
  // While playing at 10 epochs a second, as soon as epoch 50 is shown: the field's value, then its
  // change event, as a user's edit (done inside the page, so the test's round trips add no delay).
  await page.waitForFunction((lr) => {
    if (nnplayDebug.epoch < 50) return false;
    document.getElementById('lr').value = lr;
    document.getElementById('lr').dispatchEvent(new Event('change', { bubbles: true }));
    return true;
  }, String(LR_B));
  await page.waitForFunction(() => nnplayDebug.chartMarks().length === 1);
  const [mark] = await page.evaluate(() => nnplayDebug.chartMarks());
  const at = mark.x;
  assert.ok(Number.isInteger(at) && at >= 50 && at <= 52, `the change took effect between epochs, at ${at}`);
  assert.equal(mark.label, 'lr 0.03→0.1');
  assert.equal((await debug(page)).playing, true, 'still playing');
  await page.waitForFunction((e) => nnplayDebug.epoch >= e + 5, at);   // the counter keeps rising
  assert.equal((await debug(page)).playing, true);
  assert.match(page.url(), /lr=0\.1(&|$)/);
  await page.screenshot({ path: screenshotPath('midrun-change.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#loss-chart').scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('midrun-change-phone.png') });
  await page.setViewportSize({ width: 1400, height: 1000 });
  // The rest as fast as possible: the pace slider's last stop.
  await page.focus('#pace');
  await page.keyboard.press('End');
  await page.waitForFunction((n) => !nnplayDebug.playing && nnplayDebug.epoch === n, EPOCHS, { timeout: 60000 });
  assert.doesNotMatch(page.url(), /pace=/);

  const d = await debug(page);
  assert.deepEqual(d.points, { loss: EPOCHS, testLoss: EPOCHS, accuracy: EPOCHS, testAccuracy: EPOCHS }, 'one curve, no reset');
  const series = Object.fromEntries(await Promise.all(['loss', 'accuracy', 'testLoss', 'testAccuracy'].map(
    async (name) => [name, await page.evaluate((n) => nnplayDebug.chartSeries(n), name)])));
  assert.deepEqual(series.loss.map((p) => p.x), Array.from({ length: EPOCHS }, (_, i) => i + 1));

  const model = join(tmp, 'a-model.json');
  const first = cli({ ...config, epochs: at }, { out: model });
  const second = cli({ ...config, optimizer: { ...config.optimizer, learning_rate: LR_B }, epochs: EPOCHS - at }, { init: model });
  const native = [...first, ...second];
  assert.deepEqual(native.map((m) => m.epoch), series.loss.map((p) => p.x));
  const page4 = (i) => [series.loss[i].y, series.accuracy[i].y, series.testLoss[i].y, series.testAccuracy[i].y];
  const cli4 = (m) => [m.loss, m.accuracy, m.test_loss, m.test_accuracy];
  for (let i = 0; i < EPOCHS; i++) assert.deepEqual(page4(i), cli4(native[i]), `epoch ${i + 1} (change after epoch ${at})`);
  // Not the run without the change: the rate did change the numbers.
  const unchanged = cli({ ...config, epochs: EPOCHS });
  assert.notDeepEqual(cli4(unchanged[EPOCHS - 1]), cli4(native[EPOCHS - 1]));
  console.log(`# lr ${LR_A} -> ${LR_B} after epoch ${at}: ${EPOCHS} epochs equal the CLI's two steps; final loss ${native.at(-1).loss}`);
  assert.deepEqual(problems, []);
  await close();
});
