// fashion-view.mjs: the Fashion-MNIST displays: a grid of sample test images with their labels, the
// misclassified test images of the last epoch (predicted class and true class), and a drawing pad
// whose 28x28 picture the network classifies as the user draws. Images are drawn as they are in the
// data (light garment on black). It draws and collects strokes; the worker predicts.

const SAMPLES_PER_CLASS = 3;

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

// A canvas showing one rows x cols uint8 image (pixels: a view of rows * cols bytes).
function imageCanvas(pixels, rows, cols, label) {
  const c = el('canvas', { width: cols, height: rows, className: 'pixels' });
  c.setAttribute('role', 'img');
  c.setAttribute('aria-label', label);
  paint(c, pixels);
  return c;
}

function paint(canvas, pixels) {
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(canvas.width, canvas.height);
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i];
    img.data[4 * i] = v;
    img.data[4 * i + 1] = v;
    img.data[4 * i + 2] = v;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

// samplesBox, wrongBox: containers; pad: the drawing canvas; guess: the list of top classes;
// clear: its button; predict(Float32Array 784) -> Promise<Float32Array of class probabilities>.
export function createFashionView({ samplesBox, wrongBox, pad, guess, clear, predict }) {
  let d = null;   // display data from fashion-load.mjs
  const image = (set, i) => set.pixels.subarray(i * d.rows * d.cols, (i + 1) * d.rows * d.cols);

  // The first SAMPLES_PER_CLASS test images of each class, one column per class.
  function showSamples(display) {
    d = display;
    const cols = d.classNames.map((name, k) => {
      const figs = [];
      for (let i = 0; i < d.test.m && figs.length < SAMPLES_PER_CLASS; i++) {
        if (d.test.labels[i] === k) figs.push(imageCanvas(image(d.test, i), d.rows, d.cols, `test image ${i}: ${name}`));
      }
      // Images first, so they line up whatever the name's length; a name may break after a slash.
      return el('div', { className: 'sample-col' }, ...figs, el('span', { className: 'sample-name', textContent: `${k} ${name.replace('/', '/\u200b')}` }));
    });
    samplesBox.replaceChildren(...cols);
  }

  // confusion (insight.mjs): the misclassified test images with predicted and true class.
  function showWrong(c) {
    if (!d) { wrongBox.replaceChildren(); return; }
    if (!c) { wrongBox.replaceChildren(el('p', { className: 'why', textContent: 'Misclassified test images appear after the first epoch.' })); return; }
    const items = Array.from(c.wrong, (i, k) => {
      const pred = d.classNames[c.wrongPred[k]], truth = d.classNames[d.test.labels[i]];
      return el('figure', { className: 'wrong-item', title: `test image ${i}: predicted ${pred} (${(100 * c.wrongProb[k]).toFixed(0)}%), true ${truth}` },
        imageCanvas(image(d.test, i), d.rows, d.cols, `test image ${i}: predicted ${pred}, true ${truth}`),
        el('figcaption', {}, el('span', { className: 'pred', textContent: pred }), el('span', { className: 'truth', textContent: truth })));
    });
    wrongBox.replaceChildren(...(items.length ? items : [el('p', { className: 'why', textContent: 'No misclassified test image.' })]));
  }

  // ---- the drawing pad: strokes go into a 28x28 picture, shown enlarged ----
  const N = 28;
  const picture = new Float32Array(N * N);
  const ctx = pad.getContext('2d');
  const small = el('canvas', { width: N, height: N });
  let drawing = false, last = null, timer = null, asking = false, again = false;

  function render() {
    const bytes = new Uint8Array(N * N);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(255 * picture[i]);
    paint(small, bytes);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(small, 0, 0, pad.width, pad.height);
  }

  // A soft round brush of radius 2 pixels at (x, y) in picture coordinates (garments are filled shapes).
  function dab(x, y) {
    for (let r = Math.floor(y - 3); r <= Math.ceil(y + 3); r++) {
      for (let c = Math.floor(x - 3); c <= Math.ceil(x + 3); c++) {
        if (r < 0 || c < 0 || r >= N || c >= N) continue;
        const dist = Math.hypot(c + 0.5 - x, r + 0.5 - y);
        const v = Math.max(0, Math.min(1, 1.6 - dist / 2));
        picture[r * N + c] = Math.max(picture[r * N + c], v);
      }
    }
  }

  function stroke(e) {
    const rect = pad.getBoundingClientRect();
    const p = { x: ((e.clientX - rect.left) / rect.width) * N, y: ((e.clientY - rect.top) / rect.height) * N };
    const from = last ?? p;
    const steps = Math.max(1, Math.ceil(Math.hypot(p.x - from.x, p.y - from.y) / 0.5));
    for (let s = 1; s <= steps; s++) dab(from.x + ((p.x - from.x) * s) / steps, from.y + ((p.y - from.y) * s) / steps);
    last = p;
    render();
    schedule();
  }

  async function ask() {
    if (asking) { again = true; return; }
    asking = true;
    try {
      const probs = await predict(picture.slice());
      showGuess(probs);
    } catch (e) {
      guess.replaceChildren(el('li', { textContent: e.message }));
    }
    asking = false;
    if (again) { again = false; ask(); }
  }

  function schedule() {
    if (!timer) timer = setTimeout(() => { timer = null; ask(); }, 120);
  }

  function showGuess(probs) {
    if (!d) return;
    const order = Array.from(probs, (p, k) => [p, k]).sort((a, b) => b[0] - a[0]).slice(0, 3);
    guess.replaceChildren(...order.map(([p, k]) => {
      const li = el('li', { textContent: `${d.classNames[k]} ${(100 * p).toFixed(0)}%` });
      li.style.setProperty('--share', p.toFixed(3));
      return li;
    }));
  }

  pad.addEventListener('pointerdown', (e) => { drawing = true; last = null; pad.setPointerCapture(e.pointerId); stroke(e); });
  pad.addEventListener('pointermove', (e) => { if (drawing) stroke(e); });
  for (const type of ['pointerup', 'pointercancel']) pad.addEventListener(type, () => { drawing = false; last = null; });
  clear.addEventListener('click', () => { picture.fill(0); render(); guess.replaceChildren(); });
  render();

  return {
    showSamples,
    showWrong,
    // Re-asks for the current drawing (after the network changed).
    refreshGuess() { if (picture.some((v) => v > 0)) ask(); },
    // For tests: draw a given 28x28 picture (values 0..1) and classify it.
    setPicture(values) { picture.set(values); render(); return ask(); },
  };
}
