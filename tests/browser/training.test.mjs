// training.test.mjs: the page trains in its worker: a URL-configured xor run learns (> 95%
// accuracy) with exactly one chart point per finished epoch; Play/Pause, Step and Reset do what
// their labels say; Reset with the same seed repeats the first epoch exactly; the main thread has
// no task over 50 ms of CPU while training; a screenshot of the trained page is saved under build/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadavg } from 'node:os';
import { XOR_HASH, debug, launch, mainThreadTasks, openPage, playToEnd, screenshotPath } from './helpers.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

test('a URL-configured xor run passes 95% accuracy with one chart point per epoch', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + XOR_HASH);
  await playToEnd(page);
  const d = await debug(page);
  assert.equal(d.epoch, 150);
  assert.ok(d.last.accuracy > 0.95, `train accuracy ${d.last.accuracy}`);
  assert.ok(d.last.test_accuracy > 0.95, `test accuracy ${d.last.test_accuracy}`);
  assert.deepEqual(d.points, { loss: 150, testLoss: 150, accuracy: 150, testAccuracy: 150 });
  const series = await page.evaluate(() => nnplayDebug.chartSeries('loss'));
  assert.deepEqual(series.map((p) => p.x), Array.from({ length: 150 }, (_, i) => i + 1));
  assert.equal(series.at(-1).y, d.last.loss);
  const accuracy = await page.evaluate(() => nnplayDebug.chartSeries('testAccuracy'));
  const first95 = accuracy.find((p) => p.y > 0.95)?.x;
  assert.equal(await page.textContent('#epoch'), '150');
  assert.match(await page.textContent('#speed'), /^[\d,]+$/);
  await page.screenshot({ path: screenshotPath('trained-xor.png'), fullPage: true });
  console.log(`# xor: test accuracy first above 95% at epoch ${first95}; at epoch ${d.epoch}: train accuracy ${d.last.accuracy}, test accuracy ${d.last.test_accuracy}, ` +
    `samples/s ${await page.textContent('#speed')}`);
  assert.deepEqual(problems, []);
  await close();
});

test('Pause stops, Step trains exactly one epoch, Reset repeats the first epoch', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + XOR_HASH.replace('epochs=150', 'epochs=1000000'));
  assert.equal(await page.textContent('#play'), 'Play');
  await page.click('#step');
  await page.waitForFunction(() => nnplayDebug.epoch === 1);
  const first = (await debug(page)).last;

  await page.click('#play');
  assert.equal(await page.textContent('#play'), 'Pause');
  assert.equal(await page.isDisabled('#step'), true);
  await page.waitForFunction(() => nnplayDebug.epoch > 20);
  await page.click('#play');   // now labelled Pause
  await page.waitForFunction(() => nnplayDebug.playing === false);
  assert.equal(await page.textContent('#play'), 'Play');
  const paused = await debug(page);
  await page.waitForTimeout(400);
  const later = await debug(page);
  assert.equal(later.epoch, paused.epoch, 'no epoch while paused');
  assert.equal(later.points.loss, paused.epoch);

  await page.click('#step');
  await page.waitForFunction((e) => nnplayDebug.epoch === e + 1, paused.epoch);
  assert.equal((await debug(page)).points.loss, paused.epoch + 1);

  await page.click('#reset');
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.epoch === 0);
  assert.equal((await debug(page)).points.loss, 0);
  await page.click('#step');
  await page.waitForFunction(() => nnplayDebug.epoch === 1);
  const again = (await debug(page)).last;
  assert.equal(again.loss, first.loss);
  assert.equal(again.test_loss, first.test_loss);
  assert.deepEqual(problems, []);
  await close();
});

test('no main-thread task over 50 ms while training', async () => {
  // Spiral with a wider network: a few seconds of training with boundary, diagram and charts live.
  // The budget is on each task's CPU time, so that a busy machine does not fail it; the wall-clock
  // figures (long tasks as the page sees them) are printed, and measured in `npm run bench`.
  const hash = '#data=spiral&arms=3&samples=600&hidden=16:relu,16:relu&out=softmax&loss=cce&opt=adam&lr=0.01&batch=16&epochs=1000000';
  const { page, problems, close } = await openPage(env.browser, env.url + hash);
  await page.waitForTimeout(300);
  const start = await page.evaluate(() => performance.now());
  const tasks = await mainThreadTasks(env.browser, page, async () => {
    await page.click('#play');
    await page.waitForTimeout(5000);
    await page.click('#play');
    await page.waitForFunction(() => nnplayDebug.playing === false);
  });
  const { longTasks, frames, epoch, points } = await page.evaluate((t0) => ({
    longTasks: window.__longTasks.filter((t) => t.start >= t0),
    frames: window.__longFrames.filter((f) => f.start >= t0),
    epoch: nnplayDebug.epoch,
    points: nnplayDebug.chartPoints().loss,
  }), start);
  const cpu = Math.max(0, ...tasks.map((t) => t.cpu));
  const wall = Math.max(0, ...longTasks.map((t) => t.duration));
  console.log(`# main thread while training ${epoch} epochs: ${tasks.length} tasks, most CPU ${cpu.toFixed(1)} ms; ` +
    `${longTasks.length} long tasks by the wall clock, longest ${wall.toFixed(1)} ms ` +
    `(load average ${loadavg().map((x) => x.toFixed(1)).join(' ')})`);
  assert.ok(epoch > 50, `trained ${epoch} epochs`);
  assert.equal(points, epoch);
  assert.ok(tasks.length > 50, `the trace holds the main thread's tasks (${tasks.length})`);
  const over = tasks.filter((t) => t.cpu > 50);
  assert.deepEqual(over, [], `main-thread tasks over 50 ms of CPU; the long frames around them: ${JSON.stringify(frames)}`);
  assert.deepEqual(problems, []);
  await close();
});
