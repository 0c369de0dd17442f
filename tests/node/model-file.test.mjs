// model-file.test.mjs: web/js/model-file.mjs in plain Node: the page's checks before a model file
// goes to the core (size limit, hidden-layer count; anything else, including text that is not JSON,
// is left to the core's messages) and the page config made to match an imported model.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { MODEL_MAX_BYTES, configWithModel, precheckModel } from '../../web/js/model-file.mjs';
import { installSchema } from '../../web/js/state.mjs';
import { engine, requireBuild } from './_helpers.mjs';

// settle() and the datasets come from the core's config table.
before(async () => {
  requireBuild();
  installSchema((await engine()).schema);
});

const layer = (units, activation) => ({ units, activation });
const model = (hidden) => JSON.stringify({ format: 'nnplay-model', layers: [...hidden, layer(1, 'sigmoid')] });

test('the size limit is 256 MiB, checked on the byte count given', () => {
  assert.equal(MODEL_MAX_BYTES, 256 * 1024 * 1024);
  assert.equal(precheckModel('{}', MODEL_MAX_BYTES), '');
  assert.equal(
    precheckModel('{}', MODEL_MAX_BYTES + 1),
    `model: the file is ${MODEL_MAX_BYTES + 1} bytes; the limit is ${MODEL_MAX_BYTES} bytes (256 MiB)`,
  );
});

test('text the core must judge passes: not JSON, no layers, odd shapes', () => {
  for (const text of ['', 'not json', '{', '[]', 'null', '{"layers": 3}', '{"format":"nnplay-model","version":99}'])
    assert.equal(precheckModel(text), '', JSON.stringify(text));
});

test('any depth the core holds passes: the page holds every network the core does', () => {
  const most = Array.from({ length: 8 }, () => layer(4, 'tanh'));
  assert.equal(precheckModel(model(most)), '');
});

test("an imported model's layers, loss and features replace the page config's; the rest stays", () => {
  const config = {
    dataset: { name: 'xor', samples: 200, noise: 0 },
    network: { features: ['x1', 'x2'], layers: [layer(8, 'tanh'), layer(1, 'sigmoid')] },
    loss: 'bce',
    optimizer: { name: 'adam', learning_rate: 0.01 },
    epochs: 50,
  };
  const core = {
    network: { features: ['x1', 'x2', 'x1*x2'], layers: [layer(5, 'relu'), layer(3, 'relu'), layer(1, 'sigmoid')] },
    loss: 'bce',
  };
  const before = structuredClone(config);
  const next = configWithModel(config, core);
  assert.deepEqual(config, before, 'the input config is not changed');
  assert.deepEqual(next.network, core.network);
  assert.equal(next.loss, 'bce');
  assert.deepEqual(next.optimizer, config.optimizer);
  assert.equal(next.epochs, 50);
  assert.deepEqual(next.dataset, config.dataset);
});

test("a model without features keeps the page's features", () => {
  const config = {
    dataset: { name: 'circle' },
    network: { features: ['x1', 'x2', 'x1^2', 'x2^2'], layers: [layer(4, 'tanh'), layer(1, 'sigmoid')] },
    loss: 'bce',
  };
  const next = configWithModel(config, { network: { layers: [layer(6, 'tanh'), layer(1, 'sigmoid')] }, loss: 'bce' });
  assert.deepEqual(next.network.features, config.network.features);
  assert.deepEqual(next.network.layers, [layer(6, 'tanh'), layer(1, 'sigmoid')]);
});
