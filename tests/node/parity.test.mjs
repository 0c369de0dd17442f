// parity.test.mjs: the WebAssembly builds behave bit for bit like the native build. Two parts:
// the command line, one table row per invocation (below `cli`): build/native/nnplay and `npx nnplay`
// (main.cpp compiled for Node, SIMD and scalar) give the same exit code, stdout, stderr and files,
// for every command and for bad input; and the engine in this process (the page's modules, SIMD
// and scalar) prints the native CLI's per-epoch lines, compared as exact strings (17 significant
// digits) without the wall-time field. No tolerance: the core is exact by design (kernel.h, detmath.h). A
// difference is a bug to find (the plane config caught an LLVM 14 miscompile of rng.h under
// -msimd128: a v128.load32_splat re-reading the generator's state after it was overwritten).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { engine, lines, native, npxCli, requireBuild, scratch, wasmDir, withoutSeconds } from './_helpers.mjs';

const layers = (...spec) => ({ layers: spec.map(([units, activation]) => ({ units, activation })) });

// A small CSV with text labels: 3 classes from 3 numeric columns (deterministic, no RNG).
const irisLike = [
  'f1,f2,f3,species',
  ...Array.from({ length: 90 }, (_, i) => {
    const k = i % 3,
      u = Math.sin(i * 12.9898) * 0.5,
      v = Math.cos(i * 78.233) * 0.5;
    return `${(k + u).toFixed(3)},${(2 - k + v).toFixed(3)},${(u * v).toFixed(4)},${['setosa', 'versicolor', 'virginica'][k]}`;
  }),
].join('\n');

// Together: every activation (relu, leaky_relu, sigmoid, tanh, softmax, linear), loss (mse, bce,
// cce), optimizer (sgd, momentum, nesterov, adam), init, mini-batch and full batch, shuffling on
// and off, L2, engineered features, test split or none, every built-in dataset kind and a CSV.
export const parityConfigs = {
  'xor tanh-tanh-sigmoid bce sgd batch 10': {
    dataset: { name: 'xor', samples: 200 },
    network: layers([8, 'tanh'], [8, 'tanh'], [1, 'sigmoid']),
    loss: 'bce',
    init: 'xavier_uniform',
    optimizer: { name: 'sgd', learning_rate: 0.1 },
    batch_size: 10,
    epochs: 30,
  },
  'moons leaky_relu bce momentum l2 0.01 batch 16': {
    dataset: { name: 'moons', samples: 300, noise: 0.2, seed: 7 },
    network: layers([16, 'leaky_relu'], [1, 'sigmoid']),
    loss: 'bce',
    init: 'he_uniform',
    optimizer: { name: 'momentum', learning_rate: 0.05, momentum: 0.9 },
    batch_size: 16,
    l2: 0.01,
    epochs: 25,
    seed: 3,
  },
  'circle features sigmoid bce nesterov batch 25': {
    dataset: { name: 'circle', samples: 250 },
    network: {
      features: ['x1', 'x2', 'x1^2', 'x2^2', 'x1*x2', 'sin(x1)', 'sin(x2)'],
      ...layers([6, 'sigmoid'], [1, 'sigmoid']),
    },
    loss: 'bce',
    init: 'xavier_normal',
    optimizer: { name: 'momentum', learning_rate: 0.1, momentum: 0.8, nesterov: true },
    batch_size: 25,
    epochs: 25,
  },
  'spiral 4 arms relu-relu-softmax cce adam batch 32': {
    dataset: { name: 'spiral', arms: 4, samples: 400, test_ratio: 0.25 },
    network: layers([32, 'relu'], [16, 'relu'], [4, 'softmax']),
    loss: 'cce',
    init: 'he_normal',
    optimizer: { name: 'adam', learning_rate: 0.01 },
    batch_size: 32,
    epochs: 25,
  },
  'sine tanh-linear mse adam full batch': {
    dataset: { name: 'sine', samples: 200, noise: 0.05 },
    network: layers([16, 'tanh'], [1, 'linear']),
    loss: 'mse',
    optimizer: { name: 'adam', learning_rate: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 },
    batch_size: 0,
    epochs: 40,
  },
  'plane leaky_relu-linear mse momentum l2 unstandardized': {
    dataset: { name: 'plane', samples: 300, standardize: false },
    network: layers([8, 'leaky_relu'], [1, 'linear']),
    loss: 'mse',
    init: 'he_uniform',
    optimizer: { name: 'momentum', learning_rate: 0.01 },
    batch_size: 25,
    l2: 0.001,
    epochs: 25,
  },
  'gaussians relu-sigmoid mse sgd batch above m, no shuffle': {
    dataset: { name: 'gaussians', samples: 200, noise: 1 },
    network: layers([4, 'relu'], [1, 'sigmoid']),
    loss: 'mse',
    optimizer: { name: 'sgd', learning_rate: 0.5 },
    batch_size: 1000,
    shuffle: false,
    epochs: 20,
  },
  'random 20 inputs 4 classes relu-softmax cce sgd batch 50': {
    dataset: { name: 'random', samples: 500, inputs: 20, classes: 4 },
    network: layers([32, 'relu'], [4, 'softmax']),
    loss: 'cce',
    optimizer: { name: 'sgd', learning_rate: 0.05 },
    batch_size: 50,
    epochs: 10,
  },
  'csv text labels softmax cce adam batch 8': {
    dataset: { name: 'csv', csv: irisLike, test_ratio: 0.2 },
    network: layers([10, 'tanh'], [3, 'softmax']),
    loss: 'cce',
    optimizer: { name: 'adam', learning_rate: 0.01 },
    batch_size: 8,
    epochs: 30,
  },
};

// The reference network of the README's "Seed network" preset.
export const seedPreset = {
  dataset: { name: 'spiral', arms: 3, samples: 300, test_ratio: 0 },
  network: layers([64, 'relu'], [3, 'softmax']),
  loss: 'cce',
  init: 'he_normal',
  optimizer: { name: 'sgd', learning_rate: 0.01 },
  batch_size: 0,
  shuffle: false,
  epochs: 100,
};

// ---- The command line: one table, one row per invocation ----------------------------------------
// cli[command] = [[label, (f) => args], ...]. Every row runs build/native/nnplay and `npx nnplay`
// (scripts/nnplay.mjs on both wasm builds of main.cpp: NNPLAY_WASM=simd and scalar) with the same
// arguments. They must give the same exit code, stdout (train's JSON lines without the wall-time
// field) and stderr, and every file the row names with f.out() must come out byte-identical.
// A command added to main.cpp adds its rows here (cli.trace = [...]); f builds the row's inputs:
//   f.config(name | object)  parityConfigs[name] (or the object) as a JSON file
//   f.file(name, text)       a file holding text
//   f.model(name)            the model file native `train` writes for parityConfigs[name]
//   f.out(name)              an output path, a different one for each side
//   f.missing(name)          a path where nothing exists
export const cli = {
  train: [
    ...Object.keys(parityConfigs).map((name) => [
      name,
      (f) => ['train', '--config', f.config(name), '--out', f.out('model.json')],
    ]),
    ['seed preset', (f) => ['train', '--config', f.config(seedPreset), '--out', f.out('model.json')]],
    ['seed preset --print reference', (f) => ['train', '--config', f.config(seedPreset), '--print', 'reference']],
    [
      '--print json, options in another order',
      (f) => ['train', '--print', 'json', '--config', f.config('xor tanh-tanh-sigmoid bce sgd batch 10')],
    ],
    [
      '--save-init and --out',
      (f) => [
        'train',
        '--config',
        f.config('moons leaky_relu bce momentum l2 0.01 batch 16'),
        '--save-init',
        f.out('init.json'),
        '--out',
        f.out('model.json'),
      ],
    ],
    [
      '--init: goes on from a trained model',
      (f) => [
        'train',
        '--config',
        f.config('spiral 4 arms relu-relu-softmax cce adam batch 32'),
        '--init',
        f.model('spiral 4 arms relu-relu-softmax cce adam batch 32'),
        '--out',
        f.out('model.json'),
      ],
    ],
    [
      'a repeated option: the last one counts',
      (f) => ['train', '--config', f.missing('x.json'), '--config', f.config('sine tanh-linear mse adam full batch')],
    ],
  ],
  gradcheck: ['seed', 'sine', 'csv'].map((key) => [key, (f) => ['gradcheck', '--config', f.config(configNamed(key))]]),
  dataset: ['seed', 'sine', 'csv', 'gaussians'].flatMap((key) => [
    [`${key} (train split)`, (f) => ['dataset', '--config', f.config(configNamed(key))]],
    [`${key} --split test`, (f) => ['dataset', '--config', f.config(configNamed(key)), '--split', 'test']],
  ]),
  trace: [
    ['seed preset, samples 0,5', (f) => ['trace', '--config', f.config(seedPreset), '--samples', '0,5']],
    [
      'adam, --init from a trained model',
      (f) => [
        'trace',
        '--config',
        f.config('spiral 4 arms relu-relu-softmax cce adam batch 32'),
        '--init',
        f.model('spiral 4 arms relu-relu-softmax cce adam batch 32'),
        '--samples',
        '3',
      ],
    ],
  ],
  // export writes a folder: its files are compared one by one, its printed paths without the side.
  export: ['numpy', 'pytorch'].map((script) => [
    script,
    (f) => [
      'export',
      '--config',
      f.config('moons leaky_relu bce momentum l2 0.01 batch 16'),
      '--script',
      script,
      '--out',
      f.out('dir'),
    ],
  ]),
  predict: [
    [
      'text labels, extra column ignored',
      (f) => [
        'predict',
        '--model',
        f.model('csv text labels softmax cce adam batch 8'),
        '--data',
        f.file('iris.csv', irisLike),
      ],
    ],
    [
      'regression; hex, exponent and space-led numbers',
      (f) => [
        'predict',
        '--model',
        f.model('sine tanh-linear mse adam full batch'),
        '--data',
        f.file('x.csv', 'x1\n0.5\n 1.5\n0x1p-1\n-0X1.8P1\n-2e-1\n+.25\n7.\n'),
      ],
    ],
    [
      'one sigmoid output, columns in another order',
      (f) => [
        'predict',
        '--model',
        f.model('moons leaky_relu bce momentum l2 0.01 batch 16'),
        '--data',
        f.file('m.csv', 'note,x2,x1\na,0.25,-1\nb,-0.5,1.5\nc,0,0\n'),
      ],
    ],
    [
      'header only',
      (f) => [
        'predict',
        '--model',
        f.model('moons leaky_relu bce momentum l2 0.01 batch 16'),
        '--data',
        f.file('h.csv', 'x1,x2\n'),
      ],
    ],
  ],
};

// Bad input: exit code 2 and one line on stderr (usage lines follow only when no command is given).
// Compared on the SIMD build only: the messages come from the same C++ in both builds.
export const cliErrors = [
  ['no command', () => []],
  ['unknown command', () => ['fly']],
  ['unknown option', (f) => ['train', '--config', f.config('xor tanh-tanh-sigmoid bce sgd batch 10'), '--bogus', '1']],
  ['an option of another command', (f) => ['gradcheck', '--config', f.config(seedPreset), '--split', 'test']],
  ['option without a value', () => ['train', '--config']],
  ['train without --config', () => ['train']],
  ['config file missing', (f) => ['train', '--config', f.missing('none.json')]],
  ['config is a folder', (f) => ['train', '--config', f.dir]],
  ['config not JSON', (f) => ['train', '--config', f.file('bad.json', '{epochs: 3')]],
  [
    'config invalid',
    (f) => ['gradcheck', '--config', f.config({ network: { layers: [{ units: 0, activation: 'tanh' }] } })],
  ],
  ['--print yaml', (f) => ['train', '--config', f.config(seedPreset), '--print', 'yaml']],
  [
    '--print reference without cce',
    (f) => ['train', '--config', f.config('sine tanh-linear mse adam full batch'), '--print', 'reference'],
  ],
  ['--init not a model', (f) => ['train', '--config', f.config(seedPreset), '--init', f.file('m.json', '{}')]],
  [
    '--init of another shape',
    (f) => ['train', '--config', f.config(seedPreset), '--init', f.model('sine tanh-linear mse adam full batch')],
  ],
  [
    '--out not writable',
    (f) => [
      'train',
      '--config',
      f.config('gaussians relu-sigmoid mse sgd batch above m, no shuffle'),
      '--out',
      f.missing('no/such/dir/model.json'),
    ],
  ],
  ['--save-init not writable', (f) => ['train', '--config', f.config(seedPreset), '--save-init', f.dir]],
  ['--split validation', (f) => ['dataset', '--config', f.config(seedPreset), '--split', 'validation']],
  ['predict without --data', (f) => ['predict', '--model', f.model('sine tanh-linear mse adam full batch')]],
  [
    'predict: model not JSON',
    (f) => ['predict', '--model', f.file('m.json', 'nope'), '--data', f.file('x.csv', 'x1\n1\n')],
  ],
  [
    'predict: column missing',
    (f) => [
      'predict',
      '--model',
      f.model('moons leaky_relu bce momentum l2 0.01 batch 16'),
      '--data',
      f.file('c.csv', 'x1,x3\n1,2\n'),
    ],
  ],
  [
    'predict: ragged row',
    (f) => [
      'predict',
      '--model',
      f.model('moons leaky_relu bce momentum l2 0.01 batch 16'),
      '--data',
      f.file('r.csv', 'x1,x2\n1,2,3\n'),
    ],
  ],
  ...['abc', '', '1e999', 'inf', 'nan', '0x', '1.5x', '--1'].map((cell) => [
    `predict: cell ${JSON.stringify(cell)}`,
    (f) => [
      'predict',
      '--model',
      f.model('sine tanh-linear mse adam full batch'),
      '--data',
      f.file('n.csv', `x1,note\n1,a\n${cell},b\n`),
    ],
  ]),
];

function configNamed(key) {
  if (key === 'seed') return seedPreset;
  return parityConfigs[Object.keys(parityConfigs).find((name) => name.startsWith(key))];
}

const slug = (s) => s.replace(/\W+/g, '_').replace(/^_|_$/g, '');

// The row's inputs in tmp; out() paths differ per side ('native', 'simd', 'scalar').
function inputs(tmp, row, side) {
  const outs = [];
  const f = {
    dir: tmp.dir,
    config(c) {
      const config = typeof c === 'string' ? parityConfigs[c] : c;
      const text = JSON.stringify(config);
      return tmp.write(`config-${createHash('sha1').update(text).digest('hex').slice(0, 12)}.json`, text);
    },
    file: (name, text) => tmp.write(`${row}-${name}`, text),
    model(name) {
      const path = tmp.path(`model-${slug(name)}.json`);
      if (!existsSync(path)) {
        const r = native('train', '--config', f.config(name), '--out', path);
        assert.equal(r.code, 0, r.stderr);
      }
      return path;
    },
    out(name) {
      outs.push(name);
      return tmp.path(`${side}-${row}-${name}`);
    },
    missing: (name) => tmp.path(`missing-${name}`),
  };
  return { f, outs };
}

// node scripts/nnplay.mjs <args> on one wasm build -> { code, stdout, stderr }
function npxOn(variant, args) {
  const r = spawnSync(process.execPath, [npxCli, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    env: { ...process.env, NNPLAY_WASM_DIR: wasmDir, NNPLAY_WASM: variant },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const comparable = (r) => ({ code: r.code, stdout: lines(r.stdout).map(withoutSeconds), stderr: r.stderr });

// Runs one row on every side and checks them against the native run, which it returns.
function checkRow(tmp, label, args, sides = ['simd', 'scalar']) {
  const row = slug(label);
  const run = (side) => {
    const { f, outs } = inputs(tmp, row, side);
    const argv = args(f);
    return { r: side === 'native' ? native(...argv) : npxOn(side, argv), outs, argv };
  };
  const n = run('native');
  // Output paths differ per side only by their side prefix.
  const sideless = (r, side) => ({ ...r, stdout: r.stdout.replaceAll(tmp.path(`${side}-${row}-`), 'OUT-') });
  for (const side of sides) {
    const w = run(side);
    assert.deepEqual(
      comparable(sideless(w.r, side)),
      comparable(sideless(n.r, 'native')),
      `npx nnplay (${side}) ${w.argv.join(' ')}`,
    );
    for (const name of n.outs) {
      const [a, b] = [tmp.path(`native-${row}-${name}`), tmp.path(`${side}-${row}-${name}`)];
      assert.equal(existsSync(b), existsSync(a), `${name} written by one side only`);
      if (!existsSync(a)) continue;
      const files = statSync(a).isDirectory() ? readdirSync(a).map((e) => `/${e}`) : [''];
      for (const e of files)
        assert.equal(readFileSync(b + e, 'utf8'), readFileSync(a + e, 'utf8'), `${name}${e} (${side})`);
    }
  }
  return n.r;
}

describe('native CLI and npx nnplay: one program, the same output', () => {
  let tmp;
  before(() => {
    requireBuild();
    for (const name of ['nnplay-cli', 'nnplay-cli-scalar'])
      for (const ext of ['.cjs', '.wasm'])
        assert.ok(existsSync(join(wasmDir, name + ext)), `${join(wasmDir, name + ext)} is missing: run npm run build`);
    tmp = scratch();
  });
  after(() => tmp?.remove());

  for (const [command, rows] of Object.entries(cli)) {
    describe(command, () => {
      for (const [label, args] of rows) {
        test(label, () => {
          const n = checkRow(tmp, `${command} ${label}`, args);
          assert.equal(n.code, 0, n.stderr);
          assert.equal(n.stderr, '');
          assert.ok(n.stdout.length > 0 || label === 'header only', 'prints something');
        });
      }
    });
  }

  describe('bad input', () => {
    for (const [label, args] of cliErrors) {
      test(label, () => {
        const n = checkRow(tmp, `error ${label}`, args, ['simd']);
        assert.equal(n.code, 2, `native exit code (stderr: ${n.stderr})`);
        const errLines = lines(n.stderr);
        if (label === 'no command') assert.match(errLines[1], /^usage: nnplay train/);
        else assert.equal(errLines.length, 1, n.stderr);
        assert.match(errLines[0], /^(nnplay|config|csv|model): /);
      });
    }
  });

  test('the table covers every command of the usage text', () => {
    const usage = native().stderr;
    const commands = [...usage.matchAll(/nnplay (\w+) --/g)].map((m) => m[1]);
    assert.ok(commands.length >= 4, usage);
    for (const c of commands) assert.ok(cli[c]?.length > 0, `no parity rows for "${c}"`);
  });
});

describe('the engine (page and worker) trains like the native CLI', () => {
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
      const n = native('train', '--config', tmp.write(slug(name) + '.json', config));
      assert.equal(n.code, 0, n.stderr);
      const expected = lines(n.stdout).map(withoutSeconds);
      assert.equal(expected.length, config.epochs);
      for (const [label, eng] of [
        ['simd', simd],
        ['scalar', scalar],
      ]) {
        const t = eng.createTrainer(config);
        try {
          assert.deepEqual(t.metricsLines(config.epochs).map(withoutSeconds), expected, `engine (${label})`);
        } finally {
          t.free();
        }
      }
    });
  }

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
});
