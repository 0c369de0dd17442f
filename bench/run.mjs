// run.mjs: `npm run bench`. Three workloads (bench/systems.mjs) on every system in one run: nnplay's
// native CLI and its Eigen/-march=native "ceiling" build, nnplay's wasm in Node and in a Chromium Web
// Worker, TensorFlow.js 4.22 (wasm and cpu backends) and ConvNetJS in Node and Chromium, and the
// reference NumPy network (float64, float32; OpenBLAS, one thread). Each cell: the median, min and max
// of 5 repeats after a warm-up, in training samples per second. Prints a markdown table and writes
// it with the raw numbers to bench/results/<time>.json and .md. Needs `npm run build` first.
//   node bench/run.mjs [--reps N] [--only W1,W2] [--w4-seconds S]   (W4 stops after S seconds, default 900)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { openBrowser } from './browser.mjs';
import { W4, WORKLOADS, nnplayConfig } from './systems.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
const REPS = Number(arg('--reps', 5));
const ONLY = arg('--only', 'W1,W2,W3,W4').split(',');
const started = Date.now();
const log = (s) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${s}\n`);

// What one repeat trains. The slow systems train part of the workload per repeat (noted in the
// table) so that the whole run stays under 10 minutes on 2 cores; samples/s is what is compared.
const FULL = { W1: { epochs: 100 }, W2: { epochs: 1 }, W3: { epochs: 100 } };
const PART = {
  'tfjs-wasm': { W1: { epochs: 20 }, W3: { epochs: 10 } },
  'tfjs-cpu': { W1: { epochs: 5 }, W2: { epochs: 1, samples: 1280 }, W3: { epochs: 10 } },
  convnetjs: { W2: { epochs: 1, samples: 2000 } },
};
const plan = (system, w) => ({ reps: REPS, ...(PART[system]?.[w] ?? FULL[w]) });

const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const cell = (rates, extra = {}) => ({ median: median(rates), min: Math.min(...rates), max: Math.max(...rates), rates, ...extra });

// The native CLIs: one process per cell training warm-up + REPS repeats; each repeat's time is the
// sum of its epochs' "seconds" (the CLI's clock around train_epoch; data generation excluded).
const tmp = mkdtempSync(join(tmpdir(), 'nnplay-bench-'));
function native(bin, name) {
  const w = WORKLOADS[name], { epochs } = FULL[name], warm = name === 'W2' ? 2 : 1;
  const file = join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify(nnplayConfig(w, epochs * (warm + REPS))));
  const lines = execFileSync(bin, ['train', '--config', file], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n');
  const secs = lines.map((l) => JSON.parse(l).seconds);
  const rates = [];
  for (let r = warm; r < warm + REPS; r++)
    rates.push((epochs * w.samples) / secs.slice(r * epochs, (r + 1) * epochs).reduce((a, b) => a + b, 0));
  return cell(rates, { loss: JSON.parse(lines.at(-1)).loss });
}

function numpy(dtype) {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;  // set on some machines for old OpenBLAS builds; slows a current one
  delete env.OPENBLAS_L2_SIZE;
  const out = spawnSync('/usr/bin/python3', [join(root, 'bench/numpy_mlp.py'), '--dtype', dtype, '--reps', String(REPS)],
                        { env, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(out.stderr.trim().split('\n').at(-1));
  const r = JSON.parse(out.stdout);
  return cell(r.rates, { blas: r.blas, numpy: r.numpy });
}

function nodeCell(system, name) {
  const out = spawnSync(process.execPath, [join(root, 'bench/node-system.mjs'), system, name, JSON.stringify(plan(system, name))],
                        { encoding: 'utf8', timeout: 300000 });
  if (out.status !== 0) throw new Error((out.stderr || 'timed out').trim().split('\n').slice(-3).join(' '));
  const r = JSON.parse(out.stdout.trim().split('\n').at(-1));
  return cell(r.rates, { ...r, rates: undefined });
}

// dist/ as a server would send it: every file gzipped (level 9), datasets left out.
function distGzip() {
  const files = [];
  const walk = (d) => readdirSync(d).forEach((f) => statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : files.push(join(d, f)));
  walk(join(root, 'dist'));
  const site = files.filter((f) => !/^dist\/data\/|\.(bin|idx|gz)$|ubyte/i.test(f.slice(root.length)));
  const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;
  const total = site.reduce((n, f) => n + gz(f), 0);
  const single = site.filter((f) => f.endsWith('nnplay.html')).reduce((n, f) => n + gz(f), 0);
  return { files: site.length, gzipBytes: total, withoutOneFilePage: total - single, oneFilePage: single };
}

// ---------------------------------------------------------------- the run
const rows = [];  // { key, label, cells: { W1, W2, W3 } }
async function add(key, label, names, fn, system = key) {
  const row = { key, label, cells: {} };
  rows.push(row);
  for (const name of names.filter((n) => ONLY.includes(n))) {
    log(`${label} ${name}`);
    try { row.cells[name] = { ...(PART[system]?.[name] ? { part: PART[system][name] } : {}), ...(await fn(name)) }; }
    catch (e) { row.cells[name] = { error: e.message }; log(`  failed: ${e.message}`); }
  }
}
const ALL = ['W1', 'W2', 'W3'];
const load0 = loadavg()[0];
if (ALL.some((w) => ONLY.includes(w))) execFileSync('bash', [join(root, 'bench/build-ceiling.sh')], { stdio: 'inherit' });
await add('native', 'nnplay native CLI (1 thread)', ALL, (n) => native(join(root, 'build/native/nnplay'), n));
await add('ceiling', 'native ceiling: Eigen GEMM, -march=native', ALL, (n) => native(join(root, 'build/ceiling/nnplay'), n));
await add('numpy64', 'NumPy float64, OpenBLAS 1 thread', ['W1'], () => numpy('float64'));
await add('numpy32', 'NumPy float32, OpenBLAS 1 thread', ['W1'], () => numpy('float32'));
await add('nnplay-wasm', 'nnplay wasm SIMD128, Node', ALL, (n) => nodeCell('nnplay-wasm', n));
await add('nnplay-scalar', 'nnplay wasm scalar fallback, Node', ALL, (n) => nodeCell('nnplay-scalar', n));
await add('tfjs-wasm', 'TF.js wasm backend, Node', ALL, (n) => nodeCell('tfjs-wasm', n));
await add('tfjs-cpu', 'TF.js cpu backend, Node', ALL, (n) => nodeCell('tfjs-cpu', n));
await add('convnetjs', 'ConvNetJS, Node', ['W2', 'W3'], (n) => nodeCell('convnetjs', n));
const browser = await openBrowser();
for (const [system, label, names] of [['nnplay-wasm', 'nnplay wasm SIMD128', ALL], ['tfjs-wasm', 'TF.js wasm backend', ALL],
                                      ['tfjs-cpu', 'TF.js cpu backend', ALL], ['convnetjs', 'ConvNetJS', ['W2', 'W3']]])
  await add(`${system}-chromium`, `${label}, Chromium worker`, names, async (n) => {
    const r = await browser.run({ system, workload: n, plan: plan(system, n) });
    return cell(r.rates, { ...r, rates: undefined });
  }, system);
// W4: time to 88% test accuracy on Fashion-MNIST, nnplay and TF.js wasm in Chromium workers, one run each.
const w4 = {};
if (ONLY.includes('W4')) {
  for (const system of ['nnplay-wasm', 'tfjs-wasm']) {
    log(`${system} W4 (Fashion-MNIST to 88% test accuracy)`);
    try { w4[system] = await browser.run({ system, workload: 'W4', plan: { ...W4, maxSeconds: Number(arg('--w4-seconds', W4.maxSeconds)) } }); }
    catch (e) { w4[system] = { error: e.message }; log(`  failed: ${e.message}`); }
  }
}
let firstEpoch = null, presetEpoch = null, dist, longTasks, raceTasks;
if (ALL.some((w) => ONLY.includes(w))) {
  try { log('page: Train -> first epoch'); firstEpoch = cell(await browser.trainToFirstEpoch()); }
  catch (e) { firstEpoch = { error: e.message }; }
}
if (ONLY.includes('W4')) {
  try { log('page: Fashion-MNIST preset -> first epoch'); presetEpoch = cell(await browser.presetToFirstEpoch()); }
  catch (e) { presetEpoch = { error: e.message }; }
}
try { log('page: main-thread long tasks while training'); longTasks = { runs: await browser.longTasks() }; }
catch (e) { longTasks = { error: e.message }; }
try { log('page: main-thread long tasks during a 4-variant race'); raceTasks = { runs: await browser.raceLongTasks() }; }
catch (e) { raceTasks = { error: e.message }; }
const chromium = browser.version;
await browser.close();
try { dist = distGzip(); } catch (e) { dist = { error: e.message }; }

// ---------------------------------------------------------------- the report
const by = Object.fromEntries(rows.map((r) => [r.key, r.cells]));
const fmt = (x) => x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3);
const show = (c) => !c ? '' : c.error ? 'failed' : `${fmt(c.median)} (${fmt(c.min)}–${fmt(c.max)})${c.part ? ' †' : ''}`;
const RATIOS = [
  ['nnplay wasm / TF.js wasm, Chromium', 'nnplay-wasm-chromium', 'tfjs-wasm-chromium', { W2: '≥ 5', W3: '≥ 100' }],
  ['nnplay wasm / TF.js cpu, Chromium', 'nnplay-wasm-chromium', 'tfjs-cpu-chromium', {}],
  ['nnplay wasm / ConvNetJS, Chromium', 'nnplay-wasm-chromium', 'convnetjs-chromium', { W3: '≥ 5' }],
  ['nnplay wasm / native ceiling (Chromium)', 'nnplay-wasm-chromium', 'ceiling', { W2: '≥ 0.5' }],
  ['nnplay wasm / TF.js wasm, Node', 'nnplay-wasm', 'tfjs-wasm', {}],
  ['nnplay wasm / TF.js cpu, Node', 'nnplay-wasm', 'tfjs-cpu', {}],
  ['nnplay native / TF.js wasm, Node', 'native', 'tfjs-wasm', {}],
  ['nnplay native / TF.js cpu, Node', 'native', 'tfjs-cpu', {}],
  ['nnplay wasm / native ceiling (Node)', 'nnplay-wasm', 'ceiling', {}],
  ['nnplay native / native ceiling', 'native', 'ceiling', {}],
  ['nnplay native / NumPy float64', 'native', 'numpy64', { W1: '> 1' }],
  ['nnplay native / NumPy float32', 'native', 'numpy32', { W1: '≥ 0.7' }],
];
const ratio = (a, b, w) => by[a]?.[w]?.median && by[b]?.[w]?.median ? by[a][w].median / by[b][w].median : null;
const md = [];
md.push(`| system (samples/s: median (min–max) of ${REPS}) | W1 784-128-10 GD full batch | W2 784-128-64-10 Adam b64 | W3 2-8-8-1 SGD b10 |`);
md.push('| --- | --- | --- | --- |');
for (const r of rows) md.push(`| ${r.label} | ${ALL.map((w) => show(r.cells[w])).join(' | ')} |`);
md.push('', '| ratio of medians (target) | W1 | W2 | W3 |', '| --- | --- | --- | --- |');
for (const [label, a, b, target] of RATIOS) {
  const cells = ALL.map((w) => { const x = ratio(a, b, w); return x === null ? '' : `${x.toFixed(x < 10 ? 2 : 0)}${target[w] ? ` (${target[w]})` : ''}`; });
  if (cells.some(Boolean)) md.push(`| ${label} | ${cells.join(' | ')} |`);
}
const heap = by['nnplay-wasm-chromium']?.W2?.heapBytes ?? by['nnplay-wasm']?.W2?.heapBytes;
const tfw = (k) => Object.values(by[k] ?? {}).find((c) => c.threads);
const tfWasm = (k) => tfw(k) ? `${tfw(k).threads} thread(s), SIMD ${tfw(k).simd ? 'on' : 'off'}` : '?';
md.push('', '| also measured | |', '| --- | --- |');
md.push(`| wasm heap during W2 (Chromium worker) | ${heap ? `${(heap / 2 ** 20).toFixed(1)} MiB (${heap} bytes)` : 'not measured'} |`);
md.push(`| page: Train pressed -> first epoch on the chart (median of 5 loads, min–max) | ${firstEpoch?.median ? `${fmt(firstEpoch.median)} ms (${fmt(firstEpoch.min)}–${fmt(firstEpoch.max)})` : `not measured${firstEpoch?.error ? `: ${firstEpoch.error}` : ''}`} |`);
md.push(`| page: Fashion-MNIST preset clicked -> first epoch (60,000 images) on the chart, download included (median of 5 fresh loads, min–max) | ${presetEpoch?.median ? `${fmt(presetEpoch.median)} ms (${fmt(presetEpoch.min)}–${fmt(presetEpoch.max)})` : `not measured${presetEpoch?.error ? `: ${presetEpoch.error}` : ''}`} |`);
md.push(`| page: main-thread tasks over 50 ms while training a spiral 5 s (3 loads: count, longest; budget: none) | ${longTasks?.runs ? longTasks.runs.map((r) => `${r.count}, ${fmt(r.longest)} ms`).join('; ') : `not measured${longTasks?.error ? `: ${longTasks.error}` : ''}`} |`);
md.push(`| page: main-thread tasks over 50 ms during a 4-variant race (lr 0.003 / 0.03 / 0.3 / 3 on that spiral), 5 s (3 loads: count, longest, epochs reached; budget: none) | ${raceTasks?.runs ? raceTasks.runs.map((r) => `${r.count}, ${fmt(r.longest)} ms, ${r.epochs} epochs`).join('; ') : `not measured${raceTasks?.error ? `: ${raceTasks.error}` : ''}`} |`);
md.push(`| page: training samples/s at full pace, the same spiral from second 1 to 5 (3 loads) | ${longTasks?.runs ? longTasks.runs.map((r) => fmt(r.samplesPerSecond)).join('; ') : 'not measured'} |`);
md.push(`| dist/ gzip, without datasets (every file gzip -9) | ${dist?.gzipBytes ? `${(dist.gzipBytes / 1024).toFixed(0)} KB in ${dist.files} files; ${(dist.withoutOneFilePage / 1024).toFixed(0)} KB without the one-file page nnplay.html (${(dist.oneFilePage / 1024).toFixed(0)} KB)` : 'not measured'} |`);
if (Object.keys(w4).length) {
  const acc = (r) => r.epochs.map((e) => `${(100 * e.testAccuracy).toFixed(1)}`).join(', ');
  md.push('', `| W4 Fashion-MNIST 784-256-128-10 relu/softmax, He normal, Adam 0.001, b64, 60,000/10,000, Chromium worker | seconds to ${100 * W4.target}% test accuracy | epochs | training samples/s | test accuracy % after each epoch |`,
          '| --- | --- | --- | --- | --- |');
  for (const [system, label] of [['nnplay-wasm', 'nnplay wasm SIMD128'], ['tfjs-wasm', 'TF.js wasm backend']]) {
    const r = w4[system];
    if (!r) continue;
    if (r.error) { md.push(`| ${label} | failed: ${r.error.split('\n')[0]} | | | |`); continue; }
    md.push(`| ${label} | ${r.secondsToTarget === null ? `not reached in ${r.epochs.length} epochs (${r.epochs.at(-1)?.seconds.toFixed(0)} s)` : r.secondsToTarget.toFixed(1)} | ${r.epochsToTarget ?? `> ${r.epochs.length}`} | ${fmt(r.samplesPerSecond)} | ${acc(r)} |`);
  }
  const a = w4['nnplay-wasm'], b = w4['tfjs-wasm'];
  if (a?.secondsToTarget && b?.secondsToTarget) md.push(`| ratio of times (target ≥ 5) | ${(b.secondsToTarget / a.secondsToTarget).toFixed(2)} | | ${(a.samplesPerSecond / b.samplesPerSecond).toFixed(2)} | |`);
  if (a?.heapBytes) md.push('', `Wasm heap after W4 (all 70,000 Fashion-MNIST images, Chromium worker): ${(a.heapBytes / 2 ** 20).toFixed(1)} MiB.`);
}
const parts = Object.entries(PART).flatMap(([s, ws]) => Object.entries(ws).map(([w, p]) => `${s} ${w}: ${p.samples ? `${p.samples} samples` : `${p.epochs} epochs`}`));
md.push('', `† a repeat trains part of the workload (${parts.join('; ')}); otherwise a repeat is the whole workload ` +
        `(W1 100 epochs, W2 1 epoch, W3 100 epochs). TF.js wasm backend: Chromium ${tfWasm('tfjs-wasm-chromium')} ` +
        `(the page is not cross-origin isolated, so no SharedArrayBuffer threads), Node ${tfWasm('tfjs-wasm')}. ` +
        `NumPy ${by.numpy64?.W1?.numpy ?? '?'}, BLAS ${JSON.stringify(by.numpy64?.W1?.blas ?? {})}. Machine: ${cpus()[0].model}, ${cpus().length} cores; load average ` +
        `${load0.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at the end. Chromium ${chromium}, Node ${process.version}. ` +
        `Total ${((Date.now() - started) / 1000).toFixed(0)} s.`);
const text = md.join('\n');
console.log(text);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, `bench/results/${stamp}.json`), JSON.stringify({ date: new Date().toISOString(), reps: REPS, rows, ratios: Object.fromEntries(RATIOS.map(([l, a, b]) => [l, Object.fromEntries(ALL.map((w) => [w, ratio(a, b, w)]))])), heapBytes: heap, firstEpoch, presetEpoch, longTasks, raceTasks, w4, dist, chromium, node: process.version, loadavg: [load0, loadavg()[0]], markdown: text }, null, 1));
writeFileSync(join(root, `bench/results/${stamp}.md`), text + '\n');
rmSync(tmp, { recursive: true, force: true });
log(`wrote bench/results/${stamp}.json and .md`);
