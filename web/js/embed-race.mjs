// embed-race.mjs: the embed's race mode (issue 11): embed.html#<playground hash>&race=opt:sgd,momentum,adam
// shows the race of that hash (race-state.mjs) instead of one network: the overlaid loss (and, with
// view=acc, accuracy) charts and each variant's small heat map (view=map), driven by the same Play,
// Step and Reset and the same host commands. embed.mjs hands over apply, play, pause and step when
// the hash has a race; this file only builds the race's panes and forwards to race-session.mjs.
// Host events in race mode: `ready` also carries race: { key, values, names }; `epoch` carries
// variants: [{ name, loss, accuracy, test_loss, test_accuracy }] (one entry per variant, in order)
// once every variant still training has finished that epoch.
import { createRaceSession } from './race-session.mjs';
import { raceVariants } from './race-state.mjs';
import { toCoreConfig } from './datasets.mjs';
import { el } from './dom.mjs';

// views: the embed's chosen views ('map', 'loss', 'acc'); els.views: the embed's <main>.
// post(type, body): to the host; say(text, kind): the message line; setState(state): the embed's state.
export function createEmbedRace({ client, spec, views, els, post, say, setState }) {
  const chosen = views.length ? views : ['map', 'loss'];
  const pane = (cls, ...children) => el('figure', { className: `pane ${cls}` }, ...children);
  const loss = el('canvas', { role: 'img', 'aria-label': 'Loss per epoch of each variant' });
  const acc = el('canvas', { role: 'img', 'aria-label': 'Accuracy per epoch of each variant' });
  const maps = el('div', { className: 'race-maps' });
  const note = el('p', { className: 'race-note' });
  const panes = { loss: pane('chart', loss), acc: pane('chart', acc), map: pane('race-map-pane', maps, note) };
  for (const node of els.views.children) node.hidden = true;   // the one-network panes
  els.views.append(panes.loss, panes.acc, panes.map);
  let done = 0;       // epochs reported to the host
  let queues = [];    // per variant: metrics not reported yet
  let names = [];

  // The maps' grid: the number of columns that gives the largest square maps in the pane (--cols, and
  // --side for each canvas: embed.css), measured whenever the pane changes size.
  const CAPTION_PX = 34, GAP_PX = 6;
  function fitMaps() {
    const n = names.length, w = panes.map.clientWidth, h = panes.map.clientHeight - note.offsetHeight;
    if (!n || !w || !h) return;
    const side = (cols) => Math.min((w - GAP_PX * (cols - 1)) / cols, h / Math.ceil(n / cols) - CAPTION_PX);
    const cols = Array.from({ length: n }, (_, i) => i + 1).reduce((best, c) => (side(c) > side(best) ? c : best), 1);
    maps.style.setProperty('--cols', String(cols));
    maps.style.setProperty('--side', `${Math.max(24, Math.floor(side(cols)))}px`);
  }
  new ResizeObserver(fitMaps).observe(panes.map);

  const session = createRaceSession({ client, els: { loss, acc, maps, note }, mapSize: 240, onState, onEpochs,
    onText: (epoch) => { els.epoch.value = String(epoch); } });

  function showPanes(planar, classification) {
    panes.loss.hidden = !chosen.includes('loss');
    panes.acc.hidden = !(chosen.includes('acc') && classification);
    panes.map.hidden = !chosen.includes('map');
    maps.dataset.planar = String(planar);
    fitMaps();
    els.views.dataset.count = String(Object.values(panes).filter((p) => !p.hidden).length);
  }

  function onState(state) {
    els.epoch.value = String(session.epoch);
    if (state !== 'building' && state !== 'ready') setState(state);   // apply() says ready, after the ready event
  }

  // One host event per epoch that every variant has finished (a diverged one stays behind).
  function onEpochs(metrics, diverged) {
    metrics.forEach((list, i) => queues[i].push(...list));
    while (queues.some((q) => q.length) && queues.every((q, i) => q.length || diverged[i])) {
      post('epoch', { epoch: ++done, variants: queues.map((q, i) => ({ name: names[i], ...pick(q.shift()) })) });
    }
  }
  const pick = (m) => (m ? { loss: m.loss, accuracy: m.accuracy, test_loss: m.test_loss, test_accuracy: m.test_accuracy } : { diverged: true });

  return {
    // A race on `config`: resolves to true once its variants are built.
    async apply(config, hash) {
      const { variants, error } = raceVariants(spec, config);
      if (error) { say(error, 'error'); post('error', { message: error }); setState('error'); return false; }
      names = variants.map((v) => v.name);
      queues = names.map(() => []);
      done = 0;
      let r;
      try {
        r = await session.start(variants.map((v) => ({ name: v.name, config: toCoreConfig(v.config) })));
      } catch (e) {
        say(e.message, 'error');
        post('error', { message: e.message });
        setState('error');
        return false;
      }
      if (!r) return false;
      const info = r.variants[0].info;
      showPanes(r.view !== null, info.task === 'classification');
      post('ready', { hash, epoch: 0, task: info.task, classes: info.classes, race: { ...spec, names } });
      setState('ready');
      return true;
    },
    play: (untilEpoch) => session.play(untilEpoch),
    pause: () => session.pause(),
    step: () => session.step(),
    get playing() { return session.playing; },
    get epoch() { return session.epoch; },
    debug: session.debug,
  };
}
