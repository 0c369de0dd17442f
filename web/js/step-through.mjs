// step-through.mjs: the backprop step-through (issue 10). On one training sample it walks the
// forward pass, the loss, the backward pass and the optimizer's update one operation at a time:
// each step shows its formula (the notation of the seed network), the matrices it reads and writes
// with their shapes and values, highlights the entries a written entry is made from, and lights the
// matching part of the network diagram. Every number is the core's: one worker `trace` request
// (t.trace, wasm/core/trace.h) returns all of them; this module only lays them out. The learner can
// edit X, Y, W_l and b_l: the module sends a new trace with x / y / params and redraws (the trainer
// does not change; weight edits that train go through the diagram, inside.mjs).
// Values are shown to 4 significant digits; each cell keeps the core's exact number in data-v.

const MAX_LAYERS = 3;
const MAX_UNITS = 8;
const FOLLOW_MS = 300;

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
// A math name with subscript / superscript, as HTML: sym('W', 1) -> W<sub>1</sub>.
const sym = (name, sub = '', sup = '') => `<var>${name}</var>${sub === '' ? '' : `<sub>${sub}</sub>`}${sup === '' ? '' : `<sup>${sup}</sup>`}`;
export const fmt = (v) => {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
};
const rowsOf = (m) => (Array.isArray(m[0]) ? m : [m]);   // b, db and their state are flat lists: one row

// Is the network small enough to show? (info from the worker's create result)
export function smallEnough(info) {
  return info.layers.length <= MAX_LAYERS && info.inputs <= MAX_UNITS && info.layers.every((l) => l.units <= MAX_UNITS);
}

const DERIV = {
  relu: `[${sym('Z')} &gt; 0]`, tanh: `1 − tanh²(${sym('Z')})`, sigmoid: 'σ(Z)(1 − σ(Z))', linear: '1',
  leaky_relu: `(${sym('Z')} &gt; 0 ? 1 : 0.01)`, elu: `(${sym('Z')} &gt; 0 ? 1 : e<sup>Z</sup>)`, softmax: 'its Jacobian',
};
const LOSS = {
  cce: `loss = −(1/${sym('m')}) Σ ${sym('Y')} log ${sym('A', 'L')}`,
  bce: `loss = −(1/${sym('m')}) Σ [${sym('Y')} log ${sym('A', 'L')} + (1 − ${sym('Y')}) log(1 − ${sym('A', 'L')})]`,
  mse: `loss = (1/(${sym('m')} ${sym('n', 'L')})) Σ (${sym('A', 'L')} − ${sym('Y')})²`,
};

// The list of steps of a trace. A step: { id, phase, title, formula, mats: [{ key, label, value, role,
// editable? }], light: { layer, what }, reads(key, r, c) -> [{ key, r?, c? }] (entries a written
// entry (r, c) is made from; r or c undefined: the whole column or row) }.
export function buildSteps(T) {
  const L = T.layers.length;
  const steps = [];
  const A = (l) => (l === 0 ? { key: 'X', label: sym('X') + ` = ${sym('A', 0)}`, value: T.X } : { key: `A${l}`, label: sym('A', l), value: T.layers[l - 1].A });
  const lay = (l) => T.layers[l - 1];
  const M = (key, label, value, role, editable = false) => ({ key, label, value, role, editable });
  for (let l = 1; l <= L; l++) {
    const a = A(l - 1);
    steps.push({
      id: `Z${l}`, phase: 'forward', title: `Layer ${l}: weighted sums`,
      formula: `${sym('Z', l)} = ${sym('A', l - 1)} ${sym('W', l)} + ${sym('b', l)}`,
      mats: [M(a.key, a.label, a.value, 'read', l === 1), M(`W${l}`, sym('W', l), lay(l).W, 'read', true),
        M(`b${l}`, sym('b', l), lay(l).b, 'read', true), M(`Z${l}`, sym('Z', l), lay(l).Z, 'write')],
      light: { layer: l, what: 'edges' },
      reads: (r, c) => [{ key: a.key, r }, { key: `W${l}`, c }, { key: `b${l}`, c }],
    });
    steps.push({
      id: `A${l}`, phase: 'forward', title: `Layer ${l}: activation ${lay(l).activation}`,
      formula: `${sym('A', l)} = ${lay(l).activation}(${sym('Z', l)})`,
      mats: [M(`Z${l}`, sym('Z', l), lay(l).Z, 'read'), M(`A${l}`, sym('A', l), lay(l).A, 'write')],
      light: { layer: l, what: 'neurons' },
      reads: (r, c) => (lay(l).activation === 'softmax' ? [{ key: `Z${l}`, r }] : [{ key: `Z${l}`, r, c }]),
    });
  }
  steps.push({
    id: 'loss', phase: 'loss', title: `Loss: ${T.loss_name}`,
    formula: LOSS[T.loss_name] ?? `loss (${esc(T.loss_name)})`,
    mats: [M(`A${L}`, sym('A', L), lay(L).A, 'read'), M('Y', sym('Y'), T.Y, 'read', true), M('loss', 'loss', [[T.loss]], 'write')],
    light: { layer: L, what: 'neurons' },
    reads: () => [{ key: `A${L}` }, { key: 'Y' }],
  });
  const out = lay(L);
  if (out.dA) {
    steps.push({
      id: `dA${L}`, phase: 'backward', title: 'Gradient of the loss at the output',
      formula: `d${sym('A', L)} = 2 (${sym('A', L)} − ${sym('Y')}) / (${sym('m')} ${sym('n', 'L')})`,
      mats: [M(`A${L}`, sym('A', L), out.A, 'read'), M('Y', sym('Y'), T.Y, 'read'), M(`dA${L}`, `d${sym('A', L)}`, out.dA, 'write')],
      light: { layer: L, what: 'neurons' },
      reads: (r, c) => [{ key: `A${L}`, r, c }, { key: 'Y', r, c }],
    });
  }
  for (let l = L; l >= 1; l--) {
    const a = A(l - 1);
    if (l === L && !out.dA) {
      steps.push({
        id: `dZ${l}`, phase: 'backward', title: `Output layer: softmax/sigmoid and ${T.loss_name} fused`,
        formula: `d${sym('Z', l)} = (${sym('A', l)} − ${sym('Y')}) / ${sym('m')}`,
        mats: [M(`A${l}`, sym('A', l), out.A, 'read'), M('Y', sym('Y'), T.Y, 'read'), M(`dZ${l}`, `d${sym('Z', l)}`, out.dZ, 'write')],
        light: { layer: l, what: 'neurons' },
        reads: (r, c) => [{ key: `A${l}`, r, c }, { key: 'Y', r, c }],
      });
    } else {
      const act = lay(l).activation;
      steps.push({
        id: `dZ${l}`, phase: 'backward', title: `Layer ${l}: through the ${act} derivative`,
        formula: `d${sym('Z', l)} = d${sym('A', l)} * ${act}′(${sym('Z', l)})` + `  <span class="why">(${act}′ = ${DERIV[act] ?? '…'}; * is entrywise)</span>`,
        mats: [M(`dA${l}`, `d${sym('A', l)}`, lay(l).dA, 'read'), M(`Z${l}`, sym('Z', l), lay(l).Z, 'read'), M(`dZ${l}`, `d${sym('Z', l)}`, lay(l).dZ, 'write')],
        light: { layer: l, what: 'neurons' },
        reads: (r, c) => (act === 'softmax' ? [{ key: `dA${l}`, r }, { key: `Z${l}`, r }] : [{ key: `dA${l}`, r, c }, { key: `Z${l}`, r, c }]),
      });
    }
    const reg = T.l2 > 0 ? ` + λ ${sym('W', l)}` : '';
    const reg1 = T.l1 > 0 ? ` + l1 sign(${sym('W', l)})` : '';
    steps.push({
      id: `dW${l}`, phase: 'backward', title: `Layer ${l}: gradient of the weights`,
      formula: `d${sym('W', l)} = ${sym('A', l - 1, 'T')} d${sym('Z', l)}${reg}${reg1}`,
      mats: [M(a.key, a.label, a.value, 'read'), M(`dZ${l}`, `d${sym('Z', l)}`, lay(l).dZ, 'read'), M(`dW${l}`, `d${sym('W', l)}`, lay(l).dW, 'write')],
      light: { layer: l, what: 'edges' },
      reads: (r, c) => [{ key: a.key, c: r }, { key: `dZ${l}`, c }],
    });
    steps.push({
      id: `db${l}`, phase: 'backward', title: `Layer ${l}: gradient of the biases`,
      formula: `d${sym('b', l)} = column sums of d${sym('Z', l)}`,
      mats: [M(`dZ${l}`, `d${sym('Z', l)}`, lay(l).dZ, 'read'), M(`db${l}`, `d${sym('b', l)}`, lay(l).db, 'write')],
      light: { layer: l, what: 'neurons' },
      reads: (r, c) => [{ key: `dZ${l}`, c }],
    });
    if (l > 1) {
      steps.push({
        id: `dA${l - 1}`, phase: 'backward', title: `Layer ${l} → ${l - 1}: gradient flows back`,
        formula: `d${sym('A', l - 1)} = d${sym('Z', l)} ${sym('W', l, 'T')}`,
        mats: [M(`dZ${l}`, `d${sym('Z', l)}`, lay(l).dZ, 'read'), M(`W${l}`, sym('W', l), lay(l).W, 'read'),
          M(`dA${l - 1}`, `d${sym('A', l - 1)}`, lay(l - 1).dA, 'write')],
        light: { layer: l, what: 'edges' },
        reads: (r, c) => [{ key: `dZ${l}`, r }, { key: `W${l}`, r: c }],
      });
    }
  }
  updateSteps(T, steps);
  return steps;
}

// The optimizer's update of every W_l and b_l, last layer first (as the core steps).
function updateSteps(T, steps) {
  const U = T.update;
  const eta = `η = ${fmt(U.learning_rate)}`;
  for (let l = T.layers.length; l >= 1; l--) {
    const u = U.layers[l - 1];
    for (const p of ['W', 'b']) {
      const P = sym(p, l), g = `d${sym(p, l)}`;
      const mats = [{ key: `${p}${l}`, label: `${P} before`, value: T.layers[l - 1][p], role: 'read' },
        { key: `d${p}${l}`, label: g, value: T.layers[l - 1][`d${p}`], role: 'read' }];
      // The optimizer's state: key `v_W`, `m_hat_b`, ...; `_prev` at the end for the value before the step.
      const st = (name, label, role) => {
        const key = name.endsWith('_prev') ? `${name.slice(0, -5)}_${p}_prev` : `${name}_${p}`;
        mats.push({ key: `${l}:${key}`, label, value: u[key], role });
      };
      let formula;
      if (U.optimizer === 'sgd') {
        formula = `${P} ← ${P} − η ${g}  <span class="why">(${eta})</span>`;
      } else if (U.optimizer === 'momentum') {
        st('v_prev', `${sym('v')} before`, 'read');
        st('v', sym('v'), 'write');
        formula = `${sym('v')} ← μ ${sym('v')} + ${g};  ${P} ← ${P} − η ` + (U.nesterov ? `(${g} + μ ${sym('v')})` : sym('v')) +
          `  <span class="why">(μ = ${fmt(U.momentum)}, ${eta})</span>`;
      } else {
        st('m_prev', `${sym('m')} before`, 'read');
        st('v_prev', `${sym('v')} before`, 'read');
        st('m', sym('m'), 'write');
        st('v', sym('v'), 'write');
        st('m_hat', `${sym('m̂')}`, 'write');
        st('v_hat', `${sym('v̂')}`, 'write');
        formula = `${sym('m')} ← β<sub>1</sub> ${sym('m')} + (1 − β<sub>1</sub>) ${g};  ${sym('v')} ← β<sub>2</sub> ${sym('v')} + (1 − β<sub>2</sub>) ${g}²;  ` +
          `${sym('m̂')} = ${sym('m')} / (1 − β<sub>1</sub><sup>t</sup>);  ${sym('v̂')} = ${sym('v')} / (1 − β<sub>2</sub><sup>t</sup>);  ` +
          `${P} ← ${P} − η ${sym('m̂')} / (√${sym('v̂')} + ε)  <span class="why">(β<sub>1</sub> = ${fmt(U.beta1)}, β<sub>2</sub> = ${fmt(U.beta2)}, ` +
          `ε = ${fmt(U.epsilon)}, t = ${U.t}, 1 − β<sub>1</sub><sup>t</sup> = ${fmt(U.bias_correction1)}, 1 − β<sub>2</sub><sup>t</sup> = ${fmt(U.bias_correction2)}, ${eta})</span>`;
      }
      mats.push({ key: `new_${p}${l}`, label: `${P} after`, value: u[p], role: 'write' });
      steps.push({
        id: `update_${p}${l}`, phase: 'update', title: `Update ${p === 'W' ? 'weights' : 'biases'} of layer ${l} (${U.optimizer})`,
        formula, mats: mats.filter((m) => m.value != null), light: { layer: l, what: p === 'W' ? 'edges' : 'neurons' },
        reads: (r, c) => mats.filter((m) => m.role === 'read').map((m) => ({ key: m.key, r, c })),
      });
    }
  }
}

// One matrix as a table: caption "label (rows × cols)", cells with data-r, data-c, data-v.
function matrixTable(mat, stepId) {
  const rows = rowsOf(mat.value);
  const t = document.createElement('table');
  t.className = `mat ${mat.role}`;
  t.dataset.key = mat.key;
  const cap = t.createCaption();
  cap.innerHTML = `${mat.label} <span class="shape">(${rows.length} × ${rows[0]?.length ?? 0})</span>`;
  rows.forEach((row, r) => {
    const tr = t.insertRow();
    row.forEach((v, c) => {
      const td = tr.insertCell();
      td.dataset.r = r;
      td.dataset.c = c;
      td.dataset.v = String(v);
      td.title = String(v);
      if (mat.editable) {
        const input = document.createElement('input');
        input.type = 'text';
        input.inputMode = 'decimal';
        input.value = fmt(v);
        input.size = 7;
        input.setAttribute('aria-label', `${mat.key}[${r}][${c}] in step ${stepId}`);
        input.dataset.key = mat.key;
        input.dataset.r = r;
        input.dataset.c = c;
        td.append(input);
      } else {
        td.textContent = fmt(v);
        if (mat.role === 'write') td.tabIndex = 0;
      }
    });
  });
  return t;
}

// The view. els: { root (the panel), network (network-view), request (worker requests),
// sampleCount () -> number of training samples, onSmall () -> switch to a small network }.
export function createStepThrough({ root, network, request, sampleCount, onSmall }) {
  root.innerHTML = `
    <div class="st-bar">
      <label>Sample <input type="number" class="st-sample" min="0" step="1" value="0" aria-label="Training sample number"></label>
      <button type="button" class="st-pick small">Pick on the heat map</button>
      <button type="button" class="st-reset small">Undo edits</button>
      <span class="st-where" aria-live="polite"></span>
      <button type="button" class="st-close small" aria-label="Close the step-through">Close</button>
    </div>
    <p class="st-small" hidden>The step-through shows networks of up to ${MAX_LAYERS} weight layers of up to ${MAX_UNITS} units.
      <button type="button" class="st-switch small">Switch to a small network (2-3-2 style: one hidden layer of 3)</button></p>
    <ol class="st-phases" aria-hidden="true"></ol>
    <div class="st-step" tabindex="0" aria-live="polite">
      <h4 class="st-title"></h4>
      <p class="st-formula"></p>
      <div class="st-mats"></div>
    </div>
    <div class="st-nav">
      <button type="button" class="st-prev">← Previous</button>
      <span class="st-count"></span>
      <button type="button" class="st-next">Next →</button>
    </div>
    <p class="st-error" role="alert" hidden></p>`;
  const q = (s) => root.querySelector(s);
  let trace = null, steps = [], index = 0, sample = 0;
  let over = { x: null, y: null, params: null };   // the learner's edits (null: the sample's own)
  let open = false, picking = false, pending = null, again = false;

  function where() {
    if (!trace) return '';
    const raw = rowsOf(trace.raw)[0].map(fmt).join(', ');
    return `sample ${sample}: raw (${raw}); loss ${fmt(trace.loss)}${Object.values(over).some((v) => v) ? ' (edited)' : ''}`;
  }

  // Asks the core for the trace of the current sample and edits; one request in flight, the last wins.
  async function refresh() {
    if (!open) return;
    if (pending) { again = true; return; }
    const args = { samples: [sample] };
    for (const k of ['x', 'y', 'params']) if (over[k]) args[k] = over[k];
    pending = request('trace', args);
    try {
      trace = await pending;
      steps = buildSteps(trace);
      index = Math.min(index, steps.length - 1);
      q('.st-error').hidden = true;
      render();
    } catch (e) {
      q('.st-error').textContent = e.message;
      q('.st-error').hidden = false;
    } finally {
      pending = null;
      if (again) { again = false; refresh(); }
    }
  }

  function renderPhases() {
    const ol = q('.st-phases');
    ol.replaceChildren(...steps.map((s, i) => {
      const li = document.createElement('li');
      li.className = `${s.phase}${i === index ? ' now' : ''}`;
      li.title = s.title;
      return li;
    }));
  }

  function render() {
    const s = steps[index];
    if (!s) return;
    q('.st-where').textContent = where();
    q('.st-title').textContent = `${index + 1}. ${s.title}`;
    q('.st-formula').innerHTML = s.formula;
    q('.st-count').textContent = `step ${index + 1} of ${steps.length} (${s.phase})`;
    q('.st-step').dataset.step = s.id;
    q('.st-mats').replaceChildren(...s.mats.map((m) => matrixTable(m, s.id)));
    q('.st-prev').disabled = index === 0;
    q('.st-next').disabled = index === steps.length - 1;
    renderPhases();
    network.light(s.light);
  }

  function go(delta) {
    const next = Math.max(0, Math.min(steps.length - 1, index + delta));
    if (next !== index) { index = next; render(); }
  }

  // The entries a written entry is made from, outlined while it is hovered or focused.
  function showReads(td) {
    for (const el of root.querySelectorAll('.src')) el.classList.remove('src');
    if (!td) return;
    const table = td.closest('table.mat');
    if (!table || !table.classList.contains('write')) return;
    const r = Number(td.dataset.r), c = Number(td.dataset.c);
    td.classList.add('src');
    for (const { key, r: rr, c: cc } of steps[index].reads(r, c)) {
      for (const cell of root.querySelectorAll(`table.mat[data-key="${key}"] td`)) {
        if ((rr === undefined || Number(cell.dataset.r) === rr) && (cc === undefined || Number(cell.dataset.c) === cc)) cell.classList.add('src');
      }
    }
  }

  // An edited cell: X, Y or a layer's W / b. The value must be a finite number; else one line says so.
  function edit(input) {
    const v = Number(input.value.trim());
    const { key } = input.dataset;
    const r = Number(input.dataset.r), c = Number(input.dataset.c);
    if (input.value.trim() === '' || !Number.isFinite(v)) {
      q('.st-error').textContent = `${key}[${r}][${c}]: "${input.value}" is not a number; nothing changed`;
      q('.st-error').hidden = false;
      input.value = fmt(Number(input.closest('td').dataset.v));
      return;
    }
    if (key === 'X' || key === 'Y') {
      const m = rowsOf(trace[key]);
      const flat = Float32Array.from(m.flat());
      flat[r * m[0].length + c] = v;
      over[key === 'X' ? 'x' : 'y'] = flat;
    } else {
      const params = over.params ?? trace.layers.map((l) => ({ W: Float32Array.from(l.W.flat()), b: Float32Array.from(l.b) }));
      const l = Number(key.slice(1)) - 1;
      const cols = trace.layers[l].W[0].length;
      if (key[0] === 'W') params[l].W[r * cols + c] = v;
      else params[l].b[c] = v;
      over.params = params;
    }
    refresh();
  }

  q('.st-next').addEventListener('click', () => go(1));
  q('.st-prev').addEventListener('click', () => go(-1));
  root.addEventListener('keydown', (e) => {
    if (e.target.tagName === 'INPUT') return;
    if (e.key === 'ArrowRight') { go(1); e.preventDefault(); }
    if (e.key === 'ArrowLeft') { go(-1); e.preventDefault(); }
  });
  root.addEventListener('change', (e) => {
    if (e.target.matches('.st-mats input')) edit(e.target);
  });
  root.addEventListener('pointerover', (e) => showReads(e.target.closest('td')));
  root.addEventListener('focusin', (e) => showReads(e.target.closest('td')));
  q('.st-sample').addEventListener('change', (e) => setSample(Number(e.target.value)));
  q('.st-pick').addEventListener('click', () => {
    picking = !picking;
    q('.st-pick').setAttribute('aria-pressed', String(picking));
    q('.st-where').textContent = picking ? 'click a training point on the heat map' : where();
  });
  q('.st-reset').addEventListener('click', () => { over = { x: null, y: null, params: null }; refresh(); });
  q('.st-close').addEventListener('click', () => hide());
  q('.st-switch').addEventListener('click', () => onSmall());

  function setSample(k) {
    const m = sampleCount();
    if (!Number.isInteger(k) || k < 0 || k >= m) {
      q('.st-error').textContent = `sample: ${k} is not allowed (a training sample number, 0 to ${m - 1})`;
      q('.st-error').hidden = false;
      return;
    }
    sample = k;
    q('.st-sample').value = k;
    over = { x: null, y: null, params: null };
    refresh();
  }

  function show(info) {
    root.hidden = false;
    open = true;
    setRun(info);
    root.scrollIntoView?.({ block: 'nearest' });
    q('.st-step').focus({ preventScroll: true });
  }

  function hide() {
    root.hidden = true;
    open = false;
    network.light(null);
  }

  // A new trainer (or a model import): a small network is traced from its first sample; a large one
  // offers the switch.
  function setRun(info) {
    if (!open) return;
    const ok = smallEnough(info);
    q('.st-small').hidden = ok;
    for (const s of ['.st-step', '.st-nav', '.st-phases']) q(s).hidden = !ok;
    over = { x: null, y: null, params: null };
    if (sample >= sampleCount()) sample = 0;
    q('.st-sample').max = sampleCount() - 1;
    trace = null;
    if (ok) refresh();
  }

  // The trainer's weights moved (training): a fresh trace unless the learner edited the weights,
  // at most every FOLLOW_MS (each redraw rebuilds the step's tables).
  let followTimer = null;
  function trainerChanged() {
    if (followTimer) return;
    followTimer = setTimeout(() => { followTimer = null; follow(); }, FOLLOW_MS);
  }
  function follow() {
    // Not while the learner types in a cell (a redraw would drop the edit).
    if (open && !q('.st-step').hidden && !over.params && !root.contains(document.activeElement?.closest?.('.st-mats input') ?? null)) refresh();
  }

  return {
    show, hide, setRun, trainerChanged,
    get open() { return open; },
    // A click on the heat map picked sample k (while picking).
    pick(k) { if (!picking) return false; picking = false; q('.st-pick').setAttribute('aria-pressed', 'false'); setSample(k); return true; },
    get picking() { return picking; },
    go: (i) => { index = Math.max(0, Math.min(steps.length - 1, i)); render(); },
    get trace() { return trace; },
    get steps() { return steps.map((s) => s.id); },
  };
}
