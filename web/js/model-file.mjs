// model-file.mjs: the page's side of files it hands out and takes in: downloads (config, model),
// the checks a model file gets before the core's (only what this page's form cannot show: the core
// validates format, version, shapes and numbers), and the page config that matches an imported
// model. Pure except download(), which clicks a temporary link.
import { isPlanar, settle } from './datasets.mjs';

export const MODEL_MAX_BYTES = 256 * 2 ** 20;   // 256 MiB

// Saves text as a file through a temporary <a download> (works on file:// pages too).
export function download(text, name, type = 'application/json') {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// '' when the file may go to the core, else why the page refuses it (a file too large to read; the
// core checks everything else, and the page holds any network the core does).
export function precheckModel(text, bytes = text.length) {
  if (bytes > MODEL_MAX_BYTES) return `model: the file is ${bytes} bytes; the limit is ${MODEL_MAX_BYTES} bytes (256 MiB)`;
  return '';
}

// The page config of a run whose trainer took an imported model: the model's layers, loss and
// (for 2-D data) features; everything else as it was. coreConfig: the trainer's config after import.
export function configWithModel(config, coreConfig, meta = {}) {
  const next = structuredClone(config);
  next.network.layers = coreConfig.network.layers.map(({ units, activation }) => ({ units, activation }));
  next.loss = coreConfig.loss;
  if (isPlanar(next.dataset.name) && coreConfig.network.features?.length) next.network.features = [...coreConfig.network.features];
  return settle(next, meta).config;
}
