// race-charts.mjs: owns the race's two Chart.js line charts (loss and accuracy against the epoch),
// with one colour per variant: its training curve solid, its test curve dashed and thinner. The
// chart model is one series per line with one point per finished epoch, drawn thinned (charts.mjs's
// thin()); redraws are throttled, one chart per redraw, without animation, so a 4-variant race
// keeps every main-thread task short. It knows nothing of the worker; the legend names the variants.
import { thin } from './charts.mjs';

export const RACE_COLORS = ['#0b6bcb', '#e8710a', '#2ca02c', '#9467bd'];
const REDRAW_MS = 250;   // one chart per redraw: each chart twice a second while the race runs
const SHOWN = 160;       // points drawn per line at most (up to 8 lines a chart: half the playground's 300)

function lineChart(canvas, yTitle, yOptions) {
  return new globalThis.Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false, parsing: false, normalized: true, spanGaps: true, responsive: true, maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'epoch' }, ticks: { precision: 0 }, min: 0 },
        y: { type: 'linear', title: { display: true, text: yTitle }, ...yOptions },
      },
      plugins: {
        legend: { labels: { boxWidth: 14, boxHeight: 3, filter: (item) => !item.text.endsWith(' (test)') } },
        tooltip: { callbacks: { title: (items) => `epoch ${items[0]?.parsed.x}` } },
      },
    },
  });
}

const line = (label, color, test) => ({
  label: test ? `${label} (test)` : label, data: [], borderColor: color, backgroundColor: color,
  borderWidth: test ? 1 : 2, borderDash: test ? [5, 3] : [], pointRadius: 0, pointHitRadius: 4, tension: 0,
});

export function createRaceCharts(lossCanvas, accCanvas) {
  const loss = lineChart(lossCanvas, 'loss', { beginAtZero: true });
  const acc = lineChart(accCanvas, 'accuracy', { min: 0, max: 1, ticks: { callback: (v) => `${Math.round(v * 100)}%` } });
  let series = [];   // per variant: { loss, testLoss, accuracy, testAccuracy }: [{ x: epoch, y }]
  let timer = null, lastDraw = 0, turn = 0;

  function fill(chart, train, test) {
    chart.data.datasets.forEach((d, k) => { d.data = thin(series[k >> 1][k & 1 ? test : train], SHOWN); });
    chart.options.scales.x.max = Math.max(1, ...series.map((s) => s.loss.length));
    chart.update('none');
  }

  function draw(both = false) {
    timer = null;
    lastDraw = performance.now();
    if (both || turn === 0) fill(loss, 'loss', 'testLoss');
    if (both || turn === 1) fill(acc, 'accuracy', 'testAccuracy');
    turn = 1 - turn;
  }

  return {
    // A new race: the variants' names, whether there is a test split and an accuracy.
    reset(names, { hasTest, classification }) {
      series = names.map(() => ({ loss: [], testLoss: [], accuracy: [], testAccuracy: [] }));
      for (const chart of [loss, acc]) {
        chart.data.datasets = names.flatMap((n, i) => [line(n, RACE_COLORS[i], false), { ...line(n, RACE_COLORS[i], true), hidden: !hasTest }]);
      }
      acc.options.plugins.title = { display: !classification, text: 'no accuracy for regression' };
      clearTimeout(timer);
      draw(true);
    },
    // metrics[i]: the per-epoch metrics of variant i since the last call.
    append(metrics) {
      metrics.forEach((list, i) => {
        for (const m of list) {
          series[i].loss.push({ x: m.epoch, y: m.loss });
          series[i].testLoss.push({ x: m.epoch, y: m.test_loss });
          series[i].accuracy.push({ x: m.epoch, y: m.accuracy });
          series[i].testAccuracy.push({ x: m.epoch, y: m.test_accuracy });
        }
      });
      if (!timer) timer = setTimeout(draw, Math.max(0, REDRAW_MS - (performance.now() - lastDraw)));
    },
    flush() { clearTimeout(timer); draw(true); },
    // Points per variant of its loss series (tests).
    pointCounts: () => series.map((s) => s.loss.length),
  };
}
