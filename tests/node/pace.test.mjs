// pace.test.mjs: the pace as pure data (web/js/pace.mjs: the table, the link's pace= key) and the
// worker's paced Play loop (web/js/paced-play.mjs) on a fake trainer: slow motion posts one event
// per mini-batch step, each with a snapshot, on its clock; epochs per second likewise per epoch;
// full pace trains slices without waiting; a pause or a new pace ends a wait at once; a divergence
// keeps the epochs finished before it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PACE, PACES, paceOf, splitPace, withPace } from '../../web/js/pace.mjs';
import { playPaced } from '../../web/js/paced-play.mjs';

test('the link carries the pace apart from the config, the default left out', () => {
  assert.deepEqual(splitPace('#data=xor&lr=0.1&pace=b2'), { pace: 'b2', hash: '#data=xor&lr=0.1', messages: [] });
  assert.deepEqual(splitPace('#pace=e10&data=xor'), { pace: 'e10', hash: '#data=xor', messages: [] });
  assert.deepEqual(splitPace(''), { pace: DEFAULT_PACE, hash: '#', messages: [] });
  const bad = splitPace('#data=xor&pace=fast');
  assert.equal(bad.pace, 'max');
  assert.equal(bad.hash, '#data=xor');
  assert.deepEqual(bad.messages, ['Pace: "fast" is not allowed (one of b2, b5, b20, e1, e3, e10, e30, e100, max); using "as fast as possible".']);
  assert.equal(withPace('#data=xor', 'b5'), '#data=xor&pace=b5');
  assert.equal(withPace('#data=xor', 'max'), '#data=xor');
  for (const p of PACES) assert.equal(splitPace(withPace('#data=xor', p.id)).pace, p.id);
  assert.equal(paceOf('nonsense').id, 'max');
  // Slowest first (the slider's left end): batches, then epochs, then full pace, each rising.
  const rank = { batch: 0, epoch: 1, max: 2 };
  for (let i = 1; i < PACES.length; i++) {
    const [a, b] = [PACES[i - 1], PACES[i]];
    assert.ok(rank[a.unit] < rank[b.unit] || (a.unit === b.unit && a.perSecond < b.perSecond), `${a.id} before ${b.id}`);
  }
});

// A trainer of `m` samples in batches of `batch`: counts its calls; epochs take `epochMs` of busy time.
function fakeTrainer({ m = 40, batch = 10, epochMs = 0, divergeAt = Infinity } = {}) {
  const t = { epoch: 0, epochPosition: 0, batches: 0 };
  const finish = () => ({ epoch: ++t.epoch, loss: 1 / t.epoch, accuracy: null, test_loss: null, test_accuracy: null });
  t.trainBatch = () => {
    t.batches++;
    const n = Math.min(batch, m - t.epochPosition);
    t.epochPosition += n;
    const r = { epoch: t.epoch + 1, position: t.epochPosition, samples: n, loss: 0.5, finished: null };
    if (t.epochPosition === m) { t.epochPosition = 0; r.finished = finish(); }
    return r;
  };
  t.trainEpochs = () => {
    if (t.epoch + 1 >= divergeAt) throw Object.assign(new Error('training diverged'), { diverged: true, metrics: [] });
    const end = performance.now() + epochMs;
    while (performance.now() < end) { /* busy, as a real epoch */ }
    return [finish()];
  };
  return t;
}

// Plays and collects the events; hooks as the worker gives them.
async function play(trainer, run, { onEvent } = {}) {
  const events = [];
  const t0 = performance.now();
  Object.assign(run, { stop: run.stop ?? false, wake: null, id: 7 });   // the loop's own run object
  const out = await playPaced(trainer, run, {
    trainSamples: 40,
    rest: () => new Promise((r) => setImmediate(r)),
    snapshot: ({ insight }) => ({ grid: 'g', params: 'p', hist: 'h', insight: insight ? 'i' : undefined, transfer: [] }),
    post: (msg) => { events.push({ ...msg, at: performance.now() - t0 }); onEvent?.(msg); },
  });
  return { out, events, ms: performance.now() - t0 };
}

test('slow motion: one event per mini-batch step, each with a snapshot, on the pace clock', async () => {
  const trainer = fakeTrainer();
  const { out, events, ms } = await play(trainer, { untilEpoch: 2, pace: 'b20' });
  assert.equal(out.reason, 'done');
  assert.equal(events.length, 8, '2 epochs of 4 steps');
  assert.deepEqual(events.map((e) => e.batch.position), [10, 20, 30, 40, 10, 20, 30, 40]);
  assert.ok(events.every((e) => e.grid === 'g' && e.params === 'p' && e.hist === 'h'));
  assert.deepEqual(events.map((e) => e.metrics.length), [0, 0, 0, 1, 0, 0, 0, 1]);
  assert.deepEqual(events.map((e) => e.insight), [undefined, undefined, undefined, 'i', undefined, undefined, undefined, 'i'],
    'insight (test outputs) only after an epoch');
  assert.ok(ms >= 7 * 50 - 5, `8 steps at 20 a second take at least 350 ms: ${ms}`);
  assert.ok(events.at(-1).samplesPerSecond < 400, `the rate seen, waits included: ${events.at(-1).samplesPerSecond}`);
});

test('epochs per second: one epoch per tick at 10 a second, with a snapshot each', async () => {
  const { events, ms } = await play(fakeTrainer(), { untilEpoch: 4, pace: 'e10' });
  assert.deepEqual(events.map((e) => e.metrics.map((m) => m.epoch)), [[1], [2], [3], [4]]);
  assert.ok(events.every((e) => e.grid === 'g' && !e.batch));
  assert.ok(ms >= 300 - 5, `4 epochs at 10 a second: ${ms} ms`);
});

test('full pace: slices of whole epochs without waiting, snapshots thinned', async () => {
  const { out, events, ms } = await play(fakeTrainer(), { untilEpoch: 5000, pace: 'max' });
  assert.equal(out.reason, 'done');
  assert.equal(events.flatMap((e) => e.metrics).length, 5000);
  assert.ok(events.length < 50, `epochs posted in slices of many: ${events.length} events`);
  assert.ok(events.filter((e) => e.grid).length <= Math.ceil(ms / 100) + 1, 'at most ~10 snapshots a second');
  assert.ok(events.at(-1).grid, 'the last slice has its snapshot');
  assert.ok(ms < 1500, `no clock: ${ms} ms for 5000 instant epochs`);
});

test('a pause or a new pace ends a wait at once; the pace can change mid-run', async () => {
  const run = { untilEpoch: 100, pace: 'b2' };
  let n = 0;
  const { out, events } = await play(fakeTrainer(), run, {
    onEvent: () => {
      n++;
      if (n === 1) setTimeout(() => { run.pace = 'max'; run.wake(); }, 10);   // setPace
    },
  });
  assert.equal(out.reason, 'done');
  assert.ok(events[0].batch && !events[1].batch, 'slow motion, then whole epochs');
  assert.ok(events[1].at - events[0].at < 450, `the 2-a-second wait (500 ms) was cut short: ${events[1].at - events[0].at} ms`);

  const run2 = { untilEpoch: 100, pace: 'b2' };
  const t = performance.now();
  const r2 = await play(fakeTrainer(), run2, { onEvent: () => setTimeout(() => { run2.stop = true; run2.wake(); }, 10) });
  assert.equal(r2.out.reason, 'paused');
  assert.equal(r2.events.length, 1);
  assert.ok(performance.now() - t < 450, 'a pause does not wait for the next tick (500 ms away)');
});

test('a divergence returns the epochs of its slice finished before it', async () => {
  const { out } = await play(fakeTrainer({ divergeAt: 3 }), { untilEpoch: 10, pace: 'max' });
  assert.equal(out.reason, 'diverged');
  assert.deepEqual(out.metrics.map((m) => m.epoch), [1, 2]);
});
