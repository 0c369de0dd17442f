// worker.js: a classic Web Worker running one TensorFlow.js or ConvNetJS benchmark cell with the
// libraries' browser builds from node_modules (served with the repo root) and bench/systems.mjs.
// Message in: { system: 'tfjs-wasm' | 'tfjs-cpu' | 'convnetjs', workload, plan }; out: the result.
// W4 (TF.js only) reads the site's Fashion-MNIST asset, gunzipped with DecompressionStream.
const nm = '../../node_modules/';
onmessage = async ({ data: job }) => {
  try {
    const sys = await import('../systems.mjs');
    const w = sys.WORKLOADS[job.workload];
    let result;
    if (job.system === 'convnetjs') {
      self.window = self;  // convnet.js exports itself as window.convnetjs
      importScripts(nm + 'convnetjs/build/convnet.js');
      result = await sys.runConvnet(self.convnetjs, w, job.plan);
    } else {
      importScripts(nm + '@tensorflow/tfjs/dist/tf.min.js', nm + '@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js');
      const backend = job.system.slice(5);
      if (backend === 'wasm') tf.wasm.setWasmPaths(new URL(nm + '@tensorflow/tfjs-backend-wasm/dist/', location.href).href);
      await tf.setBackend(backend);
      await tf.ready();
      if (job.workload === 'W4') {
        const dist = new URL('../../dist/', location.href);
        const res = await fetch(new URL('data/fashion-mnist.bin.gz', dist));
        const bytes = new Uint8Array(await new Response(res.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
        const { decodeImageAsset } = await import(new URL('js/fashion-format.mjs', dist).href);
        result = await sys.runW4Tf(tf, decodeImageAsset(bytes), job.plan);
      } else {
        result = await sys.runTf(tf, w, job.plan);
      }
      if (backend === 'wasm') result.threads = tf.wasm.getThreadsCount();
    }
    postMessage(result);
  } catch (e) {
    postMessage({ error: String(e?.stack || e) });
  }
};
