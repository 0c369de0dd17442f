// paced-play.mjs: the worker's Play loop at the page's pace (pace.mjs). It trains, posts `progress`
// events and waits; the worker (worker.mjs) owns the trainer, the snapshots and the protocol.
//   max    whole epochs for SLICE_MS per slice (at least one), the snapshot (heat map, weights,
//          histograms) at most every GRID_MIN_MS and at most 1/GRID_COST of the time: today's speed.
//   epoch  whole epochs on a clock of perSecond, a snapshot after every tick (ticks >= TICK_MIN_MS).
//   batch  slow motion: one mini-batch step (the core's trainBatch) per tick and a snapshot after
//          each; the event carries the batch { epoch, position, samples, loss } for the chart.
// The run object is shared with the worker's handlers: `stop` and `pace` may change while the loop
// waits (a pause, a new pace: wake() ends the wait at once), `untilEpoch` when the epochs change.
// Between two steps the loop yields to the event loop, so requests (pause, updateSettings, setPace,
// exportModel) run between steps, never inside one.
import { paceOf } from './pace.mjs';

export const SLICE_MS = 25;
const GRID_MIN_MS = 100;   // at most 10 snapshots a second at full pace...
const GRID_COST = 4;       // ...and the snapshot at most a quarter of the worker's time
const TICK_MIN_MS = 40;    // paced: at most 25 snapshots a second
const MAX_DEBT_MS = 1000;  // a pace the trainer cannot keep: the clock forgets what it is behind

// Waits until `at` (performance.now() time) or until run.wake() is called.
function waitUntil(run, at) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(0, at - performance.now()));
    function done() { clearTimeout(timer); run.wake = null; resolve(); }
    run.wake = done;
  });
}

// One tick's training at pace p, its finished epochs pushed onto metrics (so a divergence keeps
// those before it): { batch: the step or null, samples }.
function trainTick(trainer, p, run, clock, metrics) {
  if (p.unit === 'batch') {
    const b = trainer.trainBatch();
    clock.done++;
    if (b.finished) metrics.push(b.finished);
    return { batch: { epoch: b.epoch, position: b.position, samples: b.samples, loss: b.loss }, samples: b.samples };
  }
  const t0 = performance.now();
  const more = () => (p.unit === 'max'
    ? performance.now() - t0 < SLICE_MS
    : clock.done * 1000 / p.perSecond <= performance.now() - clock.start && performance.now() - t0 < SLICE_MS);
  do {
    metrics.push(...trainer.trainEpochs(1));
    clock.done++;
  } while (!run.stop && more() && trainer.epoch < run.untilEpoch);
  return { batch: null, samples: metrics.length * clock.trainSamples };
}

// Plays run = { id, untilEpoch, pace, stop } on trainer until untilEpoch or a stop. hooks:
// snapshot({ insight }) -> { grid, params, hist, insight, transfer }, post(msg, transfer),
// rest() -> a promise (the worker's yield between full-pace slices), trainSamples.
// Returns { reason: 'done' | 'paused' | 'error' | 'diverged', error?, metrics }; metrics: the
// epochs of the tick a divergence ended (with the error's own), for the worker's last event.
export async function playPaced(trainer, run, { snapshot, post, rest, trainSamples }) {
  let nextGrid = 0;
  let pace = null;
  let clock = null;
  let last = performance.now();
  let metrics = [];
  try {
    while (!run.stop && trainer.epoch < run.untilEpoch) {
      const p = paceOf(run.pace);
      if (p !== pace) { pace = p; clock = { start: performance.now(), done: 0, trainSamples }; }
      const t0 = performance.now();
      metrics = [];
      const tick = trainTick(trainer, p, run, clock, metrics);
      const t1 = performance.now();
      const end = trainer.epoch >= run.untilEpoch;
      // Full pace: the training rate of the slice; paced: the rate seen, waits included.
      const seconds = Math.max(1e-6, (p.unit === 'max' ? t1 - t0 : t1 - last) / 1000);
      last = t1;
      const msg = { id: run.id, event: 'progress', metrics, epoch: trainer.epoch, position: trainer.epochPosition,
        samplesPerSecond: tick.samples / seconds };
      if (tick.batch) msg.batch = tick.batch;
      let transfer = [];
      if (p.unit !== 'max' || t1 >= nextGrid || end) {
        // The test split's outputs are fresh only after an epoch (insight reads them).
        const s = snapshot({ insight: !tick.batch || metrics.length > 0 });
        Object.assign(msg, { grid: s.grid, params: s.params, hist: s.hist });
        if (s.insight !== undefined) msg.insight = s.insight;
        transfer = s.transfer;
        nextGrid = t1 + Math.max(GRID_MIN_MS, GRID_COST * (performance.now() - t1));
      }
      post(msg, transfer);
      if (p.unit === 'max') { await rest(); continue; }
      const due = clock.start + (clock.done * 1000) / p.perSecond;
      if (performance.now() - due > MAX_DEBT_MS) clock = { start: performance.now(), done: 0, trainSamples };
      await waitUntil(run, Math.max(due, t0 + TICK_MIN_MS));
    }
    return { reason: run.stop ? 'paused' : 'done', metrics: [] };
  } catch (e) {
    return { reason: e.diverged ? 'diverged' : 'error', error: e.message, metrics: [...metrics, ...(e.metrics ?? [])] };
  }
}
