// datasets.mjs: what the page knows about each dataset, as pure data and functions: its task, input
// width and classes, the output layer + loss pairs that fit it (each with a one-line why), the
// settling of a config onto its dataset, dataset-specific defaults and presets, and the config the
// core is sent. No DOM, no worker. A CSV's task and classes are only known once the core has read
// the file: the page passes them as `meta = { csv: { task, classes, rawDims } }`; without them the
// output choices stay open (any pair is kept as it is).

// Filled once from the core's schema by installDatasets() (state.mjs's installSchema calls it):
// DATASETS: name -> { label, task (null: from the data), dims, classes, classesField, planar, offered };
// FEATURES and FEATURES_1D: the feature names, and those of 1-D data; DATASET_DEFAULTS: name -> the
// URL fields a dataset gets when a link or the form switches to it without naming them (state.mjs).
export const DATASETS = {};
export const FEATURES = [];
export const FEATURES_1D = [];
export const DATASET_DEFAULTS = {};
export const LABELS = { features: 'Input features', output: 'Output layer + loss' };   // the notes' words (features: the core's)

export function installDatasets(core) {
  for (const d of core.datasets) DATASETS[d.name] = d;
  const feat = core.fields.find((f) => f.path === 'network.features');
  FEATURES.push(...feat.values);
  FEATURES_1D.push(...feat.oneInput);
  LABELS.features = feat.label;
}

export const isPlanar = (name) => DATASETS[name]?.planar === true;

// The reference NumPy network ("Seed network" preset), in the core's config format.
export const SEED_PRESET = {
  dataset: { name: 'spiral', arms: 3, samples: 300, test_ratio: 0 },
  network: { features: ['x1', 'x2'], layers: [{ units: 64, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
  loss: 'cce', init: 'he_normal', optimizer: { name: 'sgd', learning_rate: 0.01 },
  batch_size: 0, shuffle: false, epochs: 100,
};

// { task, classes, dims } of the config's dataset (task null: a CSV not read yet).
export function dataInfo(config, meta = {}) {
  const name = config.dataset.name;
  const d = DATASETS[name];
  if (name === 'csv') {
    const m = meta.csv;
    return { ...d, task: m?.task ?? null, classes: m?.classes ?? 0, dims: m?.rawDims ?? 0 };
  }
  const classes = d.classesField ? d.classesField.split('.').reduce((o, k) => o?.[k], config) : d.classes;
  return { ...d, classes };
}

const REGRESSION_WHY = 'Regression: the output is a number and the loss is the mean squared error';
const REGRESSION_CHOICES = [
  { out: 'linear', loss: 'mse', label: 'linear + MSE', why: `${REGRESSION_WHY}; a linear output can reach any value.` },
  { out: 'tanh', loss: 'mse', label: 'tanh + MSE', why: `${REGRESSION_WHY}; tanh limits the output to (-1, 1).` },
  { out: 'sigmoid', loss: 'mse', label: 'sigmoid + MSE', why: `${REGRESSION_WHY}; sigmoid limits the output to (0, 1).` },
  { out: 'relu', loss: 'mse', label: 'relu + MSE', why: `${REGRESSION_WHY}; relu outputs no negative value.` },
];

// The output activation + loss pairs the core accepts for this dataset, each with a one-line why.
export function outputChoices(config, meta = {}) {
  const { task, classes } = dataInfo(config, meta);
  if (task === 'regression') return REGRESSION_CHOICES;
  const k = classes || 'k';
  const softmax = {
    out: 'softmax', loss: 'cce', label: `softmax + cross-entropy (${k} outputs)`,
    why: `${k} classes: softmax turns ${k} outputs into class probabilities; categorical cross-entropy is fused with it, so the gradient is (p - y) / m.`,
  };
  const sigmoid = {
    out: 'sigmoid', loss: 'bce', label: 'sigmoid + binary cross-entropy (1 output)',
    why: 'Two classes: one sigmoid output is P(class 1); binary cross-entropy is fused with it, so the gradient is (p - y) / m.',
  };
  if (task === null) {
    const why = ' (the CSV file is not read yet: the choice is checked once it is)';
    return [sigmoid, softmax, ...REGRESSION_CHOICES].map((c) => ({ ...c, why: c.why + why }));
  }
  // MSE on classes, to compare with cross-entropy: the same outputs, scored by the squared error
  // against the 0/1 (one-hot) target, its gradient going through the output's derivative f'(z).
  const slow = 'so a sure but wrong output learns slowly: compare it with cross-entropy.';
  const sigmoidMse = {
    out: 'sigmoid', loss: 'mse', label: 'sigmoid + MSE (1 output)',
    why: `Two classes, one sigmoid output scored by the mean squared error: its gradient goes through f'(z) = a (1 - a), which is near 0 when a is near 0 or 1, ${slow}`,
  };
  const softmaxMse = {
    out: 'softmax', loss: 'mse', label: `softmax + MSE (${k} outputs)`,
    why: `${k} class probabilities scored by the mean squared error against the one-hot target: its gradient goes through the softmax's derivative (its Jacobian), ${slow}`,
  };
  return classes > 2 ? [softmax, softmaxMse] : [sigmoid, softmax, sigmoidMse, softmaxMse];
}

// Makes a config consistent with its dataset: features of 1-D data, a valid output + loss pair,
// the output units, the fields only a CSV has. Returns the settled copy and one note per thing it
// had to change.
export function settle(input, meta = {}) {
  const config = structuredClone(input);
  const notes = [];
  const info = dataInfo(config, meta);
  const feats = config.network.features;
  if (info.planar && info.dims === 1 && !feats.every((f) => FEATURES_1D.includes(f))) {
    const kept = feats.filter((f) => FEATURES_1D.includes(f));
    config.network.features = kept.length ? kept : ['x1'];
    notes.push(`${LABELS.features}: ${config.dataset.name} data is 1-D, so only ${FEATURES_1D.join(', ')} apply; using ${config.network.features.join(', ')}.`);
  }
  const out = config.network.layers.at(-1);
  const choices = outputChoices(config, meta);
  if (!choices.some((c) => c.out === out.activation && c.loss === config.loss)) {
    const c = choices[0];
    notes.push(`${LABELS.output}: ${out.activation} + ${config.loss} does not fit ${config.dataset.name} data; using ${c.label}. ${c.why}`);
    out.activation = c.out;
    config.loss = c.loss;
  }
  if (info.task !== null) out.units = info.task === 'classification' && out.activation === 'softmax' ? info.classes : 1;
  if (config.dataset.name === 'csv') {
    config.dataset.target ??= '';
    config.dataset.task ??= 'auto';
  } else {
    delete config.dataset.target;
    delete config.dataset.task;
  }
  return { config, notes };
}

// Picks the first valid output + loss pair without a note (when the source named neither).
export function quietPair(config, meta = {}) {
  const out = config.network.layers.at(-1);
  const choices = outputChoices(config, meta);
  if (choices.some((c) => c.out === out.activation && c.loss === config.loss)) return;
  out.activation = choices[0].out;
  config.loss = choices[0].loss;
}

// The config object the core is sent: without the fields the core refuses for this dataset
// (network.features for csv and images; target and task outside csv; an empty target means the
// last column). The worker adds the CSV text. fromCoreConfig is its inverse: the page config of a
// config the core returned (features always present, target and task only for csv, no CSV text).
export function fromCoreConfig(core) {
  const c = structuredClone(core);
  delete c.dataset.csv;
  c.network.features ??= DATASETS[c.dataset.name]?.dims === 1 ? ['x1'] : ['x1', 'x2'];
  if (c.dataset.name === 'csv') c.dataset.target ??= '';
  else {
    delete c.dataset.target;
    delete c.dataset.task;
  }
  return c;
}

export function toCoreConfig(config) {
  const c = structuredClone(config);
  if (!isPlanar(c.dataset.name)) delete c.network.features;
  if (c.dataset.name !== 'csv') {
    delete c.dataset.target;
    delete c.dataset.task;
  } else if (!c.dataset.target) {
    delete c.dataset.target;
  }
  return c;
}
