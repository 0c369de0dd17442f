#!/usr/bin/env node
// nnplay.mjs: `npx nnplay`. It runs the command line of wasm/cli/main.cpp compiled by Emscripten for
// Node (build/wasm/nnplay-cli.cjs, or nnplay-cli-scalar.cjs where WebAssembly SIMD is missing or
// NNPLAY_WASM=scalar; NNPLAY_WASM_DIR points at another build folder) with this process's
// arguments. Usage, messages, stdout, stderr and exit codes are that program's own, so they are the
// native CLI's (build/native/nnplay is built from the same main.cpp). It is only a loader: no
// argument parsing, no output formatting here.
// Also a module: loadNodeEngine() gives Node code (the tests) the page's engine on build/wasm.
import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadEngine } from '../web/js/engine.mjs';

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)): valid only where WebAssembly
// SIMD is supported (the probe of the wasm-feature-detect library).
const simdProbe = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);
export const simdSupported = () => WebAssembly.validate(simdProbe);

const defaultDir = () => process.env.NNPLAY_WASM_DIR || fileURLToPath(new URL('../build/wasm/', import.meta.url));

// 'simd' or 'scalar': NNPLAY_WASM if set, else what this engine supports.
function pickVariant(variant = process.env.NNPLAY_WASM || (simdSupported() ? 'simd' : 'scalar')) {
  if (variant !== 'simd' && variant !== 'scalar')
    throw new Error(`NNPLAY_WASM: "${variant}" is not allowed (simd or scalar)`);
  return variant;
}

function readBuilt(file) {
  try {
    return readFileSync(file);
  } catch {
    throw new Error(`${file} is missing: run npm run build`);
  }
}

/**
 * The page's engine on one of the built modules: 'simd' (nnplay-core), 'scalar' (nnplay-core-scalar),
 * by default the SIMD build where supported. The modules are read from dir (default build/wasm/).
 */
export async function loadNodeEngine(variant, dir = defaultDir()) {
  const name = pickVariant(variant) === 'simd' ? 'nnplay-core' : 'nnplay-core-scalar';
  const wasmBinary = readBuilt(join(dir, name + '.wasm'));
  const { default: moduleFactory } = await import(pathToFileURL(join(dir, name + '.mjs')).href);
  return loadEngine({ moduleFactory, wasmBinary });
}

/**
 * Runs main.cpp's program with args. The program ends the process itself (process.exit with main's
 * return value, after flushing stdout), so this returns only if it could not start.
 */
export function runCli(args, variant, dir = defaultDir()) {
  const name = pickVariant(variant) === 'simd' ? 'nnplay-cli' : 'nnplay-cli-scalar';
  const wasmBinary = readBuilt(join(dir, name + '.wasm'));
  const createNnplayCli = createRequire(import.meta.url)(join(dir, name + '.cjs'));
  // thisProgram: argv[0] as main() sees it; wasmBinary: the 3.1.6 glue would fetch() the path.
  createNnplayCli({ arguments: args, thisProgram: 'nnplay', wasmBinary });
}

// Run as a program (directly, or through npx's symlink in node_modules/.bin), not when imported.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    runCli(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`nnplay: internal error: ${e.message}\n`);
    process.exitCode = 1;
  }
}
