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
//   dist/data/fashion-mnist.bin.gz: the page's Fashion-MNIST asset (scripts/fashion-asset.mjs), fetched
//     on demand. Datasets live under dist/data/, apart from the page's size budget. Without the IDX
//     files (Debian's dataset-fashion-mnist) it is skipped with a warning and the page says so.
// Bundling is esbuild's (pinned in package.json): the page is one module script, the worker one
// classic script; nothing is minified, so the page stays readable in the browser's tools.
// Usage: node scripts/build-dist.mjs [--out DIR]
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { FASHION_SRC, writeFashionAsset } from './fashion-asset.mjs';
import { buildLessons, copyKatex } from './lessons.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// A dynamic import with a template literal (the worker's `import(\`../wasm/${name}.mjs\`)`) is loaded
// at run time next to the page, never bundled; esbuild would read it as a glob of files to include.
const runTimeImports = {
  name: 'run-time-imports',
  setup(build) {
    build.onLoad({ filter: /\.mjs$/ }, ({ path }) => ({
      contents: readFileSync(path, 'utf8').replace(/\bimport\((`[^`]*`)\)/g, 'import(String($1))'),
      loader: 'js',
    }));
  },
};

// One script holding entry and everything it imports: format 'esm' for a module script, 'iife' for
// a classic one. prelude: the source of a module that runs before entry's (imports run in order).
export async function bundle(entry, { format = 'esm', define = {}, prelude = '' } = {}) {
  const dir = dirname(resolve(entry));
  const preludeModule = {
    name: 'prelude',
    setup(build) {
      build.onResolve({ filter: /^nnplay:prelude$/ }, ({ path }) => ({ path, namespace: 'prelude' }));
      build.onLoad({ filter: /.*/, namespace: 'prelude' }, () => ({
        contents: prelude,
        resolveDir: dir,
        loader: 'js',
      }));
    },
  };
  const result = await build({
    stdin: { contents: `import 'nnplay:prelude';\nimport ${JSON.stringify(resolve(entry))};\n`, resolveDir: dir },
    bundle: true,
    format,
    target: 'es2022',
    write: false,
    charset: 'utf8',
    logLevel: 'silent',
    define,
    plugins: [preludeModule, runTimeImports],
  });
  return result.outputFiles[0].text;
}

// Text safe inside an inline <script> element.
const scriptSafe = (js) => js.replace(/<\/(script)/gi, '<\\/$1');

async function oneFilePage({ webDir, jsDir, coreSingle, chartFile }) {
  const html = readFileSync(join(webDir, 'index.html'), 'utf8');
  const css = readFileSync(join(webDir, 'style.css'), 'utf8');
  const chart = readFileSync(chartFile, 'utf8');
  // Chromium refuses module workers from Blob URLs on file:// pages (opaque origin), so the worker
  // is a classic script: the one-file core (its wasm inlined as base64) handed to worker.mjs through
  // globalThis.nnplayCoreFactory, import.meta.url read as the worker's URL.
  const workerCode = await bundle(join(jsDir, 'worker.mjs'), {
    format: 'iife',
    define: { 'import.meta.url': 'self.location.href' },
    prelude: `import nnplayCoreFactory from ${JSON.stringify(coreSingle)};\nglobalThis.nnplayCoreFactory = nnplayCoreFactory;\n`,
  });
  const workerString = JSON.stringify(workerCode).replace(/</g, '\\u003c');
  const page = await bundle(join(jsDir, 'main.mjs'));
  const replaceOnce = (text, from, to) => {
    if (!text.includes(from)) throw new Error(`build-dist: index.html has no ${from}`);
    return text.replace(from, () => to);
  };
  let out = replaceOnce(html, '<link rel="stylesheet" href="style.css">', `<style>\n${css}</style>`);
  out = replaceOnce(
    out,
    '<script defer src="vendor/chart.umd.js"></script>',
    `<script>\n${scriptSafe(chart)}\n</script>`,
  );
  out = replaceOnce(
    out,
    '<script type="module" src="js/main.mjs"></script>',
    `<script>globalThis.nnplayWorkerCode = ${workerString};</script>\n<script type="module">\n${scriptSafe(page)}\n</script>`,
  );
  return withOneFileCsp(out);
}

// The one-file page's Content-Security-Policy: index.html's, with its inline scripts allowed by their
// sha256 hashes (never 'unsafe-inline'), the worker from a Blob URL, the inlined wasm compiled under
// 'wasm-unsafe-eval'. A hash covers a script element's exact text, so it is computed on the final page.
export function inlineScriptHashes(html) {
  const hashes = [];
  for (const m of html.matchAll(/<script(?: type="module")?>([\s\S]*?)<\/script>/g)) {
    hashes.push(`'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
  }
  return hashes;
}

function withOneFileCsp(html) {
  const csp = [
    "default-src 'none'",
    `script-src ${inlineScriptHashes(html).join(' ')} 'wasm-unsafe-eval'`,
    'worker-src blob:',
    "style-src 'unsafe-inline'",
    'img-src data: blob:',
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const meta = /<meta http-equiv="Content-Security-Policy" content="[^"]*">/;
  if (!meta.test(html)) throw new Error('build-dist: index.html has no Content-Security-Policy <meta>');
  return html.replace(meta, () => `<meta http-equiv="Content-Security-Policy" content="${csp}">`);
}

// The teaching files: embed.html (+ its CSS and example host page), KaTeX's CSS and fonts, and the
// lessons built from web/lessons/*.md (scripts/lessons.mjs). The embed's module is in js/ already.
function teachingFiles({ root, webDir, out }) {
  for (const f of ['embed.html', 'embed.css', 'embed-example.html']) cpSync(join(webDir, f), join(out, f));
  copyKatex({ root, out: join(out, 'vendor', 'katex') });
  return buildLessons({ root, dir: join(webDir, 'lessons'), out: join(out, 'lessons') });
}

// Builds dist/. Paths are options so a test or a developer can point at other inputs.
export async function buildDist({
  root = ROOT,
  out = join(root, 'dist'),
  webDir = join(root, 'web'),
  wasmDir = join(root, 'build', 'wasm'),
  chartFile = join(root, 'node_modules', 'chart.js', 'dist', 'chart.umd.js'),
  fashionSrc = FASHION_SRC,
} = {}) {
  const jsDir = join(webDir, 'js');
  const need = [
    join(webDir, 'index.html'),
    join(jsDir, 'engine.mjs'),
    join(wasmDir, 'nnplay-core.mjs'),
    join(wasmDir, 'nnplay-core-single.mjs'),
    chartFile,
  ];
  const missing = need.filter((f) => !existsSync(f));
  if (missing.length)
    throw new Error(`build-dist: missing ${missing.join(', ')} (build the wasm core and run npm install first)`);

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
  writeFileSync(
    join(out, 'nnplay.html'),
    await oneFilePage({ webDir, jsDir, coreSingle: join(wasmDir, 'nnplay-core-single.mjs'), chartFile }),
  );
  let fashion = null,
    warning = null;
  try {
    fashion = writeFashionAsset({
      src: fashionSrc,
      out: join(out, 'data', 'fashion-mnist.bin.gz'),
      cache: join(root, 'build', 'fashion-mnist.bin.gz'),
    });
  } catch (e) {
    warning = `build-dist: warning: no Fashion-MNIST asset (${e.message}); the page's Fashion-MNIST will say it is missing`;
  }
  return { out, wasmFiles, fashion, warning };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  try {
    const { out, wasmFiles, fashion, warning } = await buildDist(i > 0 ? { out: resolve(process.argv[i + 1]) } : {});
    console.log(`build-dist: wrote ${out} (wasm: ${wasmFiles.join(', ')}) and ${join(out, 'nnplay.html')}`);
    if (fashion) console.log(`build-dist: wrote ${fashion.out} (${fashion.bytes} bytes)`);
    if (warning) console.warn(warning);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
