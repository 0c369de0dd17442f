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
 *   engine.createTrainer(cfg, images)    // the same on images the caller loaded (fashion_mnist):
 *                                        //   { pixels, trainPixels, trainLabels, testPixels,
 *                                        //     testLabels (Uint8Arrays), classNames }
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
 *   t.exportModel() / t.importModel(text) // the model file; a bad file throws and changes nothing
 *   t.free()                             // releases the C++ trainer; later calls throw
 * Also, for tools and tests: engine.memoryStats() ({ heapSize, inUse, stackPointer } of the wasm
 * module), t.gradientCheck(h), t.referenceLoss(), t.networkData('train' | 'test'), and
 * engine.core, the raw Embind module (its functions return Error objects instead of throwing).
 *
 * Errors: every failure of the core (a bad config, a bad model file, a bad argument) throws a JS
 * Error whose message is the core's exact message, the same text the native CLI prints on stderr;
 * error.internal is true for failures that are not input errors (out of memory). The engine stays
 * usable after an error. Metrics are plain numbers, null where they do not apply (accuracy for
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

// The images of an image dataset (fashion_mnist), checked before they reach C++.
function checkImages(images) {
  const fail = (what) => { throw new Error(`images: ${what}`); };
  if (typeof images !== 'object' || images === null) fail('an object is needed');
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

  createTrainer(cfg, images) {
    const text = configText(cfg);
    if (images === undefined) return new Trainer(check(this.core.createTrainer(text)));
    return new Trainer(check(this.core.createTrainerWithImages(text, checkImages(images))));
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
  exportModel() { return check(this.#h().exportModel()); }
  importModel(text) {
    const h = this.#h();
    check(h.importModel(text));
    // The model brings its own layers, loss and features: re-read what the trainer now holds.
    this.#config = JSON.parse(check(h.configJson()));
    this.#info = check(h.info());
  }
  gradientCheck(h = 1e-3) { return check(this.#h().gradientCheck(h)); }
  referenceLoss() { return this.#h().referenceLoss(); }

  free() {
    if (this.#handle) {
      this.#handle.delete();
      this.#handle = null;
    }
  }
}
