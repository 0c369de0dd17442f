/**
 * engine.mjs: the nnplay engine API, one small ES module used by the page's web worker, by Node and
 * by `npx nnplay` alike. It wraps the Embind module built from wasm/bindings.cpp and adds only plain-JS
 * conveniences: config objects instead of JSON text, thrown errors, and trainer handles that cannot
 * be used once freed. It is not a worker protocol, and it does not import the Emscripten factory
 * itself: the caller passes it (the default export of nnplay-core.mjs), because the page and Node
 * find the module and its .wasm in different ways (in Node, pass wasmBinary: readFileSync(<.wasm>)).
 *
 *   import { loadEngine } from './engine.mjs';
 *   const engine = await loadEngine({ moduleFactory, wasmBinary, locateFile });
 *   hasSimd()                            // true: load nnplay-core, false: nnplay-core-scalar
 *   engine.kernel                        // "simd128" | "scalar": the GEMM path in use
 *   engine.defaultConfig()               // the normalized default config object
 *   engine.normalizeConfig(cfg)          // object or JSON text -> normalized config object
 *   engine.exportScript(cfg, script)     // 'numpy' | 'pytorch' -> { files: { 'train.py', 'data.json',
 *                                        //   'init.json', 'config.json': text } }, as `nnplay export`
 *   engine.schema                        // the config table: { fields: [{ path, key, label, type,
 *                                        //   default, min, max, minOpen, maxOpen, values, labels,
 *                                        //   only, usedBy, allowed }], datasets: [{ name, label, task,
 *                                        //   dims, classes, classesField, planar, offered, defaults }],
 *                                        //   limits: { maxLayers, maxUnits, maxSamples, ... } }
 *   engine.describeCsv(text, { target, task }) // what the core makes of a CSV: { header, target,
 *                                        //   task, classes, classNames, rawNames, rawDims, rows,
 *                                        //   error: null | { message, row, line, column } }
 *   engine.checkCsvSize(bytes)           // throws the core's error for a file over the size limit
 *   const t = engine.createTrainer(cfg)  // object or JSON text -> Trainer
 *   const set = engine.loadImages(asset)  // the image asset's bytes (Uint8Array or ArrayBuffer; format
 *                                        //   in wasm/core/image_asset.h) -> ImageSet, copied into wasm
 *                                        //   memory once, in bulk; or { pixels, rows?, cols?, trainPixels,
 *                                        //   trainLabels, testPixels, testLabels (Uint8Arrays), classNames }
 *   const w = engine.imageAssetWriter(name) // the same asset arriving in pieces (a download):
 *   w.write(piece) ...; w.finish()       //   each Uint8Array piece straight into wasm memory -> ImageSet
 *   set.info                             // { rows, cols, pixels, classNames, train, test } (image counts)
 *   set.split('train' | 'test')          // { pixels, labels, m }: Uint8Array copies, for display
 *   set.free()                           // the trainers made on it keep the images alive
 *   engine.createTrainer(cfg, set)       // a trainer on the set's images (fashion_mnist), shared, not copied
 *   engine.createTrainer(cfg, images)    // the same from the { pixels, ... } object (loaded, then freed)
 *   engine.createTrainer(cfg, other)     // a trainer sharing other's data (a Trainer) when cfg's dataset
 *                                        //   section makes the same data; else new data is made
 *   t.reset()                            // new weights from the seed, optimizer, epoch and shuffling reset:
 *                                        //   bit for bit a fresh trainer of the same config; the data stays
 *   t.testOutputs()                      // Float32Array (m_test * outputs): the outputs on the test split
 *                                        //   after the last epoch (kept from its evaluation)
 *   t.config                             // normalized config object
 *   t.info                               // { inputs, outputs, task, classes, classNames, rawDims,
 *                                        //   rawNames, features, layers: [{ inputs, units, activation }] }
 *   t.epoch                              // finished epochs
 *   t.trainEpochs(n)                     // [{ epoch, loss, accuracy, test_loss, test_accuracy, seconds }]
 *   t.metricsLines(n)                    // the same training, as the native CLI's JSON lines
 *   t.evaluate('train' | 'test')         // { loss, accuracy }
 *   t.data()                             // { train: { x, y, m }, test: { x, y, m } }: raw inputs
 *                                        //   (m * rawDims) and targets (m: class index or value)
 *   t.predict(raw, m)                    // Float32Array (m * outputs) for m rows of rawDims numbers
 *   t.predictGrid({ x0, x1, y0, y1, nx, ny }) // Float32Array (ny * nx * outputs), rows from y0
 *   t.params()                           // [{ inputs, units, activation, W, b, dW, db }], W (inputs * units)
 *   t.exportModel() / t.importModel(text) // the model file; a bad file throws and changes nothing.
 *                                        //   The file carries the training state (optimizer state, step
 *                                        //   count, epoch, shuffle order; README "Model file");
 *                                        //   importModel returns '' or a note saying why that state was
 *                                        //   not used (other optimizer or split size: weights only);
 *                                        //   exportModel({ trainingState: false }) writes the weights only;
 *                                        //   a model whose input columns have other names is refused
 *   t.setOptimizer({ name, learning_rate, ... }) // the optimizer part of a config; the same optimizer
 *                                        //   keeps its state (continue after a divergence at a lower rate)
 *   t.free()                             // releases the C++ trainer; later calls throw
 * Teaching views (issues 10 and 12; the core computes every number, see wasm/core/trace.h, trainer.h):
 *   t.trainEpochs(n)[i].grad_rms         // gradient flow: per layer, RMS of dW (L2/L1 terms included),
 *                                        //   the mean over the epoch's mini-batches (not in metricsLines)
 *   t.trainBatch()                       // one mini-batch step: { epoch, position, samples, loss,
 *                                        //   finished: the epoch's metrics object when it completed, else
 *                                        //   null }; batch by batch gives exactly trainEpochs' numbers
 *   t.epochPosition                      // training samples done in the current epoch (0 between epochs)
 *   t.updateSettings(cfg)                // live change of the optimizer (another one starts afresh),
 *                                        //   learning_rate, momentum, nesterov, beta1, beta2, epsilon, l2,
 *                                        //   l1, batch_size, shuffle, epochs: the run continues from its
 *                                        //   weights and optimizer state (setOptimizer is this); any other
 *                                        //   change throws "config: <field>: changing it needs a fresh run"
 *   t.setWeight({ layer, tensor, row, col, value }) // layer 1-based (W1), tensor 'W' or 'b' (row 0);
 *                                        //   training continues from the edited weight
 *   t.trace({ samples, x?, y?, params? }) // every intermediate of one forward + backward pass and one
 *                                        //   optimizer update on training samples (numbers), the same
 *                                        //   object `nnplay trace` prints: { samples, m, raw, X, Y,
 *                                        //   layers: [{ layer, activation, W, b, Z, A, dA, dZ, dW, db }],
 *                                        //   loss_name, loss, l2, l1, objective, update: { optimizer,
 *                                        //   learning_rate, t, ..., layers: [{ W, b, v_W, m_hat_W, ... }] } };
 *                                        //   matrices as arrays of rows, b and db flat. x (m * inputs) and
 *                                        //   y (m * outputs) replace the samples' network inputs/targets,
 *                                        //   params [{ W, b }] (as params() gives) every layer's weights.
 *                                        //   The trainer does not change.
 *   t.neuronGrid({ x0, x1, y0, y1, nx, ny }) // every layer's activations over predictGrid's grid:
 *                                        //   [Float32Array (ny * nx * units_l)], unit fastest
 *   t.gradientCheck(h, samples)          // per tensor max relative error on the first `samples` training
 *                                        //   samples (0: all): [{ name, max_rel_error }]
 *   t.gradientCheckWeight({ layer, tensor, row, col, h, samples }) // one weight: { analytic, numeric,
 *                                        //   h, rel_error, formula: "|a - n| / max(|a| + |n|, 1e-4)" }
 * Also, for tools and tests: engine.limits() ({ configBytes, modelBytes, csvBytes, jsonDepth,
 * memoryBytes }: the core's input and memory limits), engine.memoryStats() ({ heapSize, inUse, stackPointer } of the wasm
 * module), t.referenceLoss(), t.networkData('train' | 'test'), and
 * engine.core, the raw Embind module (its functions return Error objects instead of throwing).
 *
 * Errors: every failure of the core (a bad config, a bad model file, a bad argument) throws a JS
 * Error whose message is the core's exact message, the same text the native CLI prints on stderr,
 * always one line (user text inside is escaped and cut). error.internal is true for failures that
 * are not input errors. The engine stays usable after an error.
 * Limits: a document nesting deeper than 32 levels or larger than its limit is refused before it is
 * parsed (and leaks nothing); a config whose run would need more memory than the module's maximum
 * (1 GiB) is refused before allocating, the message giving the memory it needs and the limit.
 * Divergence: when an epoch's loss or weights become NaN or infinite, trainEpochs / metricsLines
 * throw an Error with error.diverged = true, error.epoch = the finished epochs (the trainer is back
 * at the weights, optimizer state and epoch count they reached) and error.metrics = the metrics of
 * the epochs this call finished before it (trainEpochs; [] from metricsLines). The message names the
 * likely cause ("training diverged at epoch 7: the loss became infinite; the learning rate 10 is
 * probably too high for sgd: lower it and continue; the weights of epoch 6 are kept"). The trainer
 * stays usable: exportModel() gives the kept weights, setOptimizer() lowers the rate, and training
 * continues from epoch error.epoch + 1. A worker should report the metrics, then the message. Metrics are plain numbers, null where they do not apply (accuracy for
 * regression, test metrics without a test split). Arrays are Float32Array copies, never views of
 * wasm memory, so they stay valid after later calls.
 * Ownership: a Trainer holds one C++ object until free(); the page keeps one at a time.
 */

// The smallest module with a v128 instruction (from wasm-feature-detect): validates only with SIMD.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

/** True when this JS engine runs WebAssembly SIMD (then load nnplay-core, else nnplay-core-scalar). */
export const hasSimd = () => WebAssembly.validate(SIMD_PROBE);

/**
 * Instantiates the wasm module and returns the engine.
 * @param {{ moduleFactory: Function, wasmBinary?: ArrayBuffer|Uint8Array, locateFile?: Function }} options
 * @returns {Promise<Engine>}
 */
export async function loadEngine({ moduleFactory, wasmBinary, locateFile } = {}) {
  if (typeof moduleFactory !== 'function')
    throw new Error('loadEngine: moduleFactory (the default export of nnplay-core.mjs) is required');
  const moduleArgs = {};
  if (wasmBinary !== undefined) moduleArgs.wasmBinary = wasmBinary;
  if (locateFile !== undefined) moduleArgs.locateFile = locateFile;
  return new Engine(await moduleFactory(moduleArgs));
}

// The Embind functions hand core errors back as Error objects (see wasm/bindings.cpp).
function check(result) {
  if (result instanceof Error) throw result;
  return result;
}

// JSON text as a string, or its UTF-8 bytes (Uint8Array, ArrayBuffer), is passed on as it is.
function configText(cfg) {
  if (typeof cfg === 'string' || cfg instanceof Uint8Array || cfg instanceof ArrayBuffer) return cfg;
  if (cfg === undefined || cfg === null) return '{}';
  return JSON.stringify(cfg);
}

// The images of an image dataset (fashion_mnist) as separate arrays, checked before they reach C++.
function checkImages(images) {
  const fail = (what) => { throw new Error(`images: ${what}`); };
  if (typeof images !== 'object' || images === null) fail('an ImageSet, the asset bytes or an object is needed');
  if (!Number.isInteger(images.pixels) || images.pixels < 1) fail(`pixels: ${images.pixels} is not allowed (an integer >= 1)`);
  for (const k of ['trainPixels', 'trainLabels', 'testPixels', 'testLabels'])
    if (!(images[k] instanceof Uint8Array)) fail(`${k}: a Uint8Array is needed`);
  if (!Array.isArray(images.classNames) || !images.classNames.every((n) => typeof n === 'string'))
    fail('classNames: a list of strings is needed');
  return images;
}

function splitFlag(split, what) {
  if (split !== 'train' && split !== 'test')
    throw new Error(`${what}: split ${JSON.stringify(split)} is not allowed ("train" or "test")`);
  return split === 'test';
}

// Integer arguments checked before Embind would turn undefined or 1.5 into a number silently.
function wholeNumbers(what, values) {
  for (const [k, v] of Object.entries(values))
    if (!Number.isInteger(v)) throw new Error(`${what}: ${k}: ${JSON.stringify(v)} is not allowed (an integer)`);
}

export class Engine {
  /** @param core the instantiated Embind module */
  constructor(core) {
    this.core = core;
    /** "simd128" or "scalar" */
    this.kernel = core.kernelVariant();
    /** the config table, datasets and limits of the core (config.h: config_schema_json) */
    this.schema = JSON.parse(core.configSchema());
  }

  defaultConfig() {
    return this.normalizeConfig('{}');
  }

  normalizeConfig(cfg) {
    return JSON.parse(check(this.core.normalizeConfig(configText(cfg))));
  }

  /**
   * @param asset Uint8Array | ArrayBuffer (the asset file) or { pixels, trainPixels, ... } (see top)
   * @param name what errors call the asset
   */
  loadImages(asset, name = 'image asset') {
    if (asset instanceof ArrayBuffer) asset = new Uint8Array(asset);
    if (asset instanceof Uint8Array) return new ImageSet(check(this.core.loadImages(asset, name)));
    return new ImageSet(check(this.core.makeImages(checkImages(asset))));
  }

  /**
   * A writer for an image asset that arrives in pieces (a download gunzipped as it comes): each piece
   * goes straight into its place in wasm memory, so no second copy of the asset is ever held.
   * @param name what errors call the asset
   */
  imageAssetWriter(name = 'image asset') {
    return new AssetWriter(this.core, name);
  }

  /** The take-home files of a fresh run of cfg (wasm/core/export_script.h), the same as `nnplay export`. */
  exportScript(cfg, script) {
    return check(this.core.exportScript(configText(cfg), script));
  }

  /** @param source undefined, an ImageSet, a { pixels, ... } images object, or a Trainer to share data with */
  createTrainer(cfg, source) {
    const text = configText(cfg);
    if (source === undefined) return new Trainer(check(this.core.createTrainer(text)));
    if (source instanceof ImageSet) return new Trainer(check(this.core.createTrainerOnImages(text, source.handle)));
    if (source instanceof Trainer) return new Trainer(check(this.core.createTrainerLike(text, source.handle)));
    const set = this.loadImages(checkImages(source));
    try {
      return this.createTrainer(cfg, set);
    } finally {
      set.free();
    }
  }

  describeCsv(text, { target = '', task = 'auto' } = {}) {
    return check(this.core.describeCsv(text, target, task));
  }

  checkCsvSize(bytes) {
    check(this.core.checkCsvSize(bytes));
  }

  memoryStats() {
    return this.core.memoryStats();
  }

  limits() {
    return this.core.limits();
  }
}

/**
 * writer.write(piece) each Uint8Array of the asset in order, then writer.finish() -> ImageSet. The
 * asset's 32-byte header (kept here until all of it has come) gives its size (writer.size, null
 * before). write() throws the core's message ("<name>: bad magic ...", "<name>: too long: ...") and
 * finish() too ("<name>: truncated: ..."); after an error or finish() the writer holds nothing.
 */
export class AssetWriter {
  #core;
  #name;
  #builder = null;
  #head = new Uint8Array(0);   // the first bytes, until the header is complete
  #spent = false;

  constructor(core, name) {
    this.#core = core;
    this.#name = name;
  }

  get size() { return this.#builder ? this.#builder.size() : null; }

  write(piece) {
    if (this.#spent) throw new Error(`${this.#name}: the asset writer is finished`);
    if (!(piece instanceof Uint8Array)) throw new Error(`${this.#name}: a piece must be a Uint8Array`);
    try {
      if (!this.#builder) {
        const head = new Uint8Array(this.#head.length + piece.length);
        head.set(this.#head);
        head.set(piece, this.#head.length);
        if (head.length < 32) { this.#head = head; return; }
        this.#builder = check(this.#core.beginAsset(head.subarray(0, 32), this.#name));
        this.#head = null;
        piece = head;
      }
      check(this.#builder.write(piece));
    } catch (e) {
      this.free();
      throw e;
    }
  }

  finish() {
    if (this.#spent) throw new Error(`${this.#name}: the asset writer is finished`);
    try {
      // Fewer than 32 bytes in all: the core's whole-asset reader says what is wrong.
      if (!this.#builder) return new ImageSet(check(this.#core.loadImages(this.#head, this.#name)));
      return new ImageSet(check(this.#builder.finish()));
    } finally {
      this.free();
    }
  }

  free() {
    this.#builder?.delete();
    this.#builder = null;
    this.#head = null;
    this.#spent = true;
  }
}

export class ImageSet {
  #handle;

  /** @param handle an Embind Images handle; the ImageSet owns it from now on */
  constructor(handle) {
    this.#handle = handle;
    /** { rows, cols, pixels, classNames, train, test } */
    this.info = handle.info();
  }

  get handle() {
    if (!this.#handle) throw new Error('image set is freed');
    return this.#handle;
  }

  split(split = 'test') { return this.handle.split(splitFlag(split, 'split')); }

  free() {
    if (this.#handle) {
      this.#handle.delete();
      this.#handle = null;
    }
  }
}

export class Trainer {
  #handle;
  #config;
  #info;

  /** @param handle an Embind Trainer handle; the Trainer owns it from now on */
  constructor(handle) {
    this.#handle = handle;
    try {
      this.#config = JSON.parse(check(handle.configJson()));
      this.#info = check(handle.info());
    } catch (e) {
      this.free();
      throw e;
    }
  }

  #h() {
    if (!this.#handle) throw new Error('trainer is freed');
    return this.#handle;
  }

  /** the Embind handle, for engine.createTrainer(cfg, thisTrainer) */
  get handle() { return this.#h(); }

  get config() { this.#h(); return this.#config; }
  get info() { this.#h(); return this.#info; }
  get epoch() { return this.#h().epoch(); }

  trainEpochs(n = 1) { return check(this.#h().trainEpochs(n)); }
  metricsLines(n = 1) { return check(this.#h().metricsLines(n)); }
  evaluate(split = 'train') { return check(this.#h().evaluate(splitFlag(split, 'evaluate'))); }
  data() { return check(this.#h().data()); }
  networkData(split = 'train') { return check(this.#h().networkData(splitFlag(split, 'networkData'))); }
  predict(raw, m) { return check(this.#h().predict(raw, m)); }
  predictGrid({ x0, x1, y0, y1, nx, ny }) { return check(this.#h().predictGrid(x0, x1, y0, y1, nx, ny)); }
  params() { return check(this.#h().params()); }
  exportModel({ trainingState = true } = {}) { return check(this.#h().exportModel(trainingState)); }
  importModel(text) {
    const h = this.#h();
    const note = check(h.importModel(text));
    // The model brings its own layers, loss and features: re-read what the trainer now holds.
    this.#config = JSON.parse(check(h.configJson()));
    this.#info = check(h.info());
    return note;
  }
  gradientCheck(h = 1e-3, samples = 0) { return check(this.#h().gradientCheck(h, samples)); }

  // Teaching views (see the header).
  get epochPosition() { return this.#h().epochPosition(); }
  trainBatch() { return check(this.#h().trainBatch()); }
  updateSettings(cfg) {
    const h = this.#h();
    check(h.updateSettings(configText(cfg)));
    this.#config = JSON.parse(check(h.configJson()));
  }
  setWeight({ layer, tensor = 'W', row = 0, col, value }) {
    wholeNumbers('setWeight', { layer, row, col });
    if (typeof value !== 'number') throw new Error(`setWeight: value: ${JSON.stringify(value)} is not allowed (a number)`);
    check(this.#h().setParam(layer, tensor, row, col, value));
  }
  trace({ samples, x = null, y = null, params = null } = {}) {
    if (!Array.isArray(samples) || !samples.every(Number.isInteger))
      throw new Error('trace: samples: a list of training sample numbers is needed');
    const p = params === null ? null : params.map(({ W, b }) => ({ W, b }));
    return JSON.parse(check(this.#h().trace(samples, x, y, p)));
  }
  neuronGrid({ x0, x1, y0, y1, nx, ny }) { return check(this.#h().neuronGrid(x0, x1, y0, y1, nx, ny)); }
  gradientCheckWeight({ layer, tensor = 'W', row = 0, col, h = 1e-3, samples = 0 }) {
    wholeNumbers('gradientCheckWeight', { layer, row, col, samples });
    return check(this.#h().gradientCheckWeight(layer, tensor, row, col, h, samples));
  }
  setOptimizer(optimizer) {
    const h = this.#h();
    check(h.setOptimizer(JSON.stringify({ optimizer })));
    this.#config = JSON.parse(check(h.configJson()));
  }
  reset() { check(this.#h().reset()); }
  testOutputs() { return check(this.#h().testOutputs()); }
  referenceLoss() { return this.#h().referenceLoss(); }

  free() {
    if (this.#handle) {
      this.#handle.delete();
      this.#handle = null;
    }
  }
}
