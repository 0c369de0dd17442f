// race-session.mjs: one race on the page: the page's side of the worker's race requests
// (worker-race.mjs) and the race's displays: the overlaid loss and accuracy charts (race-charts.mjs)
// and one small heat map per variant (boundary.mjs) with its name, colour and last metrics. Shared by
// the playground's race panel (race.mjs) and the embed's race mode (embed-race.mjs), which own the
// buttons, the URL and the choice of variants. Main-thread work stays small: charts redraw at most
// twice a second each, metrics text four times a second, maps when the worker sends grids (at most
// five times a second). Every number shown comes from the worker.
import { createRaceCharts, RACE_COLORS } from './race-charts.mjs';
import { createBoundary } from './boundary.mjs';
import { el, pct } from './dom.mjs';

const TEXT_MS = 250;
const fmt = (v) => (v == null ? '-' : Number(v).toPrecision(4));

// els: { loss, acc: canvases; maps: the container of the variants' figures; note: the start note }.
// onState(state): 'building' | 'ready' | 'playing' | 'paused' | 'done' | 'error', after each change;
// onEpochs(metrics, diverged): each batch of new epochs (per variant), as the worker sent it;
// onText(epoch): with the throttled text, for a caller's own epoch counter.
export function createRaceSession({ client, els, onState = () => {}, onEpochs = () => {}, onText = () => {}, mapSize = 480 }) {
  const charts = createRaceCharts(els.loss, els.acc);
  let race = null;      // { names, figures, boundaries, metrics: [[...]], diverged, epoch, sameStart, untilEpoch }
  let playId = null;
  let generation = 0;   // a newer start() makes an older one's reply stale
  let state = 'idle';
  let textTimer = null;

  const setState = (s) => { state = s; onState(s); };

  // One figure per variant: its colour, name, metrics line and (planar data) its heat map.
  function buildFigures(r) {
    const figures = r.variants.map((v, i) => {
      const canvas = r.view ? el('canvas', { width: mapSize, height: mapSize, role: 'img', 'aria-label': `Heat map of ${v.name}` }) : null;
      const metrics = el('span', { className: 'race-metrics' }, '-');
      const acc = el('span', { className: 'race-acc' });
      const diverged = el('span', { className: 'race-diverged' });
      const caption = el('figcaption', {}, el('span', { className: 'race-swatch', 'aria-hidden': 'true' }), el('strong', {}, v.name), ' ',
        metrics, acc, diverged);
      const figure = el('figure', { className: 'race-map' }, ...(canvas ? [canvas] : []), caption);
      figure.style.setProperty('--race-color', RACE_COLORS[i]);
      return { figure, canvas, metrics, acc, diverged };
    });
    els.maps.replaceChildren(...figures.map((f) => f.figure));
    return figures;
  }

  function showText({ now = false } = {}) {
    const write = () => {
      textTimer = null;
      if (!race) return;
      onText(race.epoch);
      race.figures.forEach((f, i) => {
        const m = race.metrics[i].at(-1);
        const acc = m?.test_accuracy ?? m?.accuracy;
        f.metrics.textContent = m ? `loss ${fmt(m.loss)}` : 'epoch 0';
        f.acc.textContent = m && acc != null ? `${m.test_accuracy == null ? 'train' : 'test'} accuracy ${pct(acc)}` : '';
        f.diverged.textContent = race.diverged[i] ? ` diverged at epoch ${race.metrics[i].length + 1}` : '';
        f.diverged.title = race.diverged[i] ?? '';
      });
    };
    if (now) { clearTimeout(textTimer); write(); } else if (!textTimer) textTimer = setTimeout(write, TEXT_MS);
  }

  function drawGrids(grids) {
    if (!grids) return;
    race.grids = grids;
    grids.forEach((g, i) => { if (g) race.boundaries[i]?.draw(g); });
  }

  // New epochs of every variant: charts, text, maps.
  function progress({ epoch, metrics, diverged, grids }) {
    race.epoch = epoch;
    metrics.forEach((list, i) => race.metrics[i].push(...list));
    race.diverged = diverged;
    charts.append(metrics);
    drawGrids(grids);
    showText();
    onEpochs(metrics, diverged);
  }

  // Shows a fresh race (start or reset reply) of the variants named `names`, made from `configs`.
  function show(r, names, configs) {
    const figures = buildFigures(r);
    const boundaries = figures.map((f, i) => {
      if (!f.canvas) return null;
      const b = createBoundary(f.canvas);
      b.setRun(r.variants[i].info, r.view, r.data);
      return b;
    });
    const info = r.variants[0].info;
    race = { view: r.view, grids: [], names, figures, boundaries, metrics: names.map(() => []), diverged: names.map(() => null), epoch: 0, sameStart: r.sameStart, configs };
    charts.reset(names, { hasTest: r.hasTest, classification: info.task !== 'regression' });
    drawGrids(r.variants.map((v) => v.grid));
    showText({ now: true });
    els.note.textContent = r.sameStart
      ? `All ${names.length} variants start from the same initial weights (checked, bit for bit) and train on the same data.`
      : `The variants start from different initial weights (what differs changes them); they train on the same data.`;
  }

  client.onEvent((e) => {
    if (e.event === 'crashed') { race = null; playId = null; setState('error'); return; }
    if (e.id === undefined || e.id !== playId) return;
    if (e.event === 'raceProgress') progress(e);
    else if (e.event === 'raceStopped') {
      playId = null;
      charts.flush();
      showText({ now: true });
      setState(e.reason === 'done' ? 'done' : e.reason === 'error' ? 'error' : 'paused');
    }
  });

  return {
    // Builds the variants' trainers ([{ name, config }] in the core's format) and shows them at epoch 0.
    async start(variants) {
      const me = ++generation;
      playId = null;
      setState('building');
      let r;
      try {
        r = await client.request('raceStart', { variants });
      } catch (e) {
        if (me === generation) setState('error');
        throw e;
      }
      if (me !== generation) return null;
      show(r, variants.map((v) => v.name), variants.map((v) => v.config));
      setState('ready');
      return r;
    },
    play(untilEpoch) {
      if (!race || playId !== null || state === 'building') return false;
      if (race.epoch >= untilEpoch) return false;
      const { id, done } = client.start('racePlay', { untilEpoch });
      playId = id;
      setState('playing');
      done.catch(() => { playId = null; setState('error'); });
      return true;
    },
    async pause() {
      if (playId !== null) await client.request('racePause');
    },
    async step() {
      if (!race || playId !== null || state === 'building') return false;
      const r = await client.request('raceStep');
      progress(r);
      charts.flush();
      showText({ now: true });
      setState('paused');
      return true;
    },
    async reset() {
      if (!race) return null;
      const me = ++generation;
      playId = null;
      setState('building');
      const r = await client.request('raceReset');
      if (me !== generation) return null;
      show(r, race.names, race.configs);
      setState('ready');
      return r;
    },
    async stop() {
      ++generation;
      playId = null;
      race = null;
      els.maps.replaceChildren();
      setState('idle');
      await client.request('raceStop').catch(() => {});
    },
    get state() { return state; },
    get playing() { return playId !== null; },
    get epoch() { return race?.epoch ?? 0; },
    // A read-only window for tests: copies, never live objects.
    debug: Object.freeze({
      get ready() { return race !== null && state !== 'building'; },
      get state() { return state; },
      get epoch() { return race?.epoch ?? 0; },
      get names() { return race ? [...race.names] : []; },
      get sameStart() { return race?.sameStart ?? null; },
      configs: () => (race ? structuredClone(race.configs) : []),   // the variants' configs as sent (core format)
      metrics: () => (race ? race.metrics.map((list) => list.map((m) => ({ ...m }))) : []),
      diverged: () => (race ? [...race.diverged] : []),
      chartPoints: () => charts.pointCounts(),
      // The heat-map grid spec and each variant's last grid drawn (plain arrays; null without a map).
      grids: () => (race ? { view: race.view, grids: race.grids.map((g) => (g ? Array.from(g) : null)) } : null),
      params: async () => (await client.request('raceParams')).variants.map((layers) => layers.map(({ W, b }) => ({ W: Array.from(W), b: Array.from(b) }))),
    }),
  };
}
