// race.test.mjs: the playground's race (issue 11). The SGD / momentum / Adam race starts all three
// variants from the same weights and each gives, bit for bit, the losses of its config trained alone
// (the engine in Node, on the same wasm build); a 4-variant race keeps every main-thread task under
// 50 ms; the race's URL reproduces it after a reload, and Stop race returns to the playground; a bad
// race in the hash gives a one-line message and leaves the page usable. Screenshots of a running
// 4-variant race and of the optimisation lesson at 1400x900 and 390x844 go to build/screenshots/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpus, loadavg } from 'node:os';
import { launch, mainThreadTasks, openPage, screenshotPath } from './helpers.mjs';
import { installSchema, parseHash } from '../../web/js/state.mjs';
import { toCoreConfig } from '../../web/js/datasets.mjs';
import { parseRace, raceText, raceVariants } from '../../web/js/race-state.mjs';
import { engine } from '../node/_helpers.mjs';

// Two spiral arms; 160 training samples in batches of 12 (a short last batch of 4), shuffled.
const BASE = '#data=spiral&arms=2&samples=200&noise=0.1&test=0.2&dseed=1&hidden=8:relu,8:relu&out=sigmoid&loss=bce' +
  '&init=he_normal&opt=sgd&lr=0.03&mom=0.9&batch=12&epochs=25&seed=3&shuffle=1';
const OPTIMIZERS = `${BASE}&race=opt:sgd,momentum,adam`;

let env, eng;
before(async () => {
  eng = await engine();
  installSchema(eng.schema);   // state.mjs and race-state.mjs read the core's URL fields
  env = await launch();
});
after(async () => { await env?.close(); });

const raceReady = (page, n) => page.waitForFunction((k) => window.nnplayDebug?.race.ready && nnplayDebug.race.names.length === k, n, { timeout: 30000 });
const raceState = (page, s, timeout = 120000) => page.waitForFunction((x) => nnplayDebug.race.state === x, s, { timeout });
// The race's metrics per variant per epoch, without the seconds (a timing, not a result).
const metricsOf = (page) => page.evaluate(() => nnplayDebug.race.metrics().map((list) => list.map(({ seconds, ...m }) => m)));

test('SGD vs momentum vs Adam: identical initial weights, and each variant loses exactly what it loses alone', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + OPTIMIZERS);
  await raceReady(page, 3);
  assert.deepEqual(await page.evaluate(() => nnplayDebug.race.names), ['SGD', 'SGD + momentum', 'Adam']);
  assert.equal(await page.isVisible('#race-panel'), true);

  // The weights themselves, at epoch 0: the same in all three, and the same as a lone trainer's.
  const start = await page.evaluate(() => nnplayDebug.race.params());
  for (const other of start.slice(1)) assert.deepEqual(other, start[0]);
  assert.equal(await page.evaluate(() => nnplayDebug.race.sameStart), true);
  assert.match(await page.textContent('#race-note'), /same initial weights/);

  // The variants' configs are the page's config with the optimizer changed, nothing else.
  const configs = await page.evaluate(() => nnplayDebug.race.configs());
  const { spec } = parseRace(raceText(OPTIMIZERS));
  const expected = raceVariants(spec, parseHash(OPTIMIZERS).config).variants.map((v) => toCoreConfig(v.config));
  assert.deepEqual(configs, expected);
  assert.deepEqual(configs.map((c) => c.optimizer.name), ['sgd', 'momentum', 'adam']);

  await page.click('#race-play');
  await raceState(page, 'done');
  const raced = await metricsOf(page);
  assert.deepEqual(await page.evaluate(() => nnplayDebug.race.chartPoints()), [25, 25, 25]);

  configs.forEach((cfg, i) => {
    const alone = eng.createTrainer(cfg);
    try {
      const params = alone.params().map(({ W, b }) => ({ W: Array.from(W), b: Array.from(b) }));
      assert.deepEqual(start[i], params, `variant ${i}: initial weights of the config alone`);
      const lone = alone.trainEpochs(25);
      assert.equal(raced[i].length, 25);
      for (const k of ['epoch', 'loss', 'accuracy', 'test_loss', 'test_accuracy']) {
        assert.deepEqual(raced[i].map((m) => m[k]), lone.map((m) => m[k]), `variant ${i} (${cfg.optimizer.name}): ${k} per epoch`);
      }
    } finally {
      alone.free();
    }
  });
  // And the three really differ (the race shows something).
  assert.notEqual(raced[0].at(-1).loss, raced[2].at(-1).loss);
  console.log(`# race after 25 epochs, loss: ${raced.map((r, i) => `${configs[i].optimizer.name} ${r.at(-1).loss.toFixed(4)}`).join(', ')}`);
  assert.deepEqual(problems, []);
  await close();
});

test('variants that differ in learning rate, batch size, L2 or activation start from identical weights', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + BASE);
  const races = { 'lr:0.003,0.03,0.3,3': 'lr 0.003', 'batch:1,32,0': 'batch 1', 'l2:0,0.001,0.01': 'L2 0', 'activation:relu,sigmoid,tanh': 'relu' };
  for (const [race, first] of Object.entries(races)) {
    await page.evaluate(([base, r]) => { location.hash = `${base}&race=${r}`; }, [BASE, race]);
    const n = race.split(',').length;
    await page.waitForFunction(([k, name]) => nnplayDebug.race.ready && nnplayDebug.race.names.length === k && nnplayDebug.race.names[0] === name,
      [n, first]);
    const params = await page.evaluate(() => nnplayDebug.race.params());
    for (const other of params.slice(1)) assert.deepEqual(other, params[0], race);
    assert.equal(await page.evaluate(() => nnplayDebug.race.sameStart), true, race);
  }
  assert.deepEqual(problems, []);
  await close();
});

test('a 4-variant race keeps every main-thread task under 50 ms; screenshots of it running', async () => {
  const hash = '#data=spiral&arms=3&samples=600&noise=0.1&test=0.2&hidden=16:relu,16:relu&out=softmax&loss=cce&init=he_normal' +
    '&opt=sgd&batch=16&epochs=1000000&seed=1&shuffle=1&race=lr:0.003,0.03,0.3,3';
  const { page, problems, close } = await openPage(env.browser, env.url + hash, { viewport: { width: 1400, height: 900 } });
  await raceReady(page, 4);
  await page.waitForTimeout(300);
  const t0 = await page.evaluate(() => performance.now());
  const tasks = await mainThreadTasks(env.browser, page, async () => {
    await page.click('#race-play');
    await page.waitForTimeout(5000);
    await page.click('#race-play');
    await raceState(page, 'paused');
  });
  const { longTasks, frames, epoch, points } = await page.evaluate((start) => ({
    longTasks: window.__longTasks.filter((t) => t.start >= start),
    frames: window.__longFrames.filter((f) => f.start >= start),
    epoch: nnplayDebug.race.epoch,
    points: nnplayDebug.race.chartPoints(),
  }), t0);
  const load = loadavg()[0] / cpus().length;
  const cpu = Math.max(0, ...tasks.map((t) => t.cpu));
  const wall = Math.max(0, ...longTasks.map((t) => t.duration));
  console.log(`# 4-variant race, ${epoch} epochs in 5 s: ${tasks.length} main-thread tasks, most CPU ${cpu.toFixed(1)} ms; ` +
    `${longTasks.length} long tasks (PerformanceObserver 'longtask'), longest ${wall.toFixed(1)} ms (load per core ${load.toFixed(1)})`);
  assert.ok(epoch > 20, `raced ${epoch} epochs`);
  assert.equal(Math.max(...points), epoch, 'one chart point per epoch (lr 3 may have diverged and stopped early)');
  assert.ok(tasks.length > 50, `the trace holds the main thread's tasks (${tasks.length})`);
  assert.deepEqual(tasks.filter((t) => t.cpu > 50), [], `main-thread tasks over 50 ms of CPU; long frames: ${JSON.stringify(frames)}`);
  // By the wall clock (what the page's longtask observer sees): none on a machine with a core to spare.
  // On a loaded one (helpers share 2 cores; seen: load 8.7 per core) the OS stretches every task (a
  // 21 ms chart redraw took 919 ms), so there the CPU time above is the budget and the long tasks are
  // only printed with the long frames' scripts that explain them.
  if (load <= 1) assert.deepEqual(longTasks, [], `long tasks; the long frames around them: ${JSON.stringify(frames)}`);
  else if (longTasks.length) console.log(`# long frames (loaded machine): ${JSON.stringify(frames.map((f) => f.scripts))}`);

  // Screenshots of the race running: desktop, then a phone.
  await page.click('#race-play');
  await page.waitForFunction(() => nnplayDebug.race.epoch > 60);
  await page.screenshot({ path: screenshotPath('race-1400.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(600);
  await page.screenshot({ path: screenshotPath('race-390.png') });
  await page.locator('#race-panel').screenshot({ path: screenshotPath('race-390-panel.png') });
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'no horizontal scroll on a phone');
  await page.click('#race-play');
  await raceState(page, 'paused');
  assert.deepEqual(problems, []);
  await close();
});

test('a classic race is one click, its link reproduces it after a reload, and Stop race leaves it', async () => {
  const { page, problems, close } = await openPage(env.browser, `${env.url}${BASE}`);
  assert.equal(await page.isVisible('#race-panel'), false);
  await page.click('#race-open');
  await page.click('#race-presets button[data-race="init"]');
  await raceReady(page, 2);
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /&race=init:xavier_normal,he_normal$/);
  assert.match(hash, /hidden=16:relu,16:relu,16:relu,16:relu,16:relu,16:relu&/);
  assert.deepEqual(await page.evaluate(() => nnplayDebug.race.names), ['Xavier normal', 'He normal']);
  assert.equal(await page.evaluate(() => nnplayDebug.race.sameStart), false);   // the initialisers differ
  for (let i = 1; i <= 3; i++) {
    await page.click('#race-step');
    await page.waitForFunction((k) => nnplayDebug.race.epoch === k && nnplayDebug.race.state === 'paused', i);
  }
  const before = await metricsOf(page);

  await page.reload();
  await raceReady(page, 2);
  assert.equal(await page.evaluate(() => location.hash), hash);
  assert.deepEqual(await page.evaluate(() => nnplayDebug.race.names), ['Xavier normal', 'He normal']);
  for (let i = 1; i <= 3; i++) {
    await page.click('#race-step');
    await page.waitForFunction((k) => nnplayDebug.race.epoch === k && nnplayDebug.race.state === 'paused', i);
  }
  assert.deepEqual(await metricsOf(page), before);

  // Reset: epoch 0, the same first epoch again.
  await page.click('#race-reset');
  await page.waitForFunction(() => nnplayDebug.race.ready && nnplayDebug.race.epoch === 0);
  await page.click('#race-step');
  await page.waitForFunction(() => nnplayDebug.race.epoch === 1 && nnplayDebug.race.state === 'paused');
  assert.deepEqual((await metricsOf(page)).map((m) => m[0]), before.map((m) => m[0]));

  // Stop race: the playground as it was, its own controls back, the hash without the race.
  await page.click('#race-stop');
  await page.waitForFunction(() => !location.hash.includes('race='));
  assert.equal(await page.isVisible('#race-panel'), false);
  assert.equal(await page.isVisible('#play'), true);
  assert.equal(await page.isVisible('#output-panel'), true);
  await page.click('#step');
  await page.waitForFunction(() => nnplayDebug.epoch === 1);
  assert.deepEqual(problems, []);
  await close();
});

test('a bad race in the link: a one-line message, no race, and the page goes on working', async () => {
  const cases = [
    ['opt:sgd,rmsprop', 'URL: race=opt:sgd,rmsprop: "rmsprop" is not allowed for Optimizer (one of sgd, momentum, adam); no race.'],
    ['lr:0.1', 'URL: race=lr:0.1: 2 to 4 values are needed, not 1; no race.'],
    ['seed:1,2', 'URL: race=seed:1,2: "seed" cannot be raced (one of opt, lr, batch, l2, init, activation); no race.'],
    ['lr:0.1,0.1', 'URL: race=lr:0.1,0.1: the values must differ ("0.1" twice); no race.'],
    ['batch', 'URL: race=batch: write it as <field>:<value>,<value> with a field of opt, lr, batch, l2, init, activation (e.g. race=opt:sgd,momentum,adam); no race.'],
  ];
  const [first, ...rest] = cases;
  const { page, problems, close } = await openPage(env.browser, `${env.url}${BASE}&race=${first[0]}`);
  const lines = async () => page.$$eval('#messages li', (ls) => ls.map((l) => l.textContent));
  assert.deepEqual(await lines(), [first[1]]);
  assert.equal(await page.isVisible('#race-panel'), false);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /race=/);
  for (const [text, message] of rest) {
    await page.evaluate(([base, t]) => { location.hash = `${base}&race=${t}`; }, [BASE, text]);
    await page.waitForFunction((m) => [...document.querySelectorAll('#messages li')].some((l) => l.textContent === m), message);
    assert.deepEqual(await lines(), [message]);
    assert.ok(!message.includes('\n'));
  }
  // Still usable: the playground trains, and a good race in the link starts.
  await page.click('#step');
  await page.waitForFunction(() => nnplayDebug.epoch === 1);
  await page.evaluate((base) => { location.hash = `${base}&race=batch:1,32,0`; }, BASE);
  await raceReady(page, 3);
  assert.deepEqual(await page.evaluate(() => nnplayDebug.race.names), ['batch 1', 'batch 32', 'full batch']);
  // The panel's own form says the same in its words, on one line.
  assert.equal(await page.isVisible('#race-field'), false, 'the race menu is folded while a race runs');
  await page.click('#race-setup summary');
  await page.selectOption('#race-field', 'lr');
  await page.fill('#race-values', '0.1,-1');
  await page.click('#race-form button[type="submit"]');
  assert.equal(await page.textContent('#race-error'),
    'Race: lr:0.1,-1: "-1" is not allowed for Learning rate (a number > 0 and <= 10); no race.');
  assert.deepEqual(problems, []);
  await close();
});

test('the optimisation lesson races its optimisers and links to the same race; screenshots at 1400x900 and 390x844', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${env.url}lessons/optimisation.html`);
  const frames = () => page.frames().filter((f) => f.url().includes('race='));
  await page.waitForFunction(() => document.querySelectorAll('iframe').length > 0);
  assert.ok(frames().length >= 1, 'a race view in the lesson');
  const frame = frames()[0];
  await frame.waitForFunction(() => window.nnplayEmbed?.ready === true && nnplayEmbed.race?.names.length === 3, null, { timeout: 30000 });
  await frame.click('#play');
  await frame.waitForFunction(() => nnplayEmbed.epoch >= 60, null, { timeout: 120000 });
  await frame.click('#play');
  await frame.waitForFunction(() => nnplayEmbed.playing === false);
  await page.evaluate(() => document.querySelector('iframe[src*="race="]').scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: screenshotPath('lesson-optimisation-race-1400.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => document.querySelector('iframe[src*="race="]').scrollIntoView({ block: 'center' }));
  await page.waitForTimeout(600);
  await page.screenshot({ path: screenshotPath('lesson-optimisation-race-390.png') });
  // Its "Open in the playground" link opens the same race there.
  const href = await page.$eval('iframe[src*="race="] + figcaption a.open', (a) => a.href);
  assert.match(href, /&race=opt:sgd,momentum,adam/);
  await page.goto(href);
  await raceReady(page, 3);
  assert.deepEqual(await page.evaluate(() => nnplayDebug.race.names), ['SGD', 'SGD + momentum', 'Adam']);
  assert.deepEqual(problems, []);
  await context.close();
});
