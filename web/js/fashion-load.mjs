// fashion-load.mjs: gets the Fashion-MNIST asset (data/fashion-mnist.bin next to the page, format
// in fashion-format.mjs) into the worker, on demand, with a progress bar: fetch + ReadableStream,
// so the bytes arrive in chunks and the bar moves. A page opened from disk (file://, the one-file
// dist/nnplay.html) may not fetch files: there it offers a file chooser for the asset instead, as
// it does when the download fails. It keeps the test images for display (fashion-view.mjs) and hands
// the whole buffer to the worker (transferred, not copied).
import { decodeImageAsset } from './fashion-format.mjs';

export const FASHION_URL = 'data/fashion-mnist.bin';

const mb = (n) => (n / 1e6).toFixed(1);

// The body of `url` as a Uint8Array; onProgress(loaded, total) after each chunk (total 0 if unknown).
export async function fetchWithProgress(url, onProgress = () => {}) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}`);
  const total = Number(res.headers.get('Content-Length')) || 0;
  const reader = res.body.getReader();
  let buf = new Uint8Array(total || 1 << 20);
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > buf.length) {   // no or a wrong Content-Length: grow
      const bigger = new Uint8Array(Math.max(2 * buf.length, loaded + value.length));
      bigger.set(buf.subarray(0, loaded));
      buf = bigger;
    }
    buf.set(value, loaded);
    loaded += value.length;
    onProgress(loaded, total);
  }
  return loaded === buf.length ? buf : buf.slice(0, loaded);
}

// status, progress, chooser, fileInput: elements of the data panel. onLoaded(display) once the
// worker holds the images; display: { rows, cols, classNames, train, test: { pixels, labels, m } }.
export function createFashionLoader({ client, status, progress, chooser, fileInput, onLoaded }) {
  let loaded = null;     // the display data, once loaded
  let pending = null;    // the running load's promise
  const fromDisk = globalThis.location?.protocol === 'file:';

  const say = (text) => { status.textContent = text; };

  // Checks the bytes, keeps a copy of the test split for display, hands the buffer to the worker.
  async function hand(bytes, source, t0) {
    const a = decodeImageAsset(bytes, source);
    const size = bytes.length;
    const display = {
      rows: a.rows, cols: a.cols, classNames: a.classNames, train: a.train.m,
      test: { pixels: a.test.pixels.slice(), labels: a.test.labels.slice(), m: a.test.m },
    };
    const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
    await client.request('images', { buffer }, [buffer]);
    loaded = display;
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    say(`Fashion-MNIST: ${a.train.m.toLocaleString('en-US')} training and ${a.test.m.toLocaleString('en-US')} test images ` +
      `(${mb(size)} MB) loaded in ${seconds} s.`);
    progress.hidden = true;
    chooser.hidden = true;
    onLoaded(display);
    return true;
  }

  function failed(text) {
    say(text);
    progress.hidden = true;
    chooser.hidden = false;
    return false;
  }

  // Resolves true once the worker holds the images, false when they could not be had (the panel
  // then says why and offers the chooser; a chosen file calls onLoaded later).
  function ensure() {
    if (loaded) return Promise.resolve(true);
    if (pending) return pending;
    if (fromDisk) {
      return Promise.resolve(failed('Fashion-MNIST needs the served page (npm start): a page opened from disk may not ' +
        'fetch its data file. Or choose that file here: dist/data/fashion-mnist.bin of a build.'));
    }
    const t0 = performance.now();
    progress.hidden = false;
    progress.removeAttribute('value');
    say('Loading Fashion-MNIST...');
    let shown = 0;
    pending = fetchWithProgress(FASHION_URL, (n, total) => {
      if (!total || n - shown < total / 100 && n < total) return;   // about 100 updates at most
      shown = n;
      progress.max = total;
      progress.value = n;
      say(`Loading Fashion-MNIST: ${mb(n)} of ${mb(total)} MB`);
    }).then((bytes) => hand(bytes, FASHION_URL, t0))
      .catch((e) => failed(`Fashion-MNIST could not be loaded (${e.message}). Choose its data file ` +
        '(dist/data/fashion-mnist.bin of a build) to use it anyway.'))
      .finally(() => { pending = null; });
    return pending;
  }

  fileInput.addEventListener('change', async () => {
    const file = fileInput.files[0];
    fileInput.value = '';
    if (!file) return;
    const t0 = performance.now();
    say(`Reading ${file.name}...`);
    try {
      await hand(new Uint8Array(await file.arrayBuffer()), file.name, t0);
    } catch (e) {
      failed(`Refused ${e.message}`);   // the message starts with the file's name
    }
  });

  return { ensure, get display() { return loaded; } };
}
