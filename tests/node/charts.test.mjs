// charts.test.mjs: the loss and accuracy charts' thinning (web/js/charts.mjs thin(), pure, no
// browser): a short series is drawn whole; a long one is cut to at most `shown` points in epoch order
// that keep the first and last point and, for every run of epochs, its lowest and highest value, so
// no spike or dip leaves the drawn envelope. Gaps (null values: no test split) are skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thin } from '../../web/js/charts.mjs';

// A noisy decaying loss with a few isolated spikes and dips.
function series(n) {
  let s = 7;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: n }, (_, i) => ({ x: i + 1, y: Math.exp(-i / n) + 0.05 * rnd() + (i % 997 === 500 ? 3 : 0) - (i % 1999 === 1234 ? 0.9 : 0) }));
}

test('a series up to `shown` points is drawn whole, without its gaps', () => {
  const s = series(300);
  assert.deepEqual(thin(s, 300), s);
  const gaps = s.map((p, i) => (i % 3 ? p : { x: p.x, y: null }));
  assert.deepEqual(thin(gaps, 300), gaps.filter((p) => p.y !== null));
});

test('a long series keeps at most `shown` points, in order, with every bucket\'s min and max', () => {
  for (const n of [301, 1000, 12345, 40000]) {
    const s = series(n);
    const out = thin(s, 300);
    assert.ok(out.length <= 300, `${n}: ${out.length} points`);
    for (let i = 1; i < out.length; i++) assert.ok(out[i].x > out[i - 1].x, `${n}: epoch order at ${i}`);
    assert.equal(out[0], s[0]);
    assert.equal(out.at(-1), s.at(-1));
    const ys = s.map((p) => p.y);
    assert.ok(out.some((p) => p.y === ys.reduce((a, b) => Math.max(a, b))), `${n}: the highest point is kept`);
    assert.ok(out.some((p) => p.y === ys.reduce((a, b) => Math.min(a, b))), `${n}: the lowest point is kept`);
    // Each bucket of epochs (thin's: `shown` / 4 of them) keeps its own lowest and highest point,
    // so the drawn envelope is the data's.
    const size = Math.ceil(n / 75);
    for (let b = 0; b < n; b += size) {
      const bucket = s.slice(b, b + size);
      const kept = out.filter((p) => p.x >= bucket[0].x && p.x <= bucket.at(-1).x).map((p) => p.y);
      const ys2 = bucket.map((p) => p.y);
      assert.equal(Math.max(...kept), ys2.reduce((a, c) => Math.max(a, c)), `${n}: bucket at epoch ${bucket[0].x}`);
      assert.equal(Math.min(...kept), ys2.reduce((a, c) => Math.min(a, c)), `${n}: bucket at epoch ${bucket[0].x}`);
    }
  }
});
