// models.test.mjs: model files cross between the builds. A model trained and exported in wasm
// predicts natively (`nnplay predict --model`) exactly what the wasm trainer predicts, and a model
// trained natively (`nnplay train --out`) loads into a wasm trainer and predicts exactly what the
// native CLI prints; `npx nnplay predict` prints the native CLI's text to the byte.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { engine, lines, native, npx, requireBuild, scratch } from './_helpers.mjs';

const layers = (...spec) => ({ layers: spec.map(([units, activation]) => ({ units, activation })) });
const configs = {
  'moons, 1 sigmoid output': {
    dataset: { name: 'moons', samples: 300 }, network: layers([12, 'tanh'], [1, 'sigmoid']),
    optimizer: { name: 'adam', learning_rate: 0.01 }, epochs: 15,
  },
  'spiral 3 arms, softmax, engineered features': {
    dataset: { name: 'spiral', arms: 3, samples: 300 },
    network: { features: ['x1', 'x2', 'x1*x2', 'sin(x1)'], ...layers([16, 'relu'], [3, 'softmax']) },
    loss: 'cce', optimizer: { name: 'momentum', learning_rate: 0.05 }, epochs: 15,
  },
  'sine regression': {
    dataset: { name: 'sine', samples: 200 }, network: layers([10, 'tanh'], [1, 'linear']),
    loss: 'mse', optimizer: { name: 'adam', learning_rate: 0.02 }, epochs: 15,
  },
};

// Inputs spanning the plane (and beyond the data), as CSV with the model's raw columns.
function grid(rawNames) {
  const rows = [];
  for (let i = 0; i < 15; ++i)
    for (let j = 0; j < (rawNames.length > 1 ? 15 : 1); ++j) rows.push([-7 + i, -7 + j].slice(0, rawNames.length));
  return { rows, csv: [rawNames.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n' };
}

// `nnplay predict` output -> Float32 outputs (9 significant digits read back to the same float).
function parsePredictions(stdout, outputs) {
  const [header, ...body] = lines(stdout);
  assert.equal(header.split(',').slice(0, outputs).join(','), Array.from({ length: outputs }, (_, j) => 'y' + j).join(','));
  return body.flatMap((l) => l.split(',').slice(0, outputs).map((v) => Math.fround(Number(v))));
}

describe('model files between native and wasm', () => {
  let eng, tmp;
  before(async () => {
    requireBuild();
    eng = await engine();
    tmp = scratch();
  });
  after(() => tmp?.remove());

  for (const [name, config] of Object.entries(configs)) {
    const key = name.replace(/\W+/g, '_');

    test(`${name}: exported from wasm, predicted natively`, () => {
      const t = eng.createTrainer(config);
      try {
        t.trainEpochs(config.epochs);
        const modelFile = tmp.write(key + '.wasm-model.json', t.exportModel());
        const { rows, csv } = grid(t.info.rawNames);
        const dataFile = tmp.write(key + '.csv', csv);
        const n = native('predict', '--model', modelFile, '--data', dataFile);
        assert.equal(n.code, 0, n.stderr);
        const expected = Array.from(t.predict(new Float32Array(rows.flat()), rows.length));
        assert.deepEqual(parsePredictions(n.stdout, t.info.outputs), expected);
        assert.deepEqual(npx('predict', '--model', modelFile, '--data', dataFile), n);
      } finally {
        t.free();
      }
    });

    test(`${name}: trained natively, loaded in wasm`, () => {
      const modelFile = tmp.path(key + '.native-model.json');
      const r = native('train', '--config', tmp.write(key + '.json', config), '--out', modelFile);
      assert.equal(r.code, 0, r.stderr);
      const text = readFileSync(modelFile, 'utf8');
      // A fresh trainer (other seed, so other weights) takes the native weights.
      const t = eng.createTrainer({ ...config, seed: 99 });
      try {
        t.importModel(text);
        assert.equal(t.exportModel() + '\n', text, 'the model round-trips to the same file');
        const { rows, csv } = grid(t.info.rawNames);
        const n = native('predict', '--model', modelFile, '--data', tmp.write(key + '.csv', csv));
        assert.equal(n.code, 0, n.stderr);
        assert.deepEqual(Array.from(t.predict(new Float32Array(rows.flat()), rows.length)),
                         parsePredictions(n.stdout, t.info.outputs));
      } finally {
        t.free();
      }
    });
  }

  test('predict errors match the native CLI', () => {
    const t = eng.createTrainer(configs['moons, 1 sigmoid output']);
    const model = tmp.write('err-model.json', t.exportModel());
    t.free();
    const cases = [
      ['predict', '--model', model, '--data', tmp.write('missing-col.csv', 'x1,x3\n1,2\n')],
      ['predict', '--model', model, '--data', tmp.write('not-number.csv', 'x2,x1\n1,2\n3,abc\n')],
      ['predict', '--model', model, '--data', tmp.write('ragged.csv', 'x1,x2\n1,2,3\n')],
      ['predict', '--model', tmp.write('bad-model.json', '{"format":"nnplay-model","version":1}'), '--data', model],
      ['predict', '--model', tmp.path('nonexistent.json'), '--data', model],
      ['predict', '--model', model],
    ];
    for (const args of cases) {
      const n = native(...args);
      assert.equal(n.code, 2, `${args.join(' ')}: ${n.stderr}`);
      assert.deepEqual(npx(...args), n, args.join(' '));
    }
  });
});
