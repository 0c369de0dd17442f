// state.mjs: the page's configuration state as pure data. One schema table (one row per URL field:
// key, config path, type, default, allowed values) drives parsing and serializing the URL hash,
// validating an imported JSON config, and settling the choices that depend on the dataset
// (output layer + loss pairs, output units, features of 1-D data). Pure functions only: no DOM,
// no worker, no globals. The config objects are in the core's config format (see README.md).
// It is not the core's validator: the core still checks every config it is given.

import {
  DATASETS, DATASET_DEFAULTS, FEATURES, FEATURES_1D, SEED_PRESET, dataInfo, installDatasets, outputChoices, quietPair, settle,
} from './datasets.mjs';

export { DATASETS, FEATURES, FEATURES_1D, SEED_PRESET, dataInfo, outputChoices, settle };
export const HIDDEN_ACTIVATIONS = [];
export const LIMITS = {};

// The schema: one row per URL field, built by installSchema() from the core's config table
// (engine.schema, see config.h): { key, path, label, type, def, min, max, minOpen, maxOpen, values,
// labels, only, allowed, step } (step: how arrow keys step a number, steps.mjs). `hidden` and `out` are the core's network.layers split into its hidden
// layers and its output activation (the output units follow from the dataset and the loss, see
// settle()). A row with `only` belongs to those datasets: it is in their links and configs and
// absent from the others'. Fields without a URL key (a CSV's text, the benchmark data) are not here.
export const SCHEMA = [];

// Fills SCHEMA, LIMITS, HIDDEN_ACTIVATIONS and the dataset tables from the core's schema; call it once
// before anything else here (the page does with the worker's init reply, Node with engine.schema).
export function installSchema(core) {
  if (SCHEMA.length) return;
  Object.assign(LIMITS, core.limits);
  for (const f of core.fields) {
    if (!f.key) continue;
    const row = { key: f.key, path: f.path, label: f.label, type: f.type, def: f.default, allowed: f.allowed };
    for (const k of ['min', 'max', 'minOpen', 'maxOpen', 'values', 'labels', 'step']) if (f[k] !== undefined) row[k] = f[k];
    if (f.usedBy) row.only = f.usedBy;
    if (f.type === 'layers') {
      HIDDEN_ACTIVATIONS.push(...f.hiddenValues);
      SCHEMA.push({ ...row, type: 'hidden', def: f.default.slice(0, -1), values: f.hiddenValues, maxLayers: f.maxLayers - 1 },
        { key: 'out', path: 'network.layers[-1].activation', label: 'Output layer', type: 'enum',
          def: f.default.at(-1).activation, values: f.values, allowed: `one of ${f.values.join(', ')}` });
    } else {
      SCHEMA.push(row);
    }
  }
  installDatasets(core);
  // A dataset's own defaults (core config fields) as URL fields.
  for (const d of core.datasets) {
    if (!d.defaults) continue;
    const own = {};
    for (const row of SCHEMA) {
      const v = getField(d.defaults, row);
      if (v !== undefined) own[row.key] = displayValue(row, v);
    }
    DATASET_DEFAULTS[d.name] = own;
  }
}
export const maxHiddenLayers = () => rowByKey('hidden').maxLayers;

// ---- allowed values, in words (used by every message) ----
export function allowedText(row) {
  switch (row.type) {
    case 'bool': return 'true or false (1 or 0)';
    case 'set': return `a comma-separated subset of ${row.values.join(', ')}`;
    case 'text': return 'a text';
    case 'hidden': return `0 to ${row.maxLayers} comma-separated units:activation pairs, units ${row.min} to ${row.max}, activation one of ${row.values.join(', ')}`;
    default: return row.allowed;
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
    case 'text': return typeof v === 'string' ? '' : bad;
    case 'enum': return row.values.includes(v) ? '' : bad;
    case 'set':
      return Array.isArray(v) && v.length > 0 && v.every((f) => row.values.includes(f)) &&
        new Set(v).size === v.length ? '' : bad;
    case 'hidden':
      return Array.isArray(v) && v.length <= row.maxLayers && v.every((l) => l && typeof l === 'object' &&
        Number.isInteger(l.units) && l.units >= row.min && l.units <= row.max &&
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
  if (row.key === 'hidden') return config.network?.layers?.slice(0, -1);
  if (row.key === 'out') return config.network?.layers?.at(-1).activation;
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

// Keys of the hash that are page state, not config: other modules read them (race: race-state.mjs).
export const PAGE_KEYS = ['race'];

// Splits the page-state keys `keys` off a URL hash: { values: { key: text } (decoded as the config's
// keys are, by URLSearchParams; the last one wins), hash: the rest, its parts untouched }. Used by
// the pace (pace.mjs) and the heat map's options (heat-options.mjs); appendHash puts them back.
export function splitPageKeys(hash, keys) {
  const values = {};
  const rest = [];
  for (const part of String(hash || '').replace(/^#/, '').split('&')) {
    const key = part.split('=')[0];
    if (keys.includes(key)) values[key] = new URLSearchParams(part).get(key);
    else if (part) rest.push(part);
  }
  return { values, hash: `#${rest.join('&')}` };
}

// A hash with `key=value` parts appended (none: the hash as it is).
export function appendHash(hash, parts) {
  return parts.length ? `${hash}${hash.length > 1 ? '&' : ''}${parts.join('&')}` : hash;
}

// Splits a URL hash into { key: text } fields (decoded by URLSearchParams) plus messages for parts
// that are not fields: a name without a value, a bad %-escape (decoded to U+FFFD). PAGE_KEYS are skipped.
function hashFields(hash) {
  const fields = {};
  const messages = [];
  for (const [key, text] of new URLSearchParams(String(hash || '').replace(/^#/, ''))) {
    if (PAGE_KEYS.includes(key)) continue;
    const row = rowByKey(key);
    if (`${key}${text}`.includes('\uFFFD')) messages.push(`URL: "${key}=${text}" is not valid URL encoding; ignored.`);
    else if (text !== '' || row) fields[key] = text;   // hidden= is no hidden layer
    else if (key !== '') messages.push(`URL: "${key}" is not a field=value pair; ignored.`);
  }
  return { fields, messages };
}

// Applies { key: text } fields (URL or form values) onto a copy of `base`. An unknown key is
// ignored, an invalid value keeps the base's value; each adds a message that names the field,
// what is allowed and the value kept: a link's by its URL key and config path, the form's by the
// control's label (source 'Form'). Then settles the dataset-dependent choices (`meta`: what the
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
      const was = displayValue(row, getField(config, row));
      const shown = raw === '' ? (row.type === 'set' ? 'none' : 'empty') : `"${raw}"`;
      messages.push(source === 'Form'
        ? `${row.label}: ${shown} is not allowed (${allowedText(row)}); keeping ${was}.`
        : `${source}: ${key}=${raw} is not allowed (${row.path}: ${allowedText(row)}); ${kept} ${was}.`);
      continue;
    }
    setField(config, row, value);
  }
  if (!('feat' in fields) && DATASETS[config.dataset.name].dims === 1) config.network.features = ['x1'];
  if (!('out' in fields) && !('loss' in fields)) quietPair(config, meta);
  const settled = settle(config, meta);
  return { config: settled.config, messages: [...messages, ...settled.notes.map((n) => (source === 'Form' ? n : `${source}: ${n}`))] };
}

// Parses a URL hash. Every field that is missing takes its default (the dataset's own default
// where it has one, see DATASET_DEFAULTS); every invalid one takes its default and adds a message
// naming the field, the allowed values and the default used.
export function parseHash(hash, meta = {}) {
  const { fields, messages } = hashFields(hash);
  const base = applyFields(defaultConfig(), { data: fields.data ?? rowByKey('data').def }, 'URL').config;
  const own = DATASET_DEFAULTS[base.dataset.name] ?? {};
  const applied = applyFields(applyFields(base, own, 'URL').config, fields, 'URL', meta);
  return { config: applied.config, messages: [...messages, ...applied.messages] };
}

// True when two configs are the same run (compared field by field through the schema).
export function sameConfig(a, b) {
  return serializeHash(a) === serializeHash(b);
}
