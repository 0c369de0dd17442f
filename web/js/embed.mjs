// embed.mjs: the controller of embed.html, nnplay's view for an <iframe>. It reads the playground's
// hash plus three embed keys (view=map,loss,acc; controls=lr,activation,...; origin=<host origin>),
// trains in the same worker as the playground (engine-client.mjs), draws with the same heat map
// (boundary.mjs) and charts (charts.mjs), and answers a host page's postMessage commands. It holds
// the embed's own config (`home`: what Reset returns to) and the current one; it does no math.
//
// Host protocol, version 1 (README "Teaching with nnplay"). Every message is an object
// { nnplay: 1, type, ... }. Host -> embed (accepted only from window.parent, and only from `origin`
// when the hash names one):
//   { type: 'setConfig', hash: '#data=...', id? }  a playground hash: becomes the embed's own config
//   { type: 'play' | 'pause' | 'step' | 'reset' | 'status', id? }
// Embed -> host (to `origin` when the hash names one, else to any: the messages carry only metrics):
//   { type: 'ack', id, command, ok, error?, warnings? }     one per command, id echoed
//   { type: 'ready', hash, epoch, task, classes }          a fresh trainer (load, setConfig, reset, control)
//   { type: 'epoch', epoch, loss, accuracy, test_loss, test_accuracy }   one per finished epoch
//   { type: 'state', state: 'playing' | 'paused' | 'done' | 'error', epoch }
//   { type: 'error', message }                             a refused config, a failed run
import { startWorker, EngineClient } from './engine-client.mjs';
import { createCharts } from './charts.mjs';
import { createBoundary } from './boundary.mjs';
import { isPlanar, toCoreConfig } from './datasets.mjs';
import { parseHash, serializeHash, applyFields, installSchema, rowByKey, allowedText, HIDDEN_ACTIVATIONS } from './state.mjs';
import { parseRace, raceText } from './race-state.mjs';
import { createEmbedRace } from './embed-race.mjs';

export const PROTOCOL = 1;
// 'pace' is the playground's (pace.mjs, page state): a copied link may carry it; the embed plays at full pace.
const EMBED_KEYS = ['view', 'controls', 'origin', 'pace'];
const VIEWS = ['map', 'loss', 'acc'];

// ---- the ONE place that uses state.mjs (the playground's URL schema) ----
// Everything else in this file goes through urlState, so a change of state.mjs's API is one edit here.
// A control is described by its schema row; `activation` (every hidden layer's activation at once)
// is the one control that is not a row of its own.
const urlState = {
  parse: (hash) => parseHash(hash),
  serialize: (config) => serializeHash(config),
  apply: (config, fields) => applyFields(config, fields, 'Control'),
  // { type, values?, min?, max?, allowed } for a control key, or null when there is no such field.
  field(key) {
    if (key === 'activation') return { type: 'enum', values: HIDDEN_ACTIVATIONS, allowed: `one of ${HIDDEN_ACTIVATIONS.join(', ')}` };
    const row = rowByKey(key);
    return row ? { type: row.type, values: row.values, min: row.min, max: row.max, allowed: allowedText(row) } : null;
  },
  // The control's value in URL text form ('activation': the first hidden layer's).
  value(config, key) {
    if (key === 'activation') return config.network.layers.length > 1 ? config.network.layers[0].activation : '';
    const part = serializeHash(config).slice(1).split('&').find((p) => p.startsWith(`${key}=`));
    return part ? decodeURIComponent(part.slice(key.length + 1)) : '';
  },
  // { key: text } fields for a control's new value ('activation' rewrites the hidden layers).
  fields(config, key, text) {
    if (key !== 'activation') return { [key]: text };
    return { hidden: config.network.layers.slice(0, -1).map((l) => `${l.units}:${text}`).join(',') };
  },
};

// Short labels for the controls a host may ask for (the schema key when there is none).
const LABELS = {
  data: 'data', samples: 'samples', feat: 'features', noise: 'noise', test: 'test ratio', arms: 'arms', hidden: 'hidden layers',
  activation: 'activation', out: 'output', loss: 'loss', init: 'init', opt: 'optimizer', lr: 'learning rate',
  mom: 'momentum', batch: 'batch', epochs: 'epochs', l2: 'L2', seed: 'seed', shuffle: 'shuffle',
};

// Splits a hash into the embed's own options and the playground hash (parsed by urlState).
export function splitHash(hash) {
  const own = {};
  const rest = [];
  for (const part of String(hash || '').replace(/^#/, '').split('&')) {
    const key = part.split('=')[0];
    if (EMBED_KEYS.includes(key)) own[key] = decodeURIComponent(part.slice(key.length + 1));
    else if (part) rest.push(part);
  }
  const list = (text) => (text ? text.split(',').map((s) => s.trim()).filter(Boolean) : []);
  return { view: list(own.view), controls: list(own.controls), origin: own.origin ?? '', hash: `#${rest.join('&')}` };
}

const $ = (id) => document.getElementById(id);
const fmt = (v) => (v == null ? '-' : Number(v).toPrecision(4));

const opts = splitHash(location.hash);
const views = opts.view.filter((v) => VIEWS.includes(v));
const client = new EngineClient(startWorker());
const charts = createCharts($('loss-chart'), $('acc-chart'));
const boundary = createBoundary($('boundary'));

let home = null;          // the embed's own config: Reset returns to it
let config = null;        // the current config (controls may change it)
let run = null;           // { epoch, last } of the current trainer
let playId = null;        // id of the running `play`, null when paused
let race = null;          // the race mode (embed-race.mjs) when the hash has race=...
let creating = null;      // the pending create
const controlNodes = new Map();

// ---- talking to the host ----
const hosted = window.parent !== window;
function post(type, body = {}) {
  if (hosted) window.parent.postMessage({ nnplay: PROTOCOL, type, ...body }, opts.origin || '*');
}

function say(text, kind = 'info') {
  const p = $('message');
  p.hidden = !text;
  p.textContent = text || '';
  p.className = `message ${kind}`;
}

function setState(state) {
  $('play').textContent = (race ? race.playing : playId !== null) ? 'Pause' : 'Play';
  document.body.dataset.state = state;
  post('state', { state, epoch: run?.epoch ?? 0 });
}

function ready(on) {
  for (const id of ['play', 'step', 'reset']) $(id).disabled = !on;
}

// ---- the views ----
function showViews(planar, classification) {
  const chosen = views.length ? views : planar ? ['map', 'loss'] : ['loss'];
  $('map-pane').hidden = !(chosen.includes('map') && planar);
  $('loss-pane').hidden = !chosen.includes('loss');
  $('acc-pane').hidden = !(chosen.includes('acc') && classification);
  $('views').dataset.count = String([$('map-pane'), $('loss-pane'), $('acc-pane')].filter((n) => !n.hidden).length);
  if (chosen.includes('map') && !planar) say('This data has no heat map (more than 2 inputs): showing the loss.');
}

function showEpochs(metrics) {
  for (const m of metrics) {
    post('epoch', { epoch: m.epoch, loss: m.loss, accuracy: m.accuracy, test_loss: m.test_loss, test_accuracy: m.test_accuracy });
  }
  run.epoch = metrics.at(-1).epoch;
  run.last = metrics.at(-1);
  charts.append(metrics);
  $('epoch').value = String(run.epoch);
  $('loss').value = fmt(run.last.loss);
}

// ---- controls: built from the schema's field descriptions ----
function buildControls() {
  for (const key of opts.controls) {
    const f = urlState.field(key);
    if (!f) { say(`controls: "${key}" is not a field; ignored.`, 'warning'); continue; }
    const id = `c-${key}`;
    let node;
    if (f.type === 'enum') {
      node = document.createElement('select');
      for (const v of f.values) node.append(new Option(v, v));
    } else if (f.type === 'bool') {
      node = Object.assign(document.createElement('input'), { type: 'checkbox' });
    } else {
      node = Object.assign(document.createElement('input'), f.type === 'int' || f.type === 'number'
        ? { type: 'number', min: f.min, max: f.max, step: 'any' } : { type: 'text', size: 10 });
    }
    node.id = id;
    node.title = f.allowed;
    node.addEventListener('change', () => controlChanged(key, node));
    const label = Object.assign(document.createElement('label'), { htmlFor: id, textContent: LABELS[key] ?? key });
    const box = document.createElement('span');
    box.className = 'control';
    box.append(label, node);
    $('controls').append(box);
    controlNodes.set(key, node);
  }
}

function showControls() {
  for (const [key, node] of controlNodes) {
    const v = urlState.value(config, key);
    if (node.type === 'checkbox') node.checked = v === '1';
    else node.value = v;
  }
}

function controlChanged(key, node) {
  const text = node.type === 'checkbox' ? (node.checked ? '1' : '0') : node.value;
  const { config: next, messages } = urlState.apply(config, urlState.fields(config, key, text));
  say(messages.join(' '), 'warning');
  if (urlState.serialize(next) === urlState.serialize(config)) { showControls(); return; }
  apply(next, { resume: playId !== null });
}

// ---- the trainer ----
// Makes `next` the current config and builds a fresh trainer for it. Resolves to true on success.
async function apply(next, { resume = false } = {}) {
  const name = next.dataset.name;
  if (name === 'csv' || name === 'fashion_mnist') {
    const message = `data=${name}: an embed trains on generated data only (circle, xor, gaussians, spiral, moons, sine, plane)`;
    say(message, 'error');
    post('error', { message });
    if (config) showControls();   // the controls show the config still in use
    return false;
  }
  config = next;
  playId = null;
  ready(false);
  if (race) return raceApply(next);
  const pending = client.request('create', { config: toCoreConfig(next) });
  creating = pending;
  let r;
  try {
    r = await pending;
  } catch (e) {
    if (creating === pending) creating = null;
    say(e.message, 'error');
    post('error', { message: e.message });
    setState('error');
    return false;
  }
  if (creating !== pending) return false;   // a newer apply() took over
  creating = null;
  run = { epoch: r.epoch, last: null };
  const classification = r.info.task === 'classification';
  showViews(isPlanar(name) && r.view !== null, classification);
  charts.reset({ hasTest: r.data.test.m > 0, classification });
  if (r.view) {
    boundary.setRun(r.info, r.view, r.data);
    boundary.draw(r.grid);
  }
  $('epoch').value = '0';
  $('loss').value = '-';
  showControls();
  ready(true);
  post('ready', { hash: urlState.serialize(config), epoch: run.epoch, task: r.info.task, classes: r.info.classes });
  setState('ready');
  if (resume) play();
  return true;
}

client.onEvent((e) => {
  if (e.event === 'crashed') {
    playId = null;
    say(e.error, 'error');
    post('error', { message: e.error });
    setState('error');
    return;
  }
  if (e.id !== playId) return;   // an old run's last words
  if (e.event === 'progress') {
    showEpochs(e.metrics);
    if (e.grid) boundary.draw(e.grid);
  } else if (e.event === 'stopped') {
    playId = null;
    charts.flush();
    if (e.reason === 'error') { say(e.error, 'error'); post('error', { message: e.error }); }
    setState(e.reason);
  }
});

// Race mode: the variants of `next` (embed-race.mjs) instead of one trainer.
async function raceApply(next) {
  const pending = race.apply(next, urlState.serialize(next));
  creating = pending;
  const ok = await pending;
  if (creating !== pending) return false;
  creating = null;
  run = ok ? { epoch: 0, last: null } : null;
  showControls();
  ready(ok);
  return ok;
}

function play() {
  if (race) return run !== null && !creating && race.play(config.epochs);
  if (!run || playId !== null || creating) return false;
  if (run.epoch >= config.epochs) {
    say(`The run has reached its ${config.epochs} epochs: Reset to start again.`);
    return false;
  }
  const { id, done } = client.start('play', { untilEpoch: config.epochs });
  playId = id;
  setState('playing');
  done.catch((e) => { playId = null; say(e.message, 'error'); setState('error'); });
  return true;
}

async function pause() {
  if (race) await race.pause();
  else if (playId !== null) await client.request('pause');
}

async function step() {
  if (race) return run !== null && !creating && !race.playing && race.step();
  if (!run || playId !== null || creating) return false;
  const r = await client.request('step');
  showEpochs(r.metrics);
  charts.flush();
  if (r.grid) boundary.draw(r.grid);
  setState('paused');
  return true;
}

const reset = () => apply(home);

// ---- host commands ----
const commands = {
  async setConfig(msg) {
    if (typeof msg.hash !== 'string') throw new Error('setConfig: hash must be a playground hash such as "#data=xor&lr=0.1"');
    const { config: next, messages } = urlState.parse(splitHash(msg.hash).hash);
    home = next;
    if (!(await apply(next))) throw new Error($('message').textContent || 'setConfig: the config was refused');
    return { warnings: messages };
  },
  play: async () => ({ started: play() }),
  pause: async () => { await pause(); return {}; },
  step: async () => ({ stepped: await step() }),
  reset: async () => ({ reset: await reset() }),
  status: async () => (race ? { epoch: race.epoch, playing: race.playing, hash: config ? urlState.serialize(config) : null, race: race.debug.names }
    : { epoch: run?.epoch ?? 0, playing: playId !== null, hash: config ? urlState.serialize(config) : null, last: run?.last ?? null }),
};

addEventListener('message', async (e) => {
  if (!hosted || e.source !== window.parent) return;        // only the page that embeds us
  if (opts.origin && e.origin !== opts.origin) return;      // and only from the origin the hash names
  const msg = e.data;
  if (!msg || typeof msg !== 'object' || !('nnplay' in msg)) return;   // someone else's message
  const reply = (body) => post('ack', { id: msg.id ?? null, command: msg.type, ...body });
  if (msg.nnplay !== PROTOCOL) { reply({ ok: false, error: `nnplay: version ${msg.nnplay} is not supported (this embed speaks ${PROTOCOL})` }); return; }
  const fn = Object.hasOwn(commands, msg.type) ? commands[msg.type] : null;
  if (!fn) { reply({ ok: false, error: `type: "${msg.type}" is not a command (${Object.keys(commands).join(', ')})` }); return; }
  try {
    reply({ ok: true, ...(await fn(msg)) });
  } catch (err) {
    reply({ ok: false, error: err.message });
  }
});

$('play').addEventListener('click', () => ((race ? race.playing : playId !== null) ? pause() : play()));
$('step').addEventListener('click', step);
$('reset').addEventListener('click', reset);

// A read-only window for tests: copies, never live objects.
globalThis.nnplayEmbed = Object.freeze({
  get ready() { return run !== null && !creating; },
  get playing() { return race ? race.playing : playId !== null; },
  get epoch() { return race ? race.epoch : run ? run.epoch : 0; },
  get hash() { return config ? urlState.serialize(config) : null; },
  // In race mode: the loss points of the variant with the fewest.
  chartPoints: () => (race ? { loss: Math.min(...race.debug.chartPoints()) } : charts.pointCounts()),
  get race() { return race?.debug ?? null; },
});

(async () => {
  // The URL schema comes from the core (state.mjs installSchema): load the engine first.
  let engineInfo;
  try {
    engineInfo = await client.request('init');
  } catch (e) {
    say(`The training engine could not load: ${e.message}`, 'error');
    post('error', { message: e.message });
    return;
  }
  installSchema(engineInfo.schema);
  const { config: first, messages } = urlState.parse(opts.hash);
  home = first;
  config = first;
  const { spec, error } = parseRace(raceText(opts.hash));   // race=...: the race mode; a bad one is named, then ignored
  if (spec) race = createEmbedRace({ client, spec, views, els: { views: $('views'), epoch: $('epoch') }, post, say, setState });
  if (spec) $('loss-state').hidden = true;
  if (error) messages.push(error);
  if (messages.length) say(messages.join(' '), 'warning');
  buildControls();
  if (!run && !creating) await apply(home);
})();
