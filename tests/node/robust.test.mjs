// robust.test.mjs: issue 15's inputs, through the real builds. The wasm engine refuses 1,000 deep
// documents (normalizeConfig, createTrainer, importModel) and its heap ends where it started; the
// largest allowed configs are refused with the memory they need, natively, under `npx nnplay` and in
// the engine (never std::bad_alloc); the CLI refuses a 1 GB CSV by its size with little memory;
// training that diverges (an infinity, or the spiral's saturated loss at rate 10) stops with exit
// code 3 and the message, the epochs before it printed and the last finite model written (and
// loadable); the engine's error says diverged, the epoch and the metrics, and training continues at
// a lower rate. Every message is one line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, ftruncateSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { engine, lines, native, nativeCli, npx, requireBuild, scratch, withoutSeconds } from './_helpers.mjs';

const deepConfig = (depth) => '['.repeat(depth) + ']'.repeat(depth);
const deepDataset = (depth) => `{"dataset": ${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
const deepModel = (depth) => `{"format":${'['.repeat(depth)}${']'.repeat(depth)}}`;
// eslint-disable-next-line no-control-regex -- control characters are what this test looks for
const oneLine = (text) => !/[\u0000-\u001f\u007f]/.test(text);

const layers = (n, units) => Array.from({ length: n }, () => ({ units, activation: 'relu' }));
// The largest allowed configs: 9 layers of 1024 on 100,000 samples, full batch; random data of
// 4,096 inputs x 100,000 samples.
const largest = {
  dataset: { name: 'spiral', samples: 100000 },
  network: { layers: [...layers(8, 1024), { units: 2, activation: 'softmax' }] },
  loss: 'cce', batch_size: 0,
};
const widest = { dataset: { name: 'random', inputs: 4096, samples: 100000 } };
const memoryMessage = /^config: this run needs about [0-9.]+ GiB of memory \(data .*\); the limit is 1 GiB/;

// Sine regression that is stable at 0.01 and gives NaN in its first epoch at 10.
const sine = (lr, epochs = 5) => ({
  dataset: { name: 'sine' }, network: { layers: [{ units: 16, activation: 'relu' }, { units: 1, activation: 'linear' }] },
  loss: 'mse', init: 'he_normal', optimizer: { name: 'sgd', learning_rate: lr }, epochs,
});

describe('limits in the wasm engine', () => {
  let eng, model;
  before(async () => {
    requireBuild();
    eng = await engine();
    const t = eng.createTrainer({ epochs: 1 });
    model = t.exportModel();
    t.free();
  });

  test('1,000 deep documents are refused and the heap ends where it started', (t) => {
    const trainer = eng.createTrainer({ epochs: 1 });
    const docs = [deepConfig(20000), deepDataset(20000)], model20000 = deepModel(20000);
    const refuse = (i) => {
      assert.throws(() => eng.normalizeConfig(docs[i % 2]), /nests deeper than 32 levels \(the limit\)/);
      assert.throws(() => eng.createTrainer(docs[(i + 1) % 2]), /nests deeper than 32 levels \(the limit\)/);
      assert.throws(() => trainer.importModel(model20000), /^Error: model: format\[0\].*nests deeper/);
    };
    for (let i = 0; i < 5; ++i) refuse(i); // warm-up
    const start = eng.memoryStats();
    for (let i = 0; i < 1000; ++i) refuse(i);
    const end = eng.memoryStats();
    t.diagnostic(`in use ${start.inUse} -> ${end.inUse} B, heap ${start.heapSize} -> ${end.heapSize} B`);
    assert.equal(end.inUse, start.inUse);
    assert.equal(end.heapSize, start.heapSize);
    assert.equal(end.stackPointer, start.stackPointer);
    assert.equal(trainer.exportModel(), model, 'the trainer is unchanged');
    trainer.free();
  });

  test('the largest allowed configs are refused with the memory they need', () => {
    for (const cfg of [largest, widest]) {
      const before = eng.memoryStats();
      assert.throws(() => eng.createTrainer(cfg), (e) => memoryMessage.test(e.message) && !e.internal && oneLine(e.message));
      assert.equal(eng.memoryStats().heapSize, before.heapSize, 'nothing was allocated');
    }
    assert.equal(eng.limits().memoryBytes, 2 ** 30);
  });

  test('a model with other input names is refused, naming both', () => {
    const csv = (header) => ({ dataset: { name: 'csv', csv: `${header}\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n` },
                               network: { layers: [{ units: 1, activation: 'sigmoid' }] }, epochs: 1 });
    const a = eng.createTrainer(csv('height,weight,label')), b = eng.createTrainer(csv('age,income,label'));
    assert.throws(() => b.importModel(a.exportModel()), { message:
      'model: inputs.raw: "height", "weight" is not allowed (the csv dataset\'s input columns are "age", "income")' });
    a.free();
    b.free();
  });

  test('divergence: the error says so, the weights stay, training continues at a lower rate', () => {
    const t = eng.createTrainer(sine(0.01));
    t.trainEpochs(3);
    t.setOptimizer({ name: 'sgd', learning_rate: 10 });
    const kept = t.exportModel();
    let error;
    try {
      t.trainEpochs(2);
    } catch (e) {
      error = e;
    }
    assert.ok(error?.diverged, 'diverged is set');
    assert.equal(error.epoch, 3);
    assert.deepEqual(error.metrics, []);
    assert.match(error.message, /^training diverged at epoch 4: the loss became (NaN|infinite); the learning rate 10 is probably too high for sgd: lower it and continue; the weights of epoch 3 are kept$/);
    assert.equal(t.epoch, 3);
    assert.equal(t.exportModel(), kept);
    t.setOptimizer({ name: 'sgd', learning_rate: 0.01 });
    assert.equal(t.config.optimizer.learning_rate, 0.01);
    const [m] = t.trainEpochs(1);
    assert.equal(m.epoch, 4);
    assert.ok(Number.isFinite(m.loss));
    t.free();
  });
});

describe('limits in the CLIs', () => {
  let dir;
  before(() => {
    requireBuild();
    dir = scratch();
  });
  after(() => dir?.remove());

  test('a 1 GB CSV is refused by its size, with resident memory under 100 MB', (t) => {
    const model = dir.path('model.json');
    assert.equal(native('train', '--config', dir.write('c.json', { epochs: 1 }), '--out', model).code, 0);
    const big = dir.path('big.csv');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 2 ** 30); // sparse: 1 GiB without writing it
    closeSync(fd);
    const r = spawnSync('/usr/bin/time', ['-v', nativeCli, 'predict', '--model', model, '--data', big], { encoding: 'utf8' });
    const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)[1]);
    t.diagnostic(`native: exit ${r.status}, max resident ${kb} kB`);
    assert.equal(r.status, 2);
    assert.match(r.stderr, new RegExp(`^nnplay: --data: "${big.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is 1073741824 bytes; the limit is 52428800 bytes\n`));
    assert.ok(kb < 100 * 1024, `${kb} kB resident`);
    const n = npx('predict', '--model', model, '--data', big);
    assert.equal(n.code, 2);
    assert.equal(n.stderr, r.stderr.split('\n')[0] + '\n');
  });

  test('the largest allowed configs are refused natively and under npx', () => {
    for (const cfg of [largest, widest]) {
      const file = dir.write('largest.json', cfg);
      const a = native('train', '--config', file), b = npx('train', '--config', file);
      assert.equal(a.code, 2);
      assert.match(a.stderr, memoryMessage);
      assert.match(a.stderr, /\(NNPLAY_MAX_MEMORY\): use fewer samples/);
      assert.equal(b.code, 2);
      assert.match(b.stderr, memoryMessage);
      assert.equal(lines(a.stderr).length, 1);
    }
  });

  test('deep JSON and newlines in cells give one line on stderr, the same natively and under npx', () => {
    const cases = [
      ['train', '--config', dir.write('deep.json', deepConfig(60000))],
      ['train', '--config', dir.write('deepds.json', deepDataset(48000))],
      ['predict', '--model', dir.write('deepmodel.json', deepModel(50000)), '--data', dir.write('x.csv', 'x1,x2\n1,2\n')],
      ['train', '--config', dir.write('nl.json', { dataset: { name: 'csv', csv: 'a,b,y\n1,"x\ny",0\n2,3,1\n' } })],
    ];
    for (const args of cases) {
      const a = native(...args), b = npx(...args);
      assert.equal(a.code, 2, a.stderr);
      assert.equal(lines(a.stderr).length, 1, a.stderr);
      assert.ok(a.stderr.length < 300, a.stderr);
      assert.deepEqual(b, a);
    }
  });

  test('divergence: epoch lines, then the message and exit 3; the written model loads back', () => {
    const stable = dir.write('stable.json', sine(0.01, 3));
    const init = dir.path('init.json');
    assert.equal(native('train', '--config', stable, '--out', init).code, 0);
    const fast = dir.write('fast.json', sine(10, 5));
    for (const run of [native, npx]) {
      const out = dir.path(`out-${run.name}.json`);
      const r = run('train', '--config', fast, '--init', init, '--out', out);
      assert.equal(r.code, 3, r.stderr);
      // --init continues the stable run (its training state: 3 epochs), so the first new epoch is 4.
      assert.match(r.stderr, /^training diverged at epoch 4: the loss became (NaN|infinite); the learning rate 10 is probably too high for sgd: lower it and continue; the weights of epoch 3 are kept\n$/);
      assert.equal(r.stdout, '');
      // The kept model is the --init one (its next epoch diverged), and it loads back.
      const again = run('train', '--config', stable, '--init', out);
      assert.equal(again.code, 0, again.stderr);
    }
  });

  test('learning rate 10 on the spiral with sgd (finite, saturated): epoch 1 printed, the message, exit 3', () => {
    // The page's default network (divergence.h, rule 2): natively and under npx alike.
    const cfg = dir.write('spiral10.json', { dataset: { name: 'spiral' }, optimizer: { name: 'sgd', learning_rate: 10 }, epochs: 100 });
    const out = dir.path('spiral10-model.json');
    const a = native('train', '--config', cfg, '--out', out), b = npx('train', '--config', cfg, '--out', dir.path('spiral10-npx.json'));
    assert.equal(a.code, 3, a.stderr);
    assert.deepEqual(lines(a.stdout).map((l) => JSON.parse(l).epoch), [1]);
    assert.match(a.stderr, /^training diverged at epoch 2: the loss rose to 8\.97, over 10 times 0\.693 \(the loss of a network that has learned nothing\); the learning rate 10 is probably too high for sgd: lower it and continue; the weights of epoch 1 are kept\n$/);
    assert.deepEqual({ ...b, stdout: lines(b.stdout).map(withoutSeconds) }, { ...a, stdout: lines(a.stdout).map(withoutSeconds) });
    assert.doesNotMatch(readFileSync(out, 'utf8'), /null|NaN|Infinity/);
  });

  test('regression targets near 1e38 diverge with their cause, never "loss":null', () => {
    let csv = 'x,y\n';
    for (let i = 0; i < 20; ++i) csv += `${i},${i % 2 ? '3e38' : '-2e38'}\n`;
    const cfg = dir.write('huge.json', { dataset: { name: 'csv', csv, task: 'regression' },
      network: { layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'linear' }] }, loss: 'mse', epochs: 3 });
    const out = dir.path('huge-model.json');
    const a = native('train', '--config', cfg, '--out', out), b = npx('train', '--config', cfg, '--out', dir.path('huge-npx.json'));
    assert.equal(a.code, 3);
    assert.doesNotMatch(a.stdout, /"loss":null/);
    assert.match(a.stderr, /^training diverged at epoch 1: .*; the regression targets reach 3e\+38, too large for float32 arithmetic: rescale the target; the initial weights are kept\n$/);
    assert.deepEqual(b, a);
    assert.equal(native('train', '--config', cfg, '--init', out).code, 3, 'the model file loads (then training diverges again)');
  });
});
