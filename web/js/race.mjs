// race.mjs: the playground's race panel (issue 11): 2 to 4 variants of the current network that
// differ in one field, trained side by side in lockstep (race-session.mjs shows them, the worker
// trains them: worker-race.mjs). It owns the panel's buttons, the classic races and the custom
// "Vary ... values ..." form, and the race's part of the URL (race-state.mjs): main.mjs asks it for
// the hash part, hands it the hash it reads, and tells it when a trainer for a new config is ready,
// whereupon the race (re)starts on that config. While a race is on, the page's own Play, Step and
// Reset and its output panel give way to the race (body.racing, style.css); Stop race leaves it and
// the playground is as it was. It does no math and holds no config of its own.
import { CLASSIC_RACES, parseRace, raceFieldChoices, raceHashPart, raceText, raceVariants, sameSpec } from './race-state.mjs';
import { createRaceSession } from './race-session.mjs';
import { serializeHash } from './state.mjs';
import { toCoreConfig } from './datasets.mjs';
import { el } from './dom.mjs';

const $ = (id) => document.getElementById(id);

// Values the custom form suggests for each field.
const SUGGESTED = { opt: 'sgd,momentum,adam', lr: '0.003,0.03,0.3,3', batch: '1,32,0', l2: '0,0.001,0.01', init: 'xavier_normal,he_normal', activation: 'relu,sigmoid' };
const STATE_TEXT = { idle: 'choose a race', building: 'building', ready: 'ready', playing: 'racing', paused: 'paused', done: 'done', error: 'error' };

// deps from main.mjs: client, current() (the settled config), apply(config) (a fresh trainer for it,
// then main calls follow), showForm() (rewrites the form and the hash), showMessages(title, lines, kind).
export function createRace({ client, current, apply, showForm, showMessages }) {
  const panel = $('race-panel');
  let wanted = null;    // the race the page asks for: { key, values } (hash, buttons, form) or null
  let shown = null;     // what the session runs: raceHashPart(spec) + the config's hash
  const session = createRaceSession({
    client, els: { loss: $('race-loss'), acc: $('race-acc'), maps: $('race-maps'), note: $('race-note') }, onState: showState,
    onText: (epoch) => { $('race-epoch').value = String(epoch); },
  });

  // A worker that died takes the race's trainers with it: the next follow() (main's recovery) rebuilds them.
  client.onEvent((e) => { if (e.event === 'crashed') shown = null; });

  function showState(state) {
    const playing = state === 'playing';
    $('race-play').textContent = playing ? 'Pause' : 'Play';
    $('race-play').disabled = !['ready', 'playing', 'paused', 'done'].includes(state);
    $('race-step').disabled = !['ready', 'paused', 'done'].includes(state);
    $('race-reset').disabled = !['ready', 'playing', 'paused', 'done', 'error'].includes(state);
    $('race-state').textContent = STATE_TEXT[state] ?? state;
    $('race-state').classList.toggle('playing', playing);
    $('race-epoch').value = String(session.epoch);
    $('race-epochs').value = String(current()?.epochs ?? '-');
  }

  // Shows the panel; its race menu is open until a race runs (then one click on "Choose a race").
  function open() {
    panel.hidden = false;
    document.body.classList.toggle('racing', wanted !== null);
    $('race-setup').open = wanted === null;
  }

  function close() {
    panel.hidden = true;
    document.body.classList.remove('racing');
  }

  const fail = (lines) => showMessages('The race cannot start:', lines, 'error');

  // (Re)starts the race on `config` when one is wanted and it is not already running on it.
  function follow(config) {
    if (!wanted || !config) return;
    const key = raceHashPart(wanted) + serializeHash(config);
    if (key === shown) return;
    const { variants, error } = raceVariants(wanted, config);
    if (error) { leave(); fail([error]); return; }   // the hash loses the race it cannot run
    shown = key;
    open();
    session.start(variants.map((v) => ({ name: v.name, config: toCoreConfig(v.config) }))).then((r) => {
      if (r) $('race-acc').parentElement.hidden = r.variants[0].info.task === 'regression';   // no accuracy to race
    }, (e) => {
      if (shown === key) shown = null;
      fail([e.message]);
    });
  }

  // A race chosen on the panel: `base` is the config it runs on (a classic race may change it).
  function choose(spec, base = current()) {
    wanted = spec;
    open();
    if (serializeHash(base) !== serializeHash(current())) { apply(base); return; }   // main calls follow once built
    showForm();
    follow(current());
  }

  // Stop race: the playground as it was, the hash without the race.
  function leave() {
    quit();
    showForm();
  }

  function quit() {
    wanted = null;
    shown = null;
    close();
    session.stop();
  }

  // ---- the panel's controls ----
  function buildPanel() {
    $('race-presets').replaceChildren(...CLASSIC_RACES.map((r) => {
      const b = el('button', { type: 'button', className: 'small', textContent: r.label });
      b.dataset.race = r.id;
      b.addEventListener('click', () => choose(r.spec, r.base(current())));
      return b;
    }));
    const field = $('race-field');
    field.replaceChildren(...raceFieldChoices().map((c) => el('option', { value: c.key }, c.label)));
    const suggest = () => { $('race-values').value = SUGGESTED[field.value] ?? ''; };
    field.addEventListener('change', suggest);
    suggest();
    $('race-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const { spec, error } = parseRace(`${field.value}:${$('race-values').value.replace(/\s+/g, '')}`, 'Race');
      $('race-error').textContent = error;
      if (spec) choose(spec);
    });
    $('race-open').addEventListener('click', () => {
      open();
      $('race-setup').open = true;
      $('race-presets').querySelector('button')?.focus();
    });
    $('race-play').addEventListener('click', () => (session.playing ? session.pause() : session.play(current().epochs)));
    $('race-step').addEventListener('click', () => session.step().catch((e) => fail([e.message])));
    $('race-reset').addEventListener('click', () => session.reset().catch((e) => fail([e.message])));
    $('race-stop').addEventListener('click', leave);
    showState('idle');
  }
  buildPanel();

  return {
    // The hash part of the race ('' without one), for main's showForm.
    hashPart: () => raceHashPart(wanted),
    // Reads the race of a hash (at load and on hashchange). Returns its one-line error, if any, as a
    // list; a hash without a race leaves the race.
    readHash(hash) {
      const { spec, error } = parseRace(raceText(hash));
      if (!spec) {
        if (wanted) quit();
        return error ? [error] : [];
      }
      if (!sameSpec(spec, wanted)) { wanted = spec; shown = null; open(); }
      return [];
    },
    follow,
    get active() { return wanted !== null; },
    debug: session.debug,
  };
}
