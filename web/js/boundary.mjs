// boundary.mjs: draws what the network computes over its input plane on one canvas: the decision
// heat map of a 2-D classifier (one colour per class, paler where it is unsure), the predicted value
// of a 2-D regression, the fitted curve of a 1-D regression, or the predicted class along the one
// input of a 1-D classifier (points at their class's height), with the data points on top (train
// points with a dark outline, test points with a white ring). It only draws what it is given: the
// grid comes from the worker's predictGrid over `view`, the data from the trainer. Two display
// options, as in TensorFlow Playground (heat-options.mjs): showTest (draw the test points) and
// discretize (each cell in its predicted class's full colour, or a regression value's sign).
import { predictedClass } from './insight.mjs';

const CLASS_COLORS = ['#f28e2b', '#1f77b4', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const NEG = [242, 142, 43];   // regression colour scale: low values orange...
const POS = [31, 119, 180];   // ...high values blue, white in the middle

const COLOR_NAMES = ['orange', 'blue', 'green', 'red', 'purple', 'brown', 'pink', 'cyan'];
// What the colours and marks mean, for the caption under the canvas; options as setOptions'.
export function legendText(info, { showTest = true, discretize = false } = {}) {
  const DOTS = showTest ? 'Dots: train (dark outline), test (white ring).' : 'Dots: train (test hidden).';
  if (info.task === 'regression') {
    if (info.rawDims === 1) return `Curve: the network's prediction. ${DOTS}`;
    return discretize ? `Colour: the predicted value's side of the middle (orange low, blue high). ${DOTS}`
      : `Colour: predicted value (orange low, blue high). ${DOTS}`;
  }
  if (info.rawDims === 1) return `Curve: the predicted class (points at the height of their class). ${DOTS}`;
  const names = info.classNames.map((n, i) => `${COLOR_NAMES[i % COLOR_NAMES.length]} = class ${n}`);
  return `${names.join(', ')}; ${discretize ? 'each cell in its predicted class\'s colour' : 'paler where the network is less sure'}. ${DOTS}`;
}

const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const CLASS_RGB = CLASS_COLORS.map(rgb);
const mix = (c, t) => c.map((v) => Math.round(255 + (v - 255) * t));

const MAX_PX = 2 ** 10;   // the heat map canvas's largest side in device pixels

export function createBoundary(canvas) {
  const ctx = canvas.getContext('2d');
  const cells = document.createElement('canvas');
  let s = null;   // { info, view, data, oneD, yRange, image, points }: one run, its cached buffers
  let options = { showTest: true, discretize: false };
  let drawn = { trainPoints: 0, testPoints: 0 };   // the points on the points layer (summary())

  // The canvas's CSS width, kept by a ResizeObserver (reading layout in every draw would force it).
  let cssWidth = canvas.width;
  let onResize = () => {};
  new ResizeObserver(([entry]) => {
    cssWidth = entry.contentRect.width || cssWidth;
    onResize();
  }).observe(canvas);

  function size() {
    const px = Math.round(Math.min(MAX_PX, cssWidth * (globalThis.devicePixelRatio || 1)));
    if (canvas.width !== px) { canvas.width = px; canvas.height = px; }
    return px;
  }

  // Value of the colour scale for regression, from the training targets.
  function targetRange(data) {
    let lo = Infinity, hi = -Infinity;
    for (const split of [data.train, data.test]) for (const y of split.y) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
    const pad = 0.15 * (hi - lo || 1);
    return [lo - pad, hi + pad];
  }

  // Raw input -> canvas pixel.
  const px = (x, y, W) => {
    const { x0, x1, y0, y1 } = s.view;
    return [((x - x0) / (x1 - x0)) * W, s.oneD ? ((s.yRange[1] - y) / (s.yRange[1] - s.yRange[0])) * W : ((y1 - y) / (y1 - y0)) * W];
  };

  // Writes the colour of grid cell k as RGBA at data[o]: the class colour blended with white by how
  // sure the network is, or the regression value on the orange-white-blue scale. No allocation.
  function paintCell(grid, k, outputs, data, o) {
    let rgb, t;
    if (s.info.task === 'regression') {
      const [lo, hi] = s.yRange;
      const v = Math.max(-1, Math.min(1, (2 * (grid[k] - lo)) / (hi - lo) - 1));
      rgb = v < 0 ? NEG : POS;
      t = options.discretize ? 0.7 : Math.abs(v) * 0.7;
    } else {
      const best = predictedClass(grid, outputs, k);
      const p = outputs === 1 ? (best ? grid[k] : 1 - grid[k]) : grid[k * outputs + best];
      const classes = Math.max(2, outputs);
      const sure = (p - 1 / classes) / (1 - 1 / classes);   // 0 at a tie, 1 when certain
      rgb = CLASS_RGB[best % CLASS_RGB.length];
      t = options.discretize ? 0.65 : 0.1 + 0.55 * sure;
    }
    data[o] = 255 + (rgb[0] - 255) * t;
    data[o + 1] = 255 + (rgb[1] - 255) * t;
    data[o + 2] = 255 + (rgb[2] - 255) * t;
    data[o + 3] = 255;
  }

  function drawHeat(grid, W) {
    const { nx, ny } = s.view;
    const outputs = s.info.outputs;
    if (cells.width !== nx || cells.height !== ny) { cells.width = nx; cells.height = ny; }
    const cctx = cells.getContext('2d');
    s.image ??= cctx.createImageData(nx, ny);
    const data = s.image.data;
    for (let r = 0; r < ny; r++) {
      for (let c = 0; c < nx; c++) paintCell(grid, r * nx + c, outputs, data, ((ny - 1 - r) * nx + c) * 4);   // rows from y0 (bottom)
    }
    cctx.putImageData(s.image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(cells, 0, 0, W, W);
  }

  function drawAxes(W) {
    ctx.strokeStyle = 'rgba(0,0,0,0.25)';
    ctx.lineWidth = Math.max(1, W / 480);
    const [ox, oy] = px(0, 0, W);
    ctx.beginPath();
    if (ox > 0 && ox < W) { ctx.moveTo(ox, 0); ctx.lineTo(ox, W); }
    if (oy > 0 && oy < W) { ctx.moveTo(0, oy); ctx.lineTo(W, oy); }
    ctx.stroke();
  }

  // The curve's height at grid point c: the predicted value (regression), the probability of class 1
  // (one sigmoid output: class 0 at 0, class 1 at 1) or the most likely class (softmax).
  function curveValue(grid, c) {
    const outputs = s.info.outputs;
    if (s.info.task === 'classification' && outputs === 1 && options.discretize) return grid[c] >= 0.5 ? 1 : 0;
    if (s.info.task === 'regression' || outputs === 1) return grid[c * outputs];
    let best = 0;
    for (let j = 1; j < outputs; j++) if (grid[c * outputs + j] > grid[c * outputs + best]) best = j;
    return best;
  }

  function drawCurve(grid, W) {
    const { nx, x0, x1 } = s.view;
    ctx.strokeStyle = '#1d2330';
    ctx.lineWidth = Math.max(2, (2.5 * W) / 480);
    ctx.beginPath();
    for (let c = 0; c < nx; c++) {
      const [x, y] = px(x0 + ((x1 - x0) * c) / (nx - 1), curveValue(grid, c), W);
      if (c) ctx.lineTo(x, y); else ctx.moveTo(x, y);
    }
    ctx.stroke();
  }

  function pointColor(y) {
    if (s.info.task === 'classification') return CLASS_COLORS[y % CLASS_COLORS.length];
    if (s.oneD) return CLASS_COLORS[1];
    const [lo, hi] = s.yRange;
    const t = Math.max(-1, Math.min(1, (2 * (y - lo)) / (hi - lo) - 1));
    const [R, G, B] = mix(t < 0 ? NEG : POS, 0.35 + 0.65 * Math.abs(t));
    return `rgb(${R},${G},${B})`;
  }

  // The data points never change during a run: drawn once per run and size onto their own layer.
  function pointsLayer(W) {
    if (s.points?.width === W) return s.points;
    s.points = document.createElement('canvas');
    s.points.width = W;
    s.points.height = W;
    drawPoints(s.points.getContext('2d'), W);
    return s.points;
  }

  // Train points: filled, dark outline. Test points: filled, a white ring edged in dark, so they
  // stand out on any background.
  function drawPoints(ctx, W) {
    const dims = s.info.rawDims;
    const r = Math.max(2.5, (3.6 * W) / 480);
    const line = Math.max(1, W / 480);
    drawn = { trainPoints: 0, testPoints: 0 };
    for (const split of options.showTest ? ['train', 'test'] : ['train']) {
      const { x, y, m } = s.data[split];
      const test = split === 'test';
      for (let i = 0; i < m; i++) {
        const [cx, cy] = dims === 1 ? px(x[i], y[i], W) : px(x[i * dims], x[i * dims + 1], W);
        ctx.beginPath();
        ctx.arc(cx, cy, test ? r + line : r, 0, 2 * Math.PI);
        ctx.fillStyle = pointColor(y[i]);
        ctx.fill();
        ctx.strokeStyle = '#1d2330';
        ctx.lineWidth = test ? 3.5 * line : line;
        ctx.stroke();
        if (test) {
          ctx.strokeStyle = '#ffffff';
          ctx.lineWidth = 1.6 * line;
          ctx.stroke();
        }
      }
      drawn[test ? 'testPoints' : 'trainPoints'] = m;
    }
  }

  let lastGrid = null;
  onResize = () => lastGrid && draw(lastGrid);

  // Redraws with the latest grid (ny * nx * outputs values, rows from y0).
  function draw(grid) {
    if (!s) return;
    lastGrid = grid;
    const W = size();
    ctx.clearRect(0, 0, W, W);
    if (s.oneD) {
      ctx.fillStyle = '#fbfbfc';
      ctx.fillRect(0, 0, W, W);
      drawAxes(W);
      ctx.drawImage(pointsLayer(W), 0, 0);
      drawCurve(grid, W);
    } else {
      drawHeat(grid, W);
      drawAxes(W);
      ctx.drawImage(pointsLayer(W), 0, 0);
    }
  }

  // Distinct colours of the heat map's cells (0 for a curve): shading gives many, discretize few.
  function cellColors() {
    if (!s?.image || s.oneD) return 0;
    const d = s.image.data, seen = new Set();
    for (let o = 0; o < d.length; o += 4) seen.add((d[o] << 16) | (d[o + 1] << 8) | d[o + 2]);
    return seen.size;
  }

  return {
    draw,
    // { showTest, discretize } (either may be missing): redraws with the last grid.
    setOptions(next) {
      options = { ...options, ...next };
      if (s) s.points = null;
      if (lastGrid) draw(lastGrid);
    },
    // What the canvas shows, as numbers (for the debug hook and tests).
    summary: () => ({ ...drawn, cellColors: cellColors(), ...options }),
    // A new trainer: its info, grid spec and data (typed arrays from the worker).
    setRun(info, view, data) {
      const oneD = info.rawDims === 1;
      // The vertical range: the targets' (regression) or the class indices' (1-D classification).
      const classRange = [-0.5, Math.max(2, info.classes) - 0.5];
      const yRange = info.task === 'regression' ? targetRange(data) : oneD ? classRange : null;
      s = { info, view, data, oneD, yRange };
    },
  };
}
