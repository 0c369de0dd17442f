// live-settings.mjs: what a change of the form does to a run. The core decides: the worker asks the
// live trainer to take the new config in place (`updateSettings`, the core's update_settings: the
// learning rate, L1/L2, momentum, Nesterov, Adam's betas and epsilon, batch size, shuffle, epochs);
// training goes on from the current weights, still playing, and the charts mark the epoch
// ("lr 0.03→0.1"). When the core refuses (data, features, network shape, initialisation, optimizer
// kind, seed: "changing it needs a fresh run") the page starts a fresh run, and if that throws away
// a trained network it says so in the play bar ("this restarts training; Undo"): Undo puts back the
// previous config, the trained network (its model file, training state included, kept here) and
// its chart. Changes are handled one after another, in order, so quick changes while playing end in
// the state of the last one, still playing. It holds no config: main.mjs owns it and apply().
import { rowByKey, serializeHash } from './state.mjs';
import { fromCoreConfig, toCoreConfig } from './datasets.mjs';
import { historyRows } from './persist.mjs';

const MERGE_MS = 1500;   // restarts this close together are one change for Undo (arrow keys held)

// The URL fields that differ between two configs: [{ key, label, from, to }] in schema order.
export function changedFields(a, b) {
  const fields = (c) => new Map(serializeHash(c).slice(1).split('&').map((part) => {
    const i = part.indexOf('=');
    return [part.slice(0, i), decodeURIComponent(part.slice(i + 1))];
  }));
  const fa = fields(a), fb = fields(b);
  const keys = [...new Set([...fa.keys(), ...fb.keys()])];
  return keys.filter((k) => fa.get(k) !== fb.get(k))
    .map((key) => ({ key, label: rowByKey(key)?.label ?? key, from: fa.get(key) ?? '-', to: fb.get(key) ?? '-' }));
}

// "lr 0.03→0.1, batch 10→32" (short: the URL keys, for the chart) or "Learning rate 0.03 → 0.1"
// (the controls' labels, for sentences); at most `max` fields, then "and 2 more".
export function changeText(changes, { short = false, max = 2 } = {}) {
  const one = (c) => (short ? `${c.key} ${c.from}→${c.to}` : `${c.label} ${c.from} → ${c.to}`);
  const shown = changes.slice(0, max).map(one).join(', ');
  return changes.length > max ? `${shown} and ${changes.length - max} more` : shown;
}

// page: { state() -> { config, run, busy, playing }, setConfig(config), apply(next, opts), play(),
//   restore(record) -> Promise<bool> (main.mjs restoreSaved), continueAt(next) -> bool (a change
//   after a divergence that only setOptimizer can take), onLive(reply, changes) }
// els: { note, text, undo, dismiss } of the play bar's restart note.
export function createLiveSettings({ client, charts, els, page }) {
  let queue = Promise.resolve();
  let kept = null;          // { config, model, epoch, history, extras } for Undo
  let lastRestart = -Infinity;
  let waiting = 0;          // changes submitted and not yet handled (this one included)
  let newer = null;         // resolves the wait of a restart that a newer change supersedes
  let latest = null;        // the config of the newest change submitted
  let carry = false;        // "keep playing" of a superseded restart, for the restart after it

  // A settled, validated config from the form; resolves once it is applied.
  function submit(next) {
    latest = next;
    waiting += 1;
    newer?.();   // a restart still waiting for its data gives way to this change
    queue = queue.then(() => handle(next)).catch((e) => console.warn('nnplay: change not applied:', e))
      .finally(() => { waiting -= 1; });
    return queue;
  }

  // Resolves when the next change is submitted (a restart waiting for data, say Fashion-MNIST's
  // download, must not hold the changes after it).
  const nextSubmit = () => new Promise((resolve) => { newer = resolve; });

  async function handle(next) {
    const { config: before, run, busy, playing } = page.state();
    if (serializeHash(next) === serializeHash(before)) return;
    const changes = changedFields(before, next);
    if (run && !busy && run.name === before.dataset.name && run.name === next.dataset.name) {
      let r = null;
      try {
        r = await client.request('updateSettings', { config: toCoreConfig(next) });
      } catch { /* the core needs a fresh run for one of the fields */ }
      if (r) {
        live(r, changes);
        return;
      }
      if (run.diverged && page.continueAt(next)) return;
    }
    await restart(next, before, playing);
  }

  // The trainer took it: the form shows the core's config; the charts mark where (not for a
  // change before any training, nor for epochs alone, which only moves where Play stops).
  function live(r, changes) {
    page.setConfig(fromCoreConfig(r.config), { form: waiting <= 1 });   // a newer change keeps the form's values
    const marked = changes.filter((c) => c.key !== 'epochs');
    if (marked.length && (r.epoch > 0 || r.position > 0)) charts.mark(r.epoch + r.position / r.trainSamples, changeText(marked, { short: true }));
    page.onLive(r, changes);
  }

  // A fresh run for next (playing on if it was playing). A trained network it replaces is kept for
  // Undo, unless the run it replaces was itself just started by a restart (one gesture, one Undo).
  async function restart(next, before, playing) {
    const { run, busy } = page.state();
    const trained = run && !busy && run.name === before.dataset.name && (run.epoch > 0 || run.position > 0);
    const merge = kept && (!trained || performance.now() - lastRestart < MERGE_MS);
    if (trained && !merge) kept = await keep(before, run);
    lastRestart = performance.now();
    if (kept) showNote(changedFields(kept.config, next));
    else forget();
    // page.apply gives way to a newer apply by itself; the queue moves on when a newer change comes
    // while this one still waits (for data), and that change's restart keeps playing if this one would.
    const resume = playing || carry;
    carry = false;
    const outcome = await Promise.race([page.apply(next, { resume }).then(() => 'applied'), nextSubmit()]);
    if (outcome !== 'applied') carry = resume;
  }

  // The trained network now: its model file (training state included), chart rows and marks. The
  // worker posted every step's progress before this reply, so run.epoch is the model's epoch.
  async function keep(config, run) {
    try {
      const { text } = await client.request('exportModel');
      return { config, model: text, epoch: run.epoch, history: historyRows(charts.seriesCopy, run.epoch), extras: charts.extras(),
        savedAt: Date.now() };
    } catch {
      return null;   // no Undo then (a worker that died says so on its own)
    }
  }

  function showNote(changes) {
    els.text.textContent = `${changes.length ? changeText(changes) : 'The same settings again'}: this restarts training;`;
    els.undo.textContent = `Undo (back to epoch ${kept.epoch.toLocaleString('en-US')})`;
    els.note.hidden = false;
  }

  function forget() {
    kept = null;
    els.note.hidden = true;
  }

  // Undo: the kept config, then its network and chart on the trainer made for it.
  function undo() {
    const record = kept;
    if (!record) return;
    forget();
    queue = queue.then(async () => {
      const { playing } = page.state();
      const r = await page.apply(record.config);
      if (!r || !(await page.restore(record))) return;
      charts.restoreExtras(record.extras);
      if (playing) page.play();
    }).catch((e) => console.warn('nnplay: undo failed:', e));
  }

  els.undo.addEventListener('click', undo);
  els.dismiss.addEventListener('click', forget);

  // target: the config the page is heading for while changes are queued (null when none is), so a
  // form change compares with it, not with the config of a change that has not landed yet.
  return { submit, forget, get pending() { return queue; }, get undoable() { return kept !== null; },
    get target() { return waiting > 0 ? latest : null; } };
}
