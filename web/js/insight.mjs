// insight.mjs: what the worker computes about the network beyond the loss, as small typed arrays
// for the page to draw: per-layer histograms of the weights and of their last gradients, the test
// split's confusion matrix with the misclassified samples, and predicted-vs-true pairs for
// regression. Pure functions over plain arrays: no DOM, no engine.

export const WEIGHT_BINS = 41;
// Gradients are binned by magnitude, log10 |g| from GRAD_LO to GRAD_HI (half a decade per bin), so
// a layer whose gradients vanish (far left) or explode (far right) stands out. Exact zeros (dead
// relu units, say) are counted apart; values beyond the range fall into the end bins.
export const GRAD_LO = -12;
export const GRAD_HI = 2;
export const GRAD_BINS = 28;
export const MAX_WRONG = 40;    // misclassified test samples listed
export const MAX_PAIRS = 600;   // regression (predicted, true) pairs sent

function rms(values) {
  let s = 0;
  for (const v of values) s += v * v;
  return values.length ? Math.sqrt(s / values.length) : 0;
}

// params: [{ inputs, units, activation, W, dW }] (engine's params()). Weights share one symmetric
// range over all layers, so layers compare at a glance.
export function layerHistograms(params) {
  let maxAbs = 1e-12;
  for (const p of params) for (const w of p.W) { const a = Math.abs(w); if (a > maxAbs) maxAbs = a; }
  const weights = { lo: -maxAbs, hi: maxAbs, layers: [] };
  const grads = { lo: GRAD_LO, hi: GRAD_HI, layers: [] };
  for (const p of params) {
    const wc = new Uint32Array(WEIGHT_BINS);
    for (const w of p.W) wc[Math.min(WEIGHT_BINS - 1, Math.floor(((w + maxAbs) / (2 * maxAbs)) * WEIGHT_BINS))]++;
    const gc = new Uint32Array(GRAD_BINS);
    let zeros = 0, gMax = 0, finite = true;
    for (const g of p.dW) {
      const a = Math.abs(g);
      if (!Number.isFinite(a)) { finite = false; gc[GRAD_BINS - 1]++; continue; }
      if (a === 0) { zeros++; continue; }
      if (a > gMax) gMax = a;
      const k = Math.floor(((Math.log10(a) - GRAD_LO) / (GRAD_HI - GRAD_LO)) * GRAD_BINS);
      gc[Math.max(0, Math.min(GRAD_BINS - 1, k))]++;
    }
    const name = `${p.inputs}→${p.units} ${p.activation}`;
    weights.layers.push({ name, counts: wc, rms: rms(p.W) });
    grads.layers.push({ name, counts: gc, zeros, rms: finite ? rms(p.dW) : Infinity, max: finite ? gMax : Infinity });
  }
  return { weights, grads };
}

// The predicted class of row i of (m, n) outputs: the largest output, or output >= 0.5 for one
// sigmoid output.
export function predictedClass(outputs, n, i) {
  if (n === 1) return outputs[i] >= 0.5 ? 1 : 0;
  let best = 0;
  for (let j = 1; j < n; j++) if (outputs[i * n + j] > outputs[i * n + best]) best = j;
  return best;
}

// Confusion matrix of K classes from (m, n) outputs and true labels: matrix[true * K + predicted];
// also the first MAX_WRONG misclassified rows with their predicted class and confidence.
export function confusion(outputs, n, labels, m, K) {
  const matrix = new Uint32Array(K * K);
  const wrong = [], wrongPred = [], wrongProb = [];
  for (let i = 0; i < m; i++) {
    const p = predictedClass(outputs, n, i), t = labels[i];
    matrix[t * K + p]++;
    if (p !== t && wrong.length < MAX_WRONG) {
      wrong.push(i);
      wrongPred.push(p);
      wrongProb.push(n === 1 ? (p ? outputs[i] : 1 - outputs[i]) : outputs[i * n + p]);
    }
  }
  return { K, m, matrix, wrong: Int32Array.from(wrong), wrongPred: Uint8Array.from(wrongPred), wrongProb: Float32Array.from(wrongProb) };
}

// Regression: up to MAX_PAIRS (predicted, true) pairs, evenly spread over the split.
export function regressionPairs(outputs, y, m) {
  const n = Math.min(m, MAX_PAIRS);
  const pairs = new Float32Array(2 * n);
  for (let k = 0; k < n; k++) {
    const i = Math.floor((k * m) / n);
    pairs[2 * k] = outputs[i];
    pairs[2 * k + 1] = y[i];
  }
  return { m, pairs };
}

// The buffers of the typed arrays inside an object, each once, for postMessage's transfer list.
export function transferables(obj, out = new Set()) {
  if (ArrayBuffer.isView(obj)) out.add(obj.buffer);
  else if (obj && typeof obj === 'object') for (const v of Object.values(obj)) transferables(v, out);
  return [...out];
}
