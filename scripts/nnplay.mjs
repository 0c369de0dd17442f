#!/usr/bin/env node
// nnplay.mjs: `npx nnplay`, the native command line (wasm/cli/main.cpp) on the WebAssembly build.
// Same commands, options, messages, stdout and exit codes (0 done, 2 bad input with one line on
// stderr, 1 internal error):
//   nnplay train --config run.json [--init model.json] [--out model.json] [--save-init model.json]
//                [--print json|reference]
//   nnplay gradcheck --config run.json
//   nnplay predict --model model.json --data x.csv
//   nnplay dataset --config run.json [--split train|test]
// It loads build/wasm/nnplay-core.mjs, or nnplay-core-scalar.mjs where WebAssembly SIMD is missing
// (or NNPLAY_WASM=scalar), through web/js/engine.mjs; NNPLAY_WASM_DIR points at another build folder. All numbers are printed by C's printf inside
// the module, so they match the native CLI to the character. What it is not: a second
// implementation of anything; when main.cpp changes, this file follows it.
// Also a module: loadNodeEngine() gives Node code (the tests) the same engine.
import { readFileSync, realpathSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadEngine } from '../web/js/engine.mjs';

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)): valid only where WebAssembly
// SIMD is supported (the probe of the wasm-feature-detect library).
const simdProbe = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);
export const simdSupported = () => WebAssembly.validate(simdProbe);

/**
 * The engine on one of the built modules: 'simd' (nnplay-core), 'scalar' (nnplay-core-scalar), or
 * by default the SIMD build where supported and the scalar one elsewhere. The modules are read from
 * dir: NNPLAY_WASM_DIR if set, else build/wasm/ of this checkout.
 */
export async function loadNodeEngine(variant = process.env.NNPLAY_WASM || (simdSupported() ? 'simd' : 'scalar'),
                                     dir = process.env.NNPLAY_WASM_DIR || fileURLToPath(new URL('../build/wasm/', import.meta.url))) {
  if (variant !== 'simd' && variant !== 'scalar')
    throw new Error(`NNPLAY_WASM: "${variant}" is not allowed (simd or scalar)`);
  const name = variant === 'simd' ? 'nnplay-core' : 'nnplay-core-scalar';
  const js = join(dir, name + '.mjs'), wasm = join(dir, name + '.wasm');
  let wasmBinary;
  try {
    wasmBinary = readFileSync(wasm);
  } catch {
    throw new Error(`${wasm} is missing: run npm run build`);
  }
  const { default: moduleFactory } = await import(pathToFileURL(js).href);
  return loadEngine({ moduleFactory, wasmBinary });
}

// ---- the command line (mirrors wasm/cli/main.cpp) --------------------------------------------

// Bad input: exit code 2 (the native CLI's nnplay::Error).
class UsageError extends Error {}

const commands = {
  train: ['--config', '--init', '--out', '--save-init', '--print'],
  gradcheck: ['--config'],
  predict: ['--model', '--data'],
  dataset: ['--config', '--split'],
};

const usage =
  'usage: nnplay train --config run.json [--init model.json] [--out model.json] [--save-init model.json] ' +
  '[--print json|reference]\n' +
  '       nnplay gradcheck --config run.json\n' +
  '       nnplay predict --model model.json --data x.csv\n' +
  '       nnplay dataset --config run.json [--split train|test]\n';

function parseArgs(argv) {
  if (argv.length < 1) throw new UsageError('nnplay: a command is needed (train, gradcheck, predict, dataset)');
  const command = argv[0];
  const allowed = Object.hasOwn(commands, command) ? commands[command] : null;
  if (!allowed) throw new UsageError(`nnplay: ${command}: unknown command (allowed: train, gradcheck, predict, dataset)`);
  const opts = new Map();
  for (let i = 1; i < argv.length; ++i) {
    const key = argv[i];
    if (!allowed.includes(key))
      throw new UsageError(`nnplay: ${command}: ${key}: unknown option (allowed: ${allowed.join(', ')})`);
    if (i + 1 >= argv.length) throw new UsageError(`nnplay: ${command}: ${key}: a value is needed`);
    opts.set(key, argv[++i]);
  }
  return { command, opts };
}

function need(a, key, what) {
  if (!a.opts.has(key)) throw new UsageError(`nnplay: ${a.command}: ${key}: missing (${what})`);
  return a.opts.get(key);
}

// The file's bytes (Embind passes a Uint8Array to std::string as it is, like the native CLI's read).
function readBytes(option, path) {
  try {
    return readFileSync(path);
  } catch (e) {
    // std::ifstream opens a directory and then reads nothing.
    if (e.code === 'EISDIR') return new Uint8Array(0);
    throw new UsageError(`nnplay: ${option}: cannot read "${path}"`);
  }
}

function writeText(option, path, text) {
  try {
    writeFileSync(path, text + '\n');
  } catch {
    throw new UsageError(`nnplay: ${option}: cannot write "${path}"`);
  }
}

// Core errors arrive as JS Errors; the native CLI reports nnplay::Error with exit code 2.
function core(fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Error && !e.internal && !(e instanceof UsageError)) throw new UsageError(e.message);
    throw e;
  }
}

// Closed stdout (`nnplay train ... | head`): the native CLI dies of SIGPIPE, shells report 141.
class BrokenPipe extends Error {}

// One synchronous write per line, as the native CLI flushes each epoch's line.
function out(text) {
  const bytes = Buffer.from(text + '\n');
  for (let done = 0; done < bytes.length;) {
    try {
      done += writeSync(1, bytes, done);
    } catch (e) {
      if (e.code === 'EAGAIN') continue; // a non-blocking pipe that is full
      if (e.code === 'EPIPE') throw new BrokenPipe();
      throw e;
    }
  }
}

function train(engine, a) {
  const fmt = (style, precision, v) => engine.core.formatNumber(style, precision, v);
  const print = a.opts.has('--print') ? a.opts.get('--print') : 'json';
  if (print !== 'json' && print !== 'reference')
    throw new UsageError(`nnplay: train: --print: "${print}" is not allowed (json or reference)`);
  const config = readBytes('--config', need(a, '--config', "the run's config JSON file"));
  const t = core(() => engine.createTrainer(config));
  try {
    if (a.opts.has('--init')) {
      const model = readBytes('--init', a.opts.get('--init'));
      const note = core(() => t.importModel(model));
      if (note) writeSync(2, `nnplay: train: --init: ${note}\n`);  // as main.cpp
    }
    if (a.opts.has('--save-init')) writeText('--save-init', a.opts.get('--save-init'), t.exportModel({ trainingState: false }));  // weights only, as main.cpp
    if (print === 'reference' && t.config.loss !== 'cce')
      throw new UsageError('nnplay: train: --print: "reference" needs loss cce (the reference network\'s loss)');
    for (let e = 0; e < t.config.epochs; ++e) {
      if (print === 'json') {
        out(core(() => t.metricsLines(1))[0]);
      } else {
        core(() => t.trainEpochs(1));
        // snprintf into char[64]: at most 63 characters.
        if (e % 10 === 0) out(`Epoch ${e}, Loss: ${fmt('f', 4, t.referenceLoss())}`.slice(0, 63));
      }
    }
    if (a.opts.has('--out')) writeText('--out', a.opts.get('--out'), t.exportModel());
  } finally {
    t.free();
  }
  return 0;
}

function gradcheck(engine, a) {
  const config = readBytes('--config', need(a, '--config', "the run's config JSON file"));
  const t = core(() => engine.createTrainer(config));
  try {
    // float32 needs a larger step than double: h = 1e-3, as in the native CLI's float build.
    for (const g of core(() => t.gradientCheck(1e-3)))
      out(`{"tensor":"${g.name}","max_rel_error":${engine.core.formatNumber('g', 9, g.max_rel_error)}}`);
  } finally {
    t.free();
  }
  return 0;
}

// std::strtod(cell) accepting the whole cell with a finite result, as main.cpp's predict reads
// inputs: optional leading white space, sign, decimal or hexadecimal float; null otherwise.
function parseCell(cell) {
  if (cell === '') return null;
  const s = cell.replace(/^[ \t\n\v\f\r]+/, '');
  const dec = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.exec(s);
  if (dec) {
    const v = Number(s);
    return Number.isFinite(v) ? v : null;
  }
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/.exec(s);
  if (hex && (hex[2] + (hex[3] ?? '')).length > 0) {
    const frac = hex[3] ?? '';
    const mantissa = BigInt('0x' + hex[2] + frac);
    const exponent = Number(hex[4] ?? 0) - 4 * frac.length;
    const v = Number(mantissa) * 2 ** exponent;
    return Number.isFinite(v) ? (hex[1] === '-' ? -v : v) : null;
  }
  return null;
}

function predict(engine, a) {
  const fmt = (v) => engine.core.formatNumber('g', 9, v);
  const modelText = readBytes('--model', need(a, '--model', 'a model JSON file'));
  const model = core(() => check(engine.core.modelInfo(modelText)));
  const csvText = readBytes('--data', need(a, '--data', 'a CSV file of inputs'));
  const csv = core(() => check(engine.core.parseCsv(csvText)));
  // Columns are found by name; others (a target, say) are ignored.
  const cols = model.rawNames.map((name) => {
    const j = csv.header.indexOf(name);
    if (j < 0)
      throw new UsageError(
        `nnplay: predict: --data: column "${name}" is missing (the model needs ${model.rawNames.join(', ')})`);
    return j;
  });
  const m = csv.rows.length, d = cols.length;
  const raw = new Float32Array(m * d);
  for (let i = 0; i < m; ++i)
    for (let j = 0; j < d; ++j) {
      const cell = csv.rows[i][cols[j]];
      const v = parseCell(cell);
      if (v === null)
        throw new UsageError(`csv: data row ${i + 1} (line ${i + 2}), column ${cols[j] + 1} ` +
                             `("${csv.header[cols[j]]}"): "${cell}" is not a number`);
      raw[i * d + j] = v;
    }
  const A = core(() => check(engine.core.modelPredict(modelText, raw, m)));
  const n = model.outputs;
  const classify = model.task === 'classification';
  const lines = [Array.from({ length: n }, (_, j) => 'y' + j).join(',') + (classify ? ',class' : '')];
  for (let i = 0; i < m; ++i) {
    const row = A.subarray(i * n, i * n + n);
    let k = 0;
    const cells = [];
    for (let j = 0; j < n; ++j) {
      cells.push(fmt(row[j]));
      if (row[j] > row[k]) k = j;
    }
    if (classify) {
      const cls = n === 1 ? (row[0] >= 0.5 ? 1 : 0) : k;
      cells.push(cls < model.classes.length ? model.classes[cls] : String(cls));
    }
    lines.push(cells.join(','));
  }
  out(lines.join('\n'));
  return 0;
}

// The network's inputs and targets, as the first layer sees them (for the NumPy oracle).
function dataset(engine, a) {
  const fmt = (v) => engine.core.formatNumber('g', 9, v);
  const split = a.opts.has('--split') ? a.opts.get('--split') : 'train';
  if (split !== 'train' && split !== 'test')
    throw new UsageError(`nnplay: dataset: --split: "${split}" is not allowed (train or test)`);
  const config = readBytes('--config', need(a, '--config', "the run's config JSON file"));
  const t = core(() => engine.createTrainer(config));
  try {
    const { x, y, m, inputs, outputs } = core(() => t.networkData(split));
    const header = [];
    for (let j = 0; j < inputs; ++j) header.push('x' + j);
    for (let j = 0; j < outputs; ++j) header.push('y' + j);
    const lines = [header.join(',')];
    for (let i = 0; i < m; ++i) {
      const cells = [];
      for (let j = 0; j < inputs; ++j) cells.push(fmt(x[i * inputs + j]));
      for (let j = 0; j < outputs; ++j) cells.push(fmt(y[i * outputs + j]));
      lines.push(cells.join(','));
    }
    out(lines.join('\n'));
  } finally {
    t.free();
  }
  return 0;
}

function check(result) {
  if (result instanceof Error) throw result;
  return result;
}

export async function main(argv) {
  try {
    const a = parseArgs(argv);
    const engine = await loadNodeEngine();
    if (a.command === 'train') return train(engine, a);
    if (a.command === 'gradcheck') return gradcheck(engine, a);
    if (a.command === 'predict') return predict(engine, a);
    return dataset(engine, a);
  } catch (e) {
    if (e instanceof BrokenPipe) return 141;
    if (e instanceof UsageError) {
      process.stderr.write(e.message + '\n');
      if (argv.length < 1) process.stderr.write(usage);
      return 2;
    }
    process.stderr.write(`nnplay: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

// Run as a program (directly, or through npx's symlink in node_modules/.bin), not when imported.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
