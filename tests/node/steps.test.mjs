// steps.test.mjs: the arrow keys' and spinners' steps of the page's number fields (steps.mjs), as the
// core's config table describes them (config.h Stepping): rates along 1-3 per decade (0.03 -> 0.1 ->
// 0.3), epsilon by decades, penalties up from 0, momentum and betas along the gap to 1, counts along
// 1-2-5, noise by 0.05; never outside a field's range, and every step from a default is a value the
// page's own check accepts.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { engine as loadEngine } from './_helpers.mjs';
import { SCHEMA, applyFields, defaultConfig, installSchema, rowByKey } from '../../web/js/state.mjs';
import { nextValue } from '../../web/js/steps.mjs';

before(async () => { installSchema((await loadEngine()).schema); });

// The values after n steps of dir from x.
function walk(key, x, dir, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(x = nextValue(rowByKey(key), x, dir));
  return out;
}

test('the learning rate steps 0.03 -> 0.1 -> 0.3, down to 0.01, and stops at its maximum', () => {
  assert.deepEqual(walk('lr', 0.03, 1, 4), [0.1, 0.3, 1, 3]);
  assert.deepEqual(walk('lr', 0.03, -1, 3), [0.01, 0.003, 0.001]);
  assert.deepEqual(walk('lr', 3, 1, 2), [10, 10]);
  assert.deepEqual([nextValue(rowByKey('lr'), 0.05, 1), nextValue(rowByKey('lr'), 0.05, -1)], [0.1, 0.03], 'off the ladder: the next value on it');
});

test('epsilon steps by decades; L1 and L2 leave 0 for 1e-4 and come back to it', () => {
  assert.deepEqual(walk('eps', 1e-8, 1, 2), [1e-7, 1e-6]);
  assert.deepEqual(walk('eps', 1e-8, -1, 1), [1e-9]);
  for (const key of ['l1', 'l2']) {
    assert.deepEqual(walk(key, 0, 1, 3), [1e-4, 3e-4, 1e-3], key);
    assert.deepEqual(walk(key, 3e-4, -1, 3), [1e-4, 0, 0], key);
  }
});

test('momentum and the betas step along the gap to 1, never reaching it', () => {
  assert.deepEqual(walk('mom', 0.9, 1, 2), [0.97, 0.99]);
  assert.deepEqual(walk('mom', 0.9, -1, 2), [0.7, 0]);
  assert.deepEqual(walk('b2', 0.999, 1, 1), [0.9997]);
  assert.deepEqual(walk('b2', 0.999, -1, 1), [0.997]);
  assert.ok(walk('b1', 0.9, 1, 30).every((v) => v < 1));
});

test('counts step 1-2-5 (batch 0 is the full batch), noise and test ratio by 0.05, seeds by 1', () => {
  assert.deepEqual(walk('epochs', 100, 1, 3), [200, 500, 1000]);
  assert.deepEqual(walk('batch', 10, -1, 5), [5, 2, 1, 0, 0]);
  assert.deepEqual(walk('batch', 0, 1, 2), [1, 2]);
  assert.deepEqual(walk('samples', 20, -1, 2), [10, 10]);
  assert.deepEqual(walk('noise', 0.1, 1, 2), [0.15, 0.2]);
  assert.deepEqual(walk('test', 0.85, 1, 2), [0.9, 0.9]);
  assert.deepEqual(walk('seed', 1, 1, 2), [2, 3]);
});

test('every number field has a step from the core, and steps from its default are valid values', () => {
  const rows = SCHEMA.filter((r) => r.type === 'int' || r.type === 'number');
  assert.ok(rows.length >= 12);
  for (const row of rows) {
    assert.ok(row.step && ['linear', 'log', 'log_gap'].includes(row.step.scale), `${row.key}: ${JSON.stringify(row.step)}`);
    const base = applyFields(defaultConfig(), row.only ? { data: row.only[0] } : {}, 'URL').config;
    for (const dir of [1, -1]) {
      let x = Number(row.def);
      for (let i = 0; i < 6; i++) {
        x = nextValue(row, x, dir);
        const { messages } = applyFields(base, { [row.key]: String(x) }, 'URL');
        assert.deepEqual(messages.filter((m) => m.includes('not allowed')), [], `${row.key} ${dir > 0 ? 'up' : 'down'} to ${x}`);
      }
    }
  }
});
