// images.test.mjs: Fashion-MNIST at full size in the engine (the real build/wasm module, the real
// 60,000 + 10,000 images from Debian's dataset-fashion-mnist; skipped without them). The asset goes
// into wasm memory once, in bulk (engine.loadImages); trainers on it start in milliseconds and share
// its pixels (the heap does not grow by another copy); Reset draws new weights on the same data and
// gives bit for bit what a fresh trainer gives; training on all 70,000 images keeps the wasm heap
// under 150 MiB. Time bounds are 10 times the targets (createTrainer 150 ms, Reset 50 ms), so a
// loaded machine passes; the measured times are printed. Budgets proper live in `npm run bench`.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { FASHION_FILES, FASHION_SRC, fashionAsset } from '../../scripts/fashion-asset.mjs';
import { engine, requireBuild } from './_helpers.mjs';

const present = Object.values(FASHION_FILES).every((f) => existsSync(join(FASHION_SRC, f)));
const MiB = 2 ** 20;
const config = (extra = {}) => ({
  dataset: { name: 'fashion_mnist', samples: 60000 },
  network: { layers: [{ units: 128, activation: 'relu' }, { units: 10, activation: 'softmax' }] },
  loss: 'cce', init: 'he_normal', optimizer: { name: 'adam', learning_rate: 0.001 }, batch_size: 32, ...extra,
});
const ms = (f) => { const t0 = performance.now(); const r = f(); return [r, performance.now() - t0]; };
const withoutSeconds = (metrics) => metrics.map(({ seconds, ...m }) => m);

describe('Fashion-MNIST at full size', { skip: !present && `${FASHION_SRC} is missing (Debian package dataset-fashion-mnist)` }, () => {
  let eng, set, asset;
  before(async () => {
    requireBuild();
    eng = await engine();
    asset = fashionAsset();
  });

  test('the asset goes into wasm memory once, in bulk, and is checked by the core', (t) => {
    const before = eng.memoryStats().inUse;
    const [s, loadMs] = ms(() => eng.loadImages(asset.slice().buffer, 'fashion-mnist.bin'));
    set = s;
    t.diagnostic(`loadImages: ${loadMs.toFixed(0)} ms for ${(asset.length / MiB).toFixed(1)} MiB`);
    assert.deepEqual({ ...set.info, classNames: set.info.classNames.length }, { rows: 28, cols: 28, pixels: 784, classNames: 10, train: 60000, test: 10000 });
    const held = eng.memoryStats().inUse - before;
    assert.ok(held >= asset.length && held < asset.length + MiB, `the images take their size once: ${held} bytes`);
    const test0 = set.split('test');
    assert.equal(test0.m, 10000);
    assert.deepEqual(test0.pixels.subarray(0, 784), asset.subarray(asset.length - 10000 * 785, asset.length - 10000 * 785 + 784));
    const bad = asset.slice(0, 100);
    bad[0] = 0x50;
    assert.throws(() => eng.loadImages(bad, 'x.bin'), { message: /^x\.bin: bad magic 50 4e 49 4d/ });
  });

  test('createTrainer and Reset take milliseconds, and trainers share the images', (t) => {
    const [a, createMs] = ms(() => eng.createTrainer(config(), set));
    const inUse = eng.memoryStats().inUse;
    const [b, secondMs] = ms(() => eng.createTrainer(config({ seed: 2 }), set));
    const grew = eng.memoryStats().inUse - inUse;
    const [, resetMs] = ms(() => a.reset());
    t.diagnostic(`createTrainer ${createMs.toFixed(1)} ms (a second one ${secondMs.toFixed(1)} ms, +${(grew / MiB).toFixed(1)} MiB), reset ${resetMs.toFixed(1)} ms`);
    assert.ok(createMs < 1500, `createTrainer took ${createMs} ms (target 150 ms)`);
    assert.ok(resetMs < 500, `reset took ${resetMs} ms (target 50 ms)`);
    assert.ok(grew < 8 * MiB, `a second trainer on the same images adds ${grew} bytes (the pixels are 52 MiB)`);
    set.free();   // the trainers keep the images
    assert.equal(b.info.rawDims, 784);
    const [c, likeMs] = ms(() => eng.createTrainer(config({ seed: 3, network: { layers: [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }] } }), a));
    t.diagnostic(`a 32-unit network on the data of another trainer: ${likeMs.toFixed(1)} ms`);
    assert.ok(likeMs < 1500);
    assert.equal(c.info.layers[0].units, 32);
    b.free();
    c.free();
    set = a;   // for the next tests: a trainer holding the images
  });

  test('Reset gives bit for bit what a fresh trainer gives', () => {
    const small = config({ dataset: { name: 'fashion_mnist', samples: 2000 }, seed: 5 });
    const fresh = eng.createTrainer(small, set);
    const want = withoutSeconds(fresh.trainEpochs(2));
    const model = fresh.exportModel();
    const t = eng.createTrainer(small, set);
    t.trainEpochs(1);
    t.reset();
    assert.equal(t.epoch, 0);
    assert.deepEqual(withoutSeconds(t.trainEpochs(2)), want);
    assert.equal(t.exportModel(), model);
    assert.deepEqual(t.testOutputs(), fresh.testOutputs());
    fresh.free();
    t.free();
  });

  test('one epoch on all 70,000 images keeps the wasm heap under 150 MiB', (t) => {
    const [m] = set.trainEpochs(1);
    const heap = eng.memoryStats().heapSize;
    t.diagnostic(`one epoch of 60,000 images: ${m.seconds.toFixed(2)} s, test accuracy ${(100 * m.test_accuracy).toFixed(1)}%; ` +
                 `wasm heap ${(heap / MiB).toFixed(1)} MiB`);
    assert.ok(heap < 150 * MiB, `wasm heap ${heap} bytes`);
    assert.ok(m.test_accuracy > 0.8, `test accuracy after one epoch: ${m.test_accuracy}`);
    set.free();
  });
});
