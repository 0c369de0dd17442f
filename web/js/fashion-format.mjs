// fashion-format.mjs: the image asset the page loads for Fashion-MNIST (dist/data/fashion-mnist.bin.gz,
// gzipped), written by scripts/fashion-asset.mjs from the original IDX files. Pure code, no DOM, no
// worker. The page's worker does not decode it here: the core reads and checks it (one reader,
// wasm/core/image_asset.{h,cpp}, fuzzed). This module writes it for the build, and its decoder serves
// tools that hold the images in JS (the bench's TensorFlow.js side, tests).
//
// Format, version 1 (all integers unsigned 32-bit little-endian):
//   offset  0  magic "NNIM" (bytes 4E 4E 49 4D)
//           4  version (1)
//           8  rows, 12 cols (pixels per image = rows * cols)
//          16  classes K (2 to 255)
//          20  train count, 24 test count
//          28  byte length N of the class names block
//          32  class names: UTF-8, K names separated by "\n" (N bytes)
//   then    train pixels (train * rows * cols bytes, row-major, 0 = background, 255 = ink),
//           train labels (train bytes, 0 to K - 1), test pixels, test labels. Nothing after them.

export const FASHION_MAGIC = 'NNIM';
export const FASHION_VERSION = 1;
export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const HEADER = 32;

// { rows, cols, classNames, train: { pixels, labels }, test: { pixels, labels } } -> Uint8Array.
export function encodeImageAsset({ rows, cols, classNames, train, test }) {
  const px = rows * cols;
  const names = new TextEncoder().encode(classNames.join('\n'));
  const mTrain = train.labels.length, mTest = test.labels.length;
  if (train.pixels.length !== mTrain * px || test.pixels.length !== mTest * px) {
    throw new Error('image asset: pixel and label counts do not match');
  }
  const out = new Uint8Array(HEADER + names.length + (mTrain + mTest) * (px + 1));
  const v = new DataView(out.buffer);
  out.set(new TextEncoder().encode(FASHION_MAGIC), 0);
  [FASHION_VERSION, rows, cols, classNames.length, mTrain, mTest, names.length]
    .forEach((x, i) => v.setUint32(4 + 4 * i, x, true));
  let o = HEADER;
  for (const part of [names, train.pixels, train.labels, test.pixels, test.labels]) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}

// ArrayBuffer (or Uint8Array) -> { rows, cols, pixels, classNames, train: { pixels, labels, m },
// test: { ... } }, the arrays being views of the buffer. Throws an Error naming what is wrong.
export function decodeImageAsset(input, name = 'image asset') {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const fail = (what) => { throw new Error(`${name}: ${what}`); };
  if (bytes.length < HEADER) fail(`truncated: ${bytes.length} bytes, the header alone needs ${HEADER}`);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== FASHION_MAGIC) {
    const hex = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    fail(`bad magic ${hex} (expected 4e 4e 49 4d, "${FASHION_MAGIC}"): not an nnplay image asset`);
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (o) => v.getUint32(o, true);
  const version = u32(4);
  if (version !== FASHION_VERSION) fail(`version ${version} is not supported (this page reads version ${FASHION_VERSION})`);
  const rows = u32(8), cols = u32(12), classes = u32(16), mTrain = u32(20), mTest = u32(24), namesLength = u32(28);
  if (rows < 1 || cols < 1 || rows * cols > 65536) fail(`image size ${rows} x ${cols} is not allowed (1 to 65536 pixels)`);
  if (classes < 2 || classes > 255) fail(`${classes} classes is not allowed (2 to 255)`);
  if (mTrain < 1) fail('no training images');
  const px = rows * cols;
  const expected = HEADER + namesLength + (mTrain + mTest) * (px + 1);
  if (bytes.length !== expected) {
    fail(`${bytes.length < expected ? 'truncated' : 'too long'}: ${bytes.length} bytes, the header ` +
      `(${mTrain} training and ${mTest} test images of ${rows} x ${cols}) says ${expected}`);
  }
  const classNames = new TextDecoder().decode(bytes.subarray(HEADER, HEADER + namesLength)).split('\n');
  if (classNames.length !== classes) fail(`${classNames.length} class names for ${classes} classes`);
  let o = HEADER + namesLength;
  const take = (n) => { const part = bytes.subarray(o, o + n); o += n; return part; };
  const train = { pixels: take(mTrain * px), labels: take(mTrain), m: mTrain };
  const test = { pixels: take(mTest * px), labels: take(mTest), m: mTest };
  for (const [split, s] of [['training', train], ['test', test]]) {
    const i = s.labels.findIndex((l) => l >= classes);
    if (i >= 0) fail(`${split} label ${i} is ${s.labels[i]} (allowed: 0 to ${classes - 1})`);
  }
  return { rows, cols, pixels: px, classNames, train, test };
}
