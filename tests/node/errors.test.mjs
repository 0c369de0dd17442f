// errors.test.mjs: bad configs fail the same way everywhere. For each config of the table the native
// CLI's stderr line (exit code 2) is the expected message, read from the CLI itself, never written
// here: engine.createTrainer must throw a JS Error with exactly that message, engine.normalizeConfig
// too where the config alone is at fault, and `npx nnplay train` must print it with exit code 2.
// Afterwards the same engine still creates and trains a valid trainer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { engine, lines, native, npx, requireBuild, scratch } from './_helpers.mjs';

const layers = (...spec) => ({ layers: spec.map(([units, activation]) => ({ units, activation })) });
const spiral3 = { name: 'spiral', arms: 3 };

// name -> config (an object, or raw text)
const invalid = {
  'negative learning rate': { optimizer: { learning_rate: -1 } },
  'units 0': { network: layers([0, 'tanh'], [1, 'sigmoid']) },
  'units 10000': { network: layers([10000, 'tanh'], [1, 'sigmoid']) },
  'unknown activation': { network: layers([8, 'swish'], [1, 'sigmoid']) },
  'softmax with bce': { loss: 'bce', network: layers([8, 'tanh'], [2, 'softmax']) },  // softmax+mse is allowed (teachcore)
  'bce with 3 outputs': { network: layers([8, 'tanh'], [3, 'sigmoid']) },
  'unknown field': { learning_rate: 0.1 },
  'unknown nested field': { optimizer: { lr: 0.1 } },
  'wrong type (string epochs)': { epochs: '10' },
  'wrong type (string shuffle)': { shuffle: 'yes' },
  'bad dataset name': { dataset: { name: 'mnist-typo' } },
  'batch size -1': { batch_size: -1 },
  'epochs 0': { epochs: 0 },
  'fractional epochs': { epochs: 1.5 },
  'l2 2': { l2: 2 },
  'hidden softmax': { loss: 'cce', dataset: spiral3, network: layers([8, 'softmax'], [3, 'softmax']) },
  'cce without softmax': { loss: 'cce', dataset: spiral3, network: layers([8, 'tanh'], [3, 'sigmoid']) },
  'softmax width != classes': { loss: 'cce', dataset: spiral3, network: layers([8, 'tanh'], [4, 'softmax']) },
  'bce on regression data': { dataset: { name: 'sine' } },
  'noise 6': { dataset: { noise: 6 } },
  'test_ratio 1': { dataset: { test_ratio: 1 } },
  'momentum 1': { optimizer: { name: 'momentum', momentum: 1 } },
  'unknown optimizer': { optimizer: { name: 'rmsprop' } },
  'ten layers': { network: layers(...Array(9).fill([4, 'tanh']), [1, 'sigmoid']) },
  'unknown feature': { network: { features: ['x3'] } },
  'negative seed': { seed: -1 },
  'not JSON': '{epochs: 3',
  'top level not an object': '[]',
  'csv cell not a number': { dataset: { name: 'csv', csv: 'a,b,label\n1,2,0\nx,3,1\n4,5,0\n' } },
};

const needsDataset = new Set(['softmax width != classes', 'bce on regression data', 'csv cell not a number']);

const valid = {
  dataset: { name: 'moons', samples: 200 }, network: layers([8, 'relu'], [1, 'sigmoid']),
  optimizer: { name: 'adam', learning_rate: 0.01 }, epochs: 5,
};

describe('invalid configs give the native CLI message everywhere', () => {
  let eng, tmp;
  const expected = {};
  before(async () => {
    requireBuild();
    eng = await engine();
    tmp = scratch();
    for (const [name, config] of Object.entries(invalid)) {
      const file = tmp.write(name.replace(/\W+/g, '_') + '.json', config);
      const r = native('train', '--config', file);
      expected[name] = { file, ...r };
    }
  });
  after(() => tmp?.remove());

  test('the table has at least 12 configs, each refused natively with one stderr line and exit 2', () => {
    assert.ok(Object.keys(invalid).length >= 12);
    for (const [name, r] of Object.entries(expected)) {
      assert.equal(r.code, 2, `${name}: native exit code (stderr: ${r.stderr})`);
      assert.equal(r.stdout, '', name);
      assert.equal(lines(r.stderr).length, 1, `${name}: ${r.stderr}`);
    }
  });

  for (const [name, config] of Object.entries(invalid)) {
    test(name, () => {
      const message = expected[name].stderr.replace(/\n$/, '');
      assert.throws(() => eng.createTrainer(config), (e) => {
        assert.ok(e instanceof Error, 'a real Error');
        assert.equal(e.message, message);
        assert.notEqual(e.internal, true);
        return true;
      });
      // normalizeConfig checks the config alone: the same message, except for the checks that
      // need the dataset (its classes, its task, its cells), which only createTrainer can make.
      if (needsDataset.has(name)) assert.equal(typeof eng.normalizeConfig(config), 'object');
      else assert.throws(() => eng.normalizeConfig(config), { message });
      const w = npx('train', '--config', expected[name].file);
      assert.deepEqual({ code: w.code, stdout: w.stdout, stderr: w.stderr },
                       { code: 2, stdout: '', stderr: expected[name].stderr });
    });
  }

  test('the engine still works after all these errors', () => {
    const t = eng.createTrainer(valid);
    try {
      const ms = t.trainEpochs(5);
      assert.equal(ms.length, 5);
      assert.ok(ms.every((m) => Number.isFinite(m.loss)));
      assert.ok(ms[4].loss < ms[0].loss, 'the loss goes down');
      assert.equal(t.epoch, 5);
    } finally {
      t.free();
    }
  });

  test('other bad input: model files, predict shapes, freed trainers', () => {
    const t = eng.createTrainer(valid);
    const before = t.params();
    for (const bad of ['', '{}', 'not json', JSON.stringify({ format: 'nnplay-model', version: 99 })]) {
      assert.throws(() => t.importModel(bad), (e) => e instanceof Error && /^model: /.test(e.message), bad);
    }
    // A model with other outputs (3 classes for a 2-class trainer) is refused; the weights stay.
    const other = eng.createTrainer({ dataset: spiral3, loss: 'cce', network: layers([3, 'tanh'], [3, 'softmax']) });
    assert.throws(() => t.importModel(other.exportModel()), { message: /^model: / });
    other.free();
    assert.deepEqual(t.params(), before);
    assert.throws(() => t.predict(new Float32Array(5), 3), Error);
    assert.throws(() => t.evaluate("validation"), { message: /not allowed/ });
    t.free();
    t.free(); // twice is harmless
    for (const call of [() => t.epoch, () => t.config, () => t.info, () => t.trainEpochs(1), () => t.params(),
      () => t.predict(new Float32Array(2), 1), () => t.exportModel(), () => t.data()]) {
      assert.throws(call, { message: 'trainer is freed' });
    }
  });
});
