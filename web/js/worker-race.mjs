// worker-race.mjs: the worker side of a race (issue 11): 2 to 4 trainers, variants of one network,
// trained in lockstep on data made once. A turn trains one epoch of every variant in order; a slice
// runs turns for about SLICE_MS (at least one), posts their metrics in one event and yields, so a
// pause is seen between slices and the curves stay comparable while they train. Each variant is an
// ordinary trainer of its own config (engine.createTrainer), so it gives exactly the losses of that
// config trained alone; the first shares the playground trainer's data when its dataset section is
// the same, the others share the first's (engine.mjs: createTrainer(cfg, other)). It computes
// nothing itself: metrics, grids and weights come from the core. It is not the playground's run: a
// race stops that run when it starts, and the playground's trainer stays as it was.
//
// Requests (worker.mjs's protocol: { id, type, ...args } -> { id, ok, result }; events carry the id
// of the racePlay request that started the run):
//   raceStart  { variants: [{ name, config }] }   { epoch: 0, view, data, hasTest, sameStart, variants:
//                [{ name, info, epoch, grid }] }   stops the playground's run and any race first.
//                sameStart: every variant's initial W and b are equal, bit for bit. view/grid: the
//                heat map's grid spec (smaller than the playground's) and each variant's grid, null
//                for data of more than 2 inputs; data: the points of planar data (else null)
//   racePlay   { untilEpoch }   { epoch } at once; then events until the race stops:
//                raceProgress { epoch, metrics: [[per-epoch metrics of this slice] per variant],
//                               diverged: [message | null per variant], grids?: [per variant] }
//                raceStopped  { reason: 'paused' | 'done' | 'error', epoch, error? }
//   racePause  {}   { epoch } once the running slice has finished
//   raceStep   {}   { epoch, metrics, diverged, grids }: one turn (refused while playing)
//   raceReset  {}   as raceStart, on the same trainers: fresh weights, epoch 0, the data kept
//   raceStop   {}   { stopped: true }: the trainers are freed
//   raceParams {}   { variants: [[{ W, b } per layer] per variant] }: the current weights (tests)
// A variant whose loss diverges stops there (its message in `diverged`, its epochs stay behind);
// the others go on. The race's epoch is the number of turns done.

const GRID_SIDE = 64;        // cells per side of a variant's small heat map
const GRID_MIN_MS = 200;     // grids at most 5 times a second...
const GRID_COST = 4;         // ...and at most a quarter of the worker's time

// deps, from worker.mjs: getEngine(), build(engine, config, source) -> Trainer (the data store's,
// source: a trainer to share data with, or null for the playground's), stopLive() (stops its run),
// gridView(data, rawDims), yieldToEvents(), sliceMs.
export function raceHandlers({ getEngine, build, stopLive, gridView, yieldToEvents, sliceMs }) {
  let race = null;   // { variants: [{ name, trainer, diverged }], view, epoch }
  let run = null;    // { stop, finished } while playing

  const needRace = () => { if (!race) throw new Error('no race: send raceStart first'); };

  function free() {
    for (const v of race?.variants ?? []) v.trainer.free();
    race = null;
  }

  async function stopRace() {
    if (!run) return;
    run.stop = true;
    await run.finished;
  }

  function grids() {
    const out = race.variants.map((v) => (race.view ? v.trainer.predictGrid(race.view) : null));
    return [out, out.filter(Boolean).map((g) => g.buffer)];
  }

  // True when every variant's initial weights equal the first's, bit for bit.
  function sameStart() {
    const [first, ...rest] = race.variants.map((v) => v.trainer.params());
    const equal = (a, b) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
    return rest.every((p) => p.length === first.length && p.every((l, i) => equal(l.W, first[i].W) && equal(l.b, first[i].b)));
  }

  // The raceStart / raceReset result: names, infos, the grid spec, the data points and first grids.
  function started() {
    const first = race.variants[0].trainer;
    const info = first.info;
    const full = first.config.dataset.name === 'fashion_mnist' ? null : first.data();   // images: never copied out
    const planar = full !== null && info.rawDims <= 2;
    race.view = planar ? { ...gridView(full, info.rawDims), ...(info.rawDims === 2 ? { nx: GRID_SIDE, ny: GRID_SIDE } : {}) } : null;
    const hasTest = full ? full.test.m > 0 : true;   // Fashion-MNIST always has its test images
    const [g, transfer] = grids();
    const variants = race.variants.map((v, i) => ({ name: v.name, info: v.trainer.info, epoch: 0, grid: g[i] }));
    const dataBuffers = planar ? [full.train.x.buffer, full.train.y.buffer, full.test.x.buffer, full.test.y.buffer] : [];
    return [{ epoch: 0, view: race.view, data: planar ? full : null, hasTest, sameStart: sameStart(), variants }, [...transfer, ...dataBuffers]];
  }

  // One turn: an epoch of every variant still going (in order). Returns its metrics per variant.
  function turn(untilEpoch) {
    const metrics = race.variants.map(() => []);
    race.variants.forEach((v, i) => {
      if (v.diverged || v.trainer.epoch >= untilEpoch) return;
      try {
        metrics[i].push(...v.trainer.trainEpochs(1));
      } catch (e) {
        if (!e.diverged) throw e;
        v.diverged = e.message;   // the core's message; its last finite weights are kept
      }
    });
    race.epoch = Math.max(...race.variants.map((v) => v.trainer.epoch));
    return metrics;
  }

  const going = (untilEpoch) => race.variants.some((v) => !v.diverged && v.trainer.epoch < untilEpoch);
  const divergedList = () => race.variants.map((v) => v.diverged);

  async function play(id, untilEpoch) {
    let finish;
    const me = { stop: false, finished: new Promise((resolve) => { finish = resolve; }) };
    run = me;
    let nextGrid = 0, reason = 'done', error;
    try {
      while (!me.stop && going(untilEpoch)) {
        const t0 = performance.now();
        const metrics = race.variants.map(() => []);
        do turn(untilEpoch).forEach((m, i) => metrics[i].push(...m));
        while (performance.now() - t0 < sliceMs && going(untilEpoch));
        const t1 = performance.now();
        const msg = { id, event: 'raceProgress', epoch: race.epoch, metrics, diverged: divergedList() };
        let transfer = [];
        if (t1 >= nextGrid || !going(untilEpoch)) {
          [msg.grids, transfer] = grids();
          nextGrid = t1 + Math.max(GRID_MIN_MS, GRID_COST * (performance.now() - t1));
        }
        postMessage(msg, transfer);
        await yieldToEvents();
      }
      if (me.stop) reason = 'paused';
    } catch (e) {
      reason = 'error';
      error = e.message;
    }
    run = null;
    postMessage({ id, event: 'raceStopped', reason, epoch: race?.epoch ?? 0, error });
    finish();
  }

  return {
    async raceStart({ variants }) {
      if (!Array.isArray(variants) || variants.length < 2 || variants.length > 4) throw new Error('raceStart: 2 to 4 variants are needed');
      const engine = await getEngine();
      await stopLive();
      await stopRace();
      free();
      const made = [];
      try {
        for (const { name, config } of variants) made.push({ name, trainer: build(engine, config, made[0]?.trainer ?? null), diverged: null });
      } catch (e) {
        for (const v of made) v.trainer.free();
        throw e;
      }
      race = { variants: made, view: null, epoch: 0 };
      return started();
    },
    racePlay({ untilEpoch }, id) {
      needRace();
      if (run) throw new Error('the race is already playing');
      play(id, untilEpoch);
      return { epoch: race.epoch };
    },
    async racePause() {
      await stopRace();
      return { epoch: race?.epoch ?? 0 };
    },
    raceStep() {
      needRace();
      if (run) throw new Error('cannot step while the race plays: pause first');
      const metrics = turn(race.epoch + 1);
      const [g, transfer] = grids();
      return [{ epoch: race.epoch, metrics, diverged: divergedList(), grids: g }, transfer];
    },
    async raceReset() {
      needRace();
      await stopRace();
      for (const v of race.variants) {
        v.trainer.reset();
        v.diverged = null;
      }
      race.epoch = 0;
      return started();
    },
    async raceStop() {
      await stopRace();
      free();
      return { stopped: true };
    },
    raceParams() {
      needRace();
      const variants = race.variants.map((v) => v.trainer.params().map(({ W, b }) => ({ W, b })));
      return [{ variants }, variants.flatMap((p) => p.flatMap((l) => [l.W.buffer, l.b.buffer]))];
    },
  };
}
