// race-state.mjs: the race as page state, pure data and functions (no DOM, no worker). A race trains
// 2 to 4 variants of the current network that differ in one field; in the URL hash it is one key,
//   race=<field>:<value>,<value>[,...]        e.g. race=opt:sgd,momentum,adam   race=lr:0.003,0.03,0.3,3
// beside the config's keys (state.mjs leaves it to this module: PAGE_KEYS). A field is a URL key of
// the core's schema (opt, lr, batch, l2, init) or `activation` (every hidden layer's at once); each
// value is checked by that schema row, so a race allows exactly what the form allows. It also holds
// the classic races the race panel sets up in one click. What it is not: a trainer of anything.
import { HIDDEN_ACTIVATIONS, allowedText, applyFields, defaultConfig, rowByKey, sameConfig, serializeHash } from './state.mjs';

export const RACE_KEY = 'race';
export const MIN_VARIANTS = 2;
export const MAX_VARIANTS = 4;
// The fields a race may vary. All but init leave the initial weights alone: such variants start from
// identical weights (the worker compares them and the panel says so).
export const RACE_FIELDS = ['opt', 'lr', 'batch', 'l2', 'init', 'activation'];

// The `activation` field is not a schema row: every hidden layer's activation at once.
const ACTIVATION = { key: 'activation', label: 'Hidden activation', type: 'enum', values: HIDDEN_ACTIVATIONS };
const fieldRow = (key) => (key === 'activation' ? { ...ACTIVATION, allowed: `one of ${HIDDEN_ACTIVATIONS.join(', ')}` } : rowByKey(key));
const fieldText = (row) => (row.key === 'activation' ? row.allowed : allowedText(row));

// The { key: text } fields that make a variant of `config` (activation rewrites every hidden layer).
function variantFields(config, key, value) {
  if (key !== 'activation') return { [key]: value };
  return { hidden: config.network.layers.slice(0, -1).map((l) => `${l.units}:${value}`).join(',') };
}

// The race text of the hash, or null when the hash has none.
export function raceText(hash) {
  return new URLSearchParams(String(hash || '').replace(/^#/, '')).get(RACE_KEY);
}

// Reads a race text -> { spec: { key, values: [text] } | null, error: '' | one line }. Every value is
// checked by its field's schema row (on the default config: values do not depend on the network).
// source: what the error names first ('URL', or the panel's 'Race').
export function parseRace(text, source = 'URL') {
  if (text === null || text === undefined) return { spec: null, error: '' };
  const where = source === 'URL' ? `URL: race=${text}` : `${source}: ${text}`;
  const fail = (why) => ({ spec: null, error: `${where}: ${why}; no race.` });
  const m = /^([a-z0-9]+):(.*)$/.exec(text);
  if (!m) return fail(`write it as <field>:<value>,<value> with a field of ${RACE_FIELDS.join(', ')} (e.g. race=opt:sgd,momentum,adam)`);
  const [, key, list] = m;
  if (!RACE_FIELDS.includes(key)) return fail(`"${key}" cannot be raced (one of ${RACE_FIELDS.join(', ')})`);
  const row = fieldRow(key);
  const values = list.split(',').map((v) => v.trim());
  if (values.length < MIN_VARIANTS || values.length > MAX_VARIANTS) return fail(`${MIN_VARIANTS} to ${MAX_VARIANTS} values are needed, not ${values.length}`);
  const base = defaultConfig();
  const seen = new Set();
  for (const v of values) {
    const bad = key === 'activation' ? !HIDDEN_ACTIVATIONS.includes(v) : applyFields(base, { [key]: v }, 'Race').messages.length > 0;
    if (v === '' || bad) return fail(`"${v}" is not allowed for ${row.label} (${fieldText(row)})`);
    const made = key === 'activation' ? v : serializeHash(applyFields(base, { [key]: v }, 'Race').config);
    if (seen.has(made)) return fail(`the values must differ ("${v}" twice)`);
    seen.add(made);
  }
  return { spec: { key, values }, error: '' };
}

// The hash part of a race spec: '' or '&race=opt:sgd,momentum,adam'.
export function raceHashPart(spec) {
  return spec ? `&${RACE_KEY}=${spec.key}:${spec.values.join(',')}` : '';
}

export const sameSpec = (a, b) => raceHashPart(a) === raceHashPart(b);

// A variant's name: what differs, in the form's words ("Adam", "lr 0.03", "full batch").
export function variantName(key, value) {
  const row = fieldRow(key);
  if (row.type === 'enum' && row.labels) return row.labels[row.values.indexOf(value)] ?? value;
  if (key === 'batch') return Number(value) === 0 ? 'full batch' : `batch ${Number(value)}`;
  if (key === 'lr') return `lr ${Number(value)}`;
  if (key === 'l2') return `L2 ${Number(value)}`;
  return value;
}

// The variants of `config` for a spec -> { variants: [{ name, config }], error }. The config-dependent
// checks are here: an activation race needs a hidden layer; every variant must be a different run.
export function raceVariants(spec, config) {
  const fail = (why) => ({ variants: [], error: `race=${spec.key}:${spec.values.join(',')}: ${why}; no race.` });
  if (spec.key === 'activation' && config.network.layers.length < 2) return fail('the network has no hidden layer (add one in the Network panel)');
  const variants = spec.values.map((v) => {
    const { config: c } = applyFields(config, variantFields(config, spec.key, v), 'Race');
    return { name: variantName(spec.key, v), config: c };
  });
  for (let i = 1; i < variants.length; i++) {
    if (variants.slice(0, i).some((o) => sameConfig(o.config, variants[i].config))) return fail(`${variants[i].name} appears twice`);
  }
  return { variants, error: '' };
}

// ---- the classic races: one click each (the race panel's buttons) ----
const deep = (config, activation) => applyFields(config, {
  hidden: Array.from({ length: 6 }, () => `16:${activation ?? config.network.layers[0]?.activation ?? 'relu'}`).join(','),
}, 'Race').config;

export const CLASSIC_RACES = [
  { id: 'optimizers', label: 'SGD vs momentum vs Adam', spec: { key: 'opt', values: ['sgd', 'momentum', 'adam'] }, base: (c) => c },
  { id: 'init', label: 'Xavier vs He (6 ReLU layers)', spec: { key: 'init', values: ['xavier_normal', 'he_normal'] }, base: (c) => deep(c, 'relu') },
  { id: 'activation', label: 'ReLU vs sigmoid (6 layers)', spec: { key: 'activation', values: ['relu', 'sigmoid'] }, base: (c) => deep(c, 'relu') },
  { id: 'batch', label: 'Batch 1 vs 32 vs full', spec: { key: 'batch', values: ['1', '32', '0'] }, base: (c) => c },
  { id: 'lr', label: 'Learning rate 0.003 / 0.03 / 0.3 / 3', spec: { key: 'lr', values: ['0.003', '0.03', '0.3', '3'] }, base: (c) => c },
];

// The field choices of the panel's "Vary" menu: [{ key, label }].
export const raceFieldChoices = () => RACE_FIELDS.map((key) => ({ key, label: fieldRow(key).label }));
