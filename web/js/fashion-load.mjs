// fashion-load.mjs: gets the Fashion-MNIST asset (data/fashion-mnist.bin.gz next to the page: the
// standard 60,000 training and 10,000 test images, gzipped; format in wasm/core/image_asset.h) into
// the worker, on demand, with a progress bar. The page downloads it and gunzips it as it arrives,
// sending each piece to the worker, which writes it straight into wasm memory (asset-download.mjs:
// request images); the two threads share the work. A page opened from disk (file://, the one-file dist/nnplay.html) may not fetch files:
// there it offers a file chooser for the asset (gzipped or not) instead, as it does when the download
// fails; a chosen file (a File) goes to the worker, which reads it the same way. The worker's core
// checks the asset (one reader, in C++) and sends back the test images, which this keeps for display
// (fashion-view.mjs).

import { pipeFetched } from './asset-download.mjs';

export const FASHION_URL = 'data/fashion-mnist.bin.gz';

const mb = (n) => (n / 1e6).toFixed(1);

// status, progress, chooser, fileInput: elements of the data panel. onLoaded(display) once the
// worker holds the images; display: { rows, cols, classNames, train, test: { pixels, labels, m } }.
export function createFashionLoader({ client, status, progress, chooser, fileInput, onLoaded }) {
  let loaded = null;     // the display data, once loaded
  let pending = null;    // the running load's promise
  const fromDisk = globalThis.location?.protocol === 'file:';

  const say = (text) => { status.textContent = text; };

  // The worker's reply (it holds the images now): the test split kept for display, the status line.
  // download: the bytes fetched or read (gzip), for the status line.
  function loadedFrom(r, t0, download) {
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
    pending = load({ url: FASHION_URL, name: FASHION_URL }, 'Loading Fashion-MNIST')
      .catch((e) => failed(`Fashion-MNIST could not be loaded (${e.message}). Choose its data file ` +
        '(dist/data/fashion-mnist.bin.gz of a build) to use it anyway.'))
      .finally(() => { pending = null; });
    return pending;
  }

  // The worker reads the asset with the progress bar moving: a URL is downloaded and gunzipped here,
  // each piece sent on to the worker, which meanwhile allocates the images' 55 MB (asset-download.mjs
  // pipeFetched); a chosen file ({ file, name }) is read by the worker itself. True once it holds them.
  async function load({ url, file, name }, title) {
    const t0 = performance.now();
    progress.hidden = false;
    progress.removeAttribute('value');
    say(`${title}...`);
    let read = 0;
    let shown = 0;
    const show = (loaded, total) => {
      read = loaded;
      if (!total || (loaded - shown < total / 100 && loaded < total)) return;   // about 100 updates
      shown = loaded;
      progress.max = total;
      progress.value = loaded;
      say(`${title}: ${mb(loaded)} of ${mb(total)} MB`);
    };
    const channel = url ? new MessageChannel() : null;
    const { id, done } = channel
      ? client.start('images', { port: channel.port2, name }, [channel.port2])
      : client.start('images', { file, name });
    const off = client.onEvent((e) => { if (e.id === id && e.event === 'download') show(e.loaded, e.total); });
    let refused = false;
    done.catch(() => { refused = true; });
    if (channel) pipeFetched(url, name, channel.port1, { onProgress: show, stopped: () => refused });
    try {
      return loadedFrom(await done, t0, read);
    } finally {
      off();
      channel?.port1.close();
    }
  }

  fileInput.addEventListener('change', async () => {
    const file = fileInput.files[0];
    fileInput.value = '';
    if (!file) return;
    await load({ file, name: file.name }, `Reading ${file.name}`)
      .catch((e) => failed(`Refused ${e.message}`));   // the message starts with the file's name
  });

  return { ensure, get display() { return loaded; } };
}
