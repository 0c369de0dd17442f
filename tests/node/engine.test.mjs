// engine.test.mjs: the engine API of web/js/engine.mjs (what the page's worker uses) on the real
// build/wasm modules: loading (SIMD, scalar, single-file), config normalisation, trainer
// information, metrics, data, predictions, parameters, model files, and copies that survive a
// memory growth.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, test } from 'node:test';
import { loadEngine } from '../../web/js/engine.mjs';
import { simdSupported } from '../../scripts/nnplay.mjs';
import { engine, requireBuild, wasmDir } from './_helpers.mjs';

const moons = {
  dataset: { name: 'moons', samples: 250, test_ratio: 0.2 },
  network: { layers: [{ units: 6, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }] },
  optimizer: { name: 'adam', learning_rate: 0.02 }, epochs: 10,
};

describe('engine API', () => {
  let eng;
  before(async () => {
    requireBuild();
    eng = await engine();
  });

  test('loading: SIMD where supported, scalar, and the single-file module', async () => {
    assert.equal(simdSupported(), true, 'Node 20 has WebAssembly SIMD');
    assert.equal(eng.kernel, 'simd128');
    await assert.rejects(loadEngine({}), /moduleFactory/);
    const { default: single } = await import(pathToFileURL(join(wasmDir, 'nnplay-core-single.mjs')).href);
    const one = await loadEngine({ moduleFactory: single }); // the wasm is inside the .mjs
    const scalar = await engine('scalar');
    assert.equal(scalar.kernel, 'scalar');
    const lines = (e) => {
      const t = e.createTrainer(moons);
      const out = t.metricsLines(3).map((l) => l.replace(/,"seconds".*/, ''));
      t.free();
      return out;
    };
    assert.deepEqual(lines(one), lines(eng));
    assert.deepEqual(lines(scalar), lines(eng));
  });

  test('configs: defaults, normalisation from objects and text', () => {
    const d = eng.defaultConfig();
    assert.equal(d.dataset.name, 'xor');
    assert.equal(d.loss, 'bce');
    assert.equal(d.optimizer.learning_rate, 0.03);
    assert.equal(d.batch_size, 10);
    assert.deepEqual(eng.normalizeConfig({}), d);
    assert.deepEqual(eng.normalizeConfig('{}'), d);
    assert.deepEqual(eng.normalizeConfig(d), d, 'normalizing is idempotent');
    const n = eng.normalizeConfig(moons);
    assert.equal(n.optimizer.name, 'adam');
    assert.equal(n.optimizer.beta2, 0.999, 'defaults are filled in');
    assert.deepEqual(eng.normalizeConfig(JSON.stringify(moons)), n);
    assert.deepEqual(eng.normalizeConfig(new TextEncoder().encode(JSON.stringify(moons))), n, 'UTF-8 bytes');
  });

  test('trainer: config, info, epochs, metrics', () => {
    const t = eng.createTrainer(moons);
    assert.deepEqual(t.config, eng.normalizeConfig(moons));
    assert.deepEqual(t.info, {
      inputs: 2, outputs: 1, task: 'classification', classes: 2, classNames: ['0', '1'], rawDims: 2,
      rawNames: ['x1', 'x2'], features: ['x1', 'x2'],
      layers: [{ inputs: 2, units: 6, activation: 'tanh' }, { inputs: 6, units: 1, activation: 'sigmoid' }],
    });
    assert.equal(t.epoch, 0);
    const ms = t.trainEpochs(4);
    assert.equal(t.epoch, 4);
    assert.deepEqual(ms.map((m) => m.epoch), [1, 2, 3, 4]);
    for (const m of ms) {
      assert.deepEqual(Object.keys(m), ['epoch', 'loss', 'accuracy', 'test_loss', 'test_accuracy', 'seconds', 'grad_rms']);
      for (const k of ['loss', 'accuracy', 'test_loss', 'test_accuracy', 'seconds']) assert.equal(typeof m[k], 'number', k);
      assert.ok(m.accuracy >= 0 && m.accuracy <= 1);
    }
    assert.deepEqual(t.evaluate('test'), { loss: ms[3].test_loss, accuracy: ms[3].test_accuracy });
    assert.equal(typeof t.evaluate('train').loss, 'number');
    assert.deepEqual(t.evaluate(), t.evaluate('train'), "'train' is the default");
    // metricsLines trains like trainEpochs and prints what metrics_to_json prints.
    const twin = eng.createTrainer(moons);
    const lines = twin.metricsLines(4).map(JSON.parse);
    assert.deepEqual(lines.map(({ seconds, ...rest }) => rest), ms.map(({ seconds, grad_rms, ...rest }) => rest));
    twin.free();
    t.free();
  });

  test('trainer: null metrics where they do not apply', () => {
    const t = eng.createTrainer({ dataset: { name: 'sine', test_ratio: 0 }, loss: 'mse',
      network: { layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'linear' }] } });
    const [m] = t.trainEpochs(1);
    assert.equal(m.accuracy, null);
    assert.equal(m.test_loss, null);
    assert.equal(m.test_accuracy, null);
    assert.equal(t.info.task, 'regression');
    assert.equal(t.info.classes, 0);
    assert.deepEqual(t.info.features, ['x1']);
    assert.equal(t.data().test.m, 0);
    assert.equal(t.data().test.x.length, 0);
    t.free();
  });

  test('trainer: data, predictions, grid, parameters', () => {
    const t = eng.createTrainer(moons);
    t.trainEpochs(3);
    const d = t.data();
    assert.equal(d.train.m + d.test.m, 250);
    assert.equal(d.test.m, 50);
    for (const s of [d.train, d.test]) {
      assert.ok(s.x instanceof Float32Array && s.y instanceof Float32Array);
      assert.equal(s.x.length, s.m * 2);
      assert.equal(s.y.length, s.m);
      assert.ok(s.y.every((y) => y === 0 || y === 1));
    }
    const p = t.predict(d.test.x, d.test.m);
    assert.ok(p instanceof Float32Array);
    assert.equal(p.length, d.test.m);
    assert.ok(p.every((v) => v > 0 && v < 1));
    // Accuracy from the predictions equals the engine's own test accuracy.
    const right = Array.from(p).filter((v, i) => (v >= 0.5 ? 1 : 0) === d.test.y[i]).length;
    assert.equal(right / d.test.m, t.evaluate('test').accuracy);
    assert.deepEqual(t.predict(Array.from(d.test.x.subarray(0, 4)), 2), p.subarray(0, 2), 'plain arrays too');
    assert.equal(t.predict(new Float32Array(0), 0).length, 0);

    const g = t.predictGrid({ x0: -6, x1: 6, y0: -5, y1: 5, nx: 7, ny: 5 });
    assert.ok(g instanceof Float32Array);
    assert.equal(g.length, 7 * 5);
    // Row by row from y0: the corners are the predictions of the corner points.
    const corners = t.predict(new Float32Array([-6, -5, 6, -5, -6, 5, 6, 5]), 4);
    assert.deepEqual([g[0], g[6], g[28], g[34]], Array.from(corners));

    const params = t.params();
    assert.deepEqual(params.map((l) => [l.inputs, l.units, l.activation]), [[2, 6, 'tanh'], [6, 1, 'sigmoid']]);
    for (const l of params) {
      for (const k of ['W', 'dW']) assert.equal(l[k].length, l.inputs * l.units);
      for (const k of ['b', 'db']) assert.equal(l[k].length, l.units);
      assert.ok(l.W instanceof Float32Array);
    }
    t.free();
  });

  test('model files: export, import into another trainer, same predictions', () => {
    const a = eng.createTrainer(moons);
    a.trainEpochs(5);
    const text = a.exportModel();
    assert.equal(JSON.parse(text).format, 'nnplay-model');
    const b = eng.createTrainer({ ...moons, seed: 42 });
    const x = a.data().test.x, m = a.data().test.m;
    assert.notDeepEqual(b.predict(x, m), a.predict(x, m));
    b.importModel(text);
    assert.deepEqual(b.predict(x, m), a.predict(x, m));
    assert.equal(b.exportModel(), text);
    a.free();
    b.free();
  });

  test("image datasets: the caller's images (fashion_mnist), checked, copied, freed", () => {
    const P = 16, classNames = ['shirt', 'shoe', 'bag'];
    const make = (m, salt) => {
      const pixels = new Uint8Array(m * P), labels = new Uint8Array(m);
      for (let i = 0; i < m; ++i) {
        labels[i] = i % 3;
        for (let j = 0; j < P; ++j) pixels[i * P + j] = labels[i] * 80 + ((i * 31 + j * 17 + salt) % 60);
      }
      return [pixels, labels];
    };
    const [trainPixels, trainLabels] = make(300, 1), [testPixels, testLabels] = make(60, 2);
    const images = { pixels: P, trainPixels, trainLabels, testPixels, testLabels, classNames };
    const config = { dataset: { name: 'fashion_mnist', samples: 200 }, loss: 'cce',
      network: { layers: [{ units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
      optimizer: { name: 'adam', learning_rate: 0.01 } };
    assert.throws(() => eng.createTrainer(config), { message: /fashion_mnist.*needs its images/ });
    const start = eng.memoryStats();
    for (let k = 0; k < 3; ++k) {
      const t = eng.createTrainer(config, images);
      assert.equal(t.info.rawDims, P);
      assert.deepEqual(t.info.classNames, classNames);
      const d = t.data();
      assert.deepEqual([d.train.m, d.test.m], [200, 60], 'dataset.samples training images, all test images');
      assert.equal(d.train.x[0], Math.fround(trainPixels[0] / 255));
      const ms = t.trainEpochs(5);
      assert.ok(ms[4].loss < ms[0].loss);
      t.free();
    }
    assert.throws(() => eng.createTrainer(config, { ...images, trainLabels: trainLabels.subarray(1) }), { message: /^images: / });
    assert.throws(() => eng.createTrainer(config, { ...images, classNames: ['a', 'b'] }), { message: /^images: training label 2 is 2 \(allowed: 0 to 1\)/ });
    assert.throws(() => eng.createTrainer(config, { ...images, testPixels: Array.from(testPixels) }), { message: /^images: testPixels/ });
    assert.throws(() => eng.createTrainer({ ...config, epochs: 0 }, images), { message: /^config: epochs: 0/ });
    const end = eng.memoryStats();
    assert.ok(Math.abs(end.inUse - start.inUse) <= 1024, `in use ${start.inUse} -> ${end.inUse}`);
  });

  test('returned arrays are copies that survive a memory growth (trap 9)', () => {
    const t = eng.createTrainer(moons);
    const params = t.params(), grid = t.predictGrid({ x0: -1, x1: 1, y0: -1, y1: 1, nx: 3, ny: 3 });
    const saved = Array.from(params[0].W);
    const heap = eng.memoryStats().heapSize;
    const big = eng.createTrainer({ dataset: { name: 'spiral', arms: 3, samples: 20000 }, loss: 'cce',
      network: { layers: [{ units: 1024, activation: 'relu' }, { units: 3, activation: 'softmax' }] }, batch_size: 0 });
    assert.ok(eng.memoryStats().heapSize > heap, 'the wasm memory grew');
    assert.equal(params[0].W.length, 12);
    assert.deepEqual(Array.from(params[0].W), saved);
    assert.equal(grid.length, 9);
    big.free();
    t.free();
  });
});
