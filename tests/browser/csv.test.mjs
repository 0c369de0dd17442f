// csv.test.mjs: your own CSV in the page. A malformed file (a bad cell in row 7 column 3, a ragged
// row, an empty file, a file over the size limit) is refused with a message that names the place and
// the problem, and the running session (config, link, trainer, epoch) is untouched. A good file is
// taken: the target is picked from its header, classification or regression follows the target and
// can be overridden, numeric features are standardised, the test set's confusion matrix or scatter
// is shown. A link to a CSV run keeps its settings and waits for the file. Screenshot: csv.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XOR_HASH, debug, irisCsv, launch, messageWith, openPage, screenshotPath, waitReady } from './helpers.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const csvFile = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

// Steps one epoch and returns its loss (the trainer is the one it was, or the step fails).
async function stepLoss(page) {
  const e = await page.evaluate(() => nnplayDebug.epoch);
  await page.click('#step');
  await page.waitForFunction((n) => nnplayDebug.epoch === n + 1 && !nnplayDebug.busy, e);
  return (await debug(page)).last.loss;
}

test('a CSV with a bad cell in row 7 column 3 (or ragged, empty, too large) is refused with the place; the session is untouched', async () => {
  // The reference: the same xor run, stepped 3 times without any file dropped.
  const ref = await openPage(env.browser, env.url + XOR_HASH);
  const refLosses = [await stepLoss(ref.page), await stepLoss(ref.page), await stepLoss(ref.page)];
  await ref.close();

  const { page, problems, close } = await openPage(env.browser, env.url + XOR_HASH);
  assert.equal(await stepLoss(page), refLosses[0]);
  const before = await debug(page);
  const url = page.url();
  const rows = ['id,height,age,label', ...Array.from({ length: 12 }, (_, i) => `${i},${170 + i},${30 + i},${i % 2}`)];
  rows[7] = '6,176,abc,0';
  await page.setInputFiles('#csv-file', csvFile('people.csv', rows.join('\n')));
  let text = await messageWith(page, 'people.csv refused');
  assert.match(text, /people\.csv refused; nothing changed:\s*csv: data row 7 \(line 8\), column 3 \("age"\): "abc" is not a number/);
  assert.match(await page.textContent('#csv-summary'), /people\.csv refused: csv: data row 7 \(line 8\), column 3/);

  const dir = mkdtempSync(join(tmpdir(), 'nnplay-csv-'));
  try {
    const big = join(dir, 'big.csv');
    writeFileSync(big, Buffer.alloc(50 * 1024 * 1024 + 1, 0x31));
    for (const [file, needle, re] of [
      [csvFile('ragged.csv', 'a,b,c\n1,2,3\n4,5\n'), 'ragged.csv', /csv: data row 2 \(line 3\) has 2 cells; the header has 3/],
      [csvFile('empty.csv', ''), 'empty.csv', /csv: the file is empty \(a header row and data rows are needed\)/],
      [csvFile('header.csv', 'a,b\n'), 'header.csv', /csv: 0 data rows; at least 2 are needed/],
      [csvFile('quote.csv', 'a,b\n1,"2\n3,4\n'), 'quote.csv', /csv: line 2: a quoted cell is not closed/],
      [big, 'big.csv', /csv: the file is 52428801 bytes; the limit is 52428800 bytes \(50 MiB\)/],
    ]) {
      await page.setInputFiles('#csv-file', file);
      text = await messageWith(page, `${needle} refused`);
      assert.match(text, re);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const afterAll = await debug(page);
  assert.deepEqual(afterAll.config, before.config);
  assert.equal(afterAll.epoch, 1);
  assert.equal(page.url(), url);
  assert.equal(await page.evaluate(() => nnplayDebug.data), 'xor');
  assert.equal(await page.inputValue('#data'), 'xor');
  assert.deepEqual([await stepLoss(page), await stepLoss(page)], refLosses.slice(1), 'the same trainer trains on');
  assert.deepEqual(problems, []);
  await close();
});

// A numeric CSV: house size, rooms (integers 1 to 6), age, and a price with decimals.
function housesCsv() {
  let seed = 3;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const rows = ['size,rooms,age,price'];
  for (let i = 0; i < 200; i++) {
    const rooms = 1 + Math.floor(6 * rnd()), size = 30 + 25 * rooms + 20 * rnd(), age = Math.floor(80 * rnd());
    rows.push(`${size.toFixed(1)},${rooms},${age},${(2.1 * size - 0.8 * age + 15 * rnd()).toFixed(2)}`);
  }
  return rows.join('\n') + '\n';
}

test('a good CSV trains: the label column becomes the target, classification follows, test results shown', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + '#data=xor&hidden=16:tanh&opt=adam&lr=0.01&batch=16&epochs=60');
  await page.setInputFiles('#csv-file', csvFile('iris.csv', irisCsv()));
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.data === 'csv');
  // The last column (petal_wid) is a number; species holds text from row 1 on, so it is the target.
  assert.match(await page.textContent('#messages'), /column "species" holds text in data row 1 \(line 2\), so it is the target/);
  let d = await debug(page);
  assert.deepEqual([d.config.dataset.target, d.config.dataset.task, d.config.loss, d.config.network.layers],
    ['species', 'auto', 'cce', [{ units: 16, activation: 'tanh' }, { units: 3, activation: 'softmax' }]]);
  assert.deepEqual(await page.$$eval('#target option', (o) => o.map((x) => x.value)), ['sepal_len', 'sepal_wid', 'species', 'petal_len', 'petal_wid']);
  assert.equal(await page.inputValue('#target'), 'species');
  assert.match(await page.textContent('#csv-summary'),
    /iris\.csv \(.* kB\): 150 rows \(120 train, 30 test\), 4 feature columns, classification, 3 classes \(setosa, versicolor, virginica\)\./);
  assert.match(page.url(), /#data=csv&.*&target=species&task=auto&std=1&/);
  assert.equal(await page.isVisible('#boundary-figure'), false);
  await page.click('#play');
  await page.waitForFunction(() => nnplayDebug.epoch === 60 && !nnplayDebug.playing, null, { timeout: 60000 });
  d = await debug(page);
  assert.ok(d.last.test_accuracy > 0.9, `test accuracy ${d.last.test_accuracy}`);
  const ins = await page.evaluate(() => nnplayDebug.insight());
  assert.equal(ins.confusion.matrix.reduce((a, b) => a + b, 0), 30, 'the confusion matrix sums to the 30 test rows');
  assert.equal(await page.locator('#confusion tbody tr').count(), 3);
  const hist = await page.evaluate(() => nnplayDebug.histograms());
  assert.deepEqual(hist.weights.map((l) => l.name), ['4→16 tanh', '16→3 softmax']);
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: screenshotPath('csv.png'), fullPage: true });

  // Overridden to regression: text labels cannot be, so it is refused and nothing changes.
  await page.selectOption('#task', 'regression');
  assert.match(await messageWith(page, 'holds non-numeric labels'),
    /iris\.csv refused; nothing changed:\s*config: dataset\.task: "regression" is not allowed: the target column "species" holds non-numeric labels/);
  await waitReady(page);
  d = await debug(page);
  assert.deepEqual([d.epoch, d.config.dataset.task, d.config.loss], [60, 'auto', 'cce']);
  assert.deepEqual(problems, []);
  await close();
});

test('a numeric CSV: a decimal target is regression, an integer one classification, and the task can be overridden', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + '#data=xor&epochs=20');
  await page.setInputFiles('#csv-file', csvFile('houses.csv', housesCsv()));
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.data === 'csv');
  let d = await debug(page);
  assert.deepEqual([d.config.dataset.target, d.config.loss, d.config.network.layers.at(-1)], ['price', 'mse', { units: 1, activation: 'linear' }]);
  assert.match(await page.textContent('#csv-summary'), /houses\.csv .*200 rows \(160 train, 40 test\), 3 feature columns, regression\./);
  await page.click('#play');
  await page.waitForFunction(() => nnplayDebug.epoch === 20 && !nnplayDebug.playing, null, { timeout: 60000 });
  assert.equal(await page.isVisible('#scatter-figure'), true);
  const ins = await page.evaluate(() => nnplayDebug.insight());
  assert.equal(ins.regression.m, 40);
  assert.equal(ins.regression.pairs.length, 80);
  assert.match(await page.textContent('#confusion-caption'), /40 test rows/);
  await page.selectOption('#target', 'rooms');   // integers 1 to 6: classes
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.config.dataset.target === 'rooms');
  d = await debug(page);
  assert.deepEqual([d.config.loss, d.config.network.layers.at(-1)], ['cce', { units: 6, activation: 'softmax' }]);
  assert.match(await page.textContent('#csv-summary'), /classification, 6 classes \(1, 2, 3, 4, 5, 6\)/);
  await page.selectOption('#task', 'regression');   // overridden: rooms as a quantity
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.config.dataset.task === 'regression');
  d = await debug(page);
  assert.deepEqual([d.config.loss, d.config.network.layers.at(-1)], ['mse', { units: 1, activation: 'linear' }]);
  assert.match(page.url(), /target=rooms&task=regression/);
  assert.deepEqual(problems, []);
  await close();
});

test('a link to a CSV run keeps its settings and waits for the file', async () => {
  const hash = '#data=csv&target=species&task=auto&test=0.3&hidden=6:relu&out=softmax&loss=cce&opt=adam&lr=0.02&epochs=40';
  const { page, problems, close } = await openPage(env.browser, env.url + hash, { wait: 'idle' });
  assert.equal(await page.textContent('#run-state'), 'waiting for a CSV file');
  assert.match(await page.textContent('#messages'), /trains on a CSV file \(target "species", task auto\), and a link or a config file cannot carry the file: drop it/);
  assert.equal(await page.isDisabled('#play'), true);
  assert.equal(await page.isVisible('#csv-drop'), true);
  await page.setInputFiles('#csv-file', csvFile('iris.csv', irisCsv()));
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.data === 'csv');
  const d = await debug(page);
  assert.deepEqual([d.config.dataset.target, d.config.dataset.test_ratio, d.config.network.layers], ['species', 0.3, [{ units: 6, activation: 'relu' }, { units: 3, activation: 'softmax' }]]);
  assert.match(await page.textContent('#csv-summary'), /150 rows \(105 train, 45 test\)/);
  // Copy link says the file is not in it.
  await page.click('#copy-link');
  assert.match(await messageWith(page, 'not your CSV file'), /The link holds the settings, not your CSV file/);
  assert.deepEqual(problems, []);
  await close();
});

test('Export config of a CSV run carries the CSV; importing it trains on the same data', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + '#data=xor');
  await page.setInputFiles('#csv-file', csvFile('iris.csv', irisCsv()));
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.data === 'csv');
  await page.selectOption('#target', 'species');
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.config.dataset.target === 'species');
  const before = await debug(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const text = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
  const exported = JSON.parse(text);
  assert.equal(exported.dataset.csv, irisCsv());
  assert.equal(exported.dataset.target, 'species');
  await page.goto(env.url);
  await waitReady(page);
  await page.setInputFiles('#import', { name: 'iris-config.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.data === 'csv');
  assert.deepEqual((await debug(page)).config, before.config);
  assert.deepEqual(problems, []);
  await close();
});
