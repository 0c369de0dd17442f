// export.test.mjs: the page's "Export code" files are the CLI's. engine.exportScript(config, script)
// on the real wasm build returns { files } whose names and contents equal, byte for byte, what
// `build/native/nnplay export` writes for the same config (both come from wasm/core/export_script.cpp;
// the data and weights are printed with C's printf inside the core, so the digits agree too). A bad
// script name or config throws the native CLI's exact stderr message and the engine stays usable.
// (That the scripts train what nnplay trains is tests/export/export_test.py, in ctest.)
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { engine, native, requireBuild, scratch } from './_helpers.mjs';

const configs = {
  default: { epochs: 20 },
  'spiral, short last batch, adam': {
    dataset: { name: 'spiral', arms: 3, samples: 300 },
    network: { layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
    loss: 'cce', optimizer: { name: 'adam', learning_rate: 0.01 }, batch_size: 32, l2: 0.001,
  },
  'csv regression, momentum': {
    dataset: { name: 'csv', csv: 'a,b,y\n1,2,3.5\n2,1,0.25\n3,5,1\n4,4,2\n5,0,-1\n6,1,0\n', test_ratio: 0.3 },
    network: { layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'linear' }] },
    loss: 'mse', optimizer: { name: 'momentum', nesterov: true }, batch_size: 2,
  },
};

describe('exportScript', () => {
  let eng, tmp;
  before(async () => {
    requireBuild();
    eng = await engine();
    tmp = scratch();
  });
  after(() => tmp?.remove());

  for (const [name, config] of Object.entries(configs))
    for (const script of ['numpy', 'pytorch'])
      test(`${name}, ${script}: the files equal nnplay export's`, () => {
        const dir = tmp.path(`${name}-${script}`.replace(/[^a-z0-9]+/gi, '-'));
        const r = native('export', '--config', tmp.write('config.json', config), '--script', script, '--out', dir);
        assert.equal(r.code, 0, r.stderr);
        const { files } = eng.exportScript(config, script);
        assert.deepEqual(Object.keys(files).sort(), readdirSync(dir).sort());
        assert.deepEqual(Object.keys(files).sort(), ['config.json', 'data.json', 'init.json', 'train.py']);
        for (const [file, text] of Object.entries(files))
          assert.equal(text, readFileSync(join(dir, file), 'utf8'), `${file} differs`);
        assert.match(files['train.py'], script === 'numpy' ? /import numpy as np/ : /nn\.Sequential\(/);
      });

  test('a bad script name or config throws the CLI\'s message; the engine goes on', () => {
    const cases = [[{}, 'tensorflow'], [{ optimizer: { learning_rate: -1 } }, 'numpy']];
    for (const [config, script] of cases) {
      const r = native('export', '--config', tmp.write('bad.json', config), '--script', script, '--out', tmp.path('bad'));
      assert.equal(r.code, 2);
      assert.throws(() => eng.exportScript(config, script), { message: r.stderr.trim() });
    }
    assert.ok(eng.exportScript({}, 'numpy').files['train.py'].length > 1000);
  });
});
