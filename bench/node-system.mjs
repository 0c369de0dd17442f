// node-system.mjs: one benchmark cell in Node, in its own process so no system warms or pollutes
// another. bench/run.mjs spawns it; it prints one JSON line { rates, loss, ... }.
//   node bench/node-system.mjs <nnplay-wasm|nnplay-scalar|tfjs-wasm|tfjs-cpu|convnetjs> <W1|W2|W3> '<plan JSON>'
// plan: { reps, epochs, samples? } (see systems.mjs).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { WORKLOADS, runConvnet, runNnplay, runTf } from './systems.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const [system, name, planJson] = process.argv.slice(2);
const w = WORKLOADS[name], plan = JSON.parse(planJson);

async function nnplayEngine(file) {
  const { loadEngine } = await import(`${root}web/js/engine.mjs`);
  const { default: moduleFactory } = await import(`${root}build/wasm/${file}.mjs`);
  return loadEngine({ moduleFactory, wasmBinary: readFileSync(`${root}build/wasm/${file}.wasm`) });
}

async function tfjs(backend) {
  const tf = require('@tensorflow/tfjs');
  if (backend === 'wasm') {
    const wasm = require('@tensorflow/tfjs-backend-wasm');
    // The package's own .wasm files, read from disk (no fetch); one thread: Node gets no worker pool.
    wasm.setWasmPaths(`${root}node_modules/@tensorflow/tfjs-backend-wasm/dist/`);
  }
  await tf.setBackend(backend);
  await tf.ready();
  return tf;
}

let result;
if (system === 'nnplay-wasm' || system === 'nnplay-scalar')
  result = await runNnplay(await nnplayEngine(system === 'nnplay-wasm' ? 'nnplay-core' : 'nnplay-core-scalar'), w, plan);
else if (system === 'tfjs-wasm' || system === 'tfjs-cpu') {
  result = await runTf(await tfjs(system.slice(5)), w, plan);
  if (system === 'tfjs-wasm') result.threads = require('@tensorflow/tfjs-backend-wasm').getThreadsCount();
}
else if (system === 'convnetjs') result = await runConvnet(require('convnetjs'), w, plan);
else throw new Error(`node-system: unknown system ${system}`);
process.stdout.write(JSON.stringify(result) + '\n');
