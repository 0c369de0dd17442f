// network-view.mjs: the network diagram (SVG), as in TensorFlow Playground: one column of neurons
// per layer, the input features on the left, every weight a line coloured by its sign (blue
// positive, orange negative) and as thick as its magnitude; neurons are tinted by their bias. A
// layer wider than MAX_SHOWN shows its first neurons and a "+N" marker. It draws; it computes nothing.
// For "inside the network" (inside.mjs, step-through.mjs) every shown weight and hidden or output
// neuron can be hovered, focused (Tab) and picked (click, Enter): onHover / onPick get
// { kind: 'edge' | 'neuron', layer (1-based, the layer of W_l or of the neuron), i (row: input unit),
// j (unit), el } (null when the pointer or focus leaves), and light({ layer, what: 'edges' | 'neurons' })
// outlines the part a step-through step is about.

const SVG = 'http://www.w3.org/2000/svg';
const MAX_SHOWN = 10;
const COL = 110;       // px between columns
const ROW = 26;        // px between neurons
const R = 8;           // neuron radius
const LEFT = 64;       // room for feature names (more for long CSV column names, up to NAME_MAX characters)
const NAME_MAX = 14;
const POS = '#1f77b4';
const NEG = '#f28e2b';

function node(tag, attrs, parent) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
  if (parent) parent.append(n);
  return n;
}

export function createNetworkView(svg) {
  let edges = [];     // per layer: [{ line, k }] with k the index into W
  let neurons = [];   // per layer: [{ circle, j }]
  const hoverFns = [], pickFns = [];
  const target = (el) => {
    const d = el?.closest?.('[data-kind]')?.dataset;
    return d ? { kind: d.kind, layer: Number(d.layer), i: Number(d.i), j: Number(d.j), el: el.closest('[data-kind]') } : null;
  };
  const hover = (e) => { const t = target(e.target); for (const fn of hoverFns) fn(t); };
  svg.addEventListener('pointerover', hover);
  svg.addEventListener('focusin', hover);
  svg.addEventListener('pointerleave', () => { for (const fn of hoverFns) fn(null); });
  svg.addEventListener('focusout', (e) => { if (!svg.contains(e.relatedTarget)) for (const fn of hoverFns) fn(null); });
  const pick = (e) => { const t = target(e.target); if (t) for (const fn of pickFns) fn(t); };
  svg.addEventListener('click', pick);
  svg.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(e); } });

  function build(info) {
    svg.replaceChildren();
    const widths = [info.inputs, ...info.layers.map((l) => l.units)];
    const shown = widths.map((w) => Math.min(w, MAX_SHOWN));
    const rows = Math.max(...shown) + (widths.some((w) => w > MAX_SHOWN) ? 1 : 0);
    const names = (info.features?.length ? info.features : info.rawNames ?? []).map((n) => (n.length > NAME_MAX ? n.slice(0, NAME_MAX - 1) + '…' : n));
    const left = Math.max(LEFT, 16 + 7 * Math.max(0, ...names.slice(0, MAX_SHOWN).map((n) => n.length)));
    const W = left + COL * (widths.length - 1) + 50;
    const H = ROW * rows + 30;
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    const y = (col, i) => 15 + ROW * (i + (rows - shown[col] - (widths[col] > MAX_SHOWN ? 1 : 0)) / 2) + ROW / 2;
    const x = (col) => left + COL * col;
    const edgeLayer = node('g', { 'stroke-linecap': 'round' }, svg);
    const hitLayer = node('g', { class: 'hits' }, svg);   // wide invisible lines: weights are easy to hover
    const nodeLayer = node('g', {}, svg);
    edges = [];
    neurons = [];
    info.layers.forEach((layer, l) => {
      const list = [];
      for (let i = 0; i < shown[l]; i++) {
        for (let j = 0; j < shown[l + 1]; j++) {
          const line = node('line', { x1: x(l), y1: y(l, i), x2: x(l + 1), y2: y(l + 1, j), stroke: '#ccc', 'stroke-width': 1 }, edgeLayer);
          list.push({ line, k: i * layer.units + j });
          const hit = node('line', { x1: x(l), y1: y(l, i), x2: x(l + 1), y2: y(l + 1, j), stroke: 'transparent', 'stroke-width': 7,
            tabindex: 0, 'data-kind': 'edge', 'data-layer': l + 1, 'data-i': i, 'data-j': j, role: 'button',
            'aria-label': `weight W${l + 1}[${i}][${j}]: from ${l === 0 ? `input ${i + 1}` : `neuron ${i + 1} of layer ${l}`} to neuron ${j + 1} of layer ${l + 1}` }, hitLayer);
          hit.dataset.edge = `${l}:${i * layer.units + j}`;
        }
      }
      edges.push(list);
    });
    widths.forEach((w, col) => {
      const list = [];
      for (let i = 0; i < shown[col]; i++) {
        const circle = node('circle', { cx: x(col), cy: y(col, i), r: R, fill: '#fff', stroke: '#1d2330', 'stroke-width': 1 }, nodeLayer);
        if (col > 0) {
          list.push({ circle, j: i });
          for (const [k, v] of Object.entries({ tabindex: 0, 'data-kind': 'neuron', 'data-layer': col, 'data-i': 0, 'data-j': i, role: 'button' })) circle.setAttribute(k, v);
          node('title', {}, circle).textContent = `layer ${col}${col === widths.length - 1 ? ' (output)' : ''}, neuron ${i + 1}`;
        }
        if (col === 0) {
          const t = node('text', { x: x(0) - R - 4, y: y(0, i) + 4, 'text-anchor': 'end' }, nodeLayer);
          t.textContent = names[i] ?? `x${i + 1}`;
        }
      }
      if (w > MAX_SHOWN) {
        const t = node('text', { x: x(col), y: y(col, shown[col]) + 4, 'text-anchor': 'middle' }, nodeLayer);
        t.textContent = `+${w - MAX_SHOWN}`;
      }
      if (col > 0) neurons.push(list);
    });
    info.layers.forEach((layer, l) => {
      const t = node('text', { x: x(l + 1), y: H - 4, 'text-anchor': 'middle' }, nodeLayer);
      t.textContent = layer.activation;
    });
  }

  // params: [{ W (inputs*units, row-major), b, units }] from the worker.
  function update(params) {
    let maxW = 1e-6, maxB = 1e-6;
    for (const p of params) {
      for (const w of p.W) maxW = Math.max(maxW, Math.abs(w));
      for (const b of p.b) maxB = Math.max(maxB, Math.abs(b));
    }
    params.forEach((p, l) => {
      for (const { line, k } of edges[l] ?? []) {
        const w = p.W[k];
        const t = Math.abs(w) / maxW;
        line.setAttribute('stroke', w >= 0 ? POS : NEG);
        line.setAttribute('stroke-width', (0.4 + 4.6 * t).toFixed(2));
        line.setAttribute('stroke-opacity', (0.25 + 0.75 * t).toFixed(2));
      }
      for (const { circle, j } of neurons[l] ?? []) {
        const b = p.b[j];
        circle.setAttribute('fill', b >= 0 ? POS : NEG);
        circle.setAttribute('fill-opacity', (0.1 + 0.8 * Math.abs(b) / maxB).toFixed(2));
      }
    });
  }

  // Outlines the edges or neurons of one layer (null: nothing).
  function light(what) {
    for (const el of svg.querySelectorAll('.lit')) el.classList.remove('lit');
    if (!what) return;
    if (what.what === 'edges') for (const { line } of edges[what.layer - 1] ?? []) line.classList.add('lit');
    else for (const { circle } of neurons[what.layer - 1] ?? []) circle.classList.add('lit');
  }

  return {
    build, update, light,
    onHover: (fn) => hoverFns.push(fn),
    onPick: (fn) => pickFns.push(fn),
    // Screen position of a neuron or edge element (for a popup).
    element: (kind, layer, i, j) => svg.querySelector(kind === 'neuron' ? `circle[data-layer="${layer}"][data-j="${j}"]`
      : `line[data-kind="edge"][data-layer="${layer}"][data-i="${i}"][data-j="${j}"]`),
  };
}
