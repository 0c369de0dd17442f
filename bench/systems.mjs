// systems.mjs: the benchmark's three workloads and the training loops of the JavaScript systems
// (nnplay's wasm engine, TensorFlow.js, ConvNetJS), shared by Node (bench/node-system.mjs) and the
// browser worker (bench/browser/worker.js). It imports nothing: the caller passes the libraries in.
// Not the orchestrator (bench/run.mjs) and not the native or NumPy runs.
//
// A measurement: warm-up repeats until the rate settles (the JIT and V8's wasm tier-up run in the
// background and take longer on a busy machine), then `reps` repeats, each training `epochs` more
// epochs (or the first `samples` samples of an epoch, for the slowest systems) of the same model
// and data, the clock around the training loop only (data and model are built before it starts).

export const WORKLOADS = {
  W1: { inputs: 784, classes: 10, layers: [[128, 'relu'], [10, 'softmax']], loss: 'cce', init: 'he_normal',
        optimizer: { name: 'sgd', learning_rate: 0.01 }, batch: 0, samples: 1000, epochs: 100 },
  W2: { inputs: 784, classes: 10, layers: [[128, 'relu'], [64, 'relu'], [10, 'softmax']], loss: 'cce',
        init: 'he_normal', optimizer: { name: 'adam', learning_rate: 1e-3 }, batch: 64, samples: 10000, epochs: 1 },
  W3: { inputs: 2, classes: 2, layers: [[8, 'tanh'], [8, 'tanh'], [1, 'sigmoid']], loss: 'bce',
        init: 'xavier_uniform', optimizer: { name: 'sgd', learning_rate: 0.03 }, batch: 10, samples: 500, epochs: 100 },
};

// W4, time to accuracy: Fashion-MNIST's standard split (dist/data/fashion-mnist.bin.gz), trained
// epoch after epoch (shuffled) until the test accuracy, evaluated after each epoch, first reaches
// `target`, or `maxEpochs` pass. Same network, initialisation (He normal: N(0, 2 / n_in), zero
// biases) and optimizer (Adam 0.001, beta 0.9 / 0.999, eps 1e-8) on both systems.
export const W4 = {
  layers: [[256, 'relu'], [128, 'relu'], [10, 'softmax']], init: 'he_normal',
  optimizer: { name: 'adam', learning_rate: 1e-3 }, batch: 64, target: 0.88, maxEpochs: 15, maxSeconds: 900,
};

// nnplay's config for a workload: its "random" dataset (Gaussian inputs, uniform labels, seed 1),
// not standardised (it is N(0, 1) already; the JS systems train on it as it is, and the inputs then
// are the raw data, held once).
export function nnplayConfig(w, epochs = w.epochs) {
  return {
    dataset: { name: 'random', inputs: w.inputs, classes: w.classes, samples: w.samples, test_ratio: 0, standardize: false },
    network: { layers: w.layers.map(([units, activation]) => ({ units, activation })) },
    loss: w.loss, init: w.init, optimizer: w.optimizer, batch_size: w.batch, shuffle: false, epochs,
  };
}

// The same kind of data for the JS systems: x (m * inputs) ~ N(0, 1), uniform labels, from a seed.
export function makeData(w, seed = 1) {
  let s = seed >>> 0;
  const uniform = () => {  // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const m = w.samples, outputs = w.layers.at(-1)[0];
  const x = new Float32Array(m * w.inputs), labels = new Int32Array(m), y = new Float32Array(m * outputs);
  for (let i = 0; i < x.length; i++) x[i] = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  for (let i = 0; i < m; i++) {
    labels[i] = Math.floor(uniform() * w.classes);
    y[outputs === 1 ? i : i * outputs + labels[i]] = outputs === 1 ? labels[i] : 1;
  }
  return { m, x, labels, y, outputs };
}

// Runs warm-up + reps repeats of train(epochs, samples) -> { seconds, samples }; returns samples/s.
async function measure(train, { reps, epochs, samples }) {
  for (let spent = 0, prev = 0; ;) {  // warm until two repeats agree within 10% (1 s to 5 s)
    const run = await train(epochs, samples), rate = run.samples / run.seconds;
    spent += run.seconds;
    if (spent >= 5 || run.seconds >= 2 || (spent >= 1 && Math.abs(rate - prev) < 0.1 * rate)) break;
    prev = rate;
  }
  const rates = [];
  for (let r = 0; r < reps; r++) {
    const run = await train(epochs, samples);
    rates.push(run.samples / run.seconds);
  }
  return rates;
}

// nnplay through web/js/engine.mjs (an engine from loadEngine). Trains whole epochs only.
export async function runNnplay(engine, w, plan) {
  const t = engine.createTrainer(nnplayConfig(w));
  let heap = 0;
  const rates = await measure((epochs) => {
    const t0 = performance.now();
    t.trainEpochs(epochs);
    const seconds = (performance.now() - t0) / 1000;
    heap = Math.max(heap, engine.memoryStats().heapSize);
    return { seconds, samples: epochs * w.samples };
  }, plan);
  const loss = t.evaluate('train').loss;
  t.free();
  return { rates, loss, heapBytes: heap, kernel: engine.kernel };
}

// TensorFlow.js: its fastest training path, an optimizer's minimize() over variables, fused matMul +
// bias (+ relu), softmax/sigmoid fused with the cross-entropy, batches made as tensors in advance.
export async function runTf(tf, w, plan) {
  const init = (n_in, n_out) => w.init === 'he_normal'
    ? tf.randomNormal([n_in, n_out], 0, Math.sqrt(2 / n_in), 'float32', 1)
    : tf.randomUniform([n_in, n_out], -Math.sqrt(6 / (n_in + n_out)), Math.sqrt(6 / (n_in + n_out)), 'float32', 1);
  let n_in = w.inputs;
  const params = w.layers.map(([units]) => {
    const p = { W: tf.variable(init(n_in, units)), b: tf.variable(tf.zeros([units])) };
    n_in = units;
    return p;
  });
  const o = w.optimizer;
  const opt = o.name === 'adam' ? tf.train.adam(o.learning_rate, 0.9, 0.999, 1e-8) : tf.train.sgd(o.learning_rate);
  const data = makeData(w);
  const batch = w.batch || data.m, xs = [], ys = [];
  for (let s = 0; s < data.m; s += batch) {
    const e = Math.min(data.m, s + batch);
    xs.push(tf.tensor2d(data.x.subarray(s * w.inputs, e * w.inputs), [e - s, w.inputs]));
    ys.push(tf.tensor2d(data.y.subarray(s * data.outputs, e * data.outputs), [e - s, data.outputs]));
  }
  const logits = (x) => params.reduce((a, p, l) => {
    const act = l < params.length - 1 ? w.layers[l][1] : 'linear';
    const z = tf.fused.matMul({ a, b: p.W, bias: p.b, activation: act === 'relu' ? 'relu' : 'linear' });
    return act === 'tanh' ? tf.tanh(z) : z;
  }, x);
  const lossOf = (x, y) => w.loss === 'cce' ? tf.losses.softmaxCrossEntropy(y, logits(x))
                                            : tf.losses.sigmoidCrossEntropy(y, logits(x));
  let loss = null;
  const rates = await measure((epochs, samples) => {
    const batches = samples ? Math.ceil(samples / batch) : xs.length;
    const t0 = performance.now();
    for (let e = 0; e < epochs; e++)
      for (let b = 0; b < batches; b++) {
        loss?.dispose();
        loss = opt.minimize(() => lossOf(xs[b], ys[b]), true);
      }
    loss.dataSync();  // waits for the last step
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, samples: epochs * Math.min(data.m, batches * batch) };
  }, plan);
  const result = { rates, loss: loss.dataSync()[0], backend: tf.getBackend() };
  if (result.backend === 'wasm') result.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  tf.dispose([loss, ...xs, ...ys, ...params.flatMap((p) => [p.W, p.b])]);
  opt.dispose();
  return result;
}

// ConvNetJS: its own Net; SGD through its Trainer, Adam (missing from npm's convnetjs 0.3.0) with
// the Trainer's loop and Kingma and Ba's update. Softmax + cross-entropy is its SoftmaxLayer; the
// sigmoid + BCE output of W3 becomes a 2-class softmax, the same loss.
export async function runConvnet(convnetjs, w, plan) {
  const defs = [{ type: 'input', out_sx: 1, out_sy: 1, out_depth: w.inputs }];
  for (const [units, act] of w.layers.slice(0, -1)) defs.push({ type: 'fc', num_neurons: units, activation: act });
  defs.push({ type: 'softmax', num_classes: w.classes });
  const net = new convnetjs.Net();
  net.makeLayers(defs);
  const data = makeData(w);
  const vols = Array.from({ length: data.m }, (_, i) => {
    const v = new convnetjs.Vol(1, 1, w.inputs, 0);
    for (let j = 0; j < w.inputs; j++) v.w[j] = data.x[i * w.inputs + j];
    return v;
  });
  const o = w.optimizer, batch = w.batch || data.m;
  const trainer = new convnetjs.Trainer(net, { method: 'sgd', learning_rate: o.learning_rate, momentum: 0,
                                               batch_size: batch, l2_decay: 0 });
  const pg = net.getParamsAndGrads(), mom = pg.map((p) => [new Float64Array(p.params.length), new Float64Array(p.params.length)]);
  let t = 0, loss = 0;
  const adamStep = () => {  // after `batch` samples: mean gradient, Adam update, gradients zeroed
    t++;
    const bc1 = 1 - 0.9 ** t, bc2 = 1 - 0.999 ** t;
    pg.forEach(({ params: p, grads: g }, k) => {
      const [m, v] = mom[k];
      for (let j = 0; j < p.length; j++) {
        const gj = g[j] / batch;
        m[j] = 0.9 * m[j] + 0.1 * gj;
        v[j] = 0.999 * v[j] + 0.001 * gj * gj;
        p[j] -= o.learning_rate * (m[j] / bc1) / (Math.sqrt(v[j] / bc2) + 1e-8);
        g[j] = 0;
      }
    });
  };
  const rates = await measure((epochs, samples) => {
    const n = samples || data.m;
    const t0 = performance.now();
    for (let e = 0; e < epochs; e++)
      for (let i = 0; i < n; i++) {
        if (o.name === 'adam') {
          net.forward(vols[i], true);
          loss = net.backward(data.labels[i]);
          if ((i + 1) % batch === 0 || i === n - 1) adamStep();
        } else {
          loss = trainer.train(vols[i], data.labels[i]).loss;
        }
      }
    return { seconds: (performance.now() - t0) / 1000, samples: epochs * n };
  }, plan);
  return { rates, loss };
}

// ---- W4 -------------------------------------------------------------------------------------

// The epochs until the target (or until maxEpochs or maxSeconds have passed, whichever is first),
// timed: train(epoch) -> training seconds; evaluate() -> test accuracy.
// seconds: wall time from the first step to the evaluation that reached the target (evaluations
// included); samplesPerSecond: training samples over training time only.
async function toTarget(train, evaluate, m, plan) {
  const epochs = [];
  let wall = 0, trainSeconds = 0, reached = null;
  for (let e = 1; e <= plan.maxEpochs && reached === null && wall < (plan.maxSeconds ?? Infinity); e++) {
    const t0 = performance.now();
    const seconds = await train(e);
    const accuracy = await evaluate();
    wall += (performance.now() - t0) / 1000;
    trainSeconds += seconds;
    epochs.push({ epoch: e, testAccuracy: accuracy, seconds: wall });
    if (accuracy >= plan.target) reached = e;
  }
  return { epochsToTarget: reached, secondsToTarget: reached === null ? null : wall, epochs,
           samplesPerSecond: (epochs.length * m) / trainSeconds };
}

// nnplay: the asset into wasm memory (engine.loadImages), one trainer on it.
export async function runW4Nnplay(engine, asset, plan = W4) {
  const set = engine.loadImages(asset, 'fashion-mnist.bin');
  const m = set.info.train;
  const t = engine.createTrainer({
    dataset: { name: 'fashion_mnist', samples: m },
    network: { layers: W4.layers.map(([units, activation]) => ({ units, activation })) },
    loss: 'cce', init: W4.init, optimizer: W4.optimizer, batch_size: W4.batch, shuffle: true, seed: 1,
  }, set);
  set.free();
  let last = null;
  const r = await toTarget(() => { [last] = t.trainEpochs(1); return last.seconds; }, () => last.test_accuracy, m, plan);
  const heapBytes = engine.memoryStats().heapSize;
  t.free();
  return { ...r, heapBytes, kernel: engine.kernel };
}

// TensorFlow.js: the images as one float32 tensor (p / 255) per split, a batch a tf.gather of the
// epoch's shuffled indices, optimizer.minimize with fused matMul + bias + relu and softmax cross-
// entropy on the logits; the test accuracy from argmax over the test split in chunks.
export async function runW4Tf(tf, a, plan = W4) {
  const px = a.pixels, m = a.train.m;
  const floats = (u8) => { const f = new Float32Array(u8.length); for (let i = 0; i < f.length; i++) f[i] = u8[i] / 255; return f; };
  const xTrain = tf.tensor2d(floats(a.train.pixels), [m, px]);
  const yTrain = tf.oneHot(tf.tensor1d(Int32Array.from(a.train.labels), 'int32'), 10).toFloat();
  const xTest = tf.tensor2d(floats(a.test.pixels), [a.test.m, px]);
  let n_in = px;
  tf.randomNormal([1], 0, 1, 'float32', 1).dispose();
  const params = W4.layers.map(([units]) => {
    const p = { W: tf.variable(tf.randomNormal([n_in, units], 0, Math.sqrt(2 / n_in), 'float32', 1 + units)), b: tf.variable(tf.zeros([units])) };
    n_in = units;
    return p;
  });
  const opt = tf.train.adam(W4.optimizer.learning_rate, 0.9, 0.999, 1e-8);
  const logits = (x) => params.reduce((h, p, l) => tf.fused.matMul({ a: h, b: p.W, bias: p.b, activation: l < params.length - 1 ? 'relu' : 'linear' }), x);
  const order = Int32Array.from({ length: m }, (_, i) => i);
  let s = 1;
  const uniform = () => { s = (s * 1103515245 + 12345) >>> 0; return s / 4294967296; };
  const train = async () => {
    for (let i = m - 1; i > 0; i--) { const j = Math.floor(uniform() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
    const t0 = performance.now();
    let loss = null;
    for (let b = 0; b < m; b += W4.batch) {
      loss?.dispose();
      loss = tf.tidy(() => {
        const idx = tf.tensor1d(order.subarray(b, Math.min(m, b + W4.batch)), 'int32');
        const x = tf.gather(xTrain, idx), y = tf.gather(yTrain, idx);
        return opt.minimize(() => tf.losses.softmaxCrossEntropy(y, logits(x)), true);
      });
    }
    await loss.data();
    loss.dispose();
    return (performance.now() - t0) / 1000;
  };
  const evaluate = async () => {
    let right = 0;
    for (let i = 0; i < a.test.m; i += 1000) {
      const n = Math.min(1000, a.test.m - i);
      const pred = tf.tidy(() => logits(xTest.slice([i, 0], [n, px])).argMax(1));
      const p = await pred.data();
      pred.dispose();
      for (let k = 0; k < n; k++) right += p[k] === a.test.labels[i + k];
    }
    return right / a.test.m;
  };
  const r = await toTarget(train, evaluate, m, plan);
  tf.dispose([xTrain, yTrain, xTest, ...params.flatMap((p) => [p.W, p.b])]);
  opt.dispose();
  return { ...r, backend: tf.getBackend() };
}
