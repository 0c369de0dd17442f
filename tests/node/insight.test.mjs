// insight.test.mjs: web/js/insight.mjs (what the worker computes for the page's insight panels) on
// small inputs whose answers are worked out by hand in the comments: weight and gradient
// histograms (bins, zeros, clamping, rms, non-finite gradients), predicted classes, confusion
// matrices with the misclassified rows, regression pairs, and the transfer list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  GRAD_BINS,
  GRAD_HI,
  GRAD_LO,
  MAX_PAIRS,
  MAX_WRONG,
  WEIGHT_BINS,
  confusion,
  layerHistograms,
  predictedClass,
  regressionPairs,
  transferables,
} from '../../web/js/insight.mjs';

// counts(length, { bin: count, ... }) -> Uint32Array
const counts = (length, bins) => {
  const c = new Uint32Array(length);
  for (const [k, v] of Object.entries(bins)) c[Number(k)] = v;
  return c;
};

test('the bin layout the page draws with', () => {
  assert.deepEqual([WEIGHT_BINS, GRAD_LO, GRAD_HI, GRAD_BINS], [41, -12, 2, 28]);
});

test('layer histograms: shared symmetric weight range, log-magnitude gradient bins', () => {
  const params = [
    { inputs: 2, units: 2, activation: 'tanh', W: [-2, -1, 0, 1], dW: [0, 1e-15, 3e-3, 1e3] },
    { inputs: 2, units: 1, activation: 'sigmoid', W: [0.5, 4], dW: [Infinity, -5e-7] },
  ];
  const { weights, grads } = layerHistograms(params);
  // max |w| over all layers = 4, so the range is [-4, 4]; bin = floor((w + 4) / 8 * 41), at most 40:
  // -2 -> 10.25 -> 10, -1 -> 15.375 -> 15, 0 -> 20.5 -> 20, 1 -> 25.625 -> 25; 0.5 -> 23.06 -> 23, 4 -> 41 -> 40.
  assert.equal(weights.lo, -4);
  assert.equal(weights.hi, 4);
  assert.deepEqual(
    weights.layers.map((l) => l.name),
    ['2→2 tanh', '2→1 sigmoid'],
  );
  assert.deepEqual(weights.layers[0].counts, counts(41, { 10: 1, 15: 1, 20: 1, 25: 1 }));
  assert.deepEqual(weights.layers[1].counts, counts(41, { 23: 1, 40: 1 }));
  // rms: sqrt((4 + 1 + 0 + 1) / 4) and sqrt((0.25 + 16) / 2)
  assert.equal(weights.layers[0].rms, Math.sqrt(1.5));
  assert.equal(weights.layers[1].rms, Math.sqrt(8.125));

  // Gradients: bin = floor((log10|g| + 12) / 14 * 28), clamped to [0, 27]; exact zeros apart.
  // 1e-15 -> -6 -> 0; 3e-3 -> log10 = -2.523 -> 18.95 -> 18; 1e3 -> 30 -> 27.
  assert.equal(grads.lo, -12);
  assert.equal(grads.hi, 2);
  assert.deepEqual(grads.layers[0].counts, counts(28, { 0: 1, 18: 1, 27: 1 }));
  assert.equal(grads.layers[0].zeros, 1);
  assert.equal(grads.layers[0].max, 1e3);
  assert.ok(Math.abs(grads.layers[0].rms - Math.sqrt((1e-30 + 9e-6 + 1e6) / 4)) < 1e-9);
  // Infinity goes to the last bin and makes rms and max Infinity; 5e-7 -> log10 = -6.301 -> 11.4 -> 11.
  assert.deepEqual(grads.layers[1].counts, counts(28, { 11: 1, 27: 1 }));
  assert.equal(grads.layers[1].zeros, 0);
  assert.equal(grads.layers[1].rms, Infinity);
  assert.equal(grads.layers[1].max, Infinity);
});

test('layer histograms: all-zero weights do not divide by zero', () => {
  const { weights, grads } = layerHistograms([{ inputs: 1, units: 2, activation: 'relu', W: [0, 0], dW: [0, 0] }]);
  assert.deepEqual(weights.layers[0].counts, counts(41, { 20: 2 }));
  assert.equal(grads.layers[0].zeros, 2);
  assert.equal(grads.layers[0].max, 0);
  assert.equal(grads.layers[0].rms, 0);
});

test('predicted class: the first largest output, or output >= 0.5 for one sigmoid output', () => {
  assert.equal(predictedClass([0.5], 1, 0), 1);
  assert.equal(predictedClass([0.4999], 1, 0), 0);
  assert.equal(predictedClass([0.1, 0.7, 0.2, 0.2, 0.4, 0.4], 3, 0), 1);
  assert.equal(predictedClass([0.1, 0.7, 0.2, 0.2, 0.4, 0.4], 3, 1), 1, 'a tie goes to the first');
});

test('confusion matrix of 3 classes, with the misclassified rows', () => {
  // row: outputs -> predicted, true
  // 0: .7 .2 .1 -> 0, 0   1: .1 .8 .1 -> 1, 2 (wrong, .8)   2: .3 .3 .4 -> 2, 2
  // 3: .5 .25 .25 -> 0, 1 (wrong, .5)   4: .2 .2 .6 -> 2, 2
  const out = [0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4, 0.5, 0.25, 0.25, 0.2, 0.2, 0.6];
  const c = confusion(out, 3, [0, 2, 2, 1, 2], 5, 3);
  assert.equal(c.K, 3);
  assert.equal(c.m, 5);
  // matrix[true * 3 + predicted]
  assert.deepEqual(c.matrix, Uint32Array.from([1, 0, 0, 1, 0, 0, 0, 1, 2]));
  assert.deepEqual(c.wrong, Int32Array.from([1, 3]));
  assert.deepEqual(c.wrongPred, Uint8Array.from([1, 0]));
  assert.deepEqual(c.wrongProb, Float32Array.from([0.8, 0.5]));
});

test('confusion matrix of one sigmoid output: the confidence of a class-0 guess is 1 - p', () => {
  // outputs .9 .2 .6 .4 -> predicted 1 0 1 0; true 1 1 0 0
  const c = confusion([0.9, 0.2, 0.6, 0.4], 1, [1, 1, 0, 0], 4, 2);
  assert.deepEqual(c.matrix, Uint32Array.from([1, 1, 1, 1]));
  assert.deepEqual(c.wrong, Int32Array.from([1, 2]));
  assert.deepEqual(c.wrongPred, Uint8Array.from([0, 1]));
  assert.deepEqual(c.wrongProb, Float32Array.from([1 - 0.2, 0.6]));
});

test('confusion lists at most MAX_WRONG misclassified rows but counts them all', () => {
  const m = MAX_WRONG + 25;
  const c = confusion(new Float32Array(m).fill(0.9), 1, new Uint8Array(m), m, 2);
  assert.equal(c.matrix[1], m, 'every row: true 0, predicted 1');
  assert.equal(c.wrong.length, MAX_WRONG);
  assert.deepEqual(
    Array.from(c.wrong),
    Array.from({ length: MAX_WRONG }, (_, i) => i),
  );
});

test('regression pairs: all rows up to MAX_PAIRS, then evenly spread rows', () => {
  const small = regressionPairs([1, 2, 3], [10, 20, 30], 3);
  assert.equal(small.m, 3);
  assert.deepEqual(small.pairs, Float32Array.from([1, 10, 2, 20, 3, 30]));

  // m = 2 * MAX_PAIRS: pair k is row floor(k * m / MAX_PAIRS) = 2k.
  const m = 2 * MAX_PAIRS;
  const out = Float32Array.from({ length: m }, (_, i) => i);
  const y = Float32Array.from({ length: m }, (_, i) => -i);
  const big = regressionPairs(out, y, m);
  assert.equal(big.m, m);
  assert.equal(big.pairs.length, 2 * MAX_PAIRS);
  for (const k of [0, 1, 299, MAX_PAIRS - 1])
    assert.deepEqual([big.pairs[2 * k], big.pairs[2 * k + 1]], [2 * k, -2 * k]);
});

test('transferables: each typed array buffer once, found at any depth', () => {
  const shared = new Float32Array(8);
  const obj = { a: shared.subarray(0, 4), b: [shared.subarray(4), { c: new Uint8Array(2) }], d: 'text', e: null };
  const list = transferables(obj);
  assert.equal(list.length, 2);
  assert.ok(list.includes(shared.buffer));
  assert.ok(list.every((b) => b instanceof ArrayBuffer));
  assert.deepEqual(transferables({ x: 1 }), []);
});
