// fashion-accuracy.mjs: the README's Fashion-MNIST accuracy figures. Trains a network on the standard
// split (60,000 training, 10,000 test images, Debian's dataset-fashion-mnist) with the wasm engine in
// Node and prints the test accuracy after each epoch as one JSON line per epoch.
//   node bench/fashion-accuracy.mjs [--epochs 20] [--seed 1] [--net recommended|w4]
// recommended: the page's Fashion-MNIST network (784-128-10 relu/softmax, He normal, Adam 0.001,
// batch 32); w4: the bench's W4 (784-256-128-10, batch 64).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fashionAsset } from '../scripts/fashion-asset.mjs';
import { loadEngine } from '../web/js/engine.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
const epochs = Number(arg('--epochs', 20)), seed = Number(arg('--seed', 1)), net = arg('--net', 'recommended');
const hidden = net === 'w4' ? [256, 128] : [128];
const { default: moduleFactory } = await import(`${root}build/wasm/nnplay-core.mjs`);
const engine = await loadEngine({ moduleFactory, wasmBinary: readFileSync(`${root}build/wasm/nnplay-core.wasm`) });
const set = engine.loadImages(fashionAsset(), 'fashion-mnist');
const t = engine.createTrainer({
  dataset: { name: 'fashion_mnist', samples: 60000 },
  network: { layers: [...hidden.map((units) => ({ units, activation: 'relu' })), { units: 10, activation: 'softmax' }] },
  loss: 'cce', init: 'he_normal', optimizer: { name: 'adam', learning_rate: 0.001 },
  batch_size: net === 'w4' ? 64 : 32, seed,
}, set);
for (let e = 0; e < epochs; e++) {
  const [m] = t.trainEpochs(1);
  console.log(JSON.stringify({ net, seed, epoch: m.epoch, test_accuracy: m.test_accuracy, accuracy: m.accuracy, seconds: m.seconds }));
}
console.log(JSON.stringify({ heapMiB: engine.memoryStats().heapSize / 2 ** 20 }));
