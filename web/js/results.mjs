// results.mjs: the "Test set" panel's generic parts, redrawn after each epoch from the worker's
// insight (insight.mjs): for classification the confusion matrix as a table (rows: true class,
// columns: predicted class, cells shaded by their share of the row) with the accuracy of each class
// in the last column; for regression a scatter of predicted against true values. It draws; the
// counting happened in the worker. The images of Fashion-MNIST are fashion-view.mjs's.

const MAX_TABLE = 20;   // classes shown as a matrix; more get the per-class accuracy only

import { el, pct as share } from './dom.mjs';

const pct = (n, d) => share(d ? n / d : null);

export function createResults({ table, caption, epochLabel, scatter }) {
  let classNames = [];
  let last = null;   // the last insight shown

  function setClasses(names) {
    classNames = names;
    table.replaceChildren();
    last = null;
  }

  function showConfusion(c) {
    const { K, matrix } = c;
    const rowTotal = (t) => { let s = 0; for (let p = 0; p < K; p++) s += matrix[t * K + p]; return s; };
    const full = K <= MAX_TABLE;
    const head = el('tr', {}, el('th', { scope: 'col', textContent: 'true \\ predicted' }));
    if (full) {
      for (let p = 0; p < K; p++) head.append(el('th', { scope: 'col', textContent: String(p), title: classNames[p] ?? String(p) }));
    }
    head.append(el('th', { scope: 'col', textContent: 'accuracy' }));
    const rows = [];
    let correct = 0;
    for (let t = 0; t < K; t++) {
      const total = rowTotal(t);
      const hit = matrix[t * K + t];
      correct += hit;
      const tr = el('tr', {}, el('th', { scope: 'row', textContent: `${t} ${classNames[t] ?? ''}`.trim() }));
      if (full) {
        for (let p = 0; p < K; p++) {
          const n = matrix[t * K + p];
          const share = total ? n / total : 0;
          const td = el('td', { textContent: String(n), title: `true ${classNames[t]}, predicted ${classNames[p]}: ${n} of ${total}` });
          if (n) td.style.background = p === t ? `rgba(44,160,44,${(0.12 + 0.6 * share).toFixed(2)})` : `rgba(214,39,40,${(0.1 + 0.7 * share).toFixed(2)})`;
          tr.append(td);
        }
      }
      const acc = el('td', { className: 'acc', textContent: pct(hit, total) });
      acc.style.setProperty('--share', total ? (hit / total).toFixed(3) : '0');
      tr.append(acc);
      rows.push(tr);
    }
    table.replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows));
    caption.textContent = `${c.m} test ${c.m === 1 ? 'sample' : 'samples'}, ${correct} right (${pct(correct, c.m)}). ` +
      (full ? 'Rows: true class; columns: predicted class; last column: accuracy per class.'
        : `${K} classes: only the accuracy per class is shown.`);
  }

  // Predicted (y axis) against true (x axis) values, on one range, with the diagonal.
  function showScatter({ pairs }) {
    const ctx = scatter.getContext('2d');
    const W = scatter.width, H = scatter.height, pad = 24;
    let lo = Infinity, hi = -Infinity;
    for (const v of pairs) { if (v < lo) lo = v; if (v > hi) hi = v; }
    if (!(hi > lo)) { lo -= 1; hi += 1; }
    const sx = (v) => pad + ((v - lo) / (hi - lo)) * (W - 2 * pad);
    const sy = (v) => H - pad - ((v - lo) / (hi - lo)) * (H - 2 * pad);
    ctx.clearRect(0, 0, W, H);
    ctx.strokeStyle = '#d9dde4';
    ctx.strokeRect(pad, pad, W - 2 * pad, H - 2 * pad);
    ctx.strokeStyle = '#5b6372';
    ctx.beginPath();
    ctx.moveTo(sx(lo), sy(lo));
    ctx.lineTo(sx(hi), sy(hi));
    ctx.stroke();
    ctx.fillStyle = 'rgba(31,119,180,0.6)';
    for (let k = 0; k < pairs.length; k += 2) ctx.fillRect(sx(pairs[k + 1]) - 2, sy(pairs[k]) - 2, 4, 4);
    ctx.fillStyle = '#5b6372';
    ctx.font = '11px ui-monospace, monospace';
    ctx.fillText(lo.toPrecision(3), pad, H - 6);
    ctx.textAlign = 'right';
    ctx.fillText(hi.toPrecision(3), W - pad, H - 6);
    ctx.textAlign = 'left';
  }

  // insight: { epoch, confusion? , regression? }, { epoch, untrained: true } (a network just made)
  // or null (no test split).
  function show(insight) {
    last = insight;
    if (!insight || insight.untrained) {
      epochLabel.textContent = '';
      table.replaceChildren();
      caption.textContent = insight ? 'Results on the test data appear after the first epoch (an untrained network only guesses).'
        : 'No test split: set a test ratio above 0 to see results on held-out data.';
      return;
    }
    epochLabel.textContent = `after epoch ${insight.epoch}`;
    if (insight.confusion) showConfusion(insight.confusion);
    if (insight.regression) {
      table.replaceChildren();
      caption.textContent = `${insight.regression.m} test rows (up to ${insight.regression.pairs.length / 2} drawn).`;
      showScatter(insight.regression);
    }
  }

  // The last insight as plain numbers, for the debug hook and tests.
  function summary() {
    if (!last) return null;
    const c = last.confusion;
    return {
      epoch: last.epoch,
      confusion: c ? { K: c.K, m: c.m, matrix: Array.from(c.matrix), wrong: Array.from(c.wrong), wrongPred: Array.from(c.wrongPred) } : null,
      regression: last.regression ? { m: last.regression.m, pairs: Array.from(last.regression.pairs) } : null,
    };
  }

  return { setClasses, show, summary };
}
