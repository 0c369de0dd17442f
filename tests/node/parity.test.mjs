// parity.test.mjs: the WebAssembly build trains bit for bit like the native build. For each config
// the native CLI (build/native/nnplay), `npx nnplay` (scripts/nnplay.mjs on build/wasm) and the
// engine in this process (SIMD and scalar modules) must print the same per-epoch lines, compared
// as exact strings (17 significant digits) without the wall-time field; the trained model files
// must be byte-identical. No tolerance: the core is exact by design (kernel.h, detmath.h). A
// difference is a bug to find (the plane config caught an LLVM 14 miscompile of rng.h under
// -msimd128: a v128.load32_splat re-reading the generator's state after it was overwritten).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { engine, lines, native, npx, requireBuild, scratch, withoutSeconds } from './_helpers.mjs';

const layers = (...spec) => ({ layers: spec.map(([units, activation]) => ({ units, activation })) });

// A small CSV with text labels: 3 classes from 3 numeric columns (deterministic, no RNG).
const irisLike = ['f1,f2,f3,species',
  ...Array.from({ length: 90 }, (_, i) => {
    const k = i % 3, u = Math.sin(i * 12.9898) * 0.5, v = Math.cos(i * 78.233) * 0.5;
    return `${(k + u).toFixed(3)},${(2 - k + v).toFixed(3)},${(u * v).toFixed(4)},${['setosa', 'versicolor', 'virginica'][k]}`;
  })].join('\n');

// Together: every activation (relu, leaky_relu, sigmoid, tanh, softmax, linear), loss (mse, bce,
// cce), optimizer (sgd, momentum, nesterov, adam), init, mini-batch and full batch, shuffling on
// and off, L2, engineered features, test split or none, every built-in dataset kind and a CSV.
export const parityConfigs = {
  'xor tanh-tanh-sigmoid bce sgd batch 10': {
    dataset: { name: 'xor', samples: 200 }, network: layers([8, 'tanh'], [8, 'tanh'], [1, 'sigmoid']),
    loss: 'bce', init: 'xavier_uniform', optimizer: { name: 'sgd', learning_rate: 0.1 }, batch_size: 10, epochs: 30,
  },
  'moons leaky_relu bce momentum l2 0.01 batch 16': {
    dataset: { name: 'moons', samples: 300, noise: 0.2, seed: 7 }, network: layers([16, 'leaky_relu'], [1, 'sigmoid']),
    loss: 'bce', init: 'he_uniform', optimizer: { name: 'momentum', learning_rate: 0.05, momentum: 0.9 },
    batch_size: 16, l2: 0.01, epochs: 25, seed: 3,
  },
  'circle features sigmoid bce nesterov batch 25': {
    dataset: { name: 'circle', samples: 250 },
    network: { features: ['x1', 'x2', 'x1^2', 'x2^2', 'x1*x2', 'sin(x1)', 'sin(x2)'], ...layers([6, 'sigmoid'], [1, 'sigmoid']) },
    loss: 'bce', init: 'xavier_normal', optimizer: { name: 'momentum', learning_rate: 0.1, momentum: 0.8, nesterov: true },
    batch_size: 25, epochs: 25,
  },
  'spiral 4 arms relu-relu-softmax cce adam batch 32': {
    dataset: { name: 'spiral', arms: 4, samples: 400, test_ratio: 0.25 },
    network: layers([32, 'relu'], [16, 'relu'], [4, 'softmax']),
    loss: 'cce', init: 'he_normal', optimizer: { name: 'adam', learning_rate: 0.01 }, batch_size: 32, epochs: 25,
  },
  'sine tanh-linear mse adam full batch': {
    dataset: { name: 'sine', samples: 200, noise: 0.05 }, network: layers([16, 'tanh'], [1, 'linear']),
    loss: 'mse', optimizer: { name: 'adam', learning_rate: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 },
    batch_size: 0, epochs: 40,
  },
  'plane leaky_relu-linear mse momentum l2 unstandardized': {
    dataset: { name: 'plane', samples: 300, standardize: false }, network: layers([8, 'leaky_relu'], [1, 'linear']),
    loss: 'mse', init: 'he_uniform', optimizer: { name: 'momentum', learning_rate: 0.01 }, batch_size: 25, l2: 0.001, epochs: 25,
  },
  'gaussians relu-sigmoid mse sgd batch above m, no shuffle': {
    dataset: { name: 'gaussians', samples: 200, noise: 1 }, network: layers([4, 'relu'], [1, 'sigmoid']),
    loss: 'mse', optimizer: { name: 'sgd', learning_rate: 0.5 }, batch_size: 1000, shuffle: false, epochs: 20,
  },
  'random 20 inputs 4 classes relu-softmax cce sgd batch 50': {
    dataset: { name: 'random', samples: 500, inputs: 20, classes: 4 }, network: layers([32, 'relu'], [4, 'softmax']),
    loss: 'cce', optimizer: { name: 'sgd', learning_rate: 0.05 }, batch_size: 50, epochs: 10,
  },
  'csv text labels softmax cce adam batch 8': {
    dataset: { name: 'csv', csv: irisLike, test_ratio: 0.2 }, network: layers([10, 'tanh'], [3, 'softmax']),
    loss: 'cce', optimizer: { name: 'adam', learning_rate: 0.01 }, batch_size: 8, epochs: 30,
  },
};

// The reference network of the README's "Seed network" preset.
export const seedPreset = {
  dataset: { name: 'spiral', arms: 3, samples: 300, test_ratio: 0 },
  network: layers([64, 'relu'], [3, 'softmax']),
  loss: 'cce', init: 'he_normal', optimizer: { name: 'sgd', learning_rate: 0.01 },
  batch_size: 0, shuffle: false, epochs: 100,
};

describe('native and wasm train identically', () => {
  let simd, scalar, tmp;
  before(async () => {
    requireBuild();
    [simd, scalar] = await Promise.all([engine('simd'), engine('scalar')]);
    tmp = scratch();
  });
  after(() => tmp?.remove());

  test('the engine runs the kernel each module was built for', () => {
    assert.equal(simd.kernel, 'simd128');
    assert.equal(scalar.kernel, 'scalar');
  });

  for (const [name, config] of Object.entries({ ...parityConfigs, 'seed preset': seedPreset })) {
    test(name, () => {
      const file = tmp.write(name.replace(/\W+/g, '_') + '.json', config);
      const nOut = tmp.path('native-' + name.replace(/\W+/g, '_') + '.model.json');
      const wOut = tmp.path('wasm-' + name.replace(/\W+/g, '_') + '.model.json');
      const n = native('train', '--config', file, '--out', nOut);
      assert.equal(n.code, 0, n.stderr);
      const expected = lines(n.stdout).map(withoutSeconds);
      assert.equal(expected.length, config.epochs);

      const w = npx('train', '--config', file, '--out', wOut);
      assert.equal(w.code, 0, w.stderr);
      assert.deepEqual(lines(w.stdout).map(withoutSeconds), expected, 'npx nnplay train');
      assert.equal(readFileSync(wOut, 'utf8'), readFileSync(nOut, 'utf8'), 'trained model files');

      for (const [label, eng] of [['simd', simd], ['scalar', scalar]]) {
        const t = eng.createTrainer(config);
        try {
          assert.deepEqual(t.metricsLines(config.epochs).map(withoutSeconds), expected, `engine (${label})`);
        } finally {
          t.free();
        }
      }
    });
  }

  test('seed preset: numbers as the reference network prints them (--print reference)', () => {
    const file = tmp.write('seed-reference.json', seedPreset);
    const n = native('train', '--config', file, '--print', 'reference');
    assert.equal(n.code, 0, n.stderr);
    assert.equal(lines(n.stdout).length, 10);
    assert.match(lines(n.stdout)[0], /^Epoch 0, Loss: \d\.\d{4}$/);
    const w = npx('train', '--config', file, '--print', 'reference');
    assert.equal(w.code, 0, w.stderr);
    assert.equal(w.stdout, n.stdout);
  });

  test('seed preset: final weights identical (engine params vs native model file)', () => {
    const nOut = tmp.path('seed-native.model.json');
    const n = native('train', '--config', tmp.write('seed.json', seedPreset), '--out', nOut);
    assert.equal(n.code, 0, n.stderr);
    const t = simd.createTrainer(seedPreset);
    try {
      t.trainEpochs(seedPreset.epochs);
      assert.equal(t.exportModel() + '\n', readFileSync(nOut, 'utf8'));
      const model = JSON.parse(readFileSync(nOut, 'utf8'));
      const params = t.params();
      assert.equal(params.length, 2);
      params.forEach((p, l) => {
        assert.deepEqual(Array.from(p.W), model.layers[l].W.flat().map(Math.fround), `W${l + 1}`);
        assert.deepEqual(Array.from(p.b), model.layers[l].b.map(Math.fround), `b${l + 1}`);
      });
    } finally {
      t.free();
    }
  });

  test('gradcheck and dataset commands print the same', () => {
    for (const config of [seedPreset, parityConfigs['sine tanh-linear mse adam full batch'],
      parityConfigs['csv text labels softmax cce adam batch 8']]) {
      const file = tmp.write('cmd.json', config);
      for (const args of [['gradcheck', '--config', file], ['dataset', '--config', file],
        ['dataset', '--config', file, '--split', 'test']]) {
        const n = native(...args), w = npx(...args);
        assert.equal(n.code, 0, n.stderr);
        assert.deepEqual(w, n, args.join(' '));
      }
    }
  });
});
