// charts.mjs: owns the two Chart.js line charts (loss and accuracy, train and test, vs epoch).
// The chart model is one series per line with exactly one point per finished epoch; what Chart.js
// draws is that series thinned to at most SHOWN points (min and max of each run of epochs, so no
// spike is lost), which keeps every redraw a few milliseconds however long the run. Redraws are
// batched, one chart at a time, without animation (update('none')). It does not know about the
// worker or the DOM beyond its two canvases. Chart.js is the UMD build loaded by a plain <script>
// tag (global `Chart`).
// Why not Chart.js's decimation plugin ('min-max'): it keeps each pixel column's lowest and highest
// value too, but moves both to the column's mean epoch (chart.js decimation, minMaxDecimation), so a
// tooltip on a spike would name an epoch where nothing happened; thin() keeps every point's own epoch.

const REDRAW_MS = 100;   // one chart per redraw: each chart 5 times a second
const SHOWN = 300;      // points drawn per line at most
const TRAIN = '#0b6bcb';
const TEST = '#e8710a';

function lineChart(canvas, yTitle, yOptions) {
  const series = (label, color, dash) => ({
    label, data: [], borderColor: color, backgroundColor: color, borderWidth: 1.5,
    borderDash: dash, pointRadius: 0, pointHitRadius: 4, tension: 0,
  });
  return new globalThis.Chart(canvas, {
    type: 'line',
    data: { datasets: [series('train', TRAIN, []), series('test', TEST, [5, 3])] },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      spanGaps: true,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'epoch' }, ticks: { precision: 0 }, min: 0 },
        y: { type: 'linear', title: { display: true, text: yTitle }, ...yOptions },
      },
      plugins: {
        legend: { labels: { boxWidth: 14, boxHeight: 2 } },
        tooltip: { callbacks: { title: (items) => `epoch ${items[0]?.parsed.x}` } },
      },
    },
  });
}

// The points of a series to draw: all of them up to SHOWN, else per bucket of epochs its first,
// lowest, highest and last point, in epoch order (null values are skipped). One pass, no copies:
// it runs on the main thread at every redraw.
export function thin(series, shown = SHOWN) {
  const has = (p) => p.y !== null && p.y !== undefined;
  let count = 0;
  for (const p of series) if (has(p)) count++;
  if (count <= shown) return count === series.length ? series.slice() : series.filter(has);
  const size = Math.ceil(count / (shown / 4));
  const out = [];
  let first = null, lo = null, hi = null, last = null, inBucket = 0;
  const flush = () => {
    const keep = [first, lo, hi, last].filter((p, i, a) => a.indexOf(p) === i).sort((a, b) => a.x - b.x);
    for (const p of keep) out.push(p);
  };
  for (const p of series) {
    if (!has(p)) continue;
    if (inBucket === 0) first = lo = hi = p;
    if (p.y < lo.y) lo = p;
    if (p.y > hi.y) hi = p;
    last = p;
    if (++inBucket === size) { flush(); inBucket = 0; }
  }
  if (inBucket > 0) flush();
  return out;
}

export function createCharts(lossCanvas, accCanvas) {
  const loss = lineChart(lossCanvas, 'loss', { beginAtZero: true });
  const acc = lineChart(accCanvas, 'accuracy', { min: 0, max: 1, ticks: { callback: (v) => `${Math.round(v * 100)}%` } });
  const lines = [[loss, 0, 'loss'], [loss, 1, 'testLoss'], [acc, 0, 'accuracy'], [acc, 1, 'testAccuracy']];
  let series = null;   // { loss, testLoss, accuracy, testAccuracy }: [{ x: epoch, y }] per finished epoch
  let timer = null;
  let lastDraw = 0;

  // Redraws one chart (the two take turns, so no single task draws both) or, with both, the two.
  let turn = 0;
  function draw(both = false) {
    timer = null;
    lastDraw = performance.now();
    const charts = both ? [loss, acc] : [[loss, acc][turn]];
    turn = 1 - turn;
    for (const chart of charts) {
      for (const [c, i, name] of lines) if (c === chart) chart.data.datasets[i].data = thin(series[name]);
      chart.options.scales.x.max = Math.max(1, series.loss.length);
      chart.update('none');
    }
  }

  function reset({ hasTest, classification }) {
    series = { loss: [], testLoss: [], accuracy: [], testAccuracy: [] };
    loss.data.datasets[1].hidden = !hasTest;
    acc.data.datasets[1].hidden = !hasTest;
    acc.options.plugins.title = { display: !classification, text: 'no accuracy for regression' };
    if (timer) clearTimeout(timer);
    draw(true);
  }

  // Appends one point per epoch to each series (y null for metrics that do not apply).
  function append(metrics) {
    for (const m of metrics) {
      series.loss.push({ x: m.epoch, y: m.loss });
      series.testLoss.push({ x: m.epoch, y: m.test_loss });
      series.accuracy.push({ x: m.epoch, y: m.accuracy });
      series.testAccuracy.push({ x: m.epoch, y: m.test_accuracy });
    }
    if (!timer) timer = setTimeout(draw, Math.max(0, REDRAW_MS - (performance.now() - lastDraw)));
  }

  // Draws now (at the end of a run, so the last epochs show at once).
  function flush() {
    if (timer) clearTimeout(timer);
    draw(true);
  }

  // Points per series of the chart model (one per finished epoch), for the debug hook and tests.
  function pointCounts() {
    return Object.fromEntries(Object.entries(series).map(([k, v]) => [k, v.length]));
  }

  // A copy of one series ('loss', 'testLoss', 'accuracy', 'testAccuracy') as [{ x, y }].
  function seriesCopy(name) {
    return series[name].map((p) => ({ ...p }));
  }

  return { reset, append, flush, pointCounts, seriesCopy };
}
