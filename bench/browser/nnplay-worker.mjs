// nnplay-worker.mjs: a module Web Worker running one nnplay benchmark cell on the site's own files,
// loaded as dist/js/worker.mjs loads them: dist/js/engine.mjs, and dist/wasm/nnplay-core.mjs
// (SIMD128) or nnplay-core-scalar.mjs, whose .wasm the Emscripten glue fetches itself.
// Message in: { system: 'nnplay-wasm' | 'nnplay-scalar', workload, plan, dist? } (dist: another
// site folder under the repo root, for trying a build); out: the result.
// W4 reads the site's Fashion-MNIST asset (dist/data/fashion-mnist.bin.gz), gunzipped here.
import { WORKLOADS, runNnplay, runW4Nnplay } from '../systems.mjs';

// The site's gzipped asset, fetched and gunzipped (DecompressionStream), as the page does.
export async function fashionBytes(dist) {
  const res = await fetch(new URL('data/fashion-mnist.bin.gz', dist));
  if (!res.ok) throw new Error(`fashion-mnist.bin.gz: HTTP ${res.status}`);
  return new Uint8Array(await new Response(res.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
}

onmessage = async ({ data: job }) => {
  const dist = new URL(job.dist ?? '../../dist/', import.meta.url);
  try {
    const { loadEngine } = await import(new URL('js/engine.mjs', dist).href);
    const name = job.system === 'nnplay-wasm' ? 'nnplay-core' : 'nnplay-core-scalar';
    const mod = await import(new URL(`wasm/${name}.mjs`, dist).href);
    const engine = await loadEngine({ moduleFactory: mod.default, locateFile: (f) => new URL(`wasm/${f}`, dist).href });
    if (job.workload === 'W4') postMessage(await runW4Nnplay(engine, await fashionBytes(dist), job.plan));
    else postMessage(await runNnplay(engine, WORKLOADS[job.workload], job.plan));
  } catch (e) {
    postMessage({ error: String(e?.stack || e) });
  }
};
