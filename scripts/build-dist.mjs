#!/usr/bin/env node
// build-dist.mjs: assembles dist/ from web/, build/wasm/, Chart.js and the Fashion-MNIST IDX files.
// Three outputs:
//   dist/index.html + style.css + js/*.mjs + wasm/ + vendor/chart.umd.js: the site (relative URLs
//     only, so it works under any sub-path); the worker is a module worker loading wasm/nnplay-core.mjs.
//   dist/nnplay.html: one self-contained file that works when double-clicked (file://): CSS,
//     Chart.js and the page modules inline, and the worker's code (nnplay-core-single.mjs, whose
//     wasm is inlined as base64, + engine.mjs + worker.mjs) carried as a string the page starts
//     from a Blob URL as a classic worker (Chromium on file:// pages allows classic Blob workers, refuses
//     module Blob workers and fetch of sibling files).
//   dist/data/fashion-mnist.bin: the page's Fashion-MNIST asset (scripts/fashion-asset.mjs), fetched
//     on demand. Datasets live under dist/data/, apart from the page's size budget. Without the IDX
//     files (Debian's dataset-fashion-mnist) it is skipped with a warning and the page says so.
// It is not a general bundler: the page's modules use one-line-per-binding `import { a, b as c }
// from './x.mjs'` and `export function|class|const|let` or `export { ... }`, which it rewrites into
// one scope per module. Usage: node scripts/build-dist.mjs [--out DIR]
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FASHION_SRC, writeFashionAsset } from './fashion-asset.mjs';
import { buildLessons, copyKatex } from './lessons.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// ---- a minimal ES module concatenator for the page's own modules ----
const IMPORT_RE = /^\s*import\s+(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\}|\*\s+as\s+([\w$]+))?\s*from\s*['"]([^'"]+)['"]\s*;?[ \t]*$/gm;
const EXPORT_DECL_RE = /^export\s+(?:(async\s+)?function\s*\*?\s*|class\s+|const\s+|let\s+|var\s+)([\w$]+)/gm;
const EXPORT_LIST_RE = /^export\s*\{([^}]*)\}\s*;?[ \t]*$/gm;
const EXPORT_DEFAULT_RE = /^export\s+default\s+/m;

const moduleVar = (file) => `__nnplay_${basename(file).replace(/\W/g, '_')}`;

// Reads one module: its source with imports and exports rewritten, and the files it imports.
function rewriteModule(file) {
  let src = readFileSync(file, 'utf8');
  const deps = [];
  const exported = [];
  src = src.replace(IMPORT_RE, (_, def, named, ns, spec) => {
    const dep = resolve(dirname(file), spec);
    deps.push(dep);
    const m = moduleVar(dep);
    const lines = [];
    if (def) lines.push(`const ${def} = ${m}.default;`);
    if (ns) lines.push(`const ${ns} = ${m};`);
    if (named && named.trim()) {
      const parts = named.split(',').map((s) => s.trim()).filter(Boolean).map((s) => s.replace(/\s+as\s+/, ': '));
      lines.push(`const { ${parts.join(', ')} } = ${m};`);
    }
    return lines.join(' ');
  });
  src = src.replace(EXPORT_DECL_RE, (whole, _async, name) => { exported.push(name); return whole.replace(/^export\s+/, ''); });
  src = src.replace(EXPORT_LIST_RE, (_, list) => {
    for (const part of list.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [local, as] = part.split(/\s+as\s+/);
      exported.push(as ? `${as}: ${local}` : local);
    }
    return '';
  });
  if (EXPORT_DEFAULT_RE.test(src)) {
    src = src.replace(EXPORT_DEFAULT_RE, 'const __default = ');
    exported.push('default: __default');
  }
  if (/^\s*(import|export)\s/m.test(src)) throw new Error(`build-dist: ${file}: an import or export form this script cannot rewrite`);
  return { src, deps, exported };
}

// One module script text holding `entry` and everything it imports, dependencies first, each
// module in its own function scope (so top-level names of different modules never collide).
export function bundle(entry) {
  const order = [];
  const seen = new Map();
  const visit = (file, stack) => {
    if (seen.has(file)) return;
    if (stack.includes(file)) throw new Error(`build-dist: import cycle through ${file}`);
    const mod = rewriteModule(file);
    for (const dep of mod.deps) visit(dep, [...stack, file]);
    seen.set(file, mod);
    order.push(file);
  };
  visit(resolve(entry), []);
  return order.map((file) => {
    const { src, exported } = seen.get(file);
    // An async scope, so a module may use top-level await (the bundle runs as a module).
    return `// ---- ${basename(file)} ----\nconst ${moduleVar(file)} = await (async () => {\n${src}\nreturn { ${exported.join(', ')} };\n})();\n`;
  }).join('\n');
}

// Text safe inside an inline <script> element.
const scriptSafe = (js) => js.replace(/<\/(script)/gi, '<\\/$1');

function oneFilePage({ webDir, jsDir, coreSingle, chartFile }) {
  const html = readFileSync(join(webDir, 'index.html'), 'utf8');
  const css = readFileSync(join(webDir, 'style.css'), 'utf8');
  const chart = readFileSync(chartFile, 'utf8');
  const core = readFileSync(coreSingle, 'utf8').replace(/export\s+default\s+([\w$]+)\s*;?/, 'globalThis.nnplayCoreFactory = $1;');
  // Chromium refuses module workers from Blob URLs on file:// pages (opaque origin), so the worker
  // is a classic script: one async function around everything, import.meta.url -> the worker's URL.
  const workerCode = `(async () => {\n${core}\n${bundle(join(jsDir, 'worker.mjs'))}\n})();\n`
    .replace(/import\.meta\.url/g, 'self.location.href');
  const workerString = JSON.stringify(workerCode).replace(/</g, '\\u003c');
  const page = bundle(join(jsDir, 'main.mjs'));
  const replaceOnce = (text, from, to) => {
    if (!text.includes(from)) throw new Error(`build-dist: index.html has no ${from}`);
    return text.replace(from, () => to);
  };
  let out = replaceOnce(html, '<link rel="stylesheet" href="style.css">', `<style>\n${css}</style>`);
  out = replaceOnce(out, '<script defer src="vendor/chart.umd.js"></script>', `<script>\n${scriptSafe(chart)}\n</script>`);
  out = replaceOnce(out, '<script type="module" src="js/main.mjs"></script>',
    `<script>globalThis.nnplayWorkerCode = ${workerString};</script>\n<script type="module">\n${scriptSafe(page)}\n</script>`);
  return out;
}

// The teaching files: embed.html (+ its CSS and example host page), KaTeX's CSS and fonts, and the
// lessons built from web/lessons/*.md (scripts/lessons.mjs). The embed's module is in js/ already.
function teachingFiles({ root, webDir, out }) {
  for (const f of ['embed.html', 'embed.css', 'embed-example.html']) cpSync(join(webDir, f), join(out, f));
  copyKatex({ root, out: join(out, 'vendor', 'katex') });
  return buildLessons({ root, dir: join(webDir, 'lessons'), out: join(out, 'lessons') });
}

// Builds dist/. Paths are options so a test or a developer can point at other inputs.
export function buildDist({
  root = ROOT,
  out = join(root, 'dist'),
  webDir = join(root, 'web'),
  wasmDir = join(root, 'build', 'wasm'),
  chartFile = join(root, 'node_modules', 'chart.js', 'dist', 'chart.umd.js'),
  fashionSrc = FASHION_SRC,
} = {}) {
  const jsDir = join(webDir, 'js');
  const need = [join(webDir, 'index.html'), join(jsDir, 'engine.mjs'), join(wasmDir, 'nnplay-core.mjs'),
    join(wasmDir, 'nnplay-core-single.mjs'), chartFile];
  const missing = need.filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`build-dist: missing ${missing.join(', ')} (build the wasm core and run npm install first)`);

  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'js'), { recursive: true });
  mkdirSync(join(out, 'wasm'), { recursive: true });
  mkdirSync(join(out, 'vendor'), { recursive: true });
  for (const f of ['index.html', 'style.css']) cpSync(join(webDir, f), join(out, f));
  for (const f of readdirSync(jsDir).filter((n) => n.endsWith('.mjs'))) cpSync(join(jsDir, f), join(out, 'js', f));
  const wasmFiles = readdirSync(wasmDir).filter((n) => /^nnplay-core(-scalar)?\.(mjs|wasm)$/.test(n));
  for (const f of wasmFiles) cpSync(join(wasmDir, f), join(out, 'wasm', f));
  cpSync(chartFile, join(out, 'vendor', 'chart.umd.js'));
  teachingFiles({ root, webDir, out });
  writeFileSync(join(out, 'nnplay.html'),
    oneFilePage({ webDir, jsDir, coreSingle: join(wasmDir, 'nnplay-core-single.mjs'), chartFile }));
  let fashion = null, warning = null;
  try {
    fashion = writeFashionAsset({ src: fashionSrc, out: join(out, 'data', 'fashion-mnist.bin') });
  } catch (e) {
    warning = `build-dist: warning: no Fashion-MNIST asset (${e.message}); the page's Fashion-MNIST will say it is missing`;
  }
  return { out, wasmFiles, fashion, warning };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  try {
    const { out, wasmFiles, fashion, warning } = buildDist(i > 0 ? { out: resolve(process.argv[i + 1]) } : {});
    console.log(`build-dist: wrote ${out} (wasm: ${wasmFiles.join(', ')}) and ${join(out, 'nnplay.html')}`);
    if (fashion) console.log(`build-dist: wrote ${fashion.out} (${fashion.bytes} bytes)`);
    if (warning) console.warn(warning);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
