// pace-control.mjs: the play bar's pace slider (pace.mjs's table, slowest on the left) and the
// "where in the epoch" readout of slow motion. A range input, so arrows, Home and End move it; its
// label and aria-valuetext say the pace in words. It only shows and reports the pace: main.mjs sends
// it to the worker and writes it into the URL.
import { PACES, paceOf } from './pace.mjs';

// els: { input (range), text (output), position (output) }; onChange(paceId) after a move.
export function createPaceControl({ input, text, position }, onChange) {
  input.min = '0';
  input.max = String(PACES.length - 1);
  input.step = '1';
  let current = null;

  function show(id) {
    const p = paceOf(id);
    current = p.id;
    input.value = String(PACES.indexOf(p));
    input.setAttribute('aria-valuetext', p.label);
    text.value = p.label;
    text.classList.toggle('slow', p.unit === 'batch');
  }

  input.addEventListener('input', () => {
    const id = PACES[Number(input.value)].id;
    if (id === current) return;
    show(id);
    onChange(id);
  });

  return {
    get value() { return current; },
    get slowMotion() { return paceOf(current).unit === 'batch'; },
    // Shows a pace (from the URL) without reporting it.
    set: show,
    // The run's place inside its epoch: "epoch 13: 40/320 samples" while an epoch is under way
    // (slow motion, Step one batch), empty between epochs.
    showPosition(epoch, done, total) {
      position.value = done > 0 && total > 0 ? `epoch ${epoch + 1}: ${done}/${total} samples` : '';
    },
  };
}
