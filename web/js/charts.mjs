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
// tag (global `Chart`). Two additions for watching a run (issue 12): the loss chart's "batch loss"
// line, one point per mini-batch step in slow motion (the step's mean loss, at x = epochs done, a
// fraction mid-epoch), and the marks of mid-run changes (chart-marks.mjs).
import { marksPlugin } from './chart-marks.mjs';

const REDRAW_MS = 100;   // one chart per redraw: each chart 5 times a second
const SHOWN = 300;      // points drawn per line at most
const TRAIN = '#0b6bcb';
const TEST = '#e8710a';
const BATCH = '#8fb8e6';

function lineChart(canvas, yTitle, yOptions, { batch = false } = {}) {
  const series = (label, color, dash, extra = {}) => ({
    label, data: [], borderColor: color, backgroundColor: color, borderWidth: 1.5,
    borderDash: dash, pointRadius: 0, pointHitRadius: 4, tension: 0, ...extra,
  });
  // Batch points: small dots joined by a thin line, drawn under the epoch lines.
  const batchSeries = series('batch loss', BATCH, [], { borderWidth: 1, pointRadius: 1.5, order: 1 });
  return new globalThis.Chart(canvas, {
    type: 'line',
    plugins: [marksPlugin],
    data: { datasets: [series('train', TRAIN, []), series('test', TEST, [5, 3]), ...(batch ? [batchSeries] : [])] },
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
        // A line without points (batch loss outside slow motion) stays out of the legend.
        legend: { labels: { boxWidth: 14, boxHeight: 2, filter: (item, data) => item.datasetIndex < 2 || data.datasets[item.datasetIndex].data.length > 0 } },
        tooltip: { callbacks: { title: (items) => `epoch ${+items[0]?.parsed.x.toFixed(3)}` } },
        marks: { list: [], labels: batch },
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
  const loss = lineChart(lossCanvas, 'loss', { beginAtZero: true }, { batch: true });
  const acc = lineChart(accCanvas, 'accuracy', { min: 0, max: 1, ticks: { callback: (v) => `${Math.round(v * 100)}%` } });
  const lines = [[loss, 0, 'loss'], [loss, 1, 'testLoss'], [loss, 2, 'batchLoss'], [acc, 0, 'accuracy'], [acc, 1, 'testAccuracy']];
  // { loss, testLoss, accuracy, testAccuracy }: [{ x: epoch, y }] per finished epoch; batchLoss: per
  // mini-batch step in slow motion, x = epochs done
  let series = null;
  let marks = [];      // [{ x, label }] (chart-marks.mjs)
  let timer = null;
  let lastDraw = 0;

  // Redraws one chart with news (the two take turns, so no single task draws both) or, with both,
  // the two; a chart still waiting gets the next timer.
  let turn = 0;
  const dirty = new Set();
  function draw(both = false) {
    timer = null;
    lastDraw = performance.now();
    const next = [[loss, acc][turn], [loss, acc][1 - turn]].find((c) => dirty.has(c)) ?? [loss, acc][turn];
    const charts = both ? [loss, acc] : [next];
    turn = next === loss ? 1 : 0;
    for (const chart of charts) {
      dirty.delete(chart);
      for (const [c, i, name] of lines) if (c === chart) chart.data.datasets[i].data = thin(series[name]);
      chart.options.scales.x.max = Math.max(1, series.loss.length, Math.ceil(series.loss.at(-1)?.x ?? 0),
        Math.ceil(series.batchLoss.at(-1)?.x ?? 0), Math.ceil(marks.at(-1)?.x ?? 0));
      chart.options.plugins.marks.list = marks;
      chart.update('none');
    }
    if (dirty.size) soon();
  }

  function reset({ hasTest, classification }) {
    series = { loss: [], testLoss: [], accuracy: [], testAccuracy: [], batchLoss: [] };
    marks = [];
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
    dirty.add(loss).add(acc);
    soon();
  }

  function soon() {
    if (!timer) timer = setTimeout(draw, Math.max(0, REDRAW_MS - (performance.now() - lastDraw)));
  }

  // One slow-motion step: its mean loss at x = (epoch - 1) + position / trainSamples, the epochs done
  // after it (batch: { epoch (1-based, the epoch it belongs to), position, loss }).
  function appendBatch(batch, trainSamples) {
    series.batchLoss.push({ x: batch.epoch - 1 + batch.position / trainSamples, y: batch.loss });
    dirty.add(loss);
    soon();
  }

  // A vertical mark at x (epochs done) labelled with what changed there.
  function mark(x, label) {
    marks.push({ x, label });
    flush();
  }

  // The marks and batch points (an undo puts them back with the epoch rows).
  const extras = () => ({ marks: marks.map((m) => ({ ...m })), batchLoss: seriesCopy('batchLoss') });
  function restoreExtras({ marks: m = [], batchLoss = [] } = {}) {
    marks = m.map((k) => ({ ...k }));
    series.batchLoss = batchLoss.map((p) => ({ ...p }));
    flush();
  }

  // Draws now (at the end of a run, so the last epochs show at once).
  function flush() {
    if (timer) clearTimeout(timer);
    draw(true);
  }

  // Points per epoch series of the chart model (one per finished epoch), for the debug hook and tests.
  function pointCounts() {
    return Object.fromEntries(['loss', 'testLoss', 'accuracy', 'testAccuracy'].map((k) => [k, series[k].length]));
  }

  // A copy of one series ('loss', 'testLoss', 'accuracy', 'testAccuracy', 'batchLoss') as [{ x, y }].
  function seriesCopy(name) {
    return series[name].map((p) => ({ ...p }));
  }

  return { reset, append, appendBatch, mark, extras, restoreExtras, flush, pointCounts, seriesCopy, marks: () => extras().marks };
}
