// messages.mjs: the page's one message block. A message is about a cause, and it goes when its cause
// does: a message about what the user just did (a refused value, a copied link, a loaded model) lasts
// until the next user action (a changed control, a clicked button, a dropped file, an edited link);
// a message about a state (no CSV file yet, a diverged run) is said with `holds`, a function that
// stays true while the state lasts, and goes at the first action or check() that finds it false.
// Saying a named cause again replaces its message. All current messages show in one block, newest
// first, in the colour of the gravest; Dismiss clears them all. It validates and words nothing:
// callers bring titles and lines in the words of the page's labels.
import { el } from './dom.mjs';

const GRAVITY = { info: 0, warning: 1, error: 2 };

// box: the element that holds the block (#messages); actions are watched on `doc`.
export function createMessages(box, doc = document) {
  let items = [];   // [{ cause, title, lines, kind, holds }], oldest first

  function render() {
    if (!items.length) { box.replaceChildren(); return; }
    const kind = items.reduce((k, i) => (GRAVITY[i.kind] > GRAVITY[k] ? i.kind : k), 'info');
    const close = el('button', { type: 'button', className: 'small', textContent: 'Dismiss' });
    close.addEventListener('click', () => { items = []; render(); });
    const parts = [...items].reverse().map((i) => el('div', { className: `part ${i.kind}` },
      el('strong', {}, i.title), el('ul', {}, ...i.lines.map((l) => el('li', {}, l)))));
    box.replaceChildren(el('div', { className: `message ${kind}` }, el('div', {}, ...parts), close));
  }

  // Drops the messages whose cause is gone: at an action every one without `holds`.
  function sweep(action) {
    const kept = items.filter((i) => (i.holds ? i.holds() : !action));
    if (kept.length !== items.length) { items = kept; render(); }
  }

  const onAction = () => sweep(true);
  doc.addEventListener('change', onAction, true);   // capture: before the control's own handler speaks
  doc.addEventListener('drop', onAction, true);
  doc.addEventListener('click', (e) => { if (e.target.closest?.('button, .button, a')) onAction(); }, true);
  globalThis.addEventListener?.('hashchange', onAction, true);

  return {
    // Shows a message: kind 'error', 'warning' or 'info'; cause: a name (saying it again replaces
    // it; default: a cause of its own); holds: while true the message outlives actions.
    say(title, lines, kind = 'warning', { cause = Symbol(title), holds } = {}) {
      if (!lines.length) return;
      items = items.filter((i) => i.cause !== cause);
      items.push({ cause, title, lines, kind, holds });
      render();
    },
    // Removes the message of this cause, if shown.
    clear(cause) {
      const kept = items.filter((i) => i.cause !== cause);
      if (kept.length !== items.length) { items = kept; render(); }
    },
    clearAll() { items = []; render(); },
    // Drops the state messages whose state is over (call after a change of config or run).
    check() { sweep(false); },
  };
}
