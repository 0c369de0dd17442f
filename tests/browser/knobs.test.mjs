// knobs.test.mjs: the classic knobs of issue 12 in the page: L1 beside L2 (a field, in the link,
// and it changes the run), MSE with a sigmoid or softmax output on classification data (offered,
// kept by a link, and trained), and the heat map's "show test data" and "discretize output" toggles
// (they redraw, stay in the link, and never restart training).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { XOR_HASH, debug, launch, openPage, playToEnd, waitReady } from './helpers.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

async function stepLosses(page, n) {
  const losses = [];
  for (let k = 0; k < n; k++) {
    const e = await page.evaluate(() => nnplayDebug.epoch);
    await page.click('#step');
    await page.waitForFunction((x) => nnplayDebug.epoch === x + 1 && !nnplayDebug.busy, e);
    losses.push((await debug(page)).last.loss);
  }
  return losses;
}

test('L1 sits beside L2: labelled from the core, in the link, and it changes the run', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + XOR_HASH);
  assert.equal(await page.textContent('label[for="l1"]'), 'L1');
  assert.equal(await page.inputValue('#l1'), '0');
  const plain = await stepLosses(page, 3);
  await page.fill('#l1', '0.01');
  await page.press('#l1', 'Enter');
  // L1 is a live setting (the core's update_settings takes it): the run goes on; Reset starts it again.
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.config.l1 === 0.01 && nnplayDebug.epoch === 3);
  await page.click('#reset');
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.epoch === 0);
  assert.match(page.url(), /[#&]l1=0\.01(&|$)/);
  const withL1 = await stepLosses(page, 3);
  assert.notDeepEqual(withL1, plain, 'the penalty changes the updates, so the losses');
  const again = await openPage(env.browser, page.url());
  assert.equal((await debug(again.page)).config.l1, 0.01);
  assert.equal(await again.page.inputValue('#l1'), '0.01');
  await again.close();
  assert.deepEqual(problems, []);
  await close();
});

test('MSE with a sigmoid or softmax output on classification data: offered, linked and trained', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + '#data=gaussians&epochs=30');
  const options = await page.$$eval('#output option', (o) => o.map((x) => x.value));
  assert.deepEqual(options.sort(), ['sigmoid|bce', 'sigmoid|mse', 'softmax|cce', 'softmax|mse']);
  await page.selectOption('#output', 'sigmoid|mse');
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.config.loss === 'mse');
  let d = await debug(page);
  assert.deepEqual(d.config.network.layers.at(-1), { units: 1, activation: 'sigmoid' });
  assert.match(await page.textContent('#output-why'), /f'|derivative/);
  await playToEnd(page);
  d = await debug(page);
  console.log(`# gaussians, sigmoid + MSE: train accuracy ${d.last.accuracy} after 30 epochs`);
  assert.ok(d.last.accuracy > 0.9, `sigmoid + MSE learns: ${d.last.accuracy}`);

  await page.selectOption('#output', 'softmax|mse');
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.config.network.layers.at(-1).activation === 'softmax');
  d = await debug(page);
  assert.deepEqual([d.config.loss, d.config.network.layers.at(-1).units], ['mse', 2]);
  await playToEnd(page);
  d = await debug(page);
  console.log(`# gaussians, softmax + MSE: train accuracy ${d.last.accuracy} after 30 epochs`);
  assert.ok(d.last.accuracy > 0.9, `softmax + MSE learns: ${d.last.accuracy}`);

  // Three classes: softmax + MSE, no one-output sigmoid; a link keeps the pair with no message.
  const spiral = await openPage(env.browser, env.url + '#data=spiral&arms=3&out=softmax&loss=mse');
  d = await debug(spiral.page);
  assert.deepEqual([d.config.loss, d.config.network.layers.at(-1)], ['mse', { units: 3, activation: 'softmax' }]);
  assert.equal(await spiral.page.textContent('#messages'), '');
  const spiralOptions = await spiral.page.$$eval('#output option', (o) => o.map((x) => x.value));
  assert.ok(spiralOptions.includes('softmax|mse') && !spiralOptions.includes('sigmoid|mse'), spiralOptions.join());
  await spiral.page.click('#step');
  await spiral.page.waitForFunction(() => nnplayDebug.epoch === 1);
  assert.ok(Number.isFinite((await debug(spiral.page)).last.loss));
  assert.deepEqual(spiral.problems, []);
  await spiral.close();
  assert.deepEqual(problems, []);
  await close();
});

test('"Show test data" and "Discretize output" redraw the heat map, stay in the link, and keep the run', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + '#data=circle&test=0.3');
  await stepLosses(page, 2);
  const heat = () => page.evaluate(() => nnplayDebug.heatMap());
  let h = await heat();
  assert.equal(await page.isChecked('#show-test'), true);
  assert.equal(await page.isChecked('#discretize'), false);
  assert.ok(h.testPoints > 0 && h.trainPoints > 0, JSON.stringify(h));
  assert.ok(h.cellColors > 20, `shades of sureness: ${h.cellColors} colours`);
  const picture = () => page.evaluate(() => document.getElementById('boundary').toDataURL());
  const before = await picture();

  await page.uncheck('#show-test');
  await page.waitForFunction(() => nnplayDebug.heatMap().testPoints === 0);
  assert.notEqual(await picture(), before);
  assert.match(page.url(), /[#&]showtest=0(&|$)/);
  await page.check('#discretize');
  await page.waitForFunction(() => nnplayDebug.heatMap().discretize);
  h = await heat();
  assert.ok(h.cellColors <= 2, `two classes, two colours: ${h.cellColors}`);
  assert.match(await page.textContent('#boundary-legend'), /each cell in its predicted class's colour\. Dots: train \(test hidden\)/);
  assert.match(page.url(), /[#&]discrete=1(&|$)/);
  const d = await debug(page);
  assert.equal(d.epoch, 2, 'the run goes on: no restart');
  assert.equal(d.points.loss, 2);

  const again = await openPage(env.browser, page.url());
  assert.equal(await again.page.isChecked('#show-test'), false);
  assert.equal(await again.page.isChecked('#discretize'), true);
  await again.page.waitForFunction(() => nnplayDebug.heatMap()?.discretize === true && nnplayDebug.heatMap().testPoints === 0);
  assert.equal(await again.page.textContent('#messages'), '', 'the link is understood');
  await again.close();
  await waitReady(page);
  assert.deepEqual(problems, []);
  await close();
});
