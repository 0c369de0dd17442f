// csv-parse.test.mjs: the CSV reading the page relies on, in Node (no browser): the core's parser,
// describeCsv (what the page shows of a file: header, task, classes, errors with their place) and
// dataset loader (data.cpp, through the real wasm build the page's worker runs), and the worker's
// store of pending and live files (web/js/worker-data.mjs), on good inputs (quotes, CRLF, blank
// lines, spaces, text labels, the task rule) and bad ones, each refused with a message that says
// where and what: a non-numeric cell (row, line, column, name, cell), a ragged row, an unclosed
// quote, an empty file, too few rows, too many columns, a file over the size limit, a target that
// is not a column. describeCsv and a trainer always agree.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadNodeEngine } from '../../scripts/nnplay.mjs';
import { createDataStore } from '../../web/js/worker-data.mjs';

let engine;
before(async () => { engine = await loadNodeEngine('simd'); });

// What the core makes of a CSV: the description and the trainer's data, or the error message
// (describeCsv's and the trainer's, which must be the same).
function load(csv, dataset = {}) {
  const d = engine.describeCsv(csv, dataset);
  const wide = d.task === 'classification' && d.classes > 2;
  const make = () => engine.createTrainer({
    dataset: { name: 'csv', csv, test_ratio: 0, ...dataset },
    network: { layers: [wide ? { units: d.classes, activation: 'softmax' } : { units: 1, activation: 'linear' }] },
    loss: wide ? 'cce' : 'mse',
  });
  if (d.error) {
    assert.throws(make, { message: d.error.message }, 'the trainer refuses it the same way');
    return d.error.message;
  }
  const t = make();
  const { task, classes, classNames, rawNames } = t.info;
  assert.deepEqual([task, classes, classNames, rawNames], [d.task, d.task === 'classification' ? d.classes : 0, d.classNames, d.rawNames]);
  const data = t.data();
  t.free();
  return { task, classes, classNames, rawNames, x: Array.from(data.train.x), y: Array.from(data.train.y), m: data.train.m };
}

test('the core parses quoted cells, CRLF, blank lines and spaces', () => {
  const t = engine.core.parseCsv(' a , "b,c" ,"say ""hi"""\r\n1,"2",3\r\n\r\n  \r\n4, 5 ,6\n');
  assert.deepEqual(t.header, ['a', 'b,c', 'say "hi"']);
  assert.deepEqual(t.rows, [['1', '2', '3'], ['4', ' 5 ', '6']]);
  const d = load('x1, x2 ,label\r\n1, 2.5,cat\r\n-3e2,4,dog\r\n\r\n5,6,cat');
  assert.deepEqual(d.rawNames, ['x1', 'x2']);
  assert.equal(d.task, 'classification');
  assert.deepEqual(d.classNames, ['cat', 'dog']);
  assert.equal(d.m, 3);
  assert.deepEqual([...d.x].sort((a, b) => a - b), [-300, 1, 2.5, 4, 5, 6]);
});

test('the target decides the task; the task can be overridden', () => {
  const ints = 'x,y\n1,0\n2,1\n3,2\n4,1\n';
  assert.equal(load(ints).task, 'classification');
  assert.deepEqual(load(ints).classNames, ['0', '1', '2']);
  assert.equal(load(ints, { task: 'regression' }).task, 'regression');
  assert.equal(load('x,y\n1,0.5\n2,1.5\n3,2.5\n').task, 'regression');
  assert.equal(load('x,y\n1,0.5\n2,1.5\n3,2.5\n', { task: 'classification' }).classes, 3);
  const many = 'x,y\n' + Array.from({ length: 30 }, (_, i) => `${i},${i}`).join('\n');
  assert.equal(load(many).task, 'regression', 'more than 20 distinct integers is a quantity');
  const t = load('a,b,c\n1,2,3\n4,5,6\n', { target: 'a' });
  assert.deepEqual(t.rawNames, ['b', 'c']);
});

test('bad CSVs are refused with the position and the problem', () => {
  const rows = ['id,height,age,label', ...Array.from({ length: 9 }, (_, i) => `${i},${170 + i},${30 + i},${i % 2}`)];
  rows[7] = '6,176,abc,0';   // data row 7, column 3
  const cases = [
    [rows.join('\n'), 'csv: data row 7 (line 8), column 3 ("age"): "abc" is not a number'],
    ['a,b\n1,2\n3\n', 'csv: data row 2 (line 3) has 1 cells; the header has 2'],
    ['a,b\n1,2\n3,4,5\n', 'csv: data row 2 (line 3) has 3 cells; the header has 2'],
    ['a,b\n1,2\n3,"4\n', 'csv: line 3: a quoted cell is not closed'],
    ['\n\n  \n', 'csv: the file is empty (a header row and data rows are needed)'],
    ['a,b\n', 'csv: 0 data rows; at least 2 are needed'],
    ['a,b\n1,2\n', 'csv: 1 data row; at least 2 are needed'],
    ['a\n1\n2\n', 'csv: the header has 1 column; at least 2 are needed (features and a target)'],
    ['a,b,c\n1,2,0\nnan,3,1\n', 'csv: data row 2 (line 3), column 1 ("a"): "nan" is not a number'],
    ['a,b,c\n1,,0\n2,3,1\n', 'csv: data row 1 (line 2), column 2 ("b"): "" is not a number'],
    ['a,b\n1,x\n2,y\n', 'config: dataset.target: "z" is not a column of the CSV', { target: 'z' }],
    ['a,b\n1,x\n2,y\n', 'config: dataset.task: "regression" is not allowed: the target column "b" holds non-numeric labels', { task: 'regression' }],
    [Array.from({ length: 1001 }, (_, j) => `c${j}`).join(',') + '\n', 'csv: the header has 1001 columns; the limit is 1000'],
  ];
  for (const [csv, message, ds] of cases) assert.equal(load(csv, ds), message, JSON.stringify(csv.slice(0, 40)));
  const labels = 'x,y\n' + Array.from({ length: 101 }, (_, i) => `${i},L${i}`).join('\n');
  assert.match(load(labels), /csv: the target column "y" has 101 distinct values; classification allows at most 100/);
});

test('a CSV over the size limit is refused before it is read', async () => {
  const store = createDataStore();
  const limit = engine.schema.limits.csvBytes;
  const big = { size: limit + 1, name: 'big.csv', text: () => { throw new Error('must not be read'); } };
  await assert.rejects(store.openCsv(engine, { file: big }), { message: `csv: the file is ${limit + 1} bytes; the limit is ${limit} bytes (50 MiB)` });
  assert.match(load('x'.repeat(limit + 1)), /csv: the file is 52428801 bytes; the limit is 52428800 bytes \(50 MiB\)/);
});

test('describeCsv gives the header, and each error with its row, line and column', () => {
  for (const text of ['a,b,c\n1,2,3\n4,5,6', '\n\n a ,b,c\r\n1,2,3\n4,5,6\n', '"a",b,"c"\n1,2,3\n4,5,6\n']) {
    assert.deepEqual(engine.describeCsv(text).header, ['a', 'b', 'c'], text);
  }
  assert.deepEqual(engine.describeCsv('"x, y","say ""hi""",z\n').header, ['x, y', 'say "hi"', 'z']);
  const cell = engine.describeCsv('a,b,label\n1,2,x\n3,oops,y\n');
  assert.deepEqual([cell.header, cell.error], [['a', 'b', 'label'], { message: 'csv: data row 2 (line 3), column 2 ("b"): "oops" is not a number', row: 2, line: 3, column: 2 }]);
  const ragged = engine.describeCsv('a,b\n1,2\n\n3\n');
  assert.deepEqual([ragged.header, ragged.error.row, ragged.error.line, ragged.error.column], [[], 2, 4, 0]);
  assert.deepEqual(engine.describeCsv('a,"b\n1,2\n').error, { message: 'csv: line 1: a quoted cell is not closed', row: 0, line: 1, column: 0 });
  for (const empty of ['', '\n', ' \n\t\n']) assert.equal(engine.describeCsv(empty).error.message, 'csv: the file is empty (a header row and data rows are needed)');
  const ok = engine.describeCsv('a,b,label\n1,2,x\n3,4,y\n5,6,z\n', { target: 'label' });
  assert.deepEqual([ok.error, ok.target, ok.task, ok.classes, ok.classNames, ok.rawNames, ok.rawDims, ok.rows],
    [null, 'label', 'classification', 3, ['x', 'y', 'z'], ['a', 'b'], 2, 3]);
});

test('a pending CSV does not replace the live one until a trainer uses it', async () => {
  const store = createDataStore();
  const opened = await store.openCsv(engine, { text: 'a,b,label\n1,2,x\n3,4,y\n5,6,x\n', name: 'one.csv' });
  assert.deepEqual(opened, { name: 'one.csv', bytes: 28, header: ['a', 'b', 'label'], error: null });
  const cfg = { dataset: { name: 'csv', test_ratio: 0 }, network: { layers: [{ units: 1, activation: 'sigmoid' }] }, loss: 'bce' };
  assert.throws(() => store.build(engine, cfg, 'current'), /no CSV file is loaded/);
  const described = store.describeCsv(engine, cfg, 'pending');
  assert.deepEqual([described.task, described.classes, described.classNames], ['classification', 2, ['x', 'y']]);
  store.build(engine, cfg, 'pending').trainer.free();
  store.promote('pending');
  const two = await store.openCsv(engine, { text: 'a,b,label\n1,oops,x\n3,4,y\n', name: 'two.csv' });
  assert.deepEqual([two.error.row, two.error.column], [1, 2]);
  assert.throws(() => store.describeCsv(engine, cfg, 'pending'), { message: 'csv: data row 1 (line 2), column 2 ("b"): "oops" is not a number' });
  const still = store.build(engine, cfg, 'current').trainer;   // one.csv is still the live file
  assert.equal(still.data().train.m, 3);
  still.free();
});
