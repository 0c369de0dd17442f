// worker.js: a classic Web Worker running one TensorFlow.js or ConvNetJS benchmark cell with the
// libraries' browser builds from node_modules (served with the repo root) and bench/systems.mjs.
// Message in: { system: 'tfjs-wasm' | 'tfjs-cpu' | 'convnetjs', workload, plan }; out: the result.
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
      result = await sys.runTf(tf, w, job.plan);
      if (backend === 'wasm') result.threads = tf.wasm.getThreadsCount();
    }
    postMessage(result);
  } catch (e) {
    postMessage({ error: String(e?.stack || e) });
  }
};
