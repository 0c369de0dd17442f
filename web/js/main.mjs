// main.mjs: the page's controller. It wires the view (form and buttons), the URL hash (state.mjs),
// the worker (engine-client.mjs) and the three displays (charts, boundary, network diagram). It
// holds the one current config and the run's status; it does no math and builds no DOM itself.
// Every config change goes: form or URL or file -> state.mjs (validate, settle) -> URL hash ->
// worker `create` (same seed, same run) -> displays.
import { parseHash, serializeHash, applyFields, configFromJson, SEED_PRESET, sameConfig } from './state.mjs';
import { startWorker, EngineClient } from './engine-client.mjs';
import { createView } from './view.mjs';
import { createCharts } from './charts.mjs';
import { createBoundary, legendText } from './boundary.mjs';
import { createNetworkView } from './network-view.mjs';

const view = createView();
const charts = createCharts(document.getElementById('loss-chart'), document.getElementById('acc-chart'));
const boundary = createBoundary(document.getElementById('boundary'));
const network = createNetworkView(document.getElementById('network-diagram'));
const client = new EngineClient(startWorker());

let config = null;        // the current (settled) config
let coreConfig = null;    // the core's normalized form of it (exported as JSON)
let run = null;           // { info, epoch, last: last metrics, speed } of the current trainer
let playId = null;        // id of the running `play` request, null when paused
let creating = null;      // the pending `create`, so clicks wait for it

function status(text) {
  view.setRunState({ playing: playId !== null, text });
}

// Makes `next` the current config and starts a fresh trainer for it (the old run stops).
async function apply(next, { resume = false } = {}) {
  config = next;
  view.showConfig(config);
  const hash = serializeHash(config);
  if (location.hash !== hash) history.replaceState(null, '', hash);
  playId = null;
  view.setReady(false);
  status('building');
  const pending = client.request('create', { config });
  creating = pending;
  let r;
  try {
    r = await pending;
  } catch (e) {
    if (creating !== pending) return;
    creating = null;
    view.showMessages('The core refused this configuration:', [e.message], 'error');
    status('error');
    return;
  }
  if (creating !== pending) return;   // a newer apply() took over
  creating = null;
  coreConfig = r.config;
  run = { info: r.info, epoch: r.epoch, last: null, speed: null };
  const hasTest = r.data.test.m > 0;
  charts.reset({ hasTest, classification: r.info.task === 'classification' });
  view.showAccuracyChart(r.info.task === 'classification');
  showText({ now: true });
  view.setLegend(legendText(r.info));
  boundary.setRun(r.info, r.view, r.data);
  boundary.draw(r.grid);
  network.build(r.info);
  network.update(r.params);
  view.setReady(true);
  status('ready');
  if (resume) play();
}

function showEpochs(metrics) {
  run.epoch = metrics.at(-1).epoch;
  run.last = metrics.at(-1);
  charts.append(metrics);
  showText();
}

// The status bar and metrics text, written at most every TEXT_MS (each write costs a layout).
const TEXT_MS = 250;
let textTimer = null;
function showText({ now = false } = {}) {
  const write = () => {
    textTimer = null;
    view.setProgress(run.epoch, run.speed);
    view.showMetrics(run.last);
  };
  if (now) { clearTimeout(textTimer); write(); } else if (!textTimer) textTimer = setTimeout(write, TEXT_MS);
}

function showSnapshot(grid, params) {
  if (grid) boundary.draw(grid);
  if (params) network.update(params);
}

client.onEvent((e) => {
  if (e.event === 'crashed') {
    view.showMessages('The training worker stopped:', [e.error], 'error');
    playId = null;
    status('error');
    return;
  }
  if (e.id !== playId) return;   // an old run's last words
  if (e.event === 'progress') {
    run.speed = e.samplesPerSecond;
    showEpochs(e.metrics);
    showSnapshot(e.grid, e.params);
  } else if (e.event === 'stopped') {
    playId = null;
    charts.flush();
    showText({ now: true });
    if (e.reason === 'error') view.showMessages('Training stopped with an error:', [e.error], 'error');
    status(e.reason === 'done' ? `done: ${e.epoch} epochs` : e.reason);
  }
});

function play() {
  if (!run || playId !== null) return;
  if (run.epoch >= config.epochs) {
    view.showMessages('Nothing to play:', [`the run has reached its ${config.epochs} epochs; raise "Epochs" or press "Step one epoch".`], 'info');
    return;
  }
  const { id, done } = client.start('play', { untilEpoch: config.epochs });
  playId = id;
  status('playing');
  done.catch((e) => { playId = null; status('error'); view.showMessages('Play failed:', [e.message], 'error'); });
}

async function pause() {
  if (playId === null) return;
  await client.request('pause');
}

async function step() {
  if (!run || playId !== null || creating) return;
  status('stepping');
  try {
    const r = await client.request('step');
    run.speed = null;
    showEpochs(r.metrics);
    charts.flush();
    showText({ now: true });
    showSnapshot(r.grid, r.params);
    status('paused');
  } catch (e) {
    view.showMessages('Step failed:', [e.message], 'error');
    status('error');
  }
}

// A form change: validate through the schema; only `epochs` (where Play stops) keeps the run.
function formChanged() {
  const { config: next, messages } = applyFields(config, view.readFields(), 'Form');
  view.showMessages('Some values were not used:', messages, 'warning');
  if (sameConfig(next, config)) { view.showConfig(config); return; }
  const onlyEpochs = sameConfig({ ...next, epochs: config.epochs }, config);
  if (onlyEpochs) {
    config = next;
    history.replaceState(null, '', serializeHash(config));
    coreConfig = { ...coreConfig, epochs: config.epochs };
    if (playId !== null) pause().then(play);   // the running play stops at the new epochs
    return;
  }
  apply(next, { resume: playId !== null });
}

function fromHash() {
  const { config: next, messages } = parseHash(location.hash);
  view.clearMessages();
  view.showMessages('The link has values nnplay cannot use:', messages, 'warning');
  return next;
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
  const { config: next, errors } = configFromJson(obj);
  if (errors.length) { refuse(errors); return; }
  try {
    await client.request('normalize', { config: next });
  } catch (e) {
    refuse([e.message]);
    return;
  }
  view.clearMessages();
  apply(next);
}

function exportFile() {
  const blob = new Blob([JSON.stringify(coreConfig ?? config, null, 2) + '\n'], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'nnplay-config.json';
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function copyLink() {
  try {
    await navigator.clipboard.writeText(location.href);
    view.showMessages('Link copied:', [location.href], 'info');
  } catch {
    view.showMessages('Copy this link (the clipboard is not available here):', [location.href], 'info');
  }
}

view.onChange(formChanged);
view.onClick('play', () => (playId === null ? play() : pause()));
view.onClick('step', step);
view.onClick('reset', () => apply(config));
view.onClick('regenerate', () => apply({ ...config, dataset: { ...config.dataset, seed: (config.dataset.seed + 1) % 4294967296 } }));
view.onClick('preset-seed', () => { view.clearMessages(); apply(configFromJson(SEED_PRESET).config); });
view.onClick('copy-link', copyLink);
view.onClick('export', exportFile);
view.onImport(importFile);
addEventListener('hashchange', () => {
  const next = fromHash();
  if (!sameConfig(next, config)) apply(next);
});

// A read-only window into the page for tests and the curious: copies, never live objects.
globalThis.nnplayDebug = Object.freeze({
  get ready() { return run !== null && !creating; },
  get playing() { return playId !== null; },
  get epoch() { return run ? run.epoch : 0; },
  get lastMetrics() { return run?.last ? { ...run.last } : null; },
  get config() { return structuredClone(config); },
  chartPoints: () => charts.pointCounts(),
  chartSeries: (name) => charts.seriesCopy(name),
});

(async () => {
  config = fromHash();
  view.showConfig(config);   // the form shows the link while the engine loads
  try {
    const { kernel } = await client.request('init');
    view.setKernel(kernel);
  } catch (e) {
    view.showMessages('The training engine could not load:', [e.message], 'error');
    status('error');
    return;
  }
  if (!run && !creating) await apply(config);   // unless a form change already started one
})();
