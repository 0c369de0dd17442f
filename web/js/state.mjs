// state.mjs: the page's configuration state as pure data. One schema table (one row per URL field:
// key, config path, type, default, allowed values) drives parsing and serializing the URL hash,
// validating an imported JSON config, and settling the choices that depend on the dataset
// (output layer + loss pairs, output units, features of 1-D data). Pure functions only: no DOM,
// no worker, no globals. The config objects are in the core's config format (see README.md).
// It is not the core's validator: the core still checks every config it is given.

import {
  CSV_TASKS, DATASETS, DATASET_DEFAULTS, FEATURES, FEATURES_1D, SEED_PRESET, dataInfo, outputChoices, quietPair, settle,
} from './datasets.mjs';

export { DATASETS, FEATURES, FEATURES_1D, SEED_PRESET, dataInfo, outputChoices, settle };
export const HIDDEN_ACTIVATIONS = ['relu', 'leaky_relu', 'tanh', 'sigmoid', 'linear'];
export const OUTPUT_ACTIVATIONS = ['sigmoid', 'softmax', 'linear', 'tanh', 'relu'];
export const LOSSES = ['bce', 'cce', 'mse'];
export const INITS = ['xavier_uniform', 'xavier_normal', 'he_normal', 'he_uniform'];
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'];
export const MAX_HIDDEN_LAYERS = 6;
const MAX_UNITS = 1024;
const MAX_SEED = 4294967295;
const MAX_TEXT = 1000;
const DEFAULT_HIDDEN = [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }];

// The schema: one row per URL field. `path` is the config path; `hidden` and `out` are the
// network.layers list split into its hidden layers and its output activation (the output units
// follow from the dataset and the loss, see settle()). A row with `only` belongs to those datasets:
// it is in their links and configs and absent from the others'.
export const SCHEMA = [
  { key: 'data', path: 'dataset.name', type: 'enum', def: 'xor', values: Object.keys(DATASETS) },
  { key: 'samples', path: 'dataset.samples', type: 'int', def: 400, min: 10, max: 100000 },
  { key: 'noise', path: 'dataset.noise', type: 'number', def: 0.1, min: 0, max: 5 },
  { key: 'test', path: 'dataset.test_ratio', type: 'number', def: 0.2, min: 0, max: 0.9 },
  { key: 'dseed', path: 'dataset.seed', type: 'int', def: 1, min: 0, max: MAX_SEED },
  { key: 'arms', path: 'dataset.arms', type: 'int', def: 2, min: 2, max: 8 },
  { key: 'std', path: 'dataset.standardize', type: 'bool', def: true },
  { key: 'target', path: 'dataset.target', type: 'text', def: '', only: ['csv'] },
  { key: 'task', path: 'dataset.task', type: 'enum', def: 'auto', values: CSV_TASKS, only: ['csv'] },
  { key: 'feat', path: 'network.features', type: 'set', def: ['x1', 'x2'], values: FEATURES },
  { key: 'hidden', path: 'network.layers', type: 'hidden', def: DEFAULT_HIDDEN, values: HIDDEN_ACTIVATIONS },
  { key: 'out', path: 'network.layers[-1].activation', type: 'enum', def: 'sigmoid', values: OUTPUT_ACTIVATIONS },
  { key: 'loss', path: 'loss', type: 'enum', def: 'bce', values: LOSSES },
  { key: 'init', path: 'init', type: 'enum', def: 'xavier_uniform', values: INITS },
  { key: 'opt', path: 'optimizer.name', type: 'enum', def: 'sgd', values: OPTIMIZERS },
  { key: 'lr', path: 'optimizer.learning_rate', type: 'number', def: 0.03, min: 0, max: 10, minOpen: true },
  { key: 'mom', path: 'optimizer.momentum', type: 'number', def: 0.9, min: 0, max: 1, maxOpen: true },
  { key: 'nest', path: 'optimizer.nesterov', type: 'bool', def: false },
  { key: 'b1', path: 'optimizer.beta1', type: 'number', def: 0.9, min: 0, max: 1, maxOpen: true },
  { key: 'b2', path: 'optimizer.beta2', type: 'number', def: 0.999, min: 0, max: 1, maxOpen: true },
  { key: 'eps', path: 'optimizer.epsilon', type: 'number', def: 1e-8, min: 0, max: 1, minOpen: true },
  { key: 'batch', path: 'batch_size', type: 'int', def: 10, min: 0, max: 100000 },
  { key: 'epochs', path: 'epochs', type: 'int', def: 100, min: 1, max: 1000000 },
  { key: 'l2', path: 'l2', type: 'number', def: 0, min: 0, max: 1 },
  { key: 'seed', path: 'seed', type: 'int', def: 1, min: 0, max: MAX_SEED },
  { key: 'shuffle', path: 'shuffle', type: 'bool', def: true },
];

// ---- allowed values, in words (used by every message) ----
export function allowedText(row) {
  switch (row.type) {
    case 'int': return `an integer ${row.min} to ${row.max}`;
    case 'number': return `a number ${row.minOpen ? '>' : '>='} ${row.min} and ${row.maxOpen ? '<' : '<='} ${row.max}`;
    case 'bool': return 'true or false (1 or 0)';
    case 'enum': return `one of ${row.values.join(', ')}`;
    case 'set': return `a comma-separated subset of ${row.values.join(', ')}`;
    case 'text': return `a text of at most ${MAX_TEXT} characters`;
    case 'hidden': return `0 to ${MAX_HIDDEN_LAYERS} comma-separated units:activation pairs, units 1 to ${MAX_UNITS}, activation one of ${row.values.join(', ')}`;
    default: return '';
  }
}

// ---- typed values: check (config value -> error text or ''), decode (URL text -> value), encode ----
function checkValue(row, v) {
  const bad = `${JSON.stringify(v)} is not allowed (${allowedText(row)})`;
  switch (row.type) {
    case 'int':
      return Number.isInteger(v) && v >= row.min && v <= row.max ? '' : bad;
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return bad;
      const lowOk = row.minOpen ? v > row.min : v >= row.min;
      const highOk = row.maxOpen ? v < row.max : v <= row.max;
      return lowOk && highOk ? '' : bad;
    }
    case 'bool': return typeof v === 'boolean' ? '' : bad;
    case 'text': return typeof v === 'string' && v.length <= MAX_TEXT ? '' : bad;
    case 'enum': return row.values.includes(v) ? '' : bad;
    case 'set':
      return Array.isArray(v) && v.length > 0 && v.every((f) => row.values.includes(f)) &&
        new Set(v).size === v.length ? '' : bad;
    case 'hidden':
      return Array.isArray(v) && v.length <= MAX_HIDDEN_LAYERS && v.every((l) => l && typeof l === 'object' &&
        Number.isInteger(l.units) && l.units >= 1 && l.units <= MAX_UNITS &&
        row.values.includes(l.activation) && Object.keys(l).every((k) => k === 'units' || k === 'activation')) ? '' : bad;
    default: return bad;
  }
}

function decodeValue(row, text) {
  switch (row.type) {
    case 'int': return /^[+-]?\d+$/.test(text) ? Number(text) : text;
    case 'number': return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    case 'bool': return { 1: true, true: true, 0: false, false: false }[text] ?? text;
    case 'enum': return text;
    case 'set': return text === '' ? [] : text.split(',');
    case 'hidden':
      if (text === '') return [];
      return text.split(',').map((part) => {
        const m = /^(\d+):([a-z_]+)$/.exec(part);
        return m ? { units: Number(m[1]), activation: m[2] } : part;
      });
    default: return text;
  }
}

function encodeValue(row, v) {
  switch (row.type) {
    case 'bool': return v ? '1' : '0';
    case 'set': return v.map(encodeURIComponent).join(',');
    case 'hidden': return v.map((l) => `${l.units}:${l.activation}`).join(',');
    default: return encodeURIComponent(String(v));
  }
}

function displayValue(row, v) {
  return row.type === 'hidden' || row.type === 'set' ? decodeURIComponent(encodeValue(row, v)) : String(v);
}

// ---- config paths ----
export function getField(config, row) {
  if (row.key === 'hidden') return config.network.layers.slice(0, -1);
  if (row.key === 'out') return config.network.layers.at(-1).activation;
  return row.path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), config);
}

export function setField(config, row, value) {
  const layers = config.network.layers;
  if (row.key === 'hidden') { config.network.layers = [...structuredClone(value), layers.at(-1)]; return; }
  if (row.key === 'out') { layers.at(-1).activation = value; return; }
  const keys = row.path.split('.');
  let o = config;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys.at(-1)] = structuredClone(value);
}

export function rowByKey(key) { return SCHEMA.find((r) => r.key === key); }

export function defaultConfig() {
  const config = { dataset: {}, network: { layers: [{ units: 1, activation: 'sigmoid' }] }, optimizer: {} };
  for (const row of SCHEMA) setField(config, row, row.def);
  return settle(config).config;
}

// True when the schema row is part of configs of this dataset (rows with `only` belong to some).
const rowApplies = (row, config) => !row.only || row.only.includes(config.dataset.name);

// ---- URL hash ----
export function serializeHash(config) {
  return '#' + SCHEMA.filter((row) => rowApplies(row, config))
    .map((row) => `${row.key}=${encodeValue(row, getField(config, row))}`).join('&');
}

// Splits a URL hash into { key: text } fields (decoded) plus messages for parts that are not fields.
function hashFields(hash) {
  const fields = {};
  const messages = [];
  for (const part of String(hash || '').replace(/^#/, '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    try {
      const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      if (eq < 0) messages.push(rowByKey(key)
        ? `URL: ${key} has no value (${rowByKey(key).path}: ${allowedText(rowByKey(key))}); using the default ${displayValue(rowByKey(key), rowByKey(key).def)}.`
        : `URL: "${key}" is not a field=value pair; ignored.`);
      else fields[key] = decodeURIComponent(part.slice(eq + 1));
    } catch {
      messages.push(`URL: "${part}" is not valid URL encoding; ignored.`);
    }
  }
  return { fields, messages };
}

// Applies { key: text } fields (URL or form values) onto a copy of `base`. An unknown key is
// ignored, an invalid value keeps the base's value; each adds a message that names the field,
// what is allowed and the value kept. Then settles the dataset-dependent choices (`meta`: what the
// page knows of a loaded CSV, see datasets.mjs).
export function applyFields(base, fields, source = 'URL', meta = {}) {
  const config = structuredClone(base);
  const messages = [];
  const kept = source === 'URL' ? 'using the default' : 'keeping';
  for (const [key, raw] of Object.entries(fields)) {
    const row = rowByKey(key);
    if (!row) {
      messages.push(`${source}: unknown field "${key}" ignored (known fields: ${SCHEMA.map((r) => r.key).join(', ')}).`);
      continue;
    }
    const value = decodeValue(row, raw);
    if (checkValue(row, value)) {
      messages.push(`${source}: ${key}=${raw} is not allowed (${row.path}: ${allowedText(row)}); ${kept} ${displayValue(row, getField(config, row))}.`);
      continue;
    }
    setField(config, row, value);
  }
  if (!('feat' in fields) && DATASETS[config.dataset.name].dims === 1) config.network.features = ['x1'];
  if (!('out' in fields) && !('loss' in fields)) quietPair(config, meta);
  const settled = settle(config, meta);
  return { config: settled.config, messages: [...messages, ...settled.notes.map((n) => `${source}: ${n}`)] };
}

// Parses a URL hash. Every field that is missing takes its default (the dataset's own default
// where it has one, see DATASET_DEFAULTS); every invalid one takes its default and adds a message
// naming the field, the allowed values and the default used.
export function parseHash(hash, meta = {}) {
  const { fields, messages } = hashFields(hash);
  const base = applyFields(defaultConfig(), { data: fields.data ?? 'xor' }, 'URL').config;
  const own = DATASET_DEFAULTS[base.dataset.name] ?? {};
  const applied = applyFields(applyFields(base, own, 'URL').config, fields, 'URL', meta);
  return { config: applied.config, messages: [...messages, ...applied.messages] };
}

// ---- JSON import: strict. Any problem refuses the whole file (the caller changes nothing). ----
// A csv config may carry its data (dataset.csv, as the core's export has it): it is returned apart,
// as csvText, for the caller to open like a dropped file.
export function configFromJson(obj, meta = {}) {
  const errors = [];
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
    return { config: null, errors: ['config: the file must hold one JSON object'] };
  }
  const known = {
    '': ['dataset', 'network', 'loss', 'init', 'optimizer', 'batch_size', 'epochs', 'l2', 'seed', 'shuffle'],
    dataset: ['name', 'samples', 'noise', 'test_ratio', 'seed', 'arms', 'standardize', 'task', 'target', 'csv'],
    network: ['features', 'layers'],
    optimizer: ['name', 'learning_rate', 'momentum', 'nesterov', 'beta1', 'beta2', 'epsilon'],
  };
  for (const [section, keys] of Object.entries(known)) {
    const o = section ? obj[section] : obj;
    if (o === undefined) continue;
    if (!o || typeof o !== 'object' || Array.isArray(o)) { errors.push(`config: ${section} must be an object`); continue; }
    for (const k of Object.keys(o)) {
      if (!keys.includes(k)) errors.push(`config: ${section ? section + '.' : ''}${k}: unknown field (known: ${keys.join(', ')})`);
    }
  }
  if (errors.length) return { config: null, errors };
  const isCsv = obj.dataset?.name === 'csv';
  if (!isCsv && obj.dataset?.task !== undefined && obj.dataset.task !== 'auto') {
    errors.push(`config: dataset.task: ${JSON.stringify(obj.dataset.task)} is not allowed for generated data (auto)`);
  }
  for (const k of ['csv', 'target']) {
    if (!isCsv && obj.dataset?.[k] !== undefined) errors.push(`config: dataset.${k}: only allowed with dataset.name "csv"`);
  }
  if (isCsv && obj.dataset.csv !== undefined && typeof obj.dataset.csv !== 'string') {
    errors.push('config: dataset.csv: must be the CSV text (a string)');
  }
  const config = defaultConfig();
  const layers = obj.network?.layers;
  if (layers !== undefined) {
    if (!Array.isArray(layers) || layers.length < 1) {
      errors.push('config: network.layers: must be a list of 1 to 7 layers (0 to 6 hidden + the output layer)');
    } else {
      const hidden = rowByKey('hidden');
      const e = checkValue(hidden, layers.slice(0, -1));
      if (e) errors.push(`config: network.layers (hidden): ${e}`);
      else setField(config, hidden, layers.slice(0, -1));
      const last = layers.at(-1);
      const out = rowByKey('out');
      const e2 = checkValue(out, last?.activation);
      if (e2) errors.push(`config: network.layers[${layers.length - 1}].activation: ${e2}`);
      else setField(config, out, last.activation);
    }
  }
  if (isCsv) config.dataset.name = 'csv';   // so that csv-only fields apply
  for (const row of SCHEMA) {
    if (row.key === 'hidden' || row.key === 'out' || (row.only && !row.only.includes(obj.dataset?.name))) continue;
    const v = row.path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
    if (v === undefined) continue;
    const e = checkValue(row, v);
    if (e) errors.push(`config: ${row.path}: ${e}`);
    else setField(config, row, v);
  }
  if (errors.length) return { config: null, errors };
  if (obj.network?.features === undefined && DATASETS[config.dataset.name].dims === 1) config.network.features = ['x1'];
  if (obj.network?.layers === undefined && obj.loss === undefined) quietPair(config, meta);
  const open = dataInfo(config, meta).task === null;   // a CSV not read yet: its output units are kept
  if (open && Number.isInteger(layers?.at(-1)?.units)) config.network.layers.at(-1).units = layers.at(-1).units;
  const settled = settle(config, meta);
  if (settled.notes.length) return { config: null, errors: settled.notes.map((n) => `config: ${n}`) };
  const units = layers?.at(-1)?.units;
  if (units !== undefined && units !== settled.config.network.layers.at(-1).units) {
    const want = settled.config.network.layers.at(-1).units;
    return { config: null, errors: [`config: network.layers[${layers.length - 1}].units: ${units} is not allowed (this data and loss need ${want})`] };
  }
  return { config: settled.config, errors: [], csvText: isCsv ? obj.dataset.csv : undefined };
}

// True when two configs are the same run (compared field by field through the schema).
export function sameConfig(a, b) {
  return serializeHash(a) === serializeHash(b);
}
