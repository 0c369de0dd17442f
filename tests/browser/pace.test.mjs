// pace.test.mjs: the play bar's pace (issue 12). The slider is labelled, moves with the keyboard and
// is in the link; at the slowest pace (slow motion, 2 mini-batch steps a second) the heat map is
// redrawn after every step and the loss chart gains its batch points one at a time; Step one batch
// moves one mini-batch, and finishing the epoch with Step one epoch gives exactly that epoch's
// numbers; "30 epochs/s" holds its clock and full pace, chosen while playing, is far faster (the
// precise figure: bench/, "page: training samples/s at full pace"). Screenshots of slow motion
// mid-run, desktop and phone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { XOR_HASH, debug, launch, openPage, screenshotPath } from './helpers.mjs';

const LONG = XOR_HASH.replace('epochs=150', 'epochs=1000000');   // 320 training samples, batch 10: 32 steps an epoch

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

// Watches the page until `count` changes of (heat-map frames, batch points) were seen; returns each
// state seen, with the loss chart's drawn batch points (Chart.js's own data).
const watchSteps = (page, count) => page.evaluate((n) => new Promise((resolve) => {
  const log = [];
  const drawn = () => globalThis.Chart.getChart('loss-chart').data.datasets[2].data.length;
  const state = () => ({ frames: nnplayDebug.frames, points: nnplayDebug.batchPoints().length, position: nnplayDebug.position,
    epoch: nnplayDebug.epoch, drawn: drawn() });
  const poll = () => {
    const s = state();
    const last = log.at(-1);
    if (!last || s.frames !== last.frames || s.points !== last.points || s.drawn !== last.drawn) log.push(s);
    if (log.filter((e, i) => i === 0 || e.points !== log[i - 1].points).length > n) return resolve(log);
    requestAnimationFrame(poll);
  };
  poll();
}), count);

test('the pace slider is labelled, keyboard driven and in the link', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + XOR_HASH);
  assert.equal(await page.textContent('label[for="pace"]'), 'Pace');
  assert.equal(await page.getAttribute('#pace', 'aria-valuetext'), 'as fast as possible');
  assert.doesNotMatch(page.url(), /pace=/, 'the default pace is not written into links');
  await page.focus('#pace');
  await page.keyboard.press('Home');
  assert.equal(await page.getAttribute('#pace', 'aria-valuetext'), 'slow motion: 2 batches/s');
  assert.equal(await page.textContent('#pace-text'), 'slow motion: 2 batches/s');
  assert.match(page.url(), /&pace=b2$/);
  await page.keyboard.press('ArrowRight');
  assert.match(page.url(), /&pace=b5$/);
  // A link with a pace opens at it; a bad one says so in the control's words.
  const other = await openPage(env.browser, `${env.url}${XOR_HASH}&pace=e3`);
  assert.equal(await other.page.getAttribute('#pace', 'aria-valuetext'), '3 epochs/s');
  await other.close();
  const bad = await openPage(env.browser, `${env.url}${XOR_HASH}&pace=fast`);
  assert.match(await bad.page.textContent('#messages'), /Pace: "fast" is not allowed \(one of b2, .*max\); using "as fast as possible"/);
  assert.doesNotMatch(await bad.page.textContent('#messages'), /unknown field/);
  await bad.close();
  assert.deepEqual(problems, []);
  await close();
});

test('slow motion: the heat map is redrawn after every batch step and the chart gains one point per step', async () => {
  const { page, problems, close } = await openPage(env.browser, `${env.url}${LONG}&pace=b2`);
  assert.equal(await page.getAttribute('#pace', 'aria-valuetext'), 'slow motion: 2 batches/s');
  await page.click('#play');
  const t0 = Date.now();
  const log = await watchSteps(page, 6);
  const seconds = (Date.now() - t0) / 1000;
  const steps = log.filter((e, i) => i > 0 && e.points !== log[i - 1].points);
  for (const s of steps) {
    const before = log[log.indexOf(s) - 1];
    assert.equal(s.points, before.points + 1, `one batch point at a time: ${JSON.stringify(log)}`);
    assert.equal(s.frames, before.frames + 1, `one heat-map frame per step: ${JSON.stringify(log)}`);
    assert.equal(s.position, before.position + 10, 'one mini-batch of 10 samples per step');
    assert.equal(s.epoch, 0, 'all inside the first epoch');
  }
  // What Chart.js draws follows point by point: every count from the first to the last is drawn.
  const drawn = [...new Set(log.map((e) => e.drawn))];
  const last = log.at(-1).points;
  for (let k = log[0].points + 1; k < last; k++) assert.ok(drawn.includes(k), `the chart drew ${k} points at some time: ${drawn}`);
  assert.ok(seconds > 2 && seconds < 15, `6 steps at 2 a second took ${seconds} s`);
  assert.match(await page.textContent('#epoch-position'), /^epoch 1: \d+\/320 samples$/);
  await page.screenshot({ path: screenshotPath('slow-motion.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: screenshotPath('slow-motion-phone.png') });
  await page.locator('#loss-chart').scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('slow-motion-phone-chart.png') });
  await page.setViewportSize({ width: 1400, height: 1000 });

  // Pause keeps the place inside the epoch; a faster pace goes on from it and finishes the epoch.
  await page.click('#play');
  await page.waitForFunction(() => !nnplayDebug.playing);
  const paused = await debug(page);
  const position = await page.evaluate(() => nnplayDebug.position);
  assert.ok(position > 0 && position < 320);
  await page.focus('#pace');
  await page.keyboard.press('End');
  await page.click('#play');
  await page.waitForFunction(() => nnplayDebug.epoch >= 3);
  await page.click('#play');
  await page.waitForFunction(() => !nnplayDebug.playing);
  const d = await debug(page);
  assert.equal(d.points.loss, d.epoch, 'one point per finished epoch');
  assert.equal(paused.points.loss, 0);
  assert.deepEqual(problems, []);
  await close();
});

test('Step one batch moves one mini-batch; Step one epoch then finishes that epoch with its exact numbers', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + LONG);
  for (let i = 1; i <= 3; i++) {
    await page.click('#step-batch');
    await page.waitForFunction((n) => nnplayDebug.batchPoints().length === n && !nnplayDebug.busy &&
      document.getElementById('run-state').textContent === 'paused', i);
    assert.equal(await page.evaluate(() => nnplayDebug.position), 10 * i);
  }
  assert.equal((await debug(page)).epoch, 0);
  assert.deepEqual((await page.evaluate(() => nnplayDebug.batchPoints())).map((p) => p.x), [10 / 320, 20 / 320, 30 / 320]);
  assert.match(await page.textContent('#epoch-position'), /^epoch 1: 30\/320 samples$/);
  await page.click('#step');
  await page.waitForFunction(() => nnplayDebug.epoch === 1);
  const stepped = (await debug(page)).last;
  assert.equal(await page.evaluate(() => nnplayDebug.position), 0);
  assert.equal(await page.textContent('#epoch-position'), '');

  await page.click('#reset');
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.epoch === 0 && nnplayDebug.batchPoints().length === 0);
  await page.click('#step');
  await page.waitForFunction(() => nnplayDebug.epoch === 1);
  const whole = (await debug(page)).last;
  const strip = ({ seconds, ...rest }) => rest;
  assert.deepEqual(strip(stepped), strip(whole), 'three batch steps and the rest of the epoch = one whole epoch');
  assert.deepEqual(problems, []);
  await close();
});

// Epochs per second of the running page over `ms` milliseconds (after a first epoch).
async function epochRate(page, ms) {
  const a = await page.evaluate(() => ({ t: performance.now(), epoch: nnplayDebug.epoch }));
  await page.waitForFunction(([t, d]) => performance.now() - t > d, [a.t, ms], { polling: 100 });
  const b = await page.evaluate(() => ({ t: performance.now(), epoch: nnplayDebug.epoch }));
  return (b.epoch - a.epoch) / ((b.t - a.t) / 1000);
}

test('full pace trains without the clock of the paced settings (loose; bench/ has the figure)', async () => {
  const hash = '#data=spiral&arms=3&samples=600&hidden=16:relu,16:relu&out=softmax&loss=cce&opt=adam&lr=0.01&batch=16&epochs=1000000';
  const { page, problems, close } = await openPage(env.browser, `${env.url}${hash}&pace=e30`);
  await page.click('#play');
  await page.waitForFunction(() => nnplayDebug.epoch >= 5);
  const paced = await epochRate(page, 2000);
  await page.focus('#pace');
  await page.keyboard.press('End');   // as fast as possible, while playing
  assert.equal(await page.evaluate(() => nnplayDebug.pace), 'max');
  await page.waitForFunction(() => nnplayDebug.epoch >= 5);
  const full = await epochRate(page, 3000);
  await page.click('#play');
  console.log(`# spiral 16-16: ${paced.toFixed(0)} epochs/s at "30 epochs/s", ${full.toFixed(0)} at full pace (${Math.round(full * 480)} samples/s)`);
  assert.ok(paced > 20 && paced <= 36, `the 30 epochs/s clock holds: ${paced}`);
  assert.ok(full > 3 * paced, `full pace is not held to a clock: ${full} epochs/s`);
  assert.deepEqual(problems, []);
  await close();
});
