// fashion.test.mjs: Fashion-MNIST in headless Chromium. The asset (the standard 60,000 / 10,000 split,
// gzipped) loads on demand with a progress bar; the 784-128-10 relu/softmax network with Adam passes
// 84% test accuracy after one epoch on the full split (the time is printed); after each epoch the confusion matrix (summing to the test set size), the
// accuracy per class and misclassified images with predicted and true labels are shown; the
// drawing pad classifies what is drawn; the one-file page opened from disk offers a file chooser
// for the asset and trains once it is chosen. Screenshots go to build/screenshots/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DIST, debug, launch, openPage, screenshotPath, waitReady } from './helpers.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

// Every text #fashion-status showed, recorded from the start (to see the progress).
function recordStatus() {
  window.__fashionStatus = [];
  addEventListener('DOMContentLoaded', () => {
    const node = document.getElementById('fashion-status');
    new MutationObserver(() => window.__fashionStatus.push(node.textContent)).observe(node, { childList: true, characterData: true, subtree: true });
  });
}

test('Fashion-MNIST: 784-128-10 relu/softmax with Adam passes 84% test accuracy after one epoch on the full split', async () => {
  const t0 = Date.now();
  const { page, problems, close } = await openPage(env.browser, env.url + '#data=fashion_mnist&epochs=1', { init: recordStatus });
  const loadMs = Date.now() - t0;
  const { config } = await debug(page);
  assert.deepEqual(config.network.layers, [{ units: 128, activation: 'relu' }, { units: 10, activation: 'softmax' }]);
  assert.deepEqual([config.loss, config.init, config.optimizer.name, config.optimizer.learning_rate, config.batch_size, config.epochs, config.dataset.samples],
    ['cce', 'he_normal', 'adam', 0.001, 32, 1, 60000]);
  const statuses = await page.evaluate(() => window.__fashionStatus);
  assert.ok(statuses.some((s) => /^Loading Fashion-MNIST: [\d.]+ of (2\d|3\d)\.\d MB$/.test(s)), `progress shown: ${statuses.slice(0, 3)}`);
  assert.match(statuses.at(-1), /60,000 training and 10,000 test images \((2\d|3\d)\.\d MB\) loaded in [\d.]+ s\. On a slow machine, train on fewer with "Training images"\./);
  assert.equal(await page.locator('#sample-images canvas').count(), 30);
  assert.equal(await page.textContent('#sample-images .sample-col:nth-child(10) .sample-name'), '9 Ankle boot');
  assert.equal(await page.isVisible('#boundary-figure'), false);
  // Before the first epoch: no pass over the test split yet, and the panel says when results come.
  assert.equal(await page.textContent('#confusion-caption'), 'Results on the test data appear after the first epoch (an untrained network only guesses).');
  assert.equal(await page.textContent('#wrong'), 'Misclassified test images appear after the first epoch.');

  const start = Date.now();
  await page.click('#play');
  const seen = new Set();   // epochs the results panel showed
  while (!(await page.evaluate(() => nnplayDebug.epoch === 1 && !nnplayDebug.playing))) {
    seen.add(await page.textContent('#results-epoch'));
    await page.waitForTimeout(100);
  }
  const seconds = (Date.now() - start) / 1000;
  const d = await debug(page);
  const acc = (await page.evaluate(() => nnplayDebug.chartSeries('testAccuracy'))).map((p) => p.y);
  console.log(`# fashion: test accuracy per epoch ${acc.map((a) => (100 * a).toFixed(1) + '%').join(', ')}; ` +
    `1 epoch of 60,000 images in ${seconds.toFixed(1)} s (page and asset load ${(loadMs / 1000).toFixed(1)} s), ` +
    `train accuracy ${(100 * d.last.accuracy).toFixed(1)}%`);
  assert.equal(d.epoch, 1);
  assert.ok(d.last.test_accuracy >= 0.84, `test accuracy after one epoch: ${d.last.test_accuracy}`);

  const ins = await page.evaluate(() => nnplayDebug.insight());
  assert.equal(ins.epoch, 1);
  const { K, m, matrix, wrong } = ins.confusion;
  assert.equal(K, 10);
  assert.equal(m, 10000);
  assert.equal(matrix.reduce((a, b) => a + b, 0), 10000, 'the confusion matrix sums to the test set size');
  const right = matrix.reduce((s, v, i) => s + (i % 11 === 0 ? v : 0), 0);
  assert.equal(right / 10000, d.last.test_accuracy, 'its diagonal is the test accuracy');
  assert.match(await page.textContent('#confusion-caption'), new RegExp(`10000 test samples, ${right} right`));
  const perClass = await page.$$eval('#confusion tbody td.acc', (tds) => tds.map((td) => td.textContent));
  assert.equal(perClass.length, 10);
  assert.ok(perClass.every((t) => /^\d+\.\d%$/.test(t)), perClass.join());
  assert.equal(wrong.length, 40);
  assert.equal(await page.locator('#wrong .wrong-item').count(), 40);
  const first = await page.$$eval('#wrong .wrong-item figcaption', (f) => [f[0].children[0].textContent, f[0].children[1].textContent]);
  assert.notEqual(first[0], first[1], 'predicted and true labels differ');

  const hist = await page.evaluate(() => nnplayDebug.histograms());
  assert.deepEqual(hist.weights.map((l) => [l.name, l.total]), [['784→128 relu', 100352], ['128→10 softmax', 1280]]);
  assert.deepEqual(hist.grads.map((l) => l.total), [100352, 1280]);

  // The drawing pad: a test image drawn there gets the class the confusion matrix counted for it.
  const { pixels, truth } = await page.evaluate(async () => {
    const res = await fetch('data/fashion-mnist.bin.gz');
    const bytes = new Uint8Array(await new Response(res.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
    const v = new DataView(bytes.buffer);
    const [train, test, names] = [v.getUint32(20, true), v.getUint32(24, true), v.getUint32(28, true)];
    const o = 32 + names + train * 785;
    return { pixels: Array.from(bytes.subarray(o, o + 784), (b) => b / 255), truth: bytes[o + test * 784] };
  });
  const names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
  const k = wrong.indexOf(0);
  const expected = k < 0 ? names[truth] : names[ins.confusion.wrongPred[k]];
  const guess = await page.evaluate((p) => nnplayDebug.drawAndGuess(p), pixels);
  assert.ok(guess.startsWith(expected), `the pad's top guess for test image 0: ${guess} (expected ${expected})`);
  await page.click('#draw-clear');
  const box = await page.locator('#draw').boundingBox();
  await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.15);
  await page.mouse.down();
  for (const [x, y] of [[0.3, 0.85], [0.45, 0.85], [0.5, 0.3], [0.55, 0.85], [0.7, 0.85], [0.65, 0.15], [0.35, 0.15]]) {
    await page.mouse.move(box.x + box.width * x, box.y + box.height * y, { steps: 8 });
  }
  await page.mouse.up();
  await page.waitForFunction(() => document.querySelectorAll('#draw-guess li').length === 3);
  console.log(`# fashion: a drawn pair of trousers is classified as: ${await page.textContent('#draw-guess li')}`);

  await page.evaluate(() => scrollTo(0, 0));   // the sticky header at the top of the full-page shot
  await page.screenshot({ path: screenshotPath('fashion.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await close();
});

test('the one-file page from disk offers a chooser for the asset, then trains on it', async () => {
  const url = pathToFileURL(join(DIST, 'nnplay.html')).href + '#data=fashion_mnist&samples=2000&epochs=1';
  const { page, problems, close } = await openPage(env.browser, url, { wait: 'idle' });
  assert.match(await page.textContent('#fashion-status'), /needs the served page \(npm start\).*choose that file/);
  assert.equal(await page.isVisible('label[for="fashion-file"]'), true);
  assert.equal(await page.textContent('#run-state'), 'waiting for Fashion-MNIST');
  assert.equal(await page.isDisabled('#play'), true);
  await page.setInputFiles('#fashion-file', { name: 'wrong.bin', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\x03\x04 this is a zip file, not the image asset') });
  await page.waitForFunction(() => document.getElementById('fashion-status').textContent.includes('Refused wrong.bin'));
  assert.match(await page.textContent('#fashion-status'), /^Refused wrong\.bin: bad magic 50 4b 03 04 \(expected 4e 4e 49 4d, "NNIM"\)/);
  await page.setInputFiles('#fashion-file', join(DIST, 'data', 'fashion-mnist.bin.gz'));
  await waitReady(page);
  await page.click('#step');
  await page.waitForFunction(() => nnplayDebug.epoch === 1, null, { timeout: 60000 });
  const d = await debug(page);
  assert.ok(d.last.test_accuracy > 0.6, `one epoch on 2,000 images: ${d.last.test_accuracy}`);
  assert.equal((await page.evaluate(() => nnplayDebug.insight())).confusion.matrix.reduce((a, b) => a + b, 0), 10000);
  assert.deepEqual(problems, []);
  await close();
});

test('a served page whose asset is missing says so and offers the chooser', async () => {
  const missing = (page) => page.route('**/data/fashion-mnist.bin.gz', (route) => route.fulfill({ status: 404, body: 'not found' }));
  const { page, problems, close } = await openPage(env.browser, env.url + '#data=fashion_mnist', { wait: 'idle', before: missing });
  assert.match(await page.textContent('#fashion-status'), /Fashion-MNIST could not be loaded \(data\/fashion-mnist\.bin\.gz: HTTP 404.*\)\. Choose its data file/);
  assert.equal(await page.isVisible('label[for="fashion-file"]'), true);
  assert.equal(await page.textContent('#run-state'), 'waiting for Fashion-MNIST');
  assert.deepEqual(problems.filter((p) => !p.includes('fashion-mnist.bin') && !p.includes('404')), []);
  await close();
});

// The download is gunzipped by the page and written by the worker as it comes: an asset the core
// refuses (here a served file that is not an nnplay asset, and one whose last bytes are missing)
// stops the download and says why, in the core's words, with the chooser offered; the page goes on.
test('a served asset the core refuses: the download stops with the core\'s one-line message', async () => {
  const bad = gzipSync(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(4 << 20)]));
  const good = readFileSync(join(DIST, 'data', 'fashion-mnist.bin.gz'));
  const short = gzipSync(gunzipSync(good).subarray(0, 1 << 20));
  for (const [body, want] of [[bad, /\(data\/fashion-mnist\.bin\.gz: bad magic 50 4b 03 04 \(expected 4e 4e 49 4d, "NNIM"\): not an nnplay image asset\)/],
    [short, /\(data\/fashion-mnist\.bin\.gz: truncated: 1048576 bytes, the header \(60000 training and 10000 test images of 28 x 28\) says 54950107\)/]]) {
    const serve = (page) => page.route('**/data/fashion-mnist.bin.gz', (route) => route.fulfill({ status: 200, body, contentType: 'application/gzip' }));
    const { page, problems, close } = await openPage(env.browser, env.url + '#data=fashion_mnist', { wait: 'idle', before: serve });
    assert.match(await page.textContent('#fashion-status'), want);
    assert.equal(await page.isVisible('label[for="fashion-file"]'), true);
    assert.equal(await page.textContent('#run-state'), 'waiting for Fashion-MNIST');
    assert.deepEqual(problems, []);
    await close();
  }
});

