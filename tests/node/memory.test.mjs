// memory.test.mjs: the engine does not leak. 1,000 create-train-free cycles (with predictions,
// parameter and model copies, and one refused config each) must leave the wasm heap flat: the bytes
// malloc has handed out (mallinfo) and the stack pointer are the same before and after, and the
// wasm memory does not grow. Measured on the real build/wasm module.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { engine, requireBuild } from './_helpers.mjs';

const config = {
  dataset: { name: 'spiral', arms: 3, samples: 300 },
  network: { layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
  loss: 'cce', optimizer: { name: 'adam', learning_rate: 0.01 }, batch_size: 32,
};
// Bytes that may differ between the two readings (allocator bookkeeping); the measured figure is 0.
const bound = 1024;

function cycle(eng, i) {
  const t = eng.createTrainer({ ...config, seed: i });
  try {
    t.trainEpochs(1);
    t.predictGrid({ x0: -6, x1: 6, y0: -6, y1: 6, nx: 16, ny: 16 });
    t.predict(t.data().test.x, t.data().test.m);
    t.params();
    t.importModel(t.exportModel());
    t.evaluate('test');
  } finally {
    t.free();
  }
  assert.throws(() => eng.createTrainer({ ...config, epochs: 0 }), Error);
}

describe('wasm heap', () => {
  let eng;
  before(async () => {
    requireBuild();
    eng = await engine();
  });

  test('1,000 create-train-free cycles leave the heap flat', (t) => {
    for (let i = 0; i < 10; ++i) cycle(eng, i); // warm-up: one-time allocations
    const start = eng.memoryStats();
    for (let i = 0; i < 1000; ++i) cycle(eng, i);
    const end = eng.memoryStats();
    const grew = end.inUse - start.inUse;
    t.diagnostic(`in use before ${start.inUse} B, after ${end.inUse} B (${grew >= 0 ? '+' : ''}${grew} B); ` +
                 `heap ${start.heapSize} -> ${end.heapSize} B; stack pointer ${start.stackPointer} -> ${end.stackPointer}`);
    assert.ok(Math.abs(grew) <= bound, `in-use bytes changed by ${grew}`);
    assert.equal(end.heapSize, start.heapSize, 'the wasm memory did not grow');
    assert.equal(end.stackPointer, start.stackPointer, 'the stack pointer came back');
  });

  test('errors alone leave the heap and stack flat (10,000 refused configs)', () => {
    const bad = JSON.stringify({ ...config, network: { layers: [{ units: 8, activation: 'tanh' }, { units: 3, activation: 'sigmoid' }] } });
    assert.throws(() => eng.createTrainer(bad), Error);
    const start = eng.memoryStats();
    for (let i = 0; i < 10000; ++i) assert.throws(() => eng.createTrainer(bad), Error);
    assert.deepEqual(eng.memoryStats(), start);
  });
});
