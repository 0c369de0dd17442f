// worker-data.mjs: the data the worker keeps besides its trainer, and the making of a trainer from a
// config and that data. Fashion-MNIST: the images of the asset, read by the core into wasm memory once
// (asset-download.mjs; format in wasm/core/image_asset.h) and shared by every trainer
// made on them. Other data: a new config that keeps the data (same dataset section) shares the live
// trainer's data instead of making it again (the core decides: Trainer::data_for).
// CSV: the text of the file the live trainer uses ("current") and of the last file opened that has not
// been used successfully yet ("pending"), so a refused file leaves the session as it was. The core
// reads and checks every CSV (engine.describeCsv): this file only keeps the texts.

export function createDataStore() {
  let images = null;   // { set: the engine's ImageSet, test: { y: labels, m }, summary }
  const csv = { current: null, pending: null };   // { name, bytes, text, header }

  // The core's image set of an asset (asset-download.mjs) becomes the one held (trainers on the old
  // one keep theirs). Returns the summary and the test split's pixels and labels (copies, for display).
  function keepImages(set) {
    const test = set.split('test');
    images?.set.free();
    const { rows, cols, classNames, train } = set.info;
    images = { set, test: { y: test.labels.slice(), m: test.m }, summary: { train, test: test.m, rows, cols, classNames } };
    return { ...images.summary, testImages: test };
  }

  // Reads a File (or takes text) as the pending CSV; the live one stays until a trainer uses it.
  // Throws when the core cannot read it as a table; error: what the core says of it with its last
  // column as the target (null when it trains as it is).
  async function openCsv(engine, { file, text, name }) {
    const bytes = file ? file.size : new TextEncoder().encode(text).length;
    engine.checkCsvSize(bytes);   // before reading a file too large to hold
    const body = file ? await file.text() : text;
    const { header, error } = engine.describeCsv(body);
    if (!header.length) throw new Error(error.message);
    csv.pending = { name: name ?? file?.name ?? 'data.csv', bytes, text: body, header };
    return { name: csv.pending.name, bytes, header, error };
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

  // What the core makes of the pending or current CSV with the config's target and task.
  function describeCsv(engine, config, which = 'current') {
    const src = csvSource(which);
    const { target = '', task = 'auto' } = config.dataset;
    const d = engine.describeCsv(src.text, { target, task });
    if (d.error) throw new Error(d.error.message);
    const { classes, classNames, rawNames, rawDims } = d;
    return { name: src.name, bytes: src.bytes, header: src.header, task: d.task, classes, classNames, rawNames, rawDims };
  }

  return { keepImages, openCsv, build, promote, describeCsv };
}
