// heat-options.mjs: the heat map's two display toggles, as in TensorFlow Playground: "Show test data"
// (the test points on the map) and "Discretize output" (each cell in its class's full colour). They
// are page state, not config: they change only the drawing (boundary.mjs), never the run, so they
// are not in the core's schema. They live in the URL as their own keys, `showtest=0` and
// `discrete=1` (a default is left out, so links stay as they were), split off before the config's
// keys are parsed, as pace.mjs does with its key. The pure part (the table, split, join) comes first;
// createHeatOptions wires the two checkboxes.
import { appendHash, splitPageKeys } from './state.mjs';

export const HEAT_OPTIONS = [
  { key: 'showtest', name: 'showTest', label: 'Show test data', def: true },
  { key: 'discrete', name: 'discretize', label: 'Discretize output', def: false },
];
export const defaultHeatOptions = () => Object.fromEntries(HEAT_OPTIONS.map((o) => [o.name, o.def]));

// Splits a URL hash into the heat map options and the config's hash. A value other than 1 or 0
// adds a message in the words of the toggle's label, and the default is used.
export function splitHeatOptions(hash) {
  const options = defaultHeatOptions();
  const messages = [];
  const { values, hash: rest } = splitPageKeys(hash, HEAT_OPTIONS.map((o) => o.key));
  for (const option of HEAT_OPTIONS) {
    const text = values[option.key];
    if (text === '1' || text === '0') options[option.name] = text === '1';
    else if (text !== undefined) messages.push(`${option.label}: "${text}" is not allowed (1 or 0); using ${option.def ? 1 : 0}.`);
  }
  return { options, hash: rest, messages };
}

// The config's hash with the options that differ from their defaults appended.
export function withHeatOptions(hash, options) {
  return appendHash(hash, HEAT_OPTIONS.filter((o) => options[o.name] !== o.def).map((o) => `${o.key}=${options[o.name] ? 1 : 0}`));
}

// boxes: { showTest, discretize } checkboxes, each inside its (empty) label; onChange(options)
// after the user toggled one.
export function createHeatOptions(boxes, onChange) {
  let value = defaultHeatOptions();
  const show = () => { for (const o of HEAT_OPTIONS) boxes[o.name].checked = value[o.name]; };
  for (const o of HEAT_OPTIONS) {
    boxes[o.name].closest('label')?.append(` ${o.label}`);   // the words are the table's
    boxes[o.name].addEventListener('change', () => {
      value = { ...value, [o.name]: boxes[o.name].checked };
      onChange(value);
    });
  }
  show();
  return {
    get value() { return { ...value }; },
    // Options from a link, shown without reporting them.
    set(next) { value = { ...next }; show(); },
  };
}
