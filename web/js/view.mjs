// view.mjs: owns the page's DOM controls. It shows a config in the form, reads the form back as
// { key: text } fields of the schema in state.mjs, builds the dynamic parts (hidden-layer rows,
// feature toggles, output + loss choices), and shows status, metrics and messages. It does not
// validate (state.mjs does), train, draw plots or hold the config: main.mjs wires it all. Messages
// go through messages.mjs (one block, each message gone with its cause), steps of number fields
// through steps.mjs (as the core's table says).
import {
  DATASETS, FEATURES, FEATURES_1D, HIDDEN_ACTIVATIONS, LIMITS, dataInfo, getField, maxHiddenLayers, outputChoices, rowByKey,
} from './state.mjs';
import { el, pct } from './dom.mjs';
import { createMessages } from './messages.mjs';
import { installSteps } from './steps.mjs';

const $ = (id) => document.getElementById(id);

const fmt = (v, digits = 4) => (v === null || v === undefined ? '-' : Number(v).toPrecision(digits));

// The form's options, ranges and labels from the schema (the core's table): no limit is in the HTML.
function buildForm(keyed) {
  for (const node of keyed) {
    const row = rowByKey(node.dataset.key);
    const label = document.querySelector(`label[for="${node.id}"]`);
    if (label && !label.children.length) label.textContent = row.label;
    if (node.tagName === 'SELECT' && row.type === 'enum') {
      const offered = row.values.map((v, i) => [v, row.labels?.[i] ?? v]).filter(([v]) => row.key !== 'data' || DATASETS[v].offered);
      node.replaceChildren(...offered.map(([value, text]) => el('option', { value }, text)));
    } else if (node.type === 'number') {
      node.min = row.min;
      node.max = row.max;
      if (row.step) installSteps(node, row);
    }
  }
  const mib = LIMITS.csvBytes / 2 ** 20;
  $('csv-limits').textContent = `At most ${mib} MiB, ${LIMITS.csvRows.toLocaleString('en-US')} rows and ` +
    `${LIMITS.csvColumns.toLocaleString('en-US')} columns.`;
}

export function createView() {
  const changeListeners = [];
  const changed = (source) => { for (const fn of changeListeners) fn(source); };
  const keyed = [...document.querySelectorAll('[data-key]')];
  const layersList = $('hidden-layers');
  const output = $('output');
  buildForm(keyed);
  const messages = createMessages($('messages'));
  let ready = false;   // a trainer for the config the form shows: Play and Step may run it
  const hiddenRow = rowByKey('hidden');   // units range

  // Feature toggles, built once.
  const featureBoxes = FEATURES.map((f, i) => {
    const box = el('input', { type: 'checkbox', id: `feat-${i}`, value: f });
    $('features').append(el('label', { htmlFor: `feat-${i}` }, box, f));
    return box;
  });

  for (const node of [...keyed, ...featureBoxes, output]) node.addEventListener('change', () => changed(node));
  layersList.addEventListener('change', (e) => changed(e.target));

  function layerRow(i, layer) {
    const units = el('input', { type: 'number', id: `layer-${i}-units`, min: hiddenRow.min, max: hiddenRow.max, step: 1, value: layer.units });
    const act = el('select', { id: `layer-${i}-act` }, ...HIDDEN_ACTIVATIONS.map((a) => el('option', { value: a }, a)));
    act.value = layer.activation;
    const remove = el('button', { type: 'button', className: 'small', textContent: '✕', title: `Remove hidden layer ${i + 1}` });
    remove.setAttribute('aria-label', `Remove hidden layer ${i + 1}`);
    remove.addEventListener('click', () => {
      const rows = readLayers();
      rows.splice(i, 1);
      renderLayers(rows);
      (layersList.querySelectorAll('button')[Math.min(i, rows.length - 1)] || $('add-layer')).focus();
      changed(remove);
    });
    return el('li', {},
      el('label', { htmlFor: units.id }, `Layer ${i + 1}`),
      units,
      el('label', { htmlFor: act.id, className: 'visually-hidden' }, `Layer ${i + 1} activation`),
      act, remove);
  }

  function readLayers() {
    return [...layersList.querySelectorAll('li[data-layer]')].map((li) => ({
      units: li.querySelector('input').value,
      activation: li.querySelector('select').value,
    }));
  }

  function renderLayers(layers) {
    const rows = layersList.querySelectorAll('li[data-layer]');
    if (rows.length === layers.length) {
      rows.forEach((li, i) => {
        li.querySelector('input').value = layers[i].units;
        li.querySelector('select').value = layers[i].activation;
      });
    } else {
      layersList.replaceChildren(...layers.map((l, i) => {
        const li = layerRow(i, l);
        li.dataset.layer = i;
        return li;
      }));
      if (!layers.length) layersList.append(el('li', { className: 'empty' }, 'No hidden layer: a linear model of the features.'));
    }
    $('add-layer').disabled = layers.length >= maxHiddenLayers();
  }

  $('add-layer').addEventListener('click', () => {
    const rows = readLayers();
    rows.push(rows.length ? { ...rows.at(-1) } : { units: 4, activation: 'tanh' });
    renderLayers(rows);
    layersList.querySelector(`#layer-${rows.length - 1}-units`)?.focus();
    changed($('add-layer'));
  });

  return {
    // fn(sourceElement) after any control changed the configuration.
    onChange(fn) { changeListeners.push(fn); },
    // fn() on a click of the button with this id.
    onClick(id, fn) { $(id).addEventListener('click', fn); },
    // fn(File) when a file was picked in the file input with this id (default: Import config).
    onImport(fn, id = 'import') {
      const input = $(id);
      input.addEventListener('change', () => {
        if (input.files[0]) fn(input.files[0]);
        input.value = '';
      });
    },

    // Puts a (settled) config into the form; meta: what is known of a loaded CSV (datasets.mjs).
    showConfig(config, meta = {}) {
      for (const node of keyed) {
        const v = getField(config, rowByKey(node.dataset.key));
        if (v === undefined) continue;   // a field of another dataset (a CSV's target)
        if (node.type === 'checkbox') node.checked = v;
        else node.value = String(v);
      }
      const oneD = dataInfo(config).dims === 1;
      featureBoxes.forEach((box) => {
        box.checked = config.network.features.includes(box.value);
        box.disabled = oneD && !FEATURES_1D.includes(box.value);
      });
      renderLayers(config.network.layers.slice(0, -1));
      const choices = outputChoices(config, meta);
      const wanted = choices.map((c) => `${c.out}|${c.loss}`).join();
      if ([...output.options].map((o) => o.value).join() !== wanted) {
        output.replaceChildren(...choices.map((c) => el('option', { value: `${c.out}|${c.loss}` }, c.label)));
      }
      const out = config.network.layers.at(-1);
      output.value = `${out.activation}|${config.loss}`;
      $('output-why').textContent = choices.find((c) => c.out === out.activation && c.loss === config.loss)?.why ?? '';
      const name = config.dataset.name;
      for (const node of document.querySelectorAll('[data-for-data]')) node.hidden = !node.dataset.forData.split(' ').includes(name);
      for (const node of document.querySelectorAll('[data-not-for]')) node.hidden = node.dataset.notFor.split(' ').includes(name);
      for (const node of document.querySelectorAll('[data-for-opt]')) node.hidden = node.dataset.forOpt !== config.optimizer.name;
    },

    // Sets one field of the form (by its schema key), not reporting it: readFields() then has it.
    setField(key, value) {
      const node = keyed.find((n) => n.dataset.key === key);
      if (node) node.value = String(value);
    },

    // The form as { key: text } fields of the state schema.
    readFields() {
      const fields = {};
      for (const node of keyed) fields[node.dataset.key] = node.type === 'checkbox' ? (node.checked ? '1' : '0') : node.value;
      fields.feat = featureBoxes.filter((b) => b.checked && !b.disabled).map((b) => b.value).join(',');
      fields.hidden = readLayers().map((l) => `${l.units}:${l.activation}`).join(',');
      [fields.out, fields.loss] = output.value.split('|');
      return fields;
    },

    setReady(yes) {
      ready = yes;
      for (const id of ['play', 'step', 'step-batch', 'reset', 'export-model']) $(id).disabled = !ready;
    },
    // text: the run's state; while not ready it says what Play and Step wait for.
    setRunState({ playing, text }) {
      $('play').textContent = playing ? 'Pause' : 'Play';
      $('step').disabled = playing || !ready;
      $('step-batch').disabled = playing || !ready;
      messages.check();
      const state = $('run-state');
      state.textContent = text;
      state.classList.toggle('playing', playing);
    },
    setProgress(epoch, samplesPerSecond) {
      $('epoch').value = String(epoch);
      $('speed').value = samplesPerSecond == null ? '-' : Math.round(samplesPerSecond).toLocaleString('en-US');
    },
    showMetrics(m) {
      $('m-loss').textContent = fmt(m?.loss);
      $('m-test-loss').textContent = fmt(m?.test_loss);
      $('m-acc').textContent = pct(m?.accuracy);
      $('m-test-acc').textContent = pct(m?.test_accuracy);
    },
    setKernel(text) { $('kernel').textContent = text; },
    setLegend(text) { $('boundary-legend').textContent = text; },
    showAccuracyChart(shown) { $('acc-chart-box').hidden = !shown; },
    // Shows or hides displays by element id: { 'boundary-figure': true, 'results-panel': false, ... }.
    showDisplays(flags) {
      for (const [id, shown] of Object.entries(flags)) $(id).hidden = !shown;
    },

    // Shows a titled list in the message block: kind 'error', 'warning' or 'info'; options
    // { cause, holds } as messages.mjs's say(). It goes at the next user action unless it holds.
    showMessages(title, lines, kind = 'warning', options = {}) { messages.say(title, lines, kind, options); },
    clearMessages() { messages.clearAll(); },
    clearMessage(cause) { messages.clear(cause); },
  };
}
