// worker.mjs: the Web Worker that owns the engine, the one live trainer and the data it trains on
// (Fashion-MNIST images, CSV texts: worker-data.mjs). All training happens here, in time slices, so
// the page's main thread only draws. It is not a scheduler of several runs, and it keeps no page
// state: the page sends whole configs (the core's format, without a CSV's text, which stays here).
//
// Message protocol (engine-client.mjs turns it into promises):
//   request  main -> worker   { id, type, ...args }            id: any number, echoed back
//   reply    worker -> main   { id, ok: true, result }  or  { id, ok: false, error: "<core message>" }
//   event    worker -> main   { id, event, ... }                id: the `play` request that started the run
//
//   type        args                  result
//   init        {}                    { kernel, schema }              loads the wasm core (once; any
//                                                                     request waits for the load);
//                                                                     schema: the core's config table
//                                                                     (engine.mjs: engine.schema)
//   normalize   { config }            { config }                      the core's normalized config, or error
//   images      { port | url | file, name }   { train, test, rows, cols, classNames, testImages:
//                                     { pixels, labels, m } } reads the Fashion-MNIST asset (format in
//                                     wasm/core/image_asset.h) into wasm memory once, piece by piece as it
//                                     comes (asset-download.mjs): through port (a MessagePort, transferred:
//                                     the page's download, gunzipped there), or downloaded here (url:
//                                     absolute) or read here (file: a File), gunzipped when it is gzip, with
//                                     events { id, event: 'download', loaded, total } (bytes read; total 0 if
//                                     unknown) on the way; errors start with name
//   csvOpen     { file } | { text, name }   { name, bytes, header, error }   reads a CSV (File or text)
//                                     as the pending file; the live trainer's file stays until a create
//                                     uses it. error: what the core says of it with its last column as
//                                     the target (null, or { message, row, line, column }, engine.mjs)
//   csvDescribe { config, csv }       { name, bytes, header, task, classes, classNames, rawNames, rawDims }
//                                     what the core makes of the 'pending' or 'current' CSV with the
//                                     config's target and task (errors name row, column and cell)
//   create      { config, csv? }      { config, info, data, view, epoch: 0, grid, params, hist, insight }
//                                     replaces the trainer (stops a running play first); csv: 'pending'
//                                     trains on the pending CSV, which becomes the current one on
//                                     success. `view` is the grid spec { x0, x1, y0, y1, nx, ny } of the
//                                     heat map, null (and `grid` null) for data of more than 2 inputs,
//                                     whose `data` is only { train: { m }, test: { m } }. Data the live
//                                     trainer has and the config keeps is shared, not made again
//   reset       {}                    the same result as create with the live config, in place: new
//                                     weights, epoch 0, on the data in the worker
//   play        { untilEpoch, pace? } { epoch } at once; then events until the run stops:
//                 progress { metrics: [per-epoch metrics of one slice], epoch, position, samplesPerSecond,
//                            batch?, grid?, params?, hist?, insight? }   the pace (pace.mjs, default: the
//                            last setPace's) decides how often: at full pace grid..insight at most
//                            ~10 times a second; paced, after every tick; in slow motion each event is
//                            one mini-batch step, batch: { epoch, position, samples, loss } (its mean
//                            loss before the update; position: samples of that epoch done), and
//                            insight only when the step finished an epoch
//                 stopped  { reason: 'paused' | 'done' | 'error' | 'diverged', epoch, error? }
//                          diverged: error is the core's message; a last progress event before it
//                          carries the epochs finished before the divergence and the kept weights
//   pause       {}                    { epoch } once the running slice has finished
//   step        { unit? }             { metrics: [one epoch], batch?, epoch, position, grid, params, hist, insight }
//                                     (refused while playing); unit 'batch': one mini-batch step, metrics
//                                     [] or the epoch it finished, batch as in progress (insight only then);
//                                     after a divergence metrics is [] and diverged the core's message
//   setPace     { pace }              { pace }                        the pace of Play (pace.mjs); a running
//                                     play takes it at once
//   updateSettings { config }         { config, epoch, position, trainSamples }   a live change of the
//                                     trainer (learning rate, L2, batch size, epochs...: the core's
//                                     update_settings decides which fields), also while playing (between
//                                     two steps); a running play then stops at the new epochs. Refused with
//                                     the core's message ("...: changing it needs a fresh run") otherwise
//   setOptimizer { optimizer }        { config, epoch }               new optimizer settings for the live
//                                     trainer (weights, epoch, data kept; refused while playing); unlike
//                                     updateSettings it may change the optimizer's kind (after a divergence)
//   hold        { name }              { held }                        holds the Web Lock `name` until the
//                                     worker ends (the page watches it to see a worker die)
//   memoryStats {}                    { heapSize, inUse, stackPointer } of the wasm module
//   crash       {}                    never replies: the worker closes itself (tests of the page's recovery)
//   exportModel {}                    { text }                        the model file (model_io.h)
//   exportScript { script }           { files: { 'train.py', 'data.json', 'init.json', 'config.json' } }
//                                     the take-home files of a fresh run of the live config, as
//                                     `nnplay export --script numpy|pytorch` (export_script.h)
//   race*       (issue 11)            a race of 2 to 4 variants in lockstep: worker-race.mjs has them
//   importModel { text, epoch? }      { config, info, epoch, position, grid, params, hist, insight, metrics, note }
//                                     epoch: the count to go on from (a restored session; else kept)
//                                     the core validates the file; on error the trainer is unchanged.
//                                     metrics: { loss, accuracy, test_loss, test_accuracy } of the model;
//                                     note: the core's notes ('' or lines: other data, state not used)
//   exportConfig {}                   { config }                      the normalized config, a CSV's text included
//   predict     { raw, m }            { outputs }                     Float32Array (m * outputs) for m raw rows
//   Inside the network (issue 10; handlers in insideHandlers below, every number from the core):
//   trace       { samples, x?, y?, params? }   t.trace's object (engine.mjs): one forward + backward
//                                     pass and one optimizer step on training samples; the trainer stays
//   neuronGrid  { n? }                { view, layers: [Float32Array (n * n * units_l)] } every neuron's
//                                     output over the heat map's square on an n x n grid (default 32)
//   gradients   {}                    { params: [{ W, b, dW, db }] } the weights and the last batch's gradients
//   setWeight   { layer, tensor, row, col, value }   { params, grid, hist } after the edit (also while
//                                     playing: the next slice trains from it)
//   gradCheck   { h, samples, weight? }  { tensors: [{ name, max_rel_error }], weight: t.gradientCheckWeight's
//                                     object for weight { layer, tensor, row, col } (or null) }
//
// hist: per-layer histograms of the weights and of their gradients of the last mini-batch
// (insight.mjs). insight, for Fashion-MNIST and CSV data, on the test split after the epoch it names:
// { epoch, confusion: { K, m, matrix, wrong, wrongPred, wrongProb } } for classification,
// { epoch, regression: { m, pairs } } for regression (null without a test split); for a network
// just made (create, reset) { epoch: 0, untrained: true }, before any pass over the test split.
//
// Play's loop is paced-play.mjs: at full pace a slice trains whole epochs for 25 ms (at least one),
// posts their metrics in one message and yields to the event loop (resting REST_MS on small
// machines), where a pause request is seen. Typed arrays are transferred, not copied.
import { hasSimd, loadEngine } from './engine.mjs';
import { confusion, layerHistograms, regressionPairs, transferables } from './insight.mjs';
import { createDataStore } from './worker-data.mjs';
import { portStream, readAsset } from './asset-download.mjs';
import { withEpochBase } from './epoch-base.mjs';
import { raceHandlers } from './worker-race.mjs';
import { SLICE_MS, playPaced } from './paced-play.mjs';
import { DEFAULT_PACE } from './pace.mjs';

const GRID_2D = 100;       // heat map cells per side
const GRID_1D = 240;       // points of a fitted curve
// On a machine with 2 cores or fewer the worker rests a little after each slice, so the page's
// main thread (and the browser's compositor) get a core when they need one.
const REST_MS = (globalThis.navigator?.hardwareConcurrency ?? 4) <= 2 ? 10 : 0;

let enginePromise = null;   // loads once; every request waits for it (init only reports it)
let trainer = null;
let view = null;          // the grid spec of the current trainer (null: no heat map)
let testSet = null;       // { y, m } test targets, when insight is computed (on trainer.testOutputs())
let built = null;         // { testSet?, trainM? } of the live trainer's data (worker-data.mjs build)
const store = createDataStore();
let trainSamples = 0;
let testSamples = 0;
let run = null;           // { id, untilEpoch, pace, stop, wake, finished } while playing (paced-play.mjs)
let pace = DEFAULT_PACE;  // the pace of the next play

const getEngine = () => (enginePromise ??= loadCore().then(loadEngine));

async function loadCore() {
  // The one-file page (dist/nnplay.html) puts the SINGLE_FILE core in front of this code.
  if (globalThis.nnplayCoreFactory) return { moduleFactory: globalThis.nnplayCoreFactory };
  const name = hasSimd() ? 'nnplay-core' : 'nnplay-core-scalar';
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

// Outputs on the test split -> the confusion matrix (classification) or (predicted, true) pairs.
function insight() {
  if (!testSet || testSet.m === 0) return null;
  const out = trainer.testOutputs();
  const { task, classes, outputs } = trainer.info;
  if (task === 'regression') return { epoch: trainer.epoch, regression: regressionPairs(out, testSet.y, testSet.m) };
  return { epoch: trainer.epoch, confusion: confusion(out, outputs, testSet.y, testSet.m, classes) };
}

// The grid, the weights (W, b: what the diagram draws), the histograms and the insight, with their
// typed arrays for transfer.
// insight: false leaves it out (undefined): after a part-done epoch the test outputs are not fresh.
function snapshot({ insight: withInsight = true } = {}) {
  const grid = view ? trainer.predictGrid(view) : null;
  const all = trainer.params();
  const params = all.map(({ inputs, units, activation, W, b }) => ({ inputs, units, activation, W, b }));
  const hist = layerHistograms(all);
  const ins = withInsight ? insight() : undefined;
  return { grid, params, hist, insight: ins, transfer: transferables([grid, params, hist, ins]) };
}

// The trainer's config without a CSV's text (the page never holds it).
function publicConfig(c) {
  const { csv, ...dataset } = c.dataset;
  return { ...c, dataset };
}

// The create (and reset) result for the live trainer: its config, info, data (planar data whole, the
// counts otherwise), heat-map view and first snapshot.
function created() {
  const info = trainer.info;
  const full = built.testSet ? null : trainer.data();   // images: never copied out whole
  const planar = info.rawDims <= 2 && full !== null;
  const counts = { train: { m: built.trainM ?? full.train.m }, test: { m: built.testSet?.m ?? full.test.m } };
  const data = planar ? full : counts;
  trainSamples = counts.train.m;
  testSamples = counts.test.m;
  view = planar ? gridView(full, info.rawDims) : null;
  const showInsight = ['fashion_mnist', 'csv'].includes(trainer.config.dataset.name);
  // A copy: full's buffers are transferred to the page below.
  testSet = !showInsight ? null : built.testSet ?? { y: full.test.y.slice(), m: full.test.m };
  // A new network has no test results worth a pass over the test split yet (Fashion-MNIST's 10,000
  // images: 60 to 120 ms, just before Play): the panel says when they come.
  const s = snapshot({ insight: false });
  s.insight = testSet?.m > 0 ? { epoch: trainer.epoch, untrained: true } : null;
  const transfer = planar ? [...s.transfer, full.train.x.buffer, full.train.y.buffer, full.test.x.buffer, full.test.y.buffer] : s.transfer;
  return [{ config: publicConfig(trainer.config), info, data, view, epoch: trainer.epoch, grid: s.grid, params: s.params,
    hist: s.hist, insight: s.insight }, transfer];
}

// Lets queued messages (a pause) in: a MessageChannel round trip, or a timer when resting.
const yieldToEvents = () => new Promise((resolve) => {
  if (REST_MS > 0) { setTimeout(resolve, REST_MS); return; }
  const channel = new MessageChannel();
  channel.port1.onmessage = () => { channel.port1.close(); resolve(); };
  channel.port2.postMessage(null);
});

// Plays at the run's pace (paced-play.mjs) until untilEpoch or a stop; `run.finished` resolves after
// the `stopped` event has been posted.
async function play(id, untilEpoch, paceId) {
  let finish;
  const me = { id, untilEpoch, pace: paceId, stop: false, wake: null, finished: new Promise((resolve) => { finish = resolve; }) };
  run = me;
  const out = await playPaced(trainer, me, {
    snapshot, trainSamples, rest: yieldToEvents, post: (msg, transfer) => postMessage(msg, transfer),
  });
  if (out.reason === 'diverged') postDiverged(id, out.metrics);
  run = null;
  postMessage({ id, event: 'stopped', reason: out.reason, epoch: trainer.epoch, error: out.error });
  finish();
}

// Divergence (engine.mjs: the trainer is back at its last finite weights): the epochs finished before
// it and a snapshot of the kept weights, as one last progress event; `stopped` then carries the message.
function postDiverged(id, metrics) {
  const s = snapshot();
  postMessage({ id, event: 'progress', metrics, epoch: trainer.epoch, samplesPerSecond: null,
    grid: s.grid, params: s.params, hist: s.hist, insight: s.insight }, s.transfer);
}

// Stops a running play; resolves once its last slice and its `stopped` event have been posted.
async function stopRun() {
  if (!run) return;
  run.stop = true;
  run.wake?.();
  await run.finished;
}

const handlers = {
  async init() {
    const engine = await getEngine();
    return { kernel: engine.kernel, schema: engine.schema };
  },
  async normalize({ config }) {
    return { config: (await getEngine()).normalizeConfig(config) };
  },
  async images({ port, url, file, name }, id) {
    let shown = 0;
    const progress = (loaded, total) => {
      if (loaded - shown < (total ? total / 100 : 1 << 20) && loaded !== total) return;   // about 100 events
      shown = loaded;
      postMessage({ id, event: 'download', loaded, total });
    };
    // Through a port the page counts the download itself.
    const set = await readAsset(await getEngine(), port ? portStream(port) : url ?? file, name, port ? undefined : progress);
    const r = store.keepImages(set);
    return [r, [r.testImages.pixels.buffer, r.testImages.labels.buffer]];
  },
  async csvOpen({ file, text, name }) {
    return store.openCsv(await getEngine(), { file, text, name });
  },
  async csvDescribe({ config, csv }) {
    return store.describeCsv(await getEngine(), config, csv);
  },
  async create({ config, csv = 'current' }) {
    const engine = await getEngine();
    await stopRun();
    const made = store.build(engine, config, csv, trainer);   // throws: the old trainer stays
    if (trainer) trainer.free();
    trainer = withEpochBase(made.trainer);   // a restored session's epochs go on (epoch-base.mjs)
    built = made;
    store.promote(csv);
    return created();
  },
  async reset() {
    if (!trainer) throw new Error('no trainer: send create first');
    await stopRun();
    trainer.reset();
    return created();
  },
  play({ untilEpoch, pace: paceId = pace }, id) {
    if (!trainer) throw new Error('no trainer: send create first');
    if (run) throw new Error('already playing');
    pace = paceId;
    play(id, untilEpoch, paceId);
    return { epoch: trainer.epoch };
  },
  async pause() {
    await stopRun();
    return { epoch: trainer ? trainer.epoch : 0 };
  },
  step({ unit = 'epoch' }) {
    if (!trainer) throw new Error('no trainer: send create first');
    if (run) throw new Error('cannot step while playing: pause first');
    let metrics, diverged, batch;
    try {
      if (unit === 'batch') {
        const b = trainer.trainBatch();
        batch = { epoch: b.epoch, position: b.position, samples: b.samples, loss: b.loss };
        metrics = b.finished ? [b.finished] : [];
      } else {
        metrics = trainer.trainEpochs(1);
      }
    } catch (e) {
      if (!e.diverged) throw e;
      [metrics, diverged] = [e.metrics ?? [], e.message];   // the last finite weights are kept
    }
    const s = snapshot({ insight: !batch || metrics.length > 0 });
    return [{ metrics, batch, epoch: trainer.epoch, position: trainer.epochPosition, diverged, grid: s.grid, params: s.params,
      hist: s.hist, insight: s.insight }, s.transfer];
  },
  // The pace of Play (pace.mjs); a running play takes it at its next step.
  setPace({ pace: paceId }) {
    pace = paceId;
    if (run) { run.pace = paceId; run.wake?.(); }
    return { pace };
  },
  // A live change (learning rate, L2, batch size, epochs, ...; the core decides which fields may
  // change): the trainer keeps its weights, optimizer state and epoch, also while playing (between
  // two steps); a running play stops at the new epochs. Refused (the core's message) when a field
  // needs a fresh run; nothing changes then.
  updateSettings({ config }) {
    if (!trainer) throw new Error('no trainer: send create first');
    const { csv } = trainer.config.dataset;
    trainer.updateSettings(csv === undefined ? config : { ...config, dataset: { ...config.dataset, csv } });
    if (run) run.untilEpoch = trainer.config.epochs;
    return { config: publicConfig(trainer.config), epoch: trainer.epoch, position: trainer.epochPosition, trainSamples };
  },
  // Continues a run at other optimizer settings (after a divergence): the weights, epoch and data stay.
  setOptimizer({ optimizer }) {
    if (!trainer) throw new Error('no trainer: send create first');
    if (run) throw new Error('cannot change the optimizer while playing: pause first');
    trainer.setOptimizer(optimizer);
    return { config: publicConfig(trainer.config), epoch: trainer.epoch };
  },
  exportModel() {
    if (!trainer) throw new Error('no trainer: send create first');
    return { text: trainer.exportModel() };
  },
  async importModel({ text, epoch }) {
    if (!trainer) throw new Error('no trainer: send create first');
    await stopRun();
    const note = trainer.importModel(text);   // throws the core's message; the trainer is unchanged then
    if (Number.isInteger(epoch) && epoch >= 0) trainer.setEpoch(epoch);   // a restored session (persist.mjs)
    const s = snapshot();
    const train = trainer.evaluate('train');
    const test = testSamples > 0 ? trainer.evaluate('test') : { loss: null, accuracy: null };
    const metrics = { epoch: trainer.epoch, loss: train.loss, accuracy: train.accuracy, test_loss: test.loss, test_accuracy: test.accuracy };
    return [{ config: publicConfig(trainer.config), info: trainer.info, epoch: trainer.epoch, position: trainer.epochPosition,
      grid: s.grid, params: s.params, hist: s.hist, insight: s.insight, metrics, note }, s.transfer];
  },
  exportConfig() {
    if (!trainer) throw new Error('no trainer: send create first');
    return { config: trainer.config };
  },
  async exportScript({ script }) {
    if (!trainer) throw new Error('no trainer: send create first');
    return (await getEngine()).exportScript(trainer.config, script);   // a fresh run of the config (a CSV's text included)
  },
  // A lock held until this worker ends, so the page sees it end (engine-client.mjs watch()).
  async hold({ name }) {
    const locks = globalThis.navigator?.locks;
    if (!locks) return { held: false };
    try {
      return await new Promise((resolve, reject) => {
        locks.request(name, () => { resolve({ held: true }); return new Promise(() => {}); }).catch(reject);
      });
    } catch {
      return { held: false };   // an opaque origin (a file:// page's Blob worker): no locks
    }
  },
  async memoryStats() {
    return (await getEngine()).memoryStats();   // { heapSize, inUse, stackPointer } (tests: the soak)
  },
  crash() {
    self.close();   // as a worker that dies: no reply, no more messages
    return new Promise(() => {});
  },
  predict({ raw, m }) {
    if (!trainer) throw new Error('no trainer: send create first');
    const outputs = trainer.predict(raw, m);
    return [{ outputs }, [outputs.buffer]];
  },
};

// ---- Inside the network (issue 10): the step-through, neuron outputs, weight editing, gradient check.
const NEURON_GRID = 32;   // cells per side of a neuron's heat map

function needTrainer() {
  if (!trainer) throw new Error('no trainer: send create first');
}

const insideHandlers = {
  trace({ samples, x = null, y = null, params = null }) {
    needTrainer();
    return trainer.trace({ samples, x, y, params });
  },
  neuronGrid({ n = NEURON_GRID }) {
    needTrainer();
    if (!view || view.ny === 1) return { view: null, layers: [] };
    const spec = { ...view, nx: n, ny: n };
    const layers = trainer.neuronGrid(spec);
    return [{ view: spec, layers }, layers.map((a) => a.buffer)];
  },
  gradients() {
    needTrainer();
    const params = trainer.params().map(({ W, b, dW, db }) => ({ W, b, dW, db }));
    return [{ params }, params.flatMap((p) => [p.W.buffer, p.b.buffer, p.dW.buffer, p.db.buffer])];
  },
  setWeight({ layer, tensor, row, col, value }) {
    needTrainer();
    trainer.setWeight({ layer, tensor, row, col, value });
    const s = snapshot();
    return [{ params: s.params, grid: s.grid, hist: s.hist }, s.transfer];
  },
  gradCheck({ h = 1e-5, samples = 16, weight = null }) {
    needTrainer();
    const tensors = trainer.gradientCheck(h, samples);
    const one = weight ? trainer.gradientCheckWeight({ ...weight, h, samples }) : null;
    return { tensors, weight: one };
  },
};
Object.assign(handlers, insideHandlers);
// ---- The race (issue 11): worker-race.mjs; its trainers share the live trainer's data when they can.
Object.assign(handlers, raceHandlers({ getEngine, build: (engine, config, source) => store.build(engine, config, 'current', source ?? trainer).trainer,
  stopLive: stopRun, gridView, yieldToEvents, sliceMs: SLICE_MS }));

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
