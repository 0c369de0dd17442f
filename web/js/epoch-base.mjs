// epoch-base.mjs: a trainer whose epoch count goes on from a restored session. The model file holds
// weights, not the epoch count, and the core has no call to set it; so the worker wraps its trainer:
// after importModel(text) with a saved epoch E, `epoch`, the metrics' `epoch` (of trainEpochs, of a
// trainBatch step and of the epoch it finished) and a divergence's `epoch` and `metrics` count from
// E (the core's own message still counts the epochs since the restore). reset() and a new trainer count from 0 again. Everything else is the engine's trainer.

export function withEpochBase(trainer) {
  let base = 0;
  const shift = (metrics) => metrics.map((m) => ({ ...m, epoch: m.epoch + base }));
  // A call whose divergence error carries epoch and metrics, shifted too.
  const shifted = (fn) => {
    try {
      return fn();
    } catch (e) {
      if (e.diverged) Object.assign(e, { epoch: e.epoch + base, metrics: shift(e.metrics ?? []) });
      throw e;
    }
  };
  const own = {
    epoch: () => trainer.epoch + base,
    setEpoch: () => (e) => { base = e - trainer.epoch; },
    reset: () => () => { base = 0; trainer.reset(); },
    trainEpochs: () => (n) => shifted(() => shift(trainer.trainEpochs(n))),
    trainBatch: () => () => shifted(() => {
      const r = trainer.trainBatch();
      return { ...r, epoch: r.epoch + base, finished: r.finished && shift([r.finished])[0] };
    }),
  };
  return new Proxy(trainer, {
    get(target, prop) {
      if (Object.hasOwn(own, prop)) return own[prop]();
      const v = target[prop];
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
