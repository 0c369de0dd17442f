// schema.test.mjs: the page's SCHEMA is built from the core's config table (engine.schema) and agrees
// with the core at every boundary: for each numeric field the values just inside its range pass both
// the page's URL check and the core's normalizeConfig, and the values just outside fail both (the
// core's message naming the field); every enum value passes, an unknown one fails. No limit is
// written here: they all come from the schema, so a changed limit in config.cpp moves the test too.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { engine as loadEngine } from './_helpers.mjs';
import { SCHEMA, applyFields, defaultConfig, getField, installSchema, setField } from '../../web/js/state.mjs';
import { settle, toCoreConfig } from '../../web/js/datasets.mjs';

let engine;
before(async () => {
  engine = await loadEngine();
  installSchema(engine.schema);
});

const CSV = 'a,b,y\n1,2,0\n3,4,1\n';

// The core's verdict on the default config with one page field set: '' (accepted) or its message.
function core(row, value) {
  const page = defaultConfig();
  if (row.only) page.dataset.name = row.only[0];   // a CSV field: on csv data
  setField(page, row, value);
  const config = toCoreConfig(page);
  if (config.dataset.name === 'csv') config.dataset.csv = CSV;
  try {
    engine.normalizeConfig(config);
    return '';
  } catch (e) {
    return e.message;
  }
}

// The page's verdict on URL text for the field: '' or its message.
const page = (row, text) => applyFields(defaultConfig(), { [row.key]: String(text) }, 'URL').messages.join(' ');

// Just inside and just outside each end of a range.
function probes(row) {
  const step = row.type === 'int' ? 1 : Math.max(1e-9, Math.abs(row.max - row.min) * 1e-9);
  return [
    [row.minOpen ? row.min + step : row.min, true], [row.minOpen ? row.min : row.min - step, false],
    [row.maxOpen ? row.max - step : row.max, true], [row.maxOpen ? row.max : row.max + step, false],
  ];
}

test('the schema comes from the core and covers the page fields', () => {
  assert.ok(SCHEMA.length >= 20);
  assert.equal(new Set(SCHEMA.map((r) => r.key)).size, SCHEMA.length);
  for (const row of SCHEMA) assert.ok(row.label, `${row.key} has a label`);
  const fields = engine.schema.fields.filter((f) => f.key).map((f) => f.key);
  assert.deepEqual(SCHEMA.map((r) => r.key).filter((k) => k !== 'out'), fields);
});

test('numbers and integers: just inside passes the page and the core, just outside fails both', () => {
  let n = 0;
  for (const row of SCHEMA.filter((r) => r.type === 'int' || r.type === 'number')) {
    for (const [value, ok] of probes(row)) {
      const c = core(row, value);
      const p = page(row, value);
      if (ok) {
        assert.equal(c, '', `${row.path} = ${value}: the core accepts it`);
        assert.equal(p, '', `${row.key}=${value}: the page accepts it`);
      } else {
        assert.match(c, new RegExp(`^config: ${row.path.replace('.', '\\.')}: .* is not allowed \\(${row.allowed}\\)$`), `${row.path} = ${value}`);
        assert.match(p, new RegExp(`${row.key}=.* is not allowed \\(${row.path.replace('.', '\\.')}: ${row.allowed}\\)`), `${row.key}=${value}`);
      }
      n++;
    }
  }
  assert.ok(n >= 4 * 12, `${n} probes`);
});

test('every enum value passes the page and the core; an unknown one fails both', () => {
  for (const row of SCHEMA.filter((r) => r.type === 'enum')) {
    for (const value of row.values) {
      const next = applyFields(defaultConfig(), { ...(row.only && { data: row.only[0] }), [row.key]: value }, 'URL');
      assert.deepEqual(next.messages.filter((m) => m.includes('is not allowed')), [], `${row.key}=${value}`);
      // The page settles the output + loss pair and the units; the core takes the result.
      const settled = settle(next.config).config;
      const config = toCoreConfig(settled);
      if (config.dataset.name === 'csv') config.dataset.csv = CSV;
      assert.doesNotThrow(() => engine.normalizeConfig(config), `${row.key}=${value}`);
      // (the output + loss pair follows the data: settle may pick another one, with a note)
      if (row.key !== 'out' && row.key !== 'loss') assert.equal(getField(next.config, row), value);
    }
    assert.match(page(row, 'nope'), new RegExp(`${row.key}=nope is not allowed`));
    if (row.key !== 'out') assert.match(core(row, 'nope'), new RegExp(`^config: ${row.path.replace('.', '\\.')}: "nope" is not allowed \\(one of `));
  }
});

test('booleans, feature sets and hidden layers: the page and the core agree', () => {
  const rows = Object.fromEntries(SCHEMA.map((r) => [r.key, r]));
  assert.equal(core(rows.shuffle, 'yes'), 'config: shuffle: "yes" is not allowed (true or false)');
  assert.match(page(rows.shuffle, 'yes'), /shuffle=yes is not allowed/);
  for (const f of rows.feat.values) assert.equal(core(rows.feat, [f]), '', f);
  assert.match(core(rows.feat, ['x3']), /^config: network\.features\[0\]: "x3" is not allowed/);
  const h = rows.hidden;
  assert.equal(core(h, [{ units: h.max, activation: h.values[0] }]), '');
  assert.equal(page(h, `${h.max}:${h.values[0]}`), '');
  assert.match(core(h, [{ units: h.max + 1, activation: h.values[0] }]), /^config: network\.layers\[0\]\.units: \d+ is not allowed/);
  assert.match(page(h, `${h.max + 1}:${h.values[0]}`), /hidden=.* is not allowed/);
  const most = Array.from({ length: h.maxLayers }, () => ({ units: 2, activation: 'tanh' }));
  assert.equal(core(h, most), '');
  assert.match(core(h, [...most, most[0]]), /^config: network\.layers: .* is not allowed \(a list of 1 to/);
  assert.match(page(h, [...most, most[0]].map((l) => `${l.units}:${l.activation}`).join(',')), /hidden=.* is not allowed/);
});

test('the defaults of the page are the core defaults', () => {
  const fromPage = toCoreConfig(defaultConfig());
  const fromCore = engine.normalizeConfig({});
  delete fromPage.network.features;   // the page shows the dataset's raw inputs; the core leaves it empty
  delete fromCore.dataset.task;       // a CSV field
  assert.deepEqual(fromPage, fromCore);
});
