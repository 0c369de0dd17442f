// pace.mjs: how fast Play trains, as pure data shared by the page and its worker. One table of
// paces, from slow motion (one mini-batch step per tick, a few a second, the heat map and diagram
// redrawn after each) through epochs per second to "as fast as possible" (whole epochs in time
// slices, the displays at most ~10 times a second). The pace is page state, not config: it is not
// in the core's schema and does not change the run's numbers, only when they are shown. It lives in
// the URL as its own key (`pace=e10`), split off before the config's keys are parsed (state.mjs), as
// embed.mjs does with its keys. No DOM here (pace-control.mjs owns the slider; paced-play.mjs the loop).
import { appendHash, splitPageKeys } from './state.mjs';

// unit: 'batch' (one trainBatch per tick), 'epoch' (whole epochs at perSecond), 'max' (no waits).
export const PACES = [
  { id: 'b2', unit: 'batch', perSecond: 2, label: 'slow motion: 2 batches/s' },
  { id: 'b5', unit: 'batch', perSecond: 5, label: 'slow motion: 5 batches/s' },
  { id: 'b20', unit: 'batch', perSecond: 20, label: '20 batches/s' },
  { id: 'e1', unit: 'epoch', perSecond: 1, label: '1 epoch/s' },
  { id: 'e3', unit: 'epoch', perSecond: 3, label: '3 epochs/s' },
  { id: 'e10', unit: 'epoch', perSecond: 10, label: '10 epochs/s' },
  { id: 'e30', unit: 'epoch', perSecond: 30, label: '30 epochs/s' },
  { id: 'e100', unit: 'epoch', perSecond: 100, label: '100 epochs/s' },
  { id: 'max', unit: 'max', perSecond: Infinity, label: 'as fast as possible' },
];
export const DEFAULT_PACE = 'max';
export const PACE_KEY = 'pace';

// The table row of a pace id (the default's for an unknown id).
export function paceOf(id) {
  return PACES.find((p) => p.id === id) ?? PACES.find((p) => p.id === DEFAULT_PACE);
}

// Splits a URL hash into the pace and the config's hash. An unknown pace adds a message in the
// words of the control's label and the default is used.
export function splitPace(hash) {
  const { values, hash: rest } = splitPageKeys(hash, [PACE_KEY]);
  const value = values[PACE_KEY];
  if (value === undefined || PACES.some((p) => p.id === value)) return { pace: value ?? DEFAULT_PACE, hash: rest, messages: [] };
  return { pace: DEFAULT_PACE, hash: rest,
    messages: [`Pace: "${value}" is not allowed (one of ${PACES.map((p) => p.id).join(', ')}); using "${paceOf(DEFAULT_PACE).label}".`] };
}

// The config's hash with the pace appended (the default pace is left out, so links stay as they were).
export function withPace(hash, pace) {
  return appendHash(hash, pace === DEFAULT_PACE ? [] : [`${PACE_KEY}=${pace}`]);
}
