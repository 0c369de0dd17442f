// nnplay-worker.mjs: a module Web Worker running one nnplay benchmark cell on the site's own files,
// loaded as dist/js/worker.mjs loads them: dist/js/engine.mjs, and dist/wasm/nnplay-core.mjs
// (SIMD128) or nnplay-core-scalar.mjs, whose .wasm the Emscripten glue fetches itself.
// Message in: { system: 'nnplay-wasm' | 'nnplay-scalar', workload, plan, dist? } (dist: another
// site folder under the repo root, for trying a build); out: the result.
import { WORKLOADS, runNnplay } from '../systems.mjs';

onmessage = async ({ data: job }) => {
  const dist = new URL(job.dist ?? '../../dist/', import.meta.url);
  try {
    const { loadEngine } = await import(new URL('js/engine.mjs', dist).href);
    const name = job.system === 'nnplay-wasm' ? 'nnplay-core' : 'nnplay-core-scalar';
    const mod = await import(new URL(`wasm/${name}.mjs`, dist).href);
    const engine = await loadEngine({ moduleFactory: mod.default, locateFile: (f) => new URL(`wasm/${f}`, dist).href });
    postMessage(await runNnplay(engine, WORKLOADS[job.workload], job.plan));
  } catch (e) {
    postMessage({ error: String(e?.stack || e) });
  }
};
