// dataset-settings.mjs: the settings a dataset comes with when the form switches to it. Each dataset
// keeps the settings it was last left with (for this page's life); one not visited yet starts from
// its defaults: the core's, with the dataset's own where it has them (Fashion-MNIST's 784-128-10
// Adam network). So Fashion-MNIST's network does not stay on a toy set, and 1-D sine's single
// feature does not stay on 2-D data. It says which settings it used, in the page's words. Pure
// data and functions (no DOM): main.mjs asks it on a change of the Dataset select.
import { DATASETS, parseHash, rowByKey } from './state.mjs';

// "8 tanh, 8 tanh, sigmoid output; SGD, learning rate 0.03, batch 10, 100 epochs".
export function settingsSummary(c) {
  const hidden = c.network.layers.slice(0, -1).map((l) => `${l.units} ${l.activation}`);
  const opt = rowByKey('opt');
  const optimizer = opt.labels?.[opt.values.indexOf(c.optimizer.name)] ?? c.optimizer.name;
  return `${hidden.length ? hidden.join(', ') : 'no hidden layer'}, ${c.network.layers.at(-1).activation} output; ` +
    `${optimizer}, learning rate ${c.optimizer.learning_rate}, batch ${c.batch_size || 'full'}, ${c.epochs} epochs`;
}

export function createDatasetSettings() {
  const last = new Map();   // dataset name -> the config it was left with

  return {
    // Leaving `current` for dataset `to`: { config, title, lines } (the message that says which).
    // meta: what the page knows of a loaded CSV (datasets.mjs).
    switchTo(current, to, meta = {}) {
      last.set(current.dataset.name, structuredClone(current));
      const label = DATASETS[to]?.label ?? to;
      const kept = last.get(to);
      const config = kept ? structuredClone(kept) : parseHash(`#data=${encodeURIComponent(to)}`, meta).config;
      const images = to === 'fashion_mnist' ? `, ${config.dataset.samples.toLocaleString('en-US')} training images` : '';
      const line = kept
        ? `your last settings for ${label} are back: ${settingsSummary(config)}${images}.`
        : `its default settings are set: ${settingsSummary(config)}${images}; change anything.`;
      return { config, title: `${label}:`, lines: [line] };
    },
  };
}
