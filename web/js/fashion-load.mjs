// fashion-load.mjs: gets the Fashion-MNIST asset (data/fashion-mnist.bin.gz next to the page: the
// standard 60,000 training and 10,000 test images, gzipped; format in wasm/core/image_asset.h) into
// the worker, on demand, with a progress bar: fetch + ReadableStream, so the compressed bytes arrive
// in chunks and the bar moves, then DecompressionStream('gzip'). A page opened from disk (file://,
// the one-file dist/nnplay.html) may not fetch files: there it offers a file chooser for the asset
// (gzipped or not) instead, as it does when the download fails. The worker's core reads and checks
// the asset (one reader, in C++) and sends back the test images, which this keeps for display
// (fashion-view.mjs). The buffer is transferred to the worker, not copied.

export const FASHION_URL = 'data/fashion-mnist.bin.gz';

const mb = (n) => (n / 1e6).toFixed(1);
const isGzip = (b) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

// All chunks of a stream in one Uint8Array (sizeHint: the expected length, grown when short);
// onChunk(chunk) after each.
async function readAll(stream, sizeHint, onChunk = () => {}) {
  const reader = stream.getReader();
  let buf = new Uint8Array(sizeHint || 1 << 20);
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > buf.length) {   // no or a wrong size hint: grow
      const bigger = new Uint8Array(Math.max(2 * buf.length, loaded + value.length));
      bigger.set(buf.subarray(0, loaded));
      buf = bigger;
    }
    buf.set(value, loaded);
    loaded += value.length;
    onChunk(value);
  }
  return loaded === buf.length ? buf : buf.slice(0, loaded);
}

// gzip bytes -> the bytes they hold (the browser's DecompressionStream).
export async function gunzip(bytes) {
  return readAll(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')), 2 * bytes.length);
}

// The body of `url` as a Uint8Array, gunzipped as it arrives when it is gzip (by its name, .gz);
// onProgress(loaded, total) after each chunk, counting the bytes downloaded (total 0 if unknown).
export async function fetchWithProgress(url, onProgress = () => {}) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}`);
  const total = Number(res.headers.get('Content-Length')) || 0;
  let loaded = 0;
  const counted = res.body.pipeThrough(new TransformStream({
    transform(chunk, out) {
      loaded += chunk.length;
      onProgress(loaded, total);
      out.enqueue(chunk);
    },
  }));
  if (!url.endsWith('.gz')) return readAll(counted, total);
  try {
    return await readAll(counted.pipeThrough(new DecompressionStream('gzip')), 2 * total);
  } catch (e) {
    throw new Error(`${url}: not a valid gzip file (${e.message})`);
  }
}

// status, progress, chooser, fileInput: elements of the data panel. onLoaded(display) once the
// worker holds the images; display: { rows, cols, classNames, train, test: { pixels, labels, m } }.
export function createFashionLoader({ client, status, progress, chooser, fileInput, onLoaded }) {
  let loaded = null;     // the display data, once loaded
  let pending = null;    // the running load's promise
  const fromDisk = globalThis.location?.protocol === 'file:';

  const say = (text) => { status.textContent = text; };

  // Hands the buffer to the worker, whose core checks it (errors start with `source`), and keeps the
  // test split it sends back for display. download: the bytes fetched (gzip), for the status line.
  async function hand(bytes, source, t0, download = bytes.length) {
    const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
    const r = await client.request('images', { buffer, name: source }, [buffer]);
    const display = { rows: r.rows, cols: r.cols, classNames: r.classNames, train: r.train, test: r.testImages };
    loaded = display;
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    say(`Fashion-MNIST: ${r.train.toLocaleString('en-US')} training and ${r.test.toLocaleString('en-US')} test images ` +
      `(${mb(download)} MB) loaded in ${seconds} s. On a slow machine, train on fewer with "Training images".`);
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
        'fetch its data file. Or choose that file here: dist/data/fashion-mnist.bin.gz of a build.'));
    }
    const t0 = performance.now();
    progress.hidden = false;
    progress.removeAttribute('value');
    say('Loading Fashion-MNIST...');
    let shown = 0;
    let downloaded = 0;
    pending = fetchWithProgress(FASHION_URL, (n, total) => {
      downloaded = n;
      if (!total || n - shown < total / 100 && n < total) return;   // about 100 updates at most
      shown = n;
      progress.max = total;
      progress.value = n;
      say(`Loading Fashion-MNIST: ${mb(n)} of ${mb(total)} MB`);
    }).then((bytes) => hand(bytes, FASHION_URL, t0, downloaded))
      .catch((e) => failed(`Fashion-MNIST could not be loaded (${e.message}). Choose its data file ` +
        '(dist/data/fashion-mnist.bin.gz of a build) to use it anyway.'))
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
      const bytes = new Uint8Array(await file.arrayBuffer());
      await hand(isGzip(bytes) ? await gunzip(bytes).catch((e) => { throw new Error(`${file.name}: not a valid gzip file (${e.message})`); }) : bytes,
        file.name, t0, bytes.length);
    } catch (e) {
      failed(`Refused ${e.message}`);   // the message starts with the file's name
    }
  });

  return { ensure, get display() { return loaded; } };
}
