// worker.mjs: the Web Worker that owns the engine and the one live trainer. All training happens
// here, in time slices, so the page's main thread only draws. It is not a scheduler of several
// runs, and it keeps no page state: the page sends whole configs.
//
// Message protocol (engine-client.mjs turns it into promises):
//   request  main -> worker   { id, type, ...args }            id: any number, echoed back
//   reply    worker -> main   { id, ok: true, result }  or  { id, ok: false, error: "<core message>" }
//   event    worker -> main   { id, event, ... }                id: the `play` request that started the run
//
//   type        args                  result
//   init        {}                    { kernel }                      loads the wasm core (once; any
//                                                                     request waits for the load)
//   normalize   { config }            { config }                      the core's normalized config, or error
//   create      { config }            { config, info, data, view, epoch: 0, grid, params }
//                                     replaces the trainer (stops a running play first); `view` is the
//                                     grid spec { x0, x1, y0, y1, nx, ny } predictGrid uses for the heat map
//   play        { untilEpoch }        { epoch } at once; then events until the run stops:
//                 progress { metrics: [per-epoch metrics of one slice], epoch, samplesPerSecond,
//                            grid?, params? }   grid and params at most ~10 times a second
//                 stopped  { reason: 'paused' | 'done' | 'error', epoch, error? }
//   pause       {}                    { epoch } once the running slice has finished
//   step        {}                    { metrics: [one epoch], epoch, grid, params } (refused while playing)
//
// A slice trains whole epochs for SLICE_MS (at least one), posts their metrics in one message and
// yields to the event loop (resting REST_MS on small machines), where a pause request is seen.
// Typed arrays are transferred, not copied.
import { loadEngine } from './engine.mjs';

const SLICE_MS = 25;
const GRID_MIN_MS = 100;   // at most 10 grids a second...
const GRID_COST = 4;       // ...and predictGrid at most a quarter of the worker's time
const GRID_2D = 100;       // heat map cells per side
const GRID_1D = 240;       // points of a fitted curve
// On a machine with 2 cores or fewer the worker rests a little after each slice, so the page's
// main thread (and the browser's compositor) get a core when they need one.
const REST_MS = (globalThis.navigator?.hardwareConcurrency ?? 4) <= 2 ? 10 : 0;
// The smallest module with a v128 instruction (from wasm-feature-detect): validates only with SIMD.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

let enginePromise = null;   // loads once; every request waits for it (init only reports it)
let trainer = null;
let view = null;          // the grid spec of the current trainer
let trainSamples = 0;
let run = null;           // { id, stop, finished } while playing

const getEngine = () => (enginePromise ??= loadCore().then(loadEngine));

async function loadCore() {
  // The one-file page (dist/nnplay.html) puts the SINGLE_FILE core in front of this code.
  if (globalThis.nnplayCoreFactory) return { moduleFactory: globalThis.nnplayCoreFactory };
  const name = WebAssembly.validate(SIMD_PROBE) ? 'nnplay-core' : 'nnplay-core-scalar';
  const mod = await import(`../wasm/${name}.mjs`);
  return { moduleFactory: mod.default, locateFile: (file) => new URL(`../wasm/${file}`, import.meta.url).href };
}

// The heat map's square of raw inputs: the data's bounding box padded by 10%, the same span on both
// axes so circles stay round. 1-D data: a row of points along x1.
function gridView(data, rawDims) {
  const lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
  for (const split of [data.train, data.test]) {
    for (let i = 0; i < split.m; i++) {
      for (let d = 0; d < rawDims; d++) {
        const v = split.x[i * rawDims + d];
        lo[d] = Math.min(lo[d], v);
        hi[d] = Math.max(hi[d], v);
      }
    }
  }
  if (rawDims === 1) {
    const pad = 0.05 * (hi[0] - lo[0] || 1);
    return { x0: lo[0] - pad, x1: hi[0] + pad, y0: 0, y1: 0, nx: GRID_1D, ny: 1 };
  }
  const half = 0.55 * Math.max(hi[0] - lo[0], hi[1] - lo[1], 1e-6);
  const cx = (lo[0] + hi[0]) / 2, cy = (lo[1] + hi[1]) / 2;
  return { x0: cx - half, x1: cx + half, y0: cy - half, y1: cy + half, nx: GRID_2D, ny: GRID_2D };
}

// The grid and the weights (W, b: what the diagram draws), with their typed arrays for transfer.
function snapshot() {
  const grid = trainer.predictGrid(view);
  const params = trainer.params().map(({ inputs, units, activation, W, b }) => ({ inputs, units, activation, W, b }));
  const transfer = [grid.buffer];
  for (const p of params) transfer.push(p.W.buffer, p.b.buffer);
  return { grid, params, transfer };
}

// Lets queued messages (a pause) in: a MessageChannel round trip, or a timer when resting.
const yieldToEvents = () => new Promise((resolve) => {
  if (REST_MS > 0) { setTimeout(resolve, REST_MS); return; }
  const channel = new MessageChannel();
  channel.port1.onmessage = () => { channel.port1.close(); resolve(); };
  channel.port2.postMessage(null);
});

// Trains slice after slice until untilEpoch or a stop; `run.finished` resolves after the
// `stopped` event has been posted.
async function play(id, untilEpoch) {
  let finish;
  const me = { id, stop: false, finished: new Promise((resolve) => { finish = resolve; }) };
  run = me;
  let nextGrid = 0;
  let reason = 'done', error;
  try {
    while (!me.stop && trainer.epoch < untilEpoch) {
      const t0 = performance.now();
      const metrics = [];
      do metrics.push(...trainer.trainEpochs(1));
      while (performance.now() - t0 < SLICE_MS && trainer.epoch < untilEpoch);
      const t1 = performance.now();
      const msg = { id, event: 'progress', metrics, epoch: trainer.epoch,
        samplesPerSecond: (metrics.length * trainSamples) / Math.max(1e-6, (t1 - t0) / 1000) };
      let transfer = [];
      if (t1 >= nextGrid || trainer.epoch >= untilEpoch) {
        const s = snapshot();
        Object.assign(msg, { grid: s.grid, params: s.params });
        transfer = s.transfer;
        nextGrid = t1 + Math.max(GRID_MIN_MS, GRID_COST * (performance.now() - t1));
      }
      postMessage(msg, transfer);
      await yieldToEvents();
    }
    if (me.stop) reason = 'paused';
  } catch (e) {
    reason = 'error';
    error = e.message;
  }
  run = null;
  postMessage({ id, event: 'stopped', reason, epoch: trainer.epoch, error });
  finish();
}

// Stops a running play; resolves once its last slice and its `stopped` event have been posted.
async function stopRun() {
  if (!run) return;
  run.stop = true;
  await run.finished;
}

const handlers = {
  async init() {
    return { kernel: (await getEngine()).kernel };
  },
  async normalize({ config }) {
    return { config: (await getEngine()).normalizeConfig(config) };
  },
  async create({ config }) {
    const engine = await getEngine();
    await stopRun();
    const next = engine.createTrainer(config);   // throws: the old trainer stays
    if (trainer) trainer.free();
    trainer = next;
    const data = trainer.data();
    trainSamples = data.train.m;
    view = gridView(data, trainer.info.rawDims);
    const s = snapshot();
    const transfer = [...s.transfer, data.train.x.buffer, data.train.y.buffer, data.test.x.buffer, data.test.y.buffer];
    return [{ config: trainer.config, info: trainer.info, data, view, epoch: trainer.epoch, grid: s.grid, params: s.params }, transfer];
  },
  play({ untilEpoch }, id) {
    if (!trainer) throw new Error('no trainer: send create first');
    if (run) throw new Error('already playing');
    play(id, untilEpoch);
    return { epoch: trainer.epoch };
  },
  async pause() {
    await stopRun();
    return { epoch: trainer ? trainer.epoch : 0 };
  },
  step() {
    if (!trainer) throw new Error('no trainer: send create first');
    if (run) throw new Error('cannot step while playing: pause first');
    const metrics = trainer.trainEpochs(1);
    const s = snapshot();
    return [{ metrics, epoch: trainer.epoch, grid: s.grid, params: s.params }, s.transfer];
  },
};

self.onmessage = async (e) => {
  const { id, type, ...args } = e.data;
  try {
    const handler = handlers[type];
    if (!handler) throw new Error(`unknown request type "${type}"`);
    const out = await handler(args, id);
    const [result, transfer] = Array.isArray(out) ? out : [out, []];
    postMessage({ id, ok: true, result }, transfer);
  } catch (err) {
    postMessage({ id, ok: false, error: err && err.message ? err.message : String(err) });
  }
};
