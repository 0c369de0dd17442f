// state.test.mjs: unit tests of web/js/state.mjs (pure: runs in Node, no browser; its schema comes
// from the core's table through the real wasm engine): the defaults are the README's, serialize/parse
// round-trips, invalid URL values fall back field by field with a message naming the field and what
// is allowed, output + loss pairs follow the dataset; a config file goes through the core's normalize
// (fromCoreConfig); Fashion-MNIST links get their own defaults, CSV links carry target and task but
// no data, and the core is sent what it accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine as loadEngine } from './_helpers.mjs';
import {
  LIMITS, SCHEMA, SEED_PRESET, applyFields, defaultConfig, installSchema, outputChoices, parseHash, serializeHash, settle,
} from '../../web/js/state.mjs';
import { fromCoreConfig, toCoreConfig } from '../../web/js/datasets.mjs';

const engine = await loadEngine();
installSchema(engine.schema);
// A config file as the page imports it: the core normalizes (or refuses), the page takes the result.
const configFromJson = (obj) => fromCoreConfig(engine.normalizeConfig(obj));

test('the default config is the README default', () => {
  assert.deepEqual(defaultConfig(), {
    dataset: { name: 'xor', samples: 400, noise: 0.1, test_ratio: 0.2, seed: 1, arms: 2, standardize: true },
    network: {
      features: ['x1', 'x2'],
      layers: [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
    },
    loss: 'bce', init: 'xavier_uniform',
    optimizer: { name: 'sgd', learning_rate: 0.03, momentum: 0.9, nesterov: false, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    batch_size: 10, epochs: 100, l2: 0, seed: 1, shuffle: true, l1: 0,
  });
});

test('every schema row has a unique key and path, and its default passes its own check', () => {
  assert.equal(new Set(SCHEMA.map((r) => r.key)).size, SCHEMA.length);
  assert.equal(new Set(SCHEMA.map((r) => r.path)).size, SCHEMA.length);
  assert.deepEqual(parseHash('').messages, []);
});

test('serialize then parse gives the same config', () => {
  const c = configFromJson({
    dataset: { name: 'spiral', arms: 5, samples: 777, noise: 0.35, test_ratio: 0.3, seed: 4294967295, standardize: false },
    network: { features: ['x1', 'x2', 'x1^2', 'sin(x2)', 'x1*x2'], layers: [{ units: 3, activation: 'leaky_relu' }, { units: 5, activation: 'softmax' }] },
    loss: 'cce', init: 'he_uniform', optimizer: { name: 'adam', learning_rate: 1e-4, beta1: 0.8, beta2: 0.99, epsilon: 1e-7 },
    batch_size: 0, epochs: 12345, l2: 0.0005, seed: 0, shuffle: false,
  });
  assert.ok(c);
  const hash = serializeHash(c);
  const back = parseHash(hash);
  assert.deepEqual(back.messages, []);
  assert.deepEqual(back.config, c);
  assert.equal(serializeHash(back.config), hash);
});

test('zero hidden layers round-trip', () => {
  const c = parseHash('#hidden=').config;
  assert.deepEqual(c.network.layers, [{ units: 1, activation: 'sigmoid' }]);
  assert.deepEqual(parseHash(serializeHash(c)).config, c);
});

test('invalid URL values fall back to the default of that field only, with a message', () => {
  const { config, messages } = parseHash('#lr=-1&hidden=10000:relu&out=swish&garbage&seed=7&mom=1&samples=5.5&nest=maybe');
  const d = defaultConfig();
  assert.equal(config.optimizer.learning_rate, d.optimizer.learning_rate);
  assert.deepEqual(config.network.layers, d.network.layers);
  assert.equal(config.optimizer.momentum, d.optimizer.momentum);
  assert.equal(config.dataset.samples, d.dataset.samples);
  assert.equal(config.optimizer.nesterov, false);
  assert.equal(config.seed, 7);   // the valid field is kept
  const text = messages.join('\n');
  assert.match(text, /lr=-1 is not allowed \(optimizer\.learning_rate: a number > 0 and <= 10\); using the default 0\.03/);
  assert.match(text, /hidden=10000:relu is not allowed \(network\.layers: .*units 1 to 1024/);
  assert.match(text, /out=swish is not allowed \(network\.layers\[-1\]\.activation: one of relu, leaky_relu, sigmoid, tanh, softmax, linear\); using the default sigmoid/);
  assert.match(text, /"garbage" is not a field=value pair/);
  assert.match(text, /mom=1 is not allowed \(optimizer\.momentum: a number >= 0 and < 1\)/);
  assert.match(text, /samples=5\.5 is not allowed \(dataset\.samples: an integer 10 to 100000\)/);
  assert.match(text, /nest=maybe is not allowed/);
});

test('garbage hashes never throw', () => {
  for (const h of ['#%', '#%%%', '#=', '#&&&', '#==x', '#data', '#data=', '#feat=,,', '#hidden=8', '#hidden=8:tanh,', '#\u0000', '#lr=Infinity', '#lr=1e999', '#lr=0x10']) {
    const { config, messages } = parseHash(h);
    assert.ok(config && Array.isArray(messages), h);
    assert.deepEqual(parseHash(serializeHash(config)).messages, [], h);
  }
});

test('output + loss pairs follow the dataset', () => {
  const pairs = (hash) => outputChoices(parseHash(hash).config).map((c) => `${c.out}+${c.loss}`);
  // Classes also offer MSE on the same outputs, to compare with cross-entropy (issue 12).
  assert.deepEqual(pairs('#data=xor'), ['sigmoid+bce', 'softmax+cce', 'sigmoid+mse', 'softmax+mse']);
  assert.deepEqual(pairs('#data=spiral&arms=3'), ['softmax+cce', 'softmax+mse']);
  const mse = parseHash('#data=spiral&arms=3&out=softmax&loss=mse');
  assert.deepEqual([mse.messages, mse.config.network.layers.at(-1)], [[], { units: 3, activation: 'softmax' }]);
  assert.deepEqual(pairs('#data=sine'), ['linear+mse', 'tanh+mse', 'sigmoid+mse', 'relu+mse']);
  for (const c of outputChoices(defaultConfig())) assert.ok(c.why.length > 20);
  // A pair that does not fit is replaced, with a message; output units follow the loss.
  const spiral = parseHash('#data=spiral&arms=4&out=sigmoid&loss=bce');
  assert.equal(spiral.config.network.layers.at(-1).activation, 'softmax');
  assert.equal(spiral.config.network.layers.at(-1).units, 4);
  assert.match(spiral.messages.join(), /sigmoid \+ bce does not fit spiral/);
  // Named nowhere: chosen quietly.
  const sine = parseHash('#data=sine');
  assert.deepEqual(sine.messages, []);
  assert.deepEqual(sine.config.network.features, ['x1']);
  assert.equal(sine.config.loss, 'mse');
});

test('the form path keeps the previous value of an invalid field', () => {
  const base = parseHash('#lr=0.5').config;
  const { config, messages } = applyFields(base, { lr: '' }, 'Form');
  assert.equal(config.optimizer.learning_rate, 0.5);
  assert.match(messages[0], /^Learning rate: empty is not allowed .*; keeping 0\.5\.$/);   // the form speaks its labels (issue 12)
});

test('1-D data keeps only 1-D features', () => {
  const { config, messages } = parseHash('#data=sine&feat=x1,x2,sin(x1)');
  assert.deepEqual(config.network.features, ['x1', 'sin(x1)']);
  assert.match(messages.join(), /sine data is 1-D/);
  assert.deepEqual(settle(config).notes, []);
});

test('the seed preset is the reference network', () => {
  const config = configFromJson(SEED_PRESET);
  assert.deepEqual(config.dataset, { name: 'spiral', samples: 300, noise: 0.1, test_ratio: 0, seed: 1, arms: 3, standardize: true });
  assert.deepEqual(config.network, { features: ['x1', 'x2'], layers: [{ units: 64, activation: 'relu' }, { units: 3, activation: 'softmax' }] });
  assert.equal(config.loss, 'cce');
  assert.equal(config.init, 'he_normal');
  assert.equal(config.optimizer.name, 'sgd');
  assert.equal(config.optimizer.learning_rate, 0.01);
  assert.equal(config.batch_size, 0);
  assert.equal(config.shuffle, false);
  assert.equal(config.epochs, 100);
});

test('a config file is refused by the core with its message naming the field', () => {
  const bad = [
    [{ optimizer: { learning_rate: -1 } }, /optimizer\.learning_rate: -1 is not allowed/],
    [{ optimizer: { learningrate: 1 } }, /optimizer\.learningrate: unknown field/],
    [{ dataset: { name: 'xor', csv: 'a,b\n1,2' } }, /dataset\.csv: only allowed with dataset\.name "csv"/],
    [{ dataset: { name: 'csv', csv: 42 } }, /dataset\.csv: 42 is not allowed \(the CSV text as a string\)/],
    [{ network: { layers: [{ units: 10000, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] } }, /network\.layers\[0\]\.units/],
    [[1, 2], /a JSON object/],
    [{ seed: 'one' }, /seed: "one" is not allowed/],
  ];
  for (const [obj, re] of bad) assert.throws(() => configFromJson(obj), re, JSON.stringify(obj));
});

test('the core normalized config (as exported) imports back unchanged', () => {
  const c = parseHash('#data=moons&opt=momentum&nest=1').config;
  assert.deepEqual(configFromJson(toCoreConfig(c)), c);
});

test('Fashion-MNIST links get its own defaults; named fields win', () => {
  const { config, messages } = parseHash('#data=fashion_mnist');
  assert.deepEqual(messages, []);
  assert.deepEqual(config.network.layers, [{ units: 128, activation: 'relu' }, { units: 10, activation: 'softmax' }]);
  assert.deepEqual([config.loss, config.init, config.optimizer.name, config.optimizer.learning_rate, config.batch_size, config.epochs, config.dataset.samples],
    ['cce', 'he_normal', 'adam', 0.001, 32, 5, LIMITS.fashionTrain]);
  const own = parseHash('#data=fashion_mnist&hidden=64:tanh,32:relu&batch=64&samples=5000').config;
  assert.deepEqual(own.network.layers, [{ units: 64, activation: 'tanh' }, { units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }]);
  assert.deepEqual([own.batch_size, own.dataset.samples, own.optimizer.name], [64, 5000, 'adam']);
  assert.deepEqual(parseHash(serializeHash(own)).config, own);
  // Only softmax + cross-entropy fits 10 classes.
  const bad = parseHash('#data=fashion_mnist&out=sigmoid&loss=bce');
  assert.deepEqual([bad.config.loss, bad.config.network.layers.at(-1).units], ['cce', 10]);
  assert.match(bad.messages.join(), /sigmoid \+ bce does not fit fashion_mnist data/);
  const core = toCoreConfig(own);
  assert.equal(core.network.features, undefined, 'the core refuses features for images');
});

test('CSV links carry target and task (others do not); the output stays open until the file is read', () => {
  assert.doesNotMatch(serializeHash(defaultConfig()), /target=|task=/);
  const hash = '#data=csv&target=sale%20price&task=regression&hidden=4:relu&out=linear&loss=mse';
  const { config, messages } = parseHash(hash);
  assert.deepEqual(messages, []);
  assert.deepEqual([config.dataset.target, config.dataset.task, config.loss, config.network.layers.at(-1).activation], ['sale price', 'regression', 'mse', 'linear']);
  assert.match(serializeHash(config), /&target=sale%20price&task=regression&/);
  assert.deepEqual(parseHash(serializeHash(config)).config, config);
  assert.match(parseHash('#data=csv&task=maybe').messages.join(), /task=maybe is not allowed \(dataset\.task: one of auto, classification, regression\)/);
  assert.equal(parseHash('#data=xor&target=y&task=regression').config.dataset.target, undefined);
  // Once the core has read the file, the output follows it, with a note.
  const meta = { csv: { task: 'classification', classes: 4, rawDims: 6 } };
  const s = settle(config, meta);
  assert.deepEqual([s.config.loss, s.config.network.layers.at(-1)], ['cce', { units: 4, activation: 'softmax' }]);
  assert.match(s.notes.join(), /linear \+ mse does not fit csv data; using softmax \+ cross-entropy \(4 outputs\)/);
  const core = toCoreConfig(s.config);
  assert.equal(core.network.features, undefined);
  assert.equal(core.dataset.target, 'sale price');
  assert.equal(toCoreConfig(parseHash('#data=csv').config).dataset.target, undefined, 'no target: the last column');
  assert.equal(toCoreConfig(defaultConfig()).dataset.task, undefined);
});

test('a config file may carry its CSV; the page config does not', () => {
  const core = engine.normalizeConfig({ dataset: { name: 'csv', csv: 'a,b\n1,0\n2,1\n', target: 'b', task: 'classification' },
    network: { layers: [{ units: 3, activation: 'relu' }, { units: 2, activation: 'softmax' }] }, loss: 'cce' });
  assert.equal(core.dataset.csv, 'a,b\n1,0\n2,1\n');
  const r = fromCoreConfig(core);
  assert.deepEqual([r.dataset.target, r.dataset.task, r.network.layers.at(-1).units], ['b', 'classification', 2]);
  assert.equal(r.dataset.csv, undefined, 'the text is not part of the page config');
});
