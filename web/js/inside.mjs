// inside.mjs: "see inside the network" (issue 10), the views around the network diagram: each
// neuron's output over the input plane (a card on hover or focus, a thumbnail per hidden neuron for
// 2-D data), a connection's weight and gradient on hover, weight and bias editing (click or Enter
// on a connection or neuron: training continues from the edited network), the gradient check, the
// gradient-flow chart (histograms.mjs draws it) and the backprop step-through (step-through.mjs).
// Every number comes from the core through the worker (requests neuronGrid, gradients, setWeight,
// gradCheck, trace); this module draws and wires, it computes no network value itself.
import { createStepThrough, fmt } from './step-through.mjs';
import { createGradientFlow } from './histograms.mjs';

const POS = [31, 119, 180];
const NEG = [242, 142, 43];
const THUMB = 44;   // px of a thumbnail (CSS)

// Paints one unit of a neuronGrid layer (n * n * units, unit fastest, rows from y0) on a canvas.
// Colour: blue above the activation's centre (0; 0.5 for sigmoid and softmax), orange below,
// white at it, scaled by the largest distance on the grid.
export function paintNeuron(canvas, layer, units, j, n, activation) {
  if (canvas.width !== n) { canvas.width = n; canvas.height = n; }
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(n, n);
  const centre = activation === 'sigmoid' || activation === 'softmax' ? 0.5 : 0;
  let span = 1e-9, lo = Infinity, hi = -Infinity;
  for (let k = 0; k < n * n; k++) {
    const v = layer[k * units + j];
    span = Math.max(span, Math.abs(v - centre));
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const t = (layer[(r * n + c) * units + j] - centre) / span;
      const col = t >= 0 ? POS : NEG, a = Math.min(1, Math.abs(t));
      const o = ((n - 1 - r) * n + c) * 4;   // rows from y0: the bottom row first
      for (let ch = 0; ch < 3; ch++) img.data[o + ch] = Math.round(255 + (col[ch] - 255) * a);
      img.data[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return { lo, hi };
}

// els: { diagram figure, thumbs box, card, gradCheck section, flow canvas, step panel, step button,
// boundary canvas }; client: EngineClient; network: network-view; applySnapshot(r): main's display
// of { params, grid, hist }; switchSmall(): a small network on the same data; onEdit(): after a weight
// was edited (main saves the session).
export function createInside({ els, client, network, applySnapshot, switchSmall, onEdit = () => {} }) {
  const request = (type, args) => client.request(type, args);
  let info = null, view = null, data = null;
  let grids = null;            // the last neuronGrid result { view, layers }
  let gridPending = false, gridAgain = false;
  let hovered = null;          // { kind, layer, i, j } under the pointer or focus
  let editing = null;
  const flow = createGradientFlow(els.flow);
  const step = createStepThrough({
    root: els.stepPanel, network, request, onSmall: switchSmall,
    sampleCount: () => data?.train.m ?? 0,
  });
  els.stepButton.addEventListener('click', () => step.show(info));

  // ---- neuron outputs
  const showThumbs = () => view !== null && view.ny > 1;
  async function fetchGrids() {
    if (!showThumbs()) return;
    if (gridPending) { gridAgain = true; return; }
    gridPending = true;
    try {
      grids = await request('neuronGrid', {});
      drawThumbs();
      if (hovered?.kind === 'neuron') showCard(hovered);
    } catch { /* a newer trainer replaced this one: its build fetches again */ } finally {
      gridPending = false;
      if (gridAgain) { gridAgain = false; fetchGrids(); }
    }
  }

  function buildThumbs() {
    els.thumbs.replaceChildren();
    els.thumbs.hidden = !showThumbs();
    if (!showThumbs()) return;
    info.layers.slice(0, -1).forEach((layer, l) => {
      const col = document.createElement('div');
      col.className = 'thumb-col';
      const head = document.createElement('span');
      head.textContent = `layer ${l + 1}`;
      col.append(head);
      for (let j = 0; j < Math.min(layer.units, 10); j++) {
        const c = document.createElement('canvas');
        c.className = 'thumb';
        c.dataset.layer = l + 1;
        c.dataset.j = j;
        c.style.width = c.style.height = `${THUMB}px`;
        c.setAttribute('role', 'img');
        c.setAttribute('aria-label', `output of neuron ${j + 1} of layer ${l + 1} over the input plane`);
        col.append(c);
      }
      els.thumbs.append(col);
    });
  }

  function drawThumbs() {
    if (!grids?.view) return;
    for (const c of els.thumbs.querySelectorAll('canvas.thumb')) {
      const l = Number(c.dataset.layer) - 1;
      paintNeuron(c, grids.layers[l], info.layers[l].units, Number(c.dataset.j), grids.view.nx, info.layers[l].activation);
    }
  }

  // ---- the hover card: a neuron's output, or a weight and its gradient
  const card = els.card;
  const cardCanvas = card.querySelector('canvas');
  const cardText = card.querySelector('.card-text');
  // Beside the element, or under it where the diagram is too narrow (a phone): never over it.
  function place(el) {
    const box = els.diagram.getBoundingClientRect(), r = el.getBoundingClientRect();
    const right = r.right - box.left + 8, beside = right + 150 <= box.width;
    card.style.left = `${beside ? right : Math.max(0, Math.min(box.width - 150, r.left - box.left))}px`;
    card.style.top = `${beside ? Math.max(0, r.top - box.top - 20) : r.bottom - box.top + 8}px`;
  }

  async function showCard(t) {
    if (!t) { card.hidden = true; return; }
    place(t.el);
    if (t.kind === 'neuron') {
      const act = info.layers[t.layer - 1].activation;
      const has = grids?.view && grids.layers[t.layer - 1];
      cardCanvas.hidden = !has;
      let range = '';
      if (has) {
        const { lo, hi } = paintNeuron(cardCanvas, grids.layers[t.layer - 1], info.layers[t.layer - 1].units, t.j, grids.view.nx, act);
        range = `, from ${fmt(lo)} to ${fmt(hi)} over the plane`;
      }
      card.dataset.layer = t.layer;
      card.dataset.j = t.j;
      cardText.textContent = `layer ${t.layer}, neuron ${t.j + 1} (${act})${range}. Click to edit its bias.`;
    } else {
      cardCanvas.hidden = true;
      const g = await request('gradients', {}).catch(() => null);
      if (hovered !== t || editing) return;
      const units = info.layers[t.layer - 1].units, k = t.i * units + t.j;
      const w = g?.params[t.layer - 1].W[k], dw = g?.params[t.layer - 1].dW[k];
      cardText.textContent = `W${t.layer}[${t.i}][${t.j}] = ${w === undefined ? '?' : fmt(w)}; gradient dW = ${dw === undefined ? '?' : fmt(dw)} (last mini-batch). Click to edit.`;
    }
    card.hidden = false;
  }

  network.onHover((t) => { hovered = t; if (!editing) showCard(t); });

  // ---- weight editing: a small form over the diagram
  const editor = els.editor;
  const editInput = editor.querySelector('input');
  const editLabel = editor.querySelector('label');
  const editError = editor.querySelector('.edit-error');
  network.onPick(async (t) => {
    const g = await request('gradients', {}).catch(() => null);
    if (!g) return;
    const p = g.params[t.layer - 1], units = info.layers[t.layer - 1].units;
    const value = t.kind === 'edge' ? p.W[t.i * units + t.j] : p.b[t.j];
    editing = t.kind === 'edge' ? { layer: t.layer, tensor: 'W', row: t.i, col: t.j, el: t.el } : { layer: t.layer, tensor: 'b', row: 0, col: t.j, el: t.el };
    editLabel.textContent = t.kind === 'edge' ? `W${t.layer}[${t.i}][${t.j}]` : `b${t.layer}[${t.j}]`;
    editInput.value = String(value);
    editError.textContent = '';
    card.hidden = true;
    place(t.el);
    editor.style.left = card.style.left;
    editor.style.top = card.style.top;
    editor.hidden = false;
    editInput.focus();
    editInput.select();
  });

  function closeEditor() {
    const back = editing?.el;
    editing = null;
    editor.hidden = true;
    back?.focus?.();
  }

  editor.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = editInput.value.trim();
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) {
      editError.textContent = `${editLabel.textContent}: "${text}" is not a number`;
      return;
    }
    const { layer, tensor, row, col } = editing;
    try {
      applySnapshot(await request('setWeight', { layer, tensor, row, col, value }));
      onEdit();
      closeEditor();
      fetchGrids();
      step.trainerChanged();
    } catch (err) {
      editError.textContent = err.message;
    }
  });
  editor.querySelector('.edit-cancel').addEventListener('click', closeEditor);
  editor.addEventListener('keydown', (e) => { if (e.key === 'Escape') closeEditor(); });

  // ---- gradient check
  const gc = els.gradCheck;
  const gcOut = gc.querySelector('.gc-tensors');
  const gcWeight = gc.querySelector('.gc-weight');
  gc.querySelector('form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = e.target.elements;
    const num = (el) => Number(el.value);
    const weight = { layer: num(f.gcLayer), tensor: f.gcTensor.value, row: num(f.gcRow), col: num(f.gcCol) };
    gcOut.textContent = 'checking…';
    try {
      const r = await request('gradCheck', { h: num(f.gcH), samples: num(f.gcSamples), weight });
      gcOut.replaceChildren(tensorTable(r.tensors));
      const w = r.weight;
      gcWeight.innerHTML = `<p>${weight.tensor}${weight.layer}[${weight.row}][${weight.col}]: backprop <b data-v="${w.analytic}">${w.analytic.toPrecision(7)}</b>,
        central difference (<var>L</var>(w + h) − <var>L</var>(w − h)) / 2h = <b data-v="${w.numeric}">${w.numeric.toPrecision(7)}</b> with h = ${w.h};
        relative error ${w.formula.replace(/</g, '&lt;')} = <b data-v="${w.rel_error}">${w.rel_error.toExponential(2)}</b>.</p>`;
    } catch (err) {
      gcOut.textContent = err.message;
      gcWeight.textContent = '';
    }
  });

  function tensorTable(tensors) {
    const t = document.createElement('table');
    t.className = 'gc-table';
    t.innerHTML = '<thead><tr><th>tensor</th><th>max relative error</th></tr></thead>';
    const body = t.createTBody();
    for (const { name, max_rel_error: e } of tensors) {
      const tr = body.insertRow();
      tr.insertCell().textContent = name;
      const td = tr.insertCell();
      td.textContent = e.toExponential(2);
      td.dataset.v = String(e);
      td.className = e < 1e-3 ? 'ok' : e < 1e-2 ? 'meh' : 'bad';
    }
    return t;
  }

  // Boundary clicks pick the step-through's sample (the nearest training point).
  els.boundary.addEventListener('click', (e) => {
    if (!step.picking || !view || !data || view.ny === 1) return;
    const r = els.boundary.getBoundingClientRect();
    const x = view.x0 + ((e.clientX - r.left) / r.width) * (view.x1 - view.x0);
    const y = view.y1 - ((e.clientY - r.top) / r.height) * (view.y1 - view.y0);
    const d = info.rawDims, X = data.train.x;
    let best = 0, bestD = Infinity;
    for (let i = 0; i < data.train.m; i++) {
      const dd = (X[i * d] - x) ** 2 + (X[i * d + 1] - y) ** 2;
      if (dd < bestD) { bestD = dd; best = i; }
    }
    step.pick(best);
  });

  return {
    // A new trainer (create, reset): r is the create result.
    setRun(r) {
      info = r.info;
      view = r.view;
      data = r.data?.train?.x ? r.data : { train: { m: r.data?.train?.m ?? 0 } };
      grids = null;
      flow.reset(info.layers.length);
      buildThumbs();
      fetchGrids();
      step.setRun(info);
      const f = gc.querySelector('form').elements;
      f.gcLayer.max = info.layers.length;
    },
    // A model import changed the network.
    setInfo(next) {
      info = next;
      buildThumbs();
      fetchGrids();
      step.setRun(info);
    },
    // New weights were drawn (training progressed).
    snapshot() {
      fetchGrids();
      step.trainerChanged();
    },
    epochs: (metrics) => flow.append(metrics),
    debug: Object.freeze({
      trace: () => step.trace && structuredClone(step.trace),
      steps: () => step.steps,
      go: (i) => step.go(i),
      flow: () => flow.summary(),
      neuronGrid: () => grids && { view: grids.view, layers: grids.layers.map((a) => Array.from(a)) },
      // The trainer's weights and last gradients, as plain numbers.
      params: async () => (await request('gradients', {})).params.map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Array.from(v)]))),
    }),
  };
}
