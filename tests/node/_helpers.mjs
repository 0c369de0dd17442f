// _helpers.mjs: what the node:test suites share: the paths of the built artifacts (failing with a
// clear message when `npm run build` has not run), runners for the native CLI and `npx nnplay`, a
// scratch folder, and the engine on the real wasm build. Not a test file itself (node --test only
// picks up *.test.mjs here).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
// NNPLAY_BUILD_DIR: another build folder with native/ and wasm/ (default: build/ of this checkout).
export const buildDir = process.env.NNPLAY_BUILD_DIR || join(root, 'build');
export const nativeCli = join(buildDir, 'native', 'nnplay');
export const wasmDir = join(buildDir, 'wasm');
export const npxCli = join(root, 'scripts', 'nnplay.mjs');

/** Throws (once per suite) unless the native CLI and both wasm modules exist. */
export function requireBuild() {
  const needed = [nativeCli, ...['nnplay-core', 'nnplay-core-scalar'].flatMap((n) =>
    [join(wasmDir, n + '.mjs'), join(wasmDir, n + '.wasm')])];
  const missing = needed.filter((p) => !existsSync(p));
  if (missing.length)
    throw new Error(`not built: ${missing.join(', ')} missing. Run \`npm run build\` first ` +
                    '(the node tests run the real native CLI and the real wasm build).');
}

// The engine on build/wasm ('simd' or 'scalar'), through the same loader as `npx nnplay`.
export async function engine(variant = 'simd') {
  requireBuild();
  const { loadNodeEngine } = await import('../../scripts/nnplay.mjs');
  return loadNodeEngine(variant, wasmDir);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, NNPLAY_WASM_DIR: wasmDir },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
/** build/native/nnplay <args> -> { code, stdout, stderr } */
export const native = (...args) => run(nativeCli, args);
/** node scripts/nnplay.mjs <args> (what `npx nnplay` runs) -> { code, stdout, stderr } */
export const npx = (...args) => run(process.execPath, [npxCli, ...args]);

/** A scratch folder; write(name, text or object) returns the file's path. */
export function scratch() {
  const dir = mkdtempSync(join(tmpdir(), 'nnplay-node-test-'));
  return {
    dir,
    path: (name) => join(dir, name),
    write(name, content) {
      const p = join(dir, name);
      writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
      return p;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A JSON metrics line without its wall-time field. */
export const withoutSeconds = (line) => line.replace(/,"seconds":[^,}]*/, '');
/** stdout -> non-empty lines */
export const lines = (text) => text.split('\n').filter((l) => l !== '');
