// data.mjs: the page's real data and how it reaches a trainer. Fashion-MNIST: loaded once, on
// demand, by fashion-load.mjs. CSV: a dropped or chosen file is opened by the worker as "pending",
// described by the core with the chosen target and task (which decide the output layer), and only
// then trained on; a file the core refuses leaves the session as it was and shows why (row,
// column, cell). A link or a config without its CSV waits for the file: links cannot carry data.
// main.mjs owns the config and apply(); this module tells it what is known of the data (`meta`).
import { createFashionLoader } from './fashion-load.mjs';
import { createCsvPanel } from './csv-panel.mjs';
import { settle, toCoreConfig } from './datasets.mjs';
import { applyFields } from './state.mjs';

export function createData({ client, view, fashionView, current, apply, showForm }) {
  const $ = (id) => document.getElementById(id);
  let live = null;       // the description of the CSV the trainer uses, with its target, task and split sizes
  let pending = null;    // { name, bytes, header } of a CSV opened but not (yet) trained on
  let incoming = null;   // the description of the file a running apply() is about to use
  let fashionWaits = false;   // an apply() gave up for want of the images: a chosen file resumes it

  const fashion = createFashionLoader({
    client, status: $('fashion-status'), progress: $('fashion-progress'), chooser: $('fashion-choose'), fileInput: $('fashion-file'),
    onLoaded(display) {
      // Drawn in a task of their own (30 images, about 80 ms), after the waiting apply() has asked the
      // worker for its trainer: the worker builds it meanwhile.
      setTimeout(() => fashionView.showSamples(display), 0);
      const c = current();
      if (fashionWaits && c?.dataset.name === 'fashion_mnist') apply(c);
      fashionWaits = false;
    },
  });
  const csvPanel = createCsvPanel({
    drop: $('csv-drop'), fileInput: $('csv-file'), target: $('target'), summary: $('csv-summary'),
    onFile: (file) => open({ file }, file.name, current()),
  });

  // A copy of `base` that trains on a CSV with this target and task (output layer still open).
  const csvBase = (base, target, task) => applyFields(base, { data: 'csv', target, task }, 'Form', {}).config;

  function refuse(name, message) {
    view.showMessages(`${name} refused; nothing changed:`, [message], 'error');
    csvPanel.showRefused(name, message);
    showForm();
  }

  // Describes the pending or current CSV with base's target and task (the core), settles the output
  // layer on what the core found, and trains on it. Resolves true when the trainer uses it.
  async function useCsv(which, base, { resume = false } = {}) {
    const src = which === 'pending' ? pending : live;
    let described;
    try {
      described = await client.request('csvDescribe', { config: toCoreConfig(base), csv: which });
    } catch (e) {
      refuse(src.name, e.message);
      return false;
    }
    const meta = { csv: { task: described.task, classes: described.classes, rawDims: described.rawDims } };
    const { config: next, notes } = settle(base, meta);
    if (notes.length) view.showMessages(`${described.name}:`, notes, 'info');
    incoming = { ...described, target: next.dataset.target, taskChoice: next.dataset.task };   // described.task: what the core made of it
    try {
      return (await apply(next, { csv: which, meta, revert: true, resume })) !== null;
    } catch (e) {
      refuse(src.name, e.message);
      return false;
    }
  }

  // Opens a CSV ({ file } or { text, name }) in the worker, then uses it with base's settings: the
  // target of a link if the file has that column, else its last column; but when nobody chose the
  // target and the core finds text in the first row of another column, that (label) column.
  async function open(args, name, base) {
    let opened;
    try {
      opened = await client.request('csvOpen', args);
    } catch (e) {
      refuse(name, e.message);
      return false;
    }
    pending = opened;
    const isCsv = base.dataset.name === 'csv';
    const wanted = isCsv ? base.dataset.target : '';
    let target = opened.header.includes(wanted) ? wanted : opened.header.at(-1);
    if (wanted && wanted !== target) {
      view.showMessages(`${opened.name}:`, [`"${wanted}" is not a column of this file; the target is its last column, "${target}".`], 'info');
    }
    const e = opened.error;
    const text = target !== wanted && e?.row === 1 && e.column > 0 ? opened.header[e.column - 1] : null;
    if (text && text !== target) {
      view.showMessages(`${opened.name}:`, [`column "${text}" holds text in data row 1 (line ${e.line}), so it is the target.`], 'info');
      target = text;
    }
    csvPanel.setColumns(opened.header, target);
    const task = isCsv ? base.dataset.task : 'auto';
    $('task').value = task;
    return useCsv('pending', csvBase(base, target, task));
  }

  return {
    meta: {},   // { csv: { task, classes, rawDims } } of the live CSV (main.mjs sets it on success)

    // Resolves true when the data of `next` is in the worker (loading Fashion-MNIST if needed),
    // false when it is not to be had now (no CSV file yet; the images failed to load).
    async prepare(next, csv) {
      if (next.dataset.name === 'fashion_mnist') {
        const ok = await fashion.ensure();
        fashionWaits = !ok;
        return ok;
      }
      if (next.dataset.name === 'csv' && csv !== 'pending' && !live) {
        const { target, task } = next.dataset;
        csvPanel.showWaiting('Drop a CSV file anywhere on the page, or choose one.');
        view.showMessages('Your CSV file is needed:', [`This configuration trains on a CSV file${target ? ` (target "${target}", task ${task})` : ''}, ` +
          'and a link or a config file cannot carry the file: drop it on the page or choose it. The other settings are kept.'], 'info',
        { cause: 'csv-needed', holds: () => current()?.dataset.name === 'csv' && !live });
        return false;
      }
      return true;
    },
    waitingText: (next) => (next.dataset.name === 'csv' ? 'waiting for a CSV file' : 'waiting for Fashion-MNIST'),
    // The run state while prepare() and the trainer's creation run: what Play and Step wait for.
    preparingText: (next) => (next.dataset.name === 'fashion_mnist' && !fashion.display ? 'loading Fashion-MNIST' : 'building'),

    // After a successful create: a CSV just used becomes the live one.
    created(next, r) {
      if (next.dataset.name !== 'csv') return;
      if (incoming) {
        live = incoming;
        incoming = null;
        pending = null;
      }
      live.train = r.data.train.m;
      live.test = r.data.test.m;
      csvPanel.setColumns(live.header, next.dataset.target);
      csvPanel.showLive(live, { train: live.train, test: live.test });
    },

    // The CSV panel shows while the data is csv, and also when a refused file waits for a target.
    revealPanels(config) {
      if (pending) $('csv-source').hidden = false;
      else if (config.dataset.name !== 'csv') $('csv-source').hidden = true;
    },

    // A change of the target or task select: describe again (the pending file first). True if handled.
    handleFormChange(source) {
      if (source?.id !== 'target' && source?.id !== 'task') return false;
      const c = current();
      const base = csvBase(c, $('target').value, $('task').value);
      if (pending) useCsv('pending', base);
      else if (live) useCsv('current', base);
      else if (c.dataset.name === 'csv') apply(base);
      return true;
    },

    // A switch to csv data: train on the live (or a pending) file if there is one, with the target
    // and task of `next` if it names them (a link), else those last used. False if there is no file.
    useLiveCsv(next, { resume = false, named = false } = {}) {
      const src = pending ?? live;
      if (!src) return false;
      const target = src.header.includes(next.dataset.target) ? next.dataset.target : live?.target ?? src.header.at(-1);
      const task = named ? next.dataset.task : live?.taskChoice ?? next.dataset.task;
      useCsv(pending ? 'pending' : 'current', csvBase(next, target, task), { resume });
      return true;
    },

    openCsvText: (text, name, base) => open({ text, name }, name, base),

    csvSummary() {
      if (!live && !pending) return null;
      const l = live && { name: live.name, target: live.target, taskChoice: live.taskChoice, task: live.task, classes: live.classes, classNames: live.classNames, rawNames: live.rawNames, train: live.train, test: live.test };
      return { live: l, pending: pending?.name ?? null };
    },
  };
}
