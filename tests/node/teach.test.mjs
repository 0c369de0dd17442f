// teach.test.mjs: the teaching views' engine calls on the real wasm build, against the native CLI:
// `nnplay trace` prints exactly the engine's t.trace(); a live learning-rate change equals the CLI
// continuing from the saved model (`train --out`, then `train --init` with the new config), bit for
// bit; an edited weight persists into training as a CLI run from the edited model does; batch
// stepping equals epochs; neuronGrid's output layer is predictGrid's; errors are one-line Errors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { engine, lines, native, scratch, withoutSeconds } from './_helpers.mjs';

const net = (...spec) => ({ layers: spec.map(([units, activation]) => ({ units, activation })) });
const small = (optimizer, extra = {}) => ({
  dataset: { name: 'xor', samples: 60, test_ratio: 0.2 }, network: net([3, 'relu'], [2, 'softmax']),
  loss: 'cce', init: 'he_normal', optimizer, batch_size: 8, epochs: 4, seed: 5, ...extra,
});

describe('teaching views (engine on wasm vs native CLI)', () => {
  let eng, tmp;
  before(async () => { eng = await engine(); tmp = scratch(); });
  after(() => tmp.remove());

  test('nnplay trace prints the engine trace exactly, for every optimizer and after --init', () => {
    for (const optimizer of [{ name: 'sgd' }, { name: 'momentum', nesterov: true }, { name: 'adam', learning_rate: 0.01 }]) {
      const cfg = small(optimizer, { l2: 0.01, l1: 0.001 });
      const t = eng.createTrainer(cfg);
      try {
        const fresh = native('trace', '--config', tmp.write('c.json', cfg), '--samples', '0,5,7');
        assert.equal(fresh.code, 0, fresh.stderr);
        assert.deepEqual(JSON.parse(fresh.stdout), t.trace({ samples: [0, 5, 7] }), optimizer.name);
        t.trainEpochs(2);
        const n = native('trace', '--config', tmp.path('c.json'), '--init', tmp.write('m.json', t.exportModel()),
                         '--samples', '3');
        assert.equal(n.code, 0, n.stderr);
        const tr = t.trace({ samples: [3] });
        assert.deepEqual(JSON.parse(n.stdout), tr);
        assert.equal(tr.update.t, 2 * 6 + 1, '48 samples in 6 batches, 2 epochs, then the traced step');
      } finally {
        t.free();
      }
    }
  });

  test('trace with edited inputs and weights; refusals are one-line errors', () => {
    const t = eng.createTrainer(small({ name: 'sgd' }));
    try {
      const a = t.trace({ samples: [1] });
      const params = t.params().map(({ W, b }) => ({ W: W.slice(), b }));
      params[0].W[0] += 5 * Math.sign(a.X[0][0]);  // W1[0][0], up by enough to switch relu unit 0 on
      const b = t.trace({ samples: [1], params });
      assert.deepEqual(b.X, a.X);
      assert.notEqual(b.layers[0].Z[0][0], a.layers[0].Z[0][0]);
      assert.deepEqual(b.layers[0].Z[0].slice(1), a.layers[0].Z[0].slice(1), 'only Z1 column 0 changes');
      assert.notDeepEqual(b.layers[1].A, a.layers[1].A);
      const x = t.trace({ samples: [1], x: [0.25, -1] });
      assert.deepEqual(x.X, [[0.25, -1]]);
      assert.throws(() => t.trace({ samples: [99] }), { message: 'trace: samples: 99 is not allowed (a training sample, 0 to 47)' });
      assert.throws(() => t.trace({ samples: [1], x: [1] }), { message: 'trace: X: 1 numbers is not allowed (1 x 2)' });
      assert.throws(() => t.trace({ samples: 'x' }), /samples/);
    } finally {
      t.free();
    }
  });

  test('a live change of settings equals the CLI continuing from the saved model', () => {
    const a = small({ name: 'adam', learning_rate: 0.01 }), b = small({ name: 'adam', learning_rate: 0.05, beta2: 0.99 },
                                                                     { l2: 0.001, batch_size: 5, epochs: 4 });
    const t = eng.createTrainer(a);
    try {
      const first = t.metricsLines(4);
      t.updateSettings(b);
      assert.equal(t.config.optimizer.learning_rate, 0.05);
      const second = t.metricsLines(4);
      const n1 = native('train', '--config', tmp.write('a.json', a), '--out', tmp.path('a-out.json'));
      const n2 = native('train', '--config', tmp.write('b.json', b), '--init', tmp.path('a-out.json'),
                        '--out', tmp.path('b-out.json'));
      assert.equal(n2.code, 0, n2.stderr);
      assert.equal(n2.stderr, '');
      assert.deepEqual(lines(n1.stdout).map(withoutSeconds), first.map(withoutSeconds));
      assert.deepEqual(lines(n2.stdout).map(withoutSeconds), second.map(withoutSeconds));
      assert.equal(JSON.parse(second[0]).epoch, 5, 'the epoch count continues');
      assert.equal(readFileSync(tmp.path('b-out.json'), 'utf8').trim(), t.exportModel());
      assert.throws(() => t.updateSettings({ ...b, seed: b.seed + 1 }),
                    { message: /^config: seed: changing it needs a fresh run/ });
    } finally {
      t.free();
    }
  });

  test('an edited weight persists into the next epoch, as a CLI run from the edited model', () => {
    const cfg = small({ name: 'momentum' }, { shuffle: false, epochs: 1 });
    const t = eng.createTrainer(cfg);
    try {
      t.trainEpochs(2);
      t.setWeight({ layer: 1, tensor: 'W', row: 0, col: 0, value: 0 });
      assert.equal(t.params()[0].W[0], 0);
      const edited = tmp.write('edited.json', t.exportModel());
      const mine = t.metricsLines(1);
      const n = native('train', '--config', tmp.write('e.json', cfg), '--init', edited, '--out', tmp.path('e-out.json'));
      assert.deepEqual(lines(n.stdout).map(withoutSeconds), mine.map(withoutSeconds));
      assert.equal(readFileSync(tmp.path('e-out.json'), 'utf8').trim(), t.exportModel());
      assert.throws(() => t.setWeight({ layer: 1, row: 0, col: 9, value: 1 }),
                    { message: 'set_param: W1[0][9] is not allowed (W1 is 2 x 3)' });
      assert.throws(() => t.setWeight({ layer: 1, row: 0, col: 0, value: '1' }), /value/);
    } finally {
      t.free();
    }
  });

  test('batch steps give the epochs of trainEpochs, with grad_rms per layer', () => {
    const u = eng.createTrainer(small({ name: 'adam' })), v = eng.createTrainer(small({ name: 'adam' }));
    try {
      const epochs = u.trainEpochs(2);
      const stepped = [];
      while (stepped.length < 2) {
        const r = v.trainBatch();
        assert.equal(v.epochPosition, r.finished ? 0 : r.position);
        if (r.finished) stepped.push(r.finished);
      }
      const strip = ({ seconds, ...rest }) => rest;
      assert.deepEqual(stepped.map(strip), epochs.map(strip));
      assert.equal(epochs[0].grad_rms.length, 2);
      assert.ok(epochs[0].grad_rms.every((x) => x > 0));
      assert.equal(u.exportModel(), v.exportModel());
    } finally {
      u.free();
      v.free();
    }
  });

  test('neuronGrid: every layer, the last equal to predictGrid; gradient checks on a small batch', () => {
    const t = eng.createTrainer(small({ name: 'sgd' }));
    try {
      const view = { x0: -1, x1: 1, y0: -1, y1: 1, nx: 5, ny: 4 };
      const g = t.neuronGrid(view);
      assert.equal(g.length, 2);
      assert.equal(g[0].length, 20 * 3);
      assert.deepEqual(g[1], t.predictGrid(view));
      const checks = t.gradientCheck(1e-3, 10);
      assert.deepEqual(checks.map((c) => c.name), ['W1', 'b1', 'W2', 'b2']);
      const w = t.gradientCheckWeight({ layer: 2, tensor: 'W', row: 1, col: 0, h: 1e-3, samples: 10 });
      assert.equal(w.formula, '|a - n| / max(|a| + |n|, 1e-4)');
      assert.ok(w.rel_error < 1e-2, JSON.stringify(w));
    } finally {
      t.free();
    }
  });
});
