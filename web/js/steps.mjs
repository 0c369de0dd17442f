// steps.mjs: what the arrow keys and the spinners of a number field do. The browser steps every
// field by 1 (a learning rate of 0.03 becomes 1.03); here each field steps as the core's config
// table says (its `step`, config.h Stepping): by a fixed amount (noise by 0.05), along a ladder of
// round values per decade (learning rate 0.01, 0.03, 0.1, 0.3; epsilon 1e-8, 1e-7; epochs 100, 200,
// 500), or along that ladder on the gap to 1 (momentum 0.9, 0.97, 0.99). nextValue() is pure; the
// rest wires it to an <input type="number"> and knows nothing of the config.

// The ladder's values around x > 0: m * 10^k for the marks m, two decades either side.
function ladder(x, marks) {
  const k0 = Math.floor(Math.log10(x));
  const out = [];
  for (let k = k0 - 2; k <= k0 + 2; k++) for (const m of marks) out.push(Number((m * 10 ** k).toPrecision(12)));
  return out.sort((a, b) => a - b);
}

// The next ladder value after x > 0 in direction dir (+1 up, -1 down); x itself is never returned.
function ladderStep(x, dir, marks) {
  const near = (a) => Math.abs(a - x) <= 1e-9 * x;
  const values = ladder(x, marks).filter((v) => !near(v));
  return dir > 0 ? values.find((v) => v > x) : values.filter((v) => v < x).at(-1);
}

// The log ladder with the step up from 0 (`first`) and down to 0 below it, when 0 is allowed.
function logStep(x, dir, { marks, first }, zeroAllowed) {
  if (x <= 0) return dir > 0 ? first || ladderStep(1e-12, 1, marks) : x;
  if (dir < 0 && first && x <= first * (1 + 1e-9) && zeroAllowed) return 0;
  return ladderStep(x, dir, marks);
}

const tidy = (v) => Number(v.toPrecision(12));

// The value after one step of `dir` (+1 or -1) from x for a schema row { type, min, max, minOpen,
// maxOpen, step }; x itself when the range leaves no room that way.
export function nextValue(row, x, dir) {
  const step = row.step ?? { scale: 'linear', by: 1 };
  let v;
  if (step.scale === 'linear') v = tidy(x + dir * step.by);
  else if (step.scale === 'log') v = logStep(x, dir, step, !row.minOpen && row.min <= 0);
  else v = tidy(1 - logStep(1 - x, -dir, step, false));   // log_gap: the ladder of 1 - x
  if (row.type === 'int') v = dir > 0 ? Math.max(Math.round(v), x + 1) : Math.min(Math.round(v), x - 1);
  const low = row.minOpen ? v <= row.min : v < row.min;
  const high = row.maxOpen ? v >= row.max : v > row.max;
  if (low) return row.minOpen ? x : row.min;
  if (high) return row.maxOpen ? x : row.max;
  return v;
}

// Makes the arrow keys and the spinner of `input` step by nextValue(row, ...). A step sets the
// value and fires `change`, as the browser's own step does. Typing is left alone.
export function installSteps(input, row) {
  let before = input.value;   // the value before a spinner click changed it
  const step = (from, dir) => {
    const x = Number(from);
    if (from.trim() === '' || !Number.isFinite(x)) return;
    input.value = String(nextValue(row, x, dir));
    before = input.value;
  };
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    e.preventDefault();
    step(input.value, e.key === 'ArrowUp' ? 1 : -1);
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  input.addEventListener('pointerdown', () => { before = input.value; });
  input.addEventListener('focus', () => { before = input.value; });
  // A spinner (or wheel) step fires a plain `input` event; typing fires an InputEvent with an inputType.
  input.addEventListener('input', (e) => {
    if (e.inputType) { before = input.value; return; }
    const now = Number(input.value), was = Number(before);
    if (input.value === '' || now === was || !Number.isFinite(was)) return;
    step(before, now > was ? 1 : -1);
  });
}
