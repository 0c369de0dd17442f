// histograms.mjs: draws "inside the network": one row per layer of bar histograms, on two canvases,
// the weights W (one linear scale, symmetric around 0, shared by all layers) and the gradients dW of
// the last mini-batch by magnitude (log10 |dW|, one scale for all layers). Vanishing gradients show
// as early layers sitting far left of later ones, exploding ones as bars piling up on the right. The
// bins come from the worker (insight.mjs); this module only draws them. Before any mini-batch every
// dW is 0: the gradient canvas says so instead of drawing empty rows. Axis labels that would overlap
// on a narrow canvas (a phone) are thinned to every second (third, ...) one.

const ROW = 34;           // px per layer (CSS)
const LABEL = 92;         // px of the layer name on the left
const NOTE = 78;          // px of the number on the right
const AXIS = 16;          // px of the axis labels at the bottom
const TICK_GAP = 8;       // px at least between two axis labels
const INK = '#1d2330';
const MUTED = '#5b6372';
const W_COLOR = '#1f77b4';
const G_COLOR = '#e8710a';

const sci = (v) => {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return '∞';
  const a = Math.abs(v);
  return a >= 1e-2 && a < 1e4 ? String(Number(v.toPrecision(2))) : v.toExponential(1).replace('e+', 'e');
};

function setup(canvas, rows) {
  const dpr = globalThis.devicePixelRatio || 1;
  const width = canvas.clientWidth || 300;
  const height = rows * ROW + AXIS + 4;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.font = '11px ui-monospace, monospace';
  ctx.textBaseline = 'middle';
  return { ctx, width, height };
}

// The ticks [{ at: 0..1, text }] to label, every k-th with the smallest k whose labels do not
// overlap on a plot from x0 to x1 (ctx: the canvas's context, with its font set).
function fittingTicks(ctx, ticks, x0, x1) {
  const box = (t) => {
    const w = ctx.measureText(t.text).width, x = x0 + t.at * (x1 - x0);
    const left = t.at <= 0 ? x : t.at >= 1 ? x - w : x - w / 2;
    return [left, left + w];
  };
  for (let k = 1; k < ticks.length; k++) {
    const kept = ticks.filter((_, i) => i % k === 0);
    if (kept.every((t, i) => i === 0 || box(kept[i - 1])[1] + TICK_GAP <= box(t)[0])) return kept;
  }
  return ticks.slice(0, 1);
}

// One canvas: rows [{ name, counts, note: [lines] }], bars scaled per row (the shape matters, not
// the count), `ticks` [{ at: 0..1, text }] under the plot area.
function drawRows(canvas, rows, color, ticks) {
  const { ctx, width } = setup(canvas, rows.length);
  const x0 = LABEL, x1 = Math.max(LABEL + 40, width - NOTE);
  rows.forEach((row, l) => {
    const top = l * ROW + 2, h = ROW - 8;
    const [shape, activation] = row.name.split(' ');
    ctx.fillStyle = INK;
    ctx.textAlign = 'left';
    ctx.fillText(`${l + 1} ${activation}`, 0, top + h / 2 - 6);
    ctx.fillStyle = MUTED;
    ctx.fillText(shape, 0, top + h / 2 + 7);
    ctx.fillStyle = MUTED;
    row.note.forEach((line, i) => ctx.fillText(line, x1 + 6, top + h / 2 + (row.note.length === 1 ? 0 : i ? 7 : -6)));
    let max = 1;
    for (const c of row.counts) if (c > max) max = c;
    const bw = (x1 - x0) / row.counts.length;
    ctx.fillStyle = color;
    row.counts.forEach((c, k) => {
      if (!c) return;
      const bh = Math.max(1, (c / max) * h);
      ctx.fillRect(x0 + k * bw, top + h - bh, Math.max(1, bw - 1), bh);
    });
    ctx.fillStyle = '#d9dde4';
    ctx.fillRect(x0, top + h, x1 - x0, 1);
  });
  ctx.fillStyle = MUTED;
  const y = rows.length * ROW + AXIS / 2;
  for (const t of fittingTicks(ctx, ticks, x0, x1)) {
    ctx.textAlign = t.at <= 0 ? 'left' : t.at >= 1 ? 'right' : 'center';
    ctx.fillText(t.text, x0 + t.at * (x1 - x0), y);
  }
}

// Before the first mini-batch (or when no gradient flows at all) every dW is exactly 0.
const allZero = (layers) => layers.every((l) => l.zeros === l.counts.reduce((a, b) => a + b, l.zeros) && l.rms === 0);

// The gradient canvas's text when every dW is 0, in place of empty rows.
function drawNoGradients(canvas) {
  const { ctx, height } = setup(canvas, 1);
  ctx.fillStyle = MUTED;
  ctx.textAlign = 'left';
  ctx.fillText('Every dW is 0: no mini-batch has trained yet', 0, height / 2 - 7);
  ctx.fillText('(Step or Play), or no gradient flows.', 0, height / 2 + 7);
}

export function createHistograms(weightsCanvas, gradsCanvas) {
  let last = null;

  // hist: { weights: { lo, hi, layers: [{ name, counts, rms }] }, grads: { lo, hi, layers: [{ name,
  // counts, zeros, rms, max }] } } from the worker.
  function draw(hist) {
    if (!hist) return;
    last = hist;
    const { weights: w, grads: g } = hist;
    drawRows(weightsCanvas, w.layers.map((l) => ({ name: l.name, counts: l.counts, note: [`rms ${sci(l.rms)}`] })), W_COLOR,
      [{ at: 0, text: sci(w.lo) }, { at: 0.5, text: '0' }, { at: 1, text: sci(w.hi) }]);
    const decades = [];
    for (let d = g.lo; d < g.hi; d += 3) decades.push({ at: (d - g.lo) / (g.hi - g.lo), text: `1e${d}` });
    if (allZero(g.layers)) { drawNoGradients(gradsCanvas); return; }
    drawRows(gradsCanvas, g.layers.map((l) => ({
      name: l.name, counts: l.counts,
      note: [`rms ${sci(l.rms)}`, ...(l.zeros ? [`${l.zeros} are 0`] : [])],
    })), G_COLOR, decades);
  }

  // The last histograms drawn, as plain numbers (for the debug hook and tests).
  function summary() {
    if (!last) return null;
    const rows = (k) => last[k].layers.map((l) => ({ name: l.name, total: l.counts.reduce((a, b) => a + b, 0) + (l.zeros ?? 0), rms: l.rms }));
    return { weights: rows('weights'), grads: rows('grads') };
  }

  new ResizeObserver(() => { if (last) draw(last); }).observe(weightsCanvas);
  return { draw, summary };
}

// Gradient flow (issue 10): one line per layer of the RMS of dW per epoch (the core's grad_rms of
// each epoch's metrics: the mean over its mini-batches), on a log10 scale shared by all layers. A
// deep sigmoid net shows its first layers' lines far below the last one's (vanishing gradients).
const FLOW_COLORS = ['#1f77b4', '#e8710a', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const FLOW_H = 150;
const FLOW_MS = 250;

export function createGradientFlow(canvas) {
  let series = [];   // per layer: [grad_rms per epoch]
  let epochs = [];
  let drawPending = false;

  function draw() {
    drawPending = false;
    const dpr = globalThis.devicePixelRatio || 1;
    const width = canvas.clientWidth || 300;
    if (canvas.width !== Math.round(width * dpr)) { canvas.width = Math.round(width * dpr); canvas.height = Math.round(FLOW_H * dpr); }
    canvas.style.height = `${FLOW_H}px`;
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, FLOW_H);
    ctx.font = '11px ui-monospace, monospace';
    ctx.textBaseline = 'middle';
    // At most about one point per pixel: a long run is drawn from every k-th epoch (k grows with it).
    const stride = Math.max(1, Math.ceil(epochs.length / Math.max(50, width - 96)));
    let lo = Infinity, hi = -Infinity;
    for (const s of series) for (let i = 0; i < s.length; i += stride) if (s[i] > 0) { lo = Math.min(lo, Math.log10(s[i])); hi = Math.max(hi, Math.log10(s[i])); }
    if (!epochs.length || !Number.isFinite(lo)) {
      ctx.fillStyle = MUTED;
      ctx.fillText('RMS of dW per layer, per epoch: train to see it', 8, FLOW_H / 2);
      return;
    }
    lo = Math.floor(lo); hi = Math.max(lo + 1, Math.ceil(hi));
    const x0 = 44, x1 = width - 52, y0 = 8, y1 = FLOW_H - 18;
    const X = (i) => x0 + (epochs.length === 1 ? 0 : (i / (epochs.length - 1)) * (x1 - x0));
    const Y = (v) => y1 - ((Math.log10(v) - lo) / (hi - lo)) * (y1 - y0);
    ctx.fillStyle = MUTED;
    ctx.textAlign = 'right';
    const stepD = Math.max(1, Math.ceil((hi - lo) / 5));
    for (let d = lo; d <= hi; d += stepD) {
      const y = y1 - ((d - lo) / (hi - lo)) * (y1 - y0);
      ctx.fillText(`1e${d}`, x0 - 4, y);
      ctx.fillStyle = '#eceef2';
      ctx.fillRect(x0, Math.round(y), x1 - x0, 1);
      ctx.fillStyle = MUTED;
    }
    ctx.textAlign = 'center';
    ctx.fillText(`epoch ${epochs[0]}`, x0 + 20, FLOW_H - 6);
    ctx.fillText(`${epochs.at(-1)}`, x1, FLOW_H - 6);
    series.forEach((s, l) => {
      ctx.strokeStyle = FLOW_COLORS[l % FLOW_COLORS.length];
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      let first = true;
      const point = (i) => {
        if (!(s[i] > 0)) return;
        if (first) ctx.moveTo(X(i), Y(s[i])); else ctx.lineTo(X(i), Y(s[i]));
        first = false;
      };
      for (let i = 0; i < s.length; i += stride) point(i);
      if ((s.length - 1) % stride) point(s.length - 1);
      ctx.stroke();
      const last = s.at(-1);
      if (last > 0) {
        ctx.fillStyle = ctx.strokeStyle;
        ctx.textAlign = 'left';
        ctx.fillText(`W${l + 1}`, x1 + 4, Y(last));
      }
    });
  }

  // At most one redraw every FLOW_MS, in an animation frame (training appends tens of times a second).
  const schedule = () => {
    if (drawPending) return;
    drawPending = true;
    setTimeout(() => requestAnimationFrame(draw), FLOW_MS);
  };

  return {
    reset(layers) {
      series = Array.from({ length: layers }, () => []);
      epochs = [];
      schedule();
    },
    // metrics: the per-epoch metrics objects of the worker (grad_rms: one number per layer).
    append(metrics) {
      for (const m of metrics) {
        if (!Array.isArray(m.grad_rms)) continue;
        epochs.push(m.epoch);
        m.grad_rms.forEach((v, l) => (series[l] ??= []).push(v));
      }
      schedule();
    },
    summary: () => ({ epochs: [...epochs], layers: series.map((s) => [...s]) }),
  };
}
