// worker-data.mjs: the data the worker keeps besides its trainer, and the making of a trainer from a
// config and that data. Fashion-MNIST: the images of the asset the page sent, read by the core into
// wasm memory once (engine.loadImages; format in wasm/core/image_asset.h) and shared by every trainer
// made on them. Other data: a new config that keeps the data (same dataset section) shares the live
// trainer's data instead of making it again (the core decides: Trainer::data_for).
// CSV: the text of the file the live trainer uses ("current") and of the last file opened that has not
// been used successfully yet ("pending"), so a refused file leaves the session as it was. The core
// reads and checks every CSV (data.h); here only the header is read, so the page can offer the
// target column before the core has accepted the file.
export const CSV_MAX_BYTES = 50 * 1024 * 1024;   // the core's kMaxCsvBytes (50 MiB)

// The header row of a CSV text by the core's rules: the first row that is not blank, cells split at
// commas outside double quotes ("" is a quote inside quotes), spaces and tabs around names trimmed.
export function csvHeader(text) {
  let cells = [], cell = '', quoted = false;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === undefined) return [...cells, cell];   // an unclosed quote: the core will say where
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === undefined) {
      cells.push(cell);
      if (cells.length > 1 || cells[0].trim() !== '') return cells.map((c) => c.replace(/^[ \t]+|[ \t]+$/g, ''));
      cells = [];
      cell = '';
    } else if (ch !== '\r') {
      cell += ch;
    }
  }
  throw new Error('csv: the file is empty (a header row and data rows are needed)');
}

export function createDataStore() {
  let images = null;   // { set: the engine's ImageSet, test: { y: labels, m }, summary }
  const csv = { current: null, pending: null };   // { name, bytes, text, header }

  // The asset's bytes -> the core's image set (replacing the one held; trainers on it keep theirs).
  // Returns the summary and the test split's pixels and labels (copies, for display).
  function setImages(engine, buffer, name = 'Fashion-MNIST asset') {
    const set = engine.loadImages(new Uint8Array(buffer), name);
    const test = set.split('test');
    images?.set.free();
    const { rows, cols, classNames, train } = set.info;
    images = { set, test: { y: test.labels.slice(), m: test.m }, summary: { train, test: test.m, rows, cols, classNames } };
    return { ...images.summary, testImages: test };
  }

  // Reads a File (or takes text) as the pending CSV; the live one stays until a trainer uses it.
  async function openCsv({ file, text, name }) {
    const bytes = file ? file.size : new TextEncoder().encode(text).length;
    if (bytes > CSV_MAX_BYTES) {
      throw new Error(`csv: the file is ${bytes} bytes; the limit is ${CSV_MAX_BYTES} bytes (50 MiB)`);
    }
    const body = file ? await file.text() : text;
    const header = csvHeader(body);
    csv.pending = { name: name ?? file?.name ?? 'data.csv', bytes, text: body, header };
    return { name: csv.pending.name, bytes, header };
  }

  function csvSource(which) {
    const src = csv[which === 'pending' ? 'pending' : 'current'];
    if (!src) throw new Error('csv: no CSV file is loaded: drop one on the page or choose one');
    return src;
  }

  const withCsv = (config, src) => ({ ...config, dataset: { ...config.dataset, csv: src.text } });

  // A trainer for the config: images for fashion_mnist, the chosen CSV text for csv; the live
  // trainer's data when the config keeps it. Throws the core's message (and changes nothing) when
  // the core refuses. Returns { trainer, testSet, trainM } for images (testSet { y, m }: test labels;
  // trainM: training images used) and { trainer } for the other data, whose trainer.data() has both.
  function build(engine, config, which = 'current', live = null) {
    const name = config.dataset.name;
    if (name === 'fashion_mnist') {
      if (!images) throw new Error('Fashion-MNIST is not loaded yet: its images come from dist/data/fashion-mnist.bin.gz');
      const trainM = Math.min(config.dataset.samples, images.summary.train);
      return { trainer: engine.createTrainer(config, images.set), testSet: images.test, trainM };
    }
    const full = name === 'csv' ? withCsv(config, csvSource(which)) : config;
    return { trainer: live ? engine.createTrainer(full, live) : engine.createTrainer(full) };
  }

  // After a trainer was made from the pending CSV, it becomes the live one.
  function promote(which) {
    if (which === 'pending' && csv.pending) {
      csv.current = csv.pending;
      csv.pending = null;
    }
  }

  // What the core makes of a CSV with the config's target and task: its task and classes. The
  // core reads the file and names any bad cell; a throwaway trainer with a one-unit output (or,
  // for more than two classes, a softmax as wide as the classes the core reports) reads it.
  function probeCsv(engine, config, which = 'current') {
    const src = csvSource(which);
    const probe = (layer, loss) => engine.createTrainer(withCsv({
      dataset: { ...config.dataset }, network: { layers: [layer] }, loss, epochs: 1,
    }, src));
    let t;
    try {
      t = probe({ units: 1, activation: 'linear' }, 'mse');
    } catch (e) {
      const k = /dataset has (\d+) classes/.exec(e.message);
      if (!k) throw e;
      t = probe({ units: Number(k[1]), activation: 'softmax' }, 'cce');
    }
    try {
      const { task, classes, classNames, rawNames, rawDims } = t.info;
      return { name: src.name, bytes: src.bytes, header: src.header, task, classes, classNames, rawNames, rawDims };
    } finally {
      t.free();
    }
  }

  // The CSV text of the live trainer (for exporting a config the CLI can train).
  const currentCsvText = () => csv.current?.text ?? null;

  return { setImages, openCsv, build, promote, probeCsv, currentCsvText, hasImages: () => images !== null };
}
