// epoch-base.mjs: a trainer whose epoch count goes on from a restored session. The model file holds
// weights, not the epoch count, and the core has no call to set it; so the worker wraps its trainer:
// after importModel(text) with a saved epoch E, `epoch`, the metrics' `epoch` and a divergence's
// `epoch` and `metrics` count from E (the core's own message still counts the epochs since the
// restore). reset() and a new trainer count from 0 again. Everything else is the engine's trainer.

export function withEpochBase(trainer) {
  let base = 0;
  const shift = (metrics) => metrics.map((m) => ({ ...m, epoch: m.epoch + base }));
  const own = {
    epoch: () => trainer.epoch + base,
    setEpoch: () => (e) => { base = e - trainer.epoch; },
    reset: () => () => { base = 0; trainer.reset(); },
    trainEpochs: () => (n) => {
      try {
        return shift(trainer.trainEpochs(n));
      } catch (e) {
        if (e.diverged) Object.assign(e, { epoch: e.epoch + base, metrics: shift(e.metrics ?? []) });
        throw e;
      }
    },
  };
  return new Proxy(trainer, {
    get(target, prop) {
      if (Object.hasOwn(own, prop)) return own[prop]();
      const v = target[prop];
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
