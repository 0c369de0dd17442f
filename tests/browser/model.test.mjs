// model.test.mjs: model files in the page and inside the network. An exported model (the core's
// JSON) re-imported predicts identically; model files with a wrong shape, format, version, number
// or input count are refused with the core's message and change nothing; a model trained in the
// browser loads in the native CLI (build/native/nnplay predict) and predicts the same numbers; the
// gradient histograms show vanishing gradients in a deep sigmoid network and not in a relu one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, debug, irisCsv, launch, messageWith, openPage } from './helpers.mjs';

let env, dir;
before(async () => { env = await launch(); dir = mkdtempSync(join(tmpdir(), 'nnplay-model-')); });
after(async () => { await env?.close(); rmSync(dir, { recursive: true, force: true }); });

const SPIRAL = '#data=spiral&arms=3&samples=300&feat=x1,x2,x1*x2,sin(x1)&hidden=12:tanh,6:relu&out=softmax&loss=cce&opt=adam&lr=0.02&batch=16&epochs=40';
const POINTS = [[0, 0], [1.5, -2], [-3.25, 0.5], [4, 4], [-0.1, 2.7], [2.2, 1.1]];

async function exportModel(page, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-model')]);
  assert.equal(download.suggestedFilename(), 'nnplay-model.json');
  const file = join(dir, name);
  await download.saveAs(file);
  return file;
}
const predict = (page, rows) => page.evaluate((r) => nnplayDebug.predict(r), rows);
async function importModel(page, file, needle) {
  await page.setInputFiles('#import-model', file);
  return messageWith(page, needle);
}

test('an exported model re-imported predicts identically', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + SPIRAL);
  await page.click('#play');
  await page.waitForFunction(() => nnplayDebug.epoch === 40 && !nnplayDebug.playing, null, { timeout: 60000 });
  const trained = await predict(page, POINTS);
  const file = await exportModel(page, 'spiral.json');
  const model = JSON.parse(readFileSync(file, 'utf8'));
  assert.deepEqual([model.format, model.version, model.task, model.loss], ['nnplay-model', 1, 'classification', 'cce']);
  assert.deepEqual(model.inputs.features, ['x1', 'x2', 'x1*x2', 'sin(x1)']);
  assert.deepEqual(model.layers.map((l) => [l.units, l.activation, l.W.length]), [[12, 'tanh', 4], [6, 'relu', 12], [3, 'softmax', 6]]);

  await page.click('#reset');
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.epoch === 0);
  assert.notDeepEqual(await predict(page, POINTS), trained, 'fresh weights predict otherwise');
  // A different architecture in the form: the model brings its own.
  await page.evaluate(() => { location.hash = location.hash.replace('hidden=12:tanh,6:relu', 'hidden=3:sigmoid').replace('feat=x1,x2,x1*x2,sin(x1)', 'feat=x1,x2'); });
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.config.network.layers.length === 2);
  const text = await importModel(page, file, 'spiral.json loaded');
  assert.match(text, /12 tanh, 6 relu, 3 softmax; loss [\d.]+, test accuracy [\d.]+%/);
  assert.deepEqual(await predict(page, POINTS), trained, 'the same numbers, bit for bit');
  const d = await debug(page);
  assert.deepEqual(d.config.network.layers, [{ units: 12, activation: 'tanh' }, { units: 6, activation: 'relu' }, { units: 3, activation: 'softmax' }]);
  assert.deepEqual(d.config.network.features, ['x1', 'x2', 'x1*x2', 'sin(x1)']);
  assert.match(page.url(), /feat=x1,x2,x1\*x2,sin\(x1\)&hidden=12:tanh,6:relu&out=softmax/);
  assert.equal(await page.inputValue('#layer-1-units'), '6');
  // Training continues from the imported weights, and the model file's training state carries on
  // its epoch count (40).
  const importedEpoch = (await debug(page)).epoch;
  assert.equal(importedEpoch, 40);
  await page.click('#step');
  await page.waitForFunction((e) => nnplayDebug.epoch === e + 1, importedEpoch);
  const acc = (await debug(page)).last.accuracy;
  console.log(`# imported spiral model: first epoch after import, train accuracy ${acc}`);
  assert.ok(acc > 0.7, `it starts where the model was, not from scratch: ${acc}`);
  assert.deepEqual(problems, []);
  await close();
});

test('model files with a wrong shape (or format, version, number, inputs) are refused with a message', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + SPIRAL.replace('epochs=40', 'epochs=5'));
  await page.click('#play');
  await page.waitForFunction(() => nnplayDebug.epoch === 5 && !nnplayDebug.playing, null, { timeout: 60000 });
  const good = JSON.parse(readFileSync(await exportModel(page, 'good.json'), 'utf8'));
  const before = await predict(page, POINTS);
  const url = page.url();
  const variant = (name, change) => {
    const m = structuredClone(good);
    delete m.training;   // the weights' shapes are under test, not the optional training state
    change(m);
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(m));
    return file;
  };
  const cases = [
    [variant('rows.json', (m) => m.layers[1].W.pop()), 'model: layers[1].W: 11 rows is not allowed (12, the units of layers[0]'],
    [variant('cols.json', (m) => m.layers[2].W[0].push(0.5)), 'model: layers[2].W[0]: 4 numbers is not allowed (a list of 3 numbers)'],
    [variant('bias.json', (m) => { m.layers[0].b = m.layers[0].b.slice(1); }), 'model: layers[0].b: 11 numbers is not allowed (a list of 12 numbers)'],
    [variant('format.json', (m) => { m.format = 'keras'; }), 'model: format: "keras" is not allowed ("nnplay-model")'],
    [variant('version.json', (m) => { m.version = 2; }), 'model: version: 2 is not allowed (1; this nnplay reads version 1)'],
    [variant('number.json', (m) => { m.layers[1].W[3][2] = 'NaN'; }), 'model: layers[1].W[3][2]: "NaN" is not allowed (a finite number)'],
    [variant('outputs.json', (m) => { m.layers[2].units = 4; m.layers[2].W.forEach((r) => r.push(0)); m.layers[2].b.push(0); m.classes.push('3'); }),
      'model: layers[2].units: 4 is not allowed (the dataset has 3 classes)'],
    [variant('inputs.json', (m) => { m.inputs.raw.push('x3'); }), 'model: inputs.raw: 3 inputs is not allowed (the spiral dataset has 2)'],
    [variant('deep.json', (m) => { m.layers = [...Array(9).fill(m.layers[1]), m.layers[2]]; }), 'model: layers: is not allowed (a list of 1 to 9 layers)'],
  ];
  for (const [file, message] of cases) {
    const name = file.split('/').at(-1);
    const text = await importModel(page, file, `${name} refused`);
    assert.ok(text.includes(`Model ${name} refused; nothing changed:`) && text.includes(message), `${name}: ${text}`);
  }
  writeFileSync(join(dir, 'iris.csv'), irisCsv());
  const text = await importModel(page, join(dir, 'iris.csv'), 'iris.csv refused');
  assert.match(text, /model: not valid JSON/);
  assert.deepEqual(await predict(page, POINTS), before);
  assert.equal(page.url(), url);
  assert.deepEqual(problems, []);
  await close();
});

const cli = join(ROOT, 'build', 'native', 'nnplay');
test('a model trained in the browser loads in the native CLI and predicts the same', { skip: !existsSync(cli) && 'build/native/nnplay is not built' }, async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + '#data=xor&hidden=10:tanh&opt=adam&lr=0.01&batch=16&epochs=40');
  await page.setInputFiles('#csv-file', { name: 'iris.csv', mimeType: 'text/csv', buffer: Buffer.from(irisCsv()) });
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.data === 'csv');
  await page.click('#play');
  await page.waitForFunction(() => nnplayDebug.epoch === 40 && !nnplayDebug.playing, null, { timeout: 60000 });
  const file = await exportModel(page, 'iris-model.json');
  const model = JSON.parse(readFileSync(file, 'utf8'));
  assert.deepEqual(model.inputs.raw, ['sepal_len', 'sepal_wid', 'petal_len', 'petal_wid']);
  assert.equal(model.inputs.mean.length, 4, 'standardised inputs');
  // The first 8 rows of the file itself (the CLI finds the model's columns by name, skips species).
  const lines = irisCsv().split('\n').slice(0, 9);
  const data = join(dir, 'iris-rows.csv');
  writeFileSync(data, lines.join('\n') + '\n');
  const rows = lines.slice(1).map((l) => l.split(',').filter((_, j) => j !== 2).map(Number));
  const page32 = await predict(page, rows);
  const out = execFileSync(cli, ['predict', '--model', file, '--data', data], { encoding: 'utf8' }).trim().split('\n');
  assert.equal(out[0], 'y0,y1,y2,class');
  const native = out.slice(1).map((l) => l.split(','));
  // The CLI prints float32 values with %.9g, which reads back to the same float32.
  assert.deepEqual(native.map((r) => r.slice(0, 3).map((v) => Math.fround(Number(v)))), rows.map((_, i) => page32.slice(3 * i, 3 * i + 3)));
  const names = ['setosa', 'versicolor', 'virginica'];
  assert.deepEqual(native.map((r) => r[3]), rows.map((_, i) => names[[0, 1, 2].reduce((b, k) => (page32[3 * i + k] > page32[3 * i + b] ? k : b), 0)]));
  console.log(`# native CLI: ${rows.length} rows predicted identically to the page (e.g. ${out[1]})`);
  assert.deepEqual(problems, []);
  await close();
});

test('the gradient histograms show vanishing gradients in a deep sigmoid network, not in a relu one', async () => {
  const rms = {};
  for (const act of ['sigmoid', 'relu']) {
    const hidden = Array(6).fill(`8:${act}`).join(',');
    const { page, problems, close } = await openPage(env.browser, env.url + `#data=circle&hidden=${hidden}&out=sigmoid&loss=bce&init=xavier_uniform`);
    await page.click('#step');
    await page.waitForFunction(() => nnplayDebug.epoch === 1);
    const h = await page.evaluate(() => nnplayDebug.histograms());
    assert.equal(h.grads.length, 7);
    assert.equal(await page.isVisible('#hist-grads'), true);
    rms[act] = h.grads.map((l) => l.rms);
    assert.deepEqual(problems, []);
    await close();
  }
  const ratio = (r) => r.at(-1) / r[0];
  console.log(`# gradient rms, last layer / first layer: sigmoid ${ratio(rms.sigmoid).toFixed(0)}x, relu ${ratio(rms.relu).toFixed(1)}x`);
  assert.ok(ratio(rms.sigmoid) > 100, `sigmoid: ${rms.sigmoid}`);
  assert.ok(ratio(rms.relu) < 10, `relu: ${rms.relu}`);
});
