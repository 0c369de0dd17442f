// main.mjs: the page's controller. It wires the view (form and buttons), the URL hash (state.mjs),
// the worker (engine-client.mjs) and the displays (charts, boundary, network diagram, histograms,
// test-set results, Fashion-MNIST images). It holds the one current config and the run's status;
// it does no math and builds no DOM itself. Every config change goes: form or URL or file ->
// state.mjs (validate, settle) -> URL hash -> worker `create` (same seed, same run) -> displays.
// Real data comes first from data.mjs (Fashion-MNIST images, CSV files), models from model-file.mjs.
import { parseHash, serializeHash, applyFields, installSchema, rowByKey, sameConfig } from './state.mjs';
import { DATASET_DEFAULTS, SEED_PRESET, fromCoreConfig, toCoreConfig } from './datasets.mjs';
import { startWorker, EngineClient } from './engine-client.mjs';
import { createView } from './view.mjs';
import { createCharts } from './charts.mjs';
import { createBoundary, legendText } from './boundary.mjs';
import { createNetworkView } from './network-view.mjs';
import { createHistograms } from './histograms.mjs';
import { createResults } from './results.mjs';
import { createFashionView } from './fashion-view.mjs';
import { createData } from './data.mjs';
import { configWithModel, download, precheckModel } from './model-file.mjs';
import { copyEmbedSnippet } from './embed-snippet.mjs';
import { createPersist, historyRows } from './persist.mjs';
import { createInside } from './inside.mjs';
import { createRace } from './race.mjs';
import { createExportCode } from './export-code.mjs';
import { splitPace, withPace } from './pace.mjs';
import { createPaceControl } from './pace-control.mjs';
import { createLiveSettings } from './live-settings.mjs';
import { createDatasetSettings } from './dataset-settings.mjs';
import { createSeedNote } from './seed-note.mjs';
import { createHeatOptions, splitHeatOptions, withHeatOptions } from './heat-options.mjs';

const $ = (id) => document.getElementById(id);
const client = new EngineClient(startWorker());
const persist = createPersist();   // the session in IndexedDB (see "Nothing lost" below)
// The form, the URL and the defaults are built from the core's config table: it comes first.
const engineInfo = await client.request('init').catch((e) => ({ error: e }));
if (engineInfo.error) {   // no core, no form: say so and stop here
  const box = document.createElement('div');
  box.className = 'message error';
  box.textContent = `The training engine could not load: ${engineInfo.error.message}`;
  document.getElementById('messages').append(box);
  document.getElementById('run-state').textContent = 'error';
  await new Promise(() => {});
}
installSchema(engineInfo.schema);
const view = createView();
const charts = createCharts($('loss-chart'), $('acc-chart'));
const boundary = createBoundary($('boundary'));
const network = createNetworkView($('network-diagram'));
const histograms = createHistograms($('hist-weights'), $('hist-grads'));
const results = createResults({ table: $('confusion'), caption: $('confusion-caption'), epochLabel: $('results-epoch'), scatter: $('scatter') });
const fashionView = createFashionView({
  samplesBox: $('sample-images'), wrongBox: $('wrong'), pad: $('draw'), guess: $('draw-guess'), clear: $('draw-clear'),
  predict: async (raw) => (await client.request('predict', { raw, m: 1 }, [raw.buffer])).outputs,
});

// Inside the network (issue 10): neuron outputs, weight editing, gradient check and flow, step-through.
const inside = createInside({
  els: { diagram: $('diagram-figure'), thumbs: $('neuron-thumbs'), card: $('neuron-card'), editor: $('weight-editor'),
    gradCheck: $('grad-check'), flow: $('grad-flow'), stepPanel: $('step-panel'), stepButton: $('step-open'), boundary: $('boundary') },
  client, network, applySnapshot: (r) => showSnapshot(r), onEdit: () => changed(),
  switchSmall: () => apply(applyFields(config, { hidden: '3:tanh' }, 'Form', data.meta).config),
});

let config = null;        // the current (settled) config
let run = null;           // { name, info, epoch, position, last: last metrics, speed, untouched } of the current trainer
let playId = null;        // id of the running `play` request, null when paused
let creating = null;      // the pending `create`, so clicks wait for it
let started = false;      // the engine has loaded and the first config was applied (or refused)

const data = createData({ client, view, fashionView, current: () => config, apply, showForm });
// The race (issue 11, race.mjs): its part of the hash; it restarts on each new trainer's config.
const race = createRace({ client, current: () => config, apply, showForm, showMessages: (t, l, k) => view.showMessages(t, l, k) });
createExportCode({ client, button: $('export-code'), script: $('export-script'), showMessages: (t, l, k) => view.showMessages(t, l, k) });

// Pace and mid-run changes (issue 12): the play bar's slider; form changes through the core's live
// trainer (live-settings.mjs), a fresh run only when the core needs one, with Undo.
const pace = createPaceControl({ input: $('pace'), text: $('pace-text'), position: $('epoch-position') }, (id) => {
  showForm();
  client.request('setPace', { pace: id }).catch(() => {});
});
const changes = createLiveSettings({
  client, charts,
  els: { note: $('restart-note'), text: $('restart-text'), undo: $('restart-undo'), dismiss: $('restart-dismiss') },
  page: {
    state: () => ({ config, run, busy: creating !== null, playing: playId !== null }),
    setConfig: (c, { form = true } = {}) => {   // form: false while a newer change is queued (the form already shows it)
      config = c;
      if (form) showForm();
      race.follow(config);   // a race restarts on the new settings
    },
    apply, play, continueAt,
    restore: (record) => restoreSaved(record, 'Undone: the previous settings, their trained network and its chart are back:', { csv: true }),
    onLive: (r) => {
      if (run.diverged) continuedAfterDivergence();
      if (playId === null && r.epoch >= config.epochs && r.position === 0) status(`done: ${r.epoch} epochs`);
      changed();
    },
  },
});
const datasetSettings = createDatasetSettings();   // each dataset's defaults or last settings (issue 12)
const seedNote = createSeedNote($('run-note'), (epochs) => {   // "Continue to 2,000 epochs"
  view.setField('epochs', epochs);
  formChanged();
  changes.pending.then(play);   // once the live trainer has the new epochs (live-settings.mjs)
});
normalized(SEED_PRESET).then((r) => { seedNote.setPreset(r.config); seedNote.show(config); }, () => {});
const heat = createHeatOptions({ showTest: $('show-test'), discretize: $('discretize') }, (options) => {
  showHeatOptions(options);
  showForm();
});
// The heat map's display options (heat-options.mjs): its drawing and its caption follow them.
function showHeatOptions(options) {
  boundary.setOptions(options);
  if (run?.info) view.setLegend(legendText(run.info, options));
}

function status(text) {
  view.setRunState({ playing: playId !== null, text });
}

function showForm() {
  view.showConfig(config, data.meta);
  data.revealPanels(config);
  seedNote.show(config);
  const hash = withHeatOptions(withPace(serializeHash(config), pace.value), heat.value) + race.hashPart();
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

// Makes `next` the current config and starts a fresh trainer for it (the old run stops). Options:
// resume: play on; csv: 'pending' trains on a CSV file just opened; meta: what is known of that
// file; revert: on refusal, go back to the previous config (a refused file changes nothing).
// Returns the create result, or null when there is no trainer for `next` (refused or waiting).
async function apply(next, { resume = false, csv = 'current', meta, revert = false } = {}) {
  const previous = config;
  config = next;
  view.showConfig(config, meta ?? data.meta);
  data.revealPanels(config);
  playId = null;
  view.setReady(false);
  const pending = data.prepare(next, csv).then((ready) => ready && client.request('create', { config: toCoreConfig(next), csv }));
  creating = pending;
  status(data.preparingText(next));
  let r;
  try {
    r = await pending;
  } catch (e) {
    if (creating !== pending) return null;
    creating = null;
    if (revert) {
      config = previous;
      showForm();
      view.setReady(run !== null);
      status(run ? 'paused' : 'error');
      throw e;
    }
    showForm();
    view.showMessages('The core refused this configuration:', [e.message], 'error');
    status('error');
    return null;
  }
  if (creating !== pending) return null;   // a newer apply() took over
  creating = null;
  if (!r) {   // no data yet (a CSV to drop, Fashion-MNIST to load): data.mjs says why
    showForm();
    status(data.waitingText(next));
    return null;
  }
  if (meta) data.meta = meta;
  config = fromCoreConfig(r.config);   // the config the core trains with
  showForm();
  run = { name: next.dataset.name, info: r.info, epoch: r.epoch, position: 0, trainSamples: r.data.train.m, last: null, speed: null,
    untouched: true };
  const hasTest = r.data.test.m > 0;
  $('show-test').closest('label').hidden = !hasTest;   // nothing to show without a test split
  const fashion = run.name === 'fashion_mnist';
  const regression = r.info.task === 'regression';
  charts.reset({ hasTest, classification: !regression });
  view.showAccuracyChart(!regression);
  view.showDisplays({
    'boundary-figure': r.view !== null, 'samples-figure': fashion, 'results-panel': fashion || run.name === 'csv',
    'wrong-figure': fashion, 'draw-figure': fashion, 'scatter-figure': run.name === 'csv' && regression,
  });
  showText({ now: true });
  if (r.view) {
    view.setLegend(legendText(r.info, heat.value));
    boundary.setRun(r.info, r.view, r.data);
  }
  network.build(r.info);
  inside.setRun(r);
  results.setClasses(r.info.classNames);
  showSnapshot(r);
  data.created(next, r);
  view.setReady(true);
  status('ready');
  saveSoon();
  if (resume) play();
  race.follow(config);
  return r;
}

function showEpochs(metrics) {
  run.epoch = metrics.at(-1).epoch;
  run.last = metrics.at(-1);
  charts.append(metrics);
  inside.epochs(metrics);
  showText();
}

// A progress event's or step's place in its epoch, and its mini-batch step (slow motion).
function showStep({ batch, position = 0 }) {
  run.position = position;
  if (batch) charts.appendBatch(batch, run.trainSamples);
  if (batch || position > 0) showText();
}

// The status bar and metrics text, written at most every TEXT_MS (each write costs a layout).
const TEXT_MS = 250;
let textTimer = null;
function showText({ now = false } = {}) {
  const write = () => {
    textTimer = null;
    view.setProgress(run.epoch, run.speed);
    pace.showPosition(run.epoch, run.position, run.trainSamples);
    view.showMetrics(run.last);
  };
  if (now) { clearTimeout(textTimer); write(); } else if (!textTimer) textTimer = setTimeout(write, TEXT_MS);
}

// Whatever came of grid, params, hist and insight (each may be missing).
let frames = 0;
function showSnapshot({ grid, params, hist, insight }) {
  if (grid) { boundary.draw(grid); frames++; }
  if (params) network.update(params);
  if (params) inside.snapshot();
  if (hist) histograms.draw(hist);
  if (insight !== undefined && (run.name === 'fashion_mnist' || run.name === 'csv')) {
    results.show(insight);
    if (run.name === 'fashion_mnist') {
      fashionView.showWrong(insight?.confusion);
      fashionView.refreshGuess();
    }
  }
}

client.onEvent((e) => {
  if (e.event === 'crashed') {
    recoverWorker(e.error);
    return;
  }
  if (e.id !== playId) return;   // an old run's last words
  if (e.event === 'progress') {
    run.speed = e.samplesPerSecond;
    if (e.metrics.length) showEpochs(e.metrics);   // none when the first epoch of a slice diverged
    showStep(e);
    showSnapshot(e);
    changed();
  } else if (e.event === 'stopped') {
    playId = null;
    if (e.reason !== 'done') run.speed = null;   // no samples/s while paused; a finished run keeps its figure
    charts.flush();
    showText({ now: true });
    if (e.reason === 'error') view.showMessages('Training stopped with an error:', [e.error], 'error');
    if (e.reason === 'diverged') showDiverged(e.error);
    status(e.reason === 'done' ? `done: ${e.epoch} epochs` : e.reason);
    saveNow();
  }
});

function play() {
  if (!run || playId !== null || creating) return;
  if (run.epoch >= config.epochs) {
    view.showMessages('Nothing to play:', [`the run has reached its ${config.epochs} epochs; raise "Epochs" or press "Step one epoch".`], 'info');
    return;
  }
  const { id, done } = client.start('play', { untilEpoch: config.epochs, pace: pace.value });
  playId = id;
  status('playing');
  done.catch((e) => { playId = null; status('error'); view.showMessages('Play failed:', [e.message], 'error'); });
}

async function pause() {
  if (playId === null) return;
  await client.request('pause');
}

async function step(unit = 'epoch') {
  if (!run || playId !== null || creating) return;
  status('stepping');
  try {
    const r = await client.request('step', { unit });
    run.speed = null;
    if (r.metrics.length) showEpochs(r.metrics);
    showStep(r);
    if (r.diverged) showDiverged(r.diverged);
    changed();
    charts.flush();
    showText({ now: true });
    showSnapshot(r);
    status('paused');
  } catch (e) {
    view.showMessages('Step failed:', [e.message], 'error');
    status('error');
  }
}

// A form change: validate through the schema; only `epochs` (where Play stops) keeps the run.
function formChanged(source) {
  if (data.handleFormChange(source)) return;   // a CSV's target or task: data.mjs re-reads the file
  const fields = view.readFields();
  delete fields.target;   // the selects may show a refused file's columns: the config keeps its own
  delete fields.task;
  const base = changes.target ?? config;   // the newest change, landed or still queued
  const from = base.dataset.name, to = fields.data;
  // Another dataset comes with its own settings (its defaults or the last ones it had), said so.
  const switched = to !== from ? datasetSettings.switchTo(base, to, data.meta) : null;
  const { config: next, messages } = switched ? { config: switched.config, messages: [] } : applyFields(base, fields, 'Form', data.meta);
  if (switched) view.showMessages(switched.title, switched.lines, 'info');
  view.showMessages('Some values were not used:', messages, 'warning');
  if (sameConfig(next, base)) { if (base === config) showForm(); return; }
  if (to === 'csv' && from !== 'csv' && data.useLiveCsv(next, { resume: playId !== null })) return;
  changes.submit(next);   // in place when the core can, else a fresh run (live-settings.mjs)
}

function fromHash() {
  const link = splitPace(location.hash);
  pace.set(link.pace);
  const split = splitHeatOptions(link.hash);
  const { config: next, messages } = parseHash(split.hash, data.meta);
  heat.set(split.options);
  showHeatOptions(split.options);
  view.clearMessages();
  view.showMessages('The link has values nnplay cannot use:', [...link.messages, ...split.messages, ...messages, ...race.readHash(location.hash)], 'warning');
  return next;
}

// The page config of a config file (or preset) in the core's format: the core normalizes it (and
// refuses it with its message); a CSV's text is returned apart, to be opened like a dropped file.
async function normalized(obj) {
  const { config: core } = await client.request('normalize', { config: obj });
  return { config: fromCoreConfig(core), csvText: core.dataset.csv };
}

async function importFile(file) {
  const refuse = (lines) => view.showMessages(`Import of ${file.name} refused; nothing changed:`, lines, 'error');
  let obj;
  try {
    obj = JSON.parse(await file.text());
  } catch (e) {
    refuse([`not valid JSON: ${e.message}`]);
    return;
  }
  if (obj?.format === 'nnplay-model') { refuse(['this is a model file: use "Import model"']); return; }
  let next;
  try {
    next = await normalized(obj);
  } catch (e) {
    refuse([e.message]);
    return;
  }
  view.clearMessages();
  if (next.csvText !== undefined) { data.openCsvText(next.csvText, `${file.name} (its CSV)`, next.config); return; }
  try {
    await apply(next.config, { revert: true });
  } catch (e) {
    refuse([e.message]);
  }
}

async function exportFile() {
  let out = toCoreConfig(config);
  if (run && run.name === config.dataset.name) {
    try {
      out = (await client.request('exportConfig')).config;   // the core's normalized form (a CSV's text included)
    } catch { /* the page's own form of it will do */ }
  }
  download(JSON.stringify(out, null, 2) + '\n', 'nnplay-config.json');
}

async function exportModel() {
  if (!run) return;
  try {
    download((await client.request('exportModel')).text + '\n', 'nnplay-model.json');
  } catch (e) {
    view.showMessages('Export model failed:', [e.message], 'error');
  }
}

async function importModel(file) {
  const refuse = (lines) => view.showMessages(`Model ${file.name} refused; nothing changed:`, lines, 'error');
  if (!run || creating) { refuse(['there is no trainer to load it into yet (choose the data first)']); return; }
  const text = await file.text();
  const pre = precheckModel(text, file.size);
  if (pre) { refuse([pre]); return; }
  let r;
  try {
    r = await client.request('importModel', { text });   // pauses a running play; r.note: the core's notes
  } catch (e) {
    refuse([e.message]);
    return;
  }
  config = configWithModel(config, r.config, data.meta);
  showForm();
  run.info = r.info;
  run.last = r.metrics;
  run.epoch = r.epoch;   // a model file with its training state carries on its epoch count
  run.position = r.position ?? 0;   // and a part-done epoch
  network.build(r.info);
  inside.setInfo(r.info);
  showSnapshot(r);
  showText({ now: true });
  changed();
  const acc = r.metrics.test_accuracy ?? r.metrics.accuracy;
  view.showMessages(`Model ${file.name} loaded:`, [
    `${r.info.layers.map((l) => `${l.units} ${l.activation}`).join(', ')}; loss ${r.metrics.loss.toPrecision(4)}` +
      (acc == null ? '' : `, ${r.metrics.test_accuracy == null ? 'train' : 'test'} accuracy ${(100 * acc).toFixed(1)}%`) + '.',
    ...(r.note ? r.note.split('\n').map((n) => `${n.replace(/^model: (.)/, (_, c) => c.toUpperCase())}.`) : []),
    'Play or Step continues training from these weights; Reset or a change of the configuration starts from fresh weights.',
  ], 'info');
}

async function copyLink() {
  const note = config.dataset.name === 'csv' ? [' The link holds the settings, not your CSV file: whoever opens it drops the file again.'] : [];
  try {
    await navigator.clipboard.writeText(location.href);
    view.showMessages('Link copied:', [location.href, ...note], 'info');
  } catch {
    view.showMessages('Copy this link (the clipboard is not available here):', [location.href, ...note], 'info');
  }
}

view.onChange(formChanged);
view.onClick('play', () => (playId === null ? play() : pause()));
view.onClick('step', () => step('epoch'));
view.onClick('step-batch', () => step('batch'));
view.onClick('reset', () => apply(config));
view.onClick('regenerate', () => changes.submit({ ...config, dataset: { ...config.dataset, seed: (config.dataset.seed + 1) % (rowByKey('dseed').max + 1) } }));
view.onClick('preset-seed', async () => { view.clearMessages(); apply((await normalized(SEED_PRESET)).config); });
view.onClick('preset-fashion', () => apply(applyFields(config, { data: 'fashion_mnist', ...DATASET_DEFAULTS.fashion_mnist }, 'Form').config));
view.onClick('copy-link', copyLink);
view.onClick('copy-embed', () => copyEmbedSnippet(location.href, (title, lines) => view.showMessages(title, lines, 'info')));
view.onClick('export', exportFile);
view.onClick('export-model', exportModel);
view.onImport(importFile);
view.onImport(importModel, 'import-model');
addEventListener('hashchange', () => {
  const next = fromHash();
  client.request('setPace', { pace: pace.value }).catch(() => {});
  if (sameConfig(next, config)) { race.follow(config); showForm(); return; }   // showForm: the hash without a refused race
  if (next.dataset.name === 'csv' && data.useLiveCsv(next, { named: true })) return;   // the core describes the file with the link's target
  apply(next);
});

// A read-only window into the page for tests and the curious: copies, never live objects.
globalThis.nnplayDebug = Object.freeze({
  get ready() { return run !== null && !creating && run.name === config.dataset.name; },
  get playing() { return playId !== null; },
  get epoch() { return run ? run.epoch : 0; },
  get position() { return run ? run.position : 0; },   // training samples done in the epoch under way
  get pace() { return pace.value; },
  get frames() { return frames; },   // heat-map frames drawn (slow motion: one per step)
  chartMarks: () => charts.marks(),
  batchPoints: () => charts.seriesCopy('batchLoss'),
  changesSettled: () => changes.pending.then(() => true),
  get lastMetrics() { return run?.last ? { ...run.last } : null; },
  get config() { return structuredClone(config); },
  get data() { return run?.name ?? null; },
  get busy() { return !started || creating !== null; },
  get csv() { return data.csvSummary(); },
  get diverged() { return run?.diverged ?? null; },
  get savedEpoch() { return savedEpoch; },
  exportModel: async () => (await client.request('exportModel')).text,
  memoryStats: () => client.request('memoryStats'),
  // Test hooks: the worker closes itself (as one that dies); waits for the session's next save.
  crashWorker: () => { client.request('crash').catch(() => {}); },
  saveNow: async () => { const r = await saveNow(); return r ? { model: r.model, epoch: r.epoch } : null; },
  chartPoints: () => charts.pointCounts(),
  chartSeries: (name) => charts.seriesCopy(name),
  insight: () => results.summary(),
  histograms: () => histograms.summary(),
  heatMap: () => boundary.summary(),
  // Outputs of the current network for raw rows (arrays of rawDims numbers), as plain numbers.
  predict: async (rows) => Array.from((await client.request('predict', { raw: Float32Array.from(rows.flat()), m: rows.length })).outputs),
  inside: inside.debug,
  race: race.debug,
  drawAndGuess: (values) => fashionView.setPicture(values).then(() => $('draw-guess').textContent),
});

(async () => {
  view.setKernel(engineInfo.kernel);
  config = fromHash();
  showForm();   // the form shows the link
  const saved = await persist.load();
  if (saved && !location.hash.slice(1)) config = saved.config;   // a bare link opens the saved session
  if (!run && !creating) {   // unless a form change already started one
    const r = await apply(config);
    if (r && saved) await restoreSaved(saved, 'The page was reloaded; the saved session is restored:');
  }
  started = true;
})();

// ---- Divergence: the core's message, and continuing at other optimizer settings ----------------

// The run stopped at its last finite weights (the worker has them; the chart and epoch stay).
function showDiverged(message) {
  run.diverged = message;
  view.showMessages('Training diverged; the last finite weights, the chart and the epoch count are kept:', [
    message, 'Lower "Learning rate" (or change the optimizer) and press Play: training continues from this epoch.'], 'error',
  { cause: 'diverged', holds: () => Boolean(run?.diverged) });
}

// After a divergence, a change of the optimizer's kind (which updateSettings refuses; its settings go
// through live-settings.mjs) goes to the live trainer (worker `setOptimizer`): the weights, epoch and
// chart stay. Returns false for any other change.
function continueAt(next) {
  const same = sameConfig({ ...next, optimizer: config.optimizer, epochs: config.epochs }, config);
  if (!same || creating || playId !== null) return false;
  config = next;
  showForm();
  const optimizer = toCoreConfig(next).optimizer;
  client.request('setOptimizer', { optimizer }).then(() => { continuedAfterDivergence(); changed(); },
    (e) => view.showMessages('The optimizer change was refused:', [e.message], 'error'));
  return true;
}

// A lower rate (updateSettings, live-settings.mjs) or another optimizer (setOptimizer) after a divergence.
function continuedAfterDivergence() {
  run.diverged = null;
  view.clearMessage('diverged');
  const { optimizer } = toCoreConfig(config);
  view.showMessages('Optimizer changed; the run goes on:', [
    `${optimizer.name}, learning rate ${optimizer.learning_rate}, from epoch ${run.epoch}: press Play or Step.`], 'info');
}

// ---- Nothing lost: the session in IndexedDB (persist.mjs), restored after a reload or a crash ----

const SAVE_MS = 3000;   // at most one save every 3 s while training, and at once on pause or hide
let saveTimer = null;
let lastSave = 0;
let saving = null;
let holdSaves = false;
let savedEpoch = null;   // the epoch of the last save (for tests)   // while a saved session is being put back

// The live network is no longer the one its config draws (trained, edited or loaded): the next save
// writes its model file.
function changed() {
  if (run) run.untouched = false;
  saveSoon();
}

function saveSoon() {
  if (saveTimer) return;
  saveTimer = setTimeout(() => { saveTimer = null; saveNow(); }, Math.max(0, SAVE_MS - (performance.now() - lastSave)));
}

// The model file from the worker, the chart rows up to its epoch and the config. A CSV run is not
// saved (the page never holds the file's text; a restore asks for the file again). An untouched
// network is saved without its model file (model null): its config draws it again, bit for bit, and
// writing the file would hold up the worker (0.5 s for Fashion-MNIST's 784-128-10 and Adam state)
// just when Play is likely to be pressed.
async function saveNow() {
  while (saving) await saving;
  if (holdSaves || !run || creating || run.name !== config.dataset.name || config.dataset.name === 'csv') return null;
  lastSave = performance.now();
  const snapshotConfig = config;
  const untouched = run.untouched;
  saving = (async () => {
    try {
      const text = untouched ? null : (await client.request('exportModel')).text;
      const epoch = run.epoch;   // the worker posted every epoch's progress before this reply
      const record = { hash: serializeHash(snapshotConfig), config: snapshotConfig, model: text, epoch,
        history: historyRows(charts.seriesCopy, epoch) };
      await persist.save(record);
      savedEpoch = epoch;
      return record;
    } catch { /* a worker that died: its crash is reported on its own */ }
  })();
  const record = await saving;
  saving = null;
  return record;
}

addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') saveNow(); });
addEventListener('pagehide', () => saveNow());

// The saved weights, epoch and chart onto the trainer just made for the same config.
// csv: a CSV run too (an Undo: the worker still holds the file; a saved session does not).
async function restoreSaved(saved, title, { csv = false } = {}) {
  if (!run || !sameConfig(saved.config, config) || (config.dataset.name === 'csv' && !csv)) return false;
  if (!saved.model) return saved.epoch === 0;   // an untouched network: the trainer just made is it
  let r;
  holdSaves = true;
  try {
    r = await client.request('importModel', { text: saved.model, epoch: saved.epoch });
  } catch (e) {
    view.showMessages('The saved session could not be restored; training starts afresh:', [e.message], 'warning');
    return false;
  } finally {
    holdSaves = false;
  }
  run.info = r.info;
  run.epoch = r.epoch;
  run.position = r.position ?? 0;
  charts.append(saved.history);
  charts.flush();
  run.last = saved.history.at(-1) ?? r.metrics;
  network.build(r.info);
  showSnapshot(r);
  showText({ now: true });
  view.showMessages(title, [`epoch ${r.epoch}, its weights and its chart (saved ${new Date(saved.savedAt).toLocaleTimeString()}).`], 'info');
  return true;
}

// A worker that died: a new one, the same config, and the last saved session on it.
let recovering = false;
async function recoverWorker(error) {
  if (recovering) return;
  recovering = true;
  playId = null;
  creating = null;
  status('error');
  view.showMessages('The training worker stopped:', [error, 'nnplay restarts it and restores the last saved session.'], 'error');
  try {
    client.restart();
    await client.request('init');
    const saved = await persist.load();
    run = null;
    const r = await apply(config);
    const restored = r && saved && await restoreSaved(saved, 'The training worker was restarted; the saved session is restored:');
    if (r && !restored) view.showMessages('The training worker was restarted:', ['no saved session for this configuration: training starts afresh.'], 'warning');
  } catch (e) {
    view.showMessages('The training worker could not be restarted:', [e.message, 'Reload the page.'], 'error');
  } finally {
    recovering = false;
  }
}
