#!/usr/bin/env node
// fashion-asset.mjs: turns the original Fashion-MNIST IDX files (Debian's dataset-fashion-mnist,
// /usr/share/datasets/fashion-mnist/*-ubyte.gz) into the page's compact image asset
// (wasm/core/image_asset.h documents its format; web/js/fashion-format.mjs writes it): the first TRAIN
// images of the training file and the first TEST images of the test file (by default all: the
// standard 60,000 / 10,000 split), uint8 pixels and labels, gzipped (level 9) when the output name
// ends in .gz. scripts/build-dist.mjs calls it for dist/data/fashion-mnist.bin.gz (the page gunzips
// it with DecompressionStream); it also runs alone:
//   node scripts/fashion-asset.mjs [--src DIR] [--out FILE] [--train N] [--test N]
// IDX (http://yann.lecun.com/exdb/mnist/): bytes 0 0, a type byte (0x08: unsigned byte), the number
// of dimensions d, d big-endian uint32 sizes, then the data. Errors name the file and what is wrong
// (bad magic, unsupported type, truncated, trailing bytes, image and label counts that differ).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { FASHION_CLASSES, encodeImageAsset } from '../web/js/fashion-format.mjs';

export const FASHION_SRC = '/usr/share/datasets/fashion-mnist';
export const FASHION_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz', trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz', testLabels: 't10k-labels-idx1-ubyte.gz',
};
// The standard split: all 60,000 training and 10,000 test images (55 MB, about 30 MB gzipped), so
// the page's test accuracy compares with published results. The page's "Training images" field
// trains on the first N of them on a slow machine.
export const DEFAULT_TRAIN = 60000;
export const DEFAULT_TEST = 10000;

// Parses one IDX file's bytes (gunzipped). Returns { dims: [..], data: Uint8Array view }.
// `dims`: the number of dimensions expected (3 for images, 1 for labels).
export function parseIdx(bytes, name = 'idx', expectDims = undefined) {
  const fail = (what) => { throw new Error(`${name}: ${what}`); };
  if (bytes.length < 4) fail(`truncated: ${bytes.length} bytes, the magic number alone needs 4`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hex = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    fail(`bad magic ${hex} (an IDX file starts 00 00, a type byte and the number of dimensions)`);
  }
  if (bytes[2] !== 0x08) fail(`data type 0x${bytes[2].toString(16).padStart(2, '0')} is not supported (0x08, unsigned bytes)`);
  const d = bytes[3];
  if (d < 1) fail('0 dimensions is not allowed');
  if (expectDims !== undefined && d !== expectDims) fail(`${d} dimensions is not allowed (${expectDims} expected)`);
  const header = 4 + 4 * d;
  if (bytes.length < header) fail(`truncated: ${bytes.length} bytes, the header of ${d} dimensions needs ${header}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: d }, (_, i) => v.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const have = bytes.length - header;
  if (have < size) fail(`truncated: the header says ${dims.join(' x ')} = ${size} data bytes, the file has ${have}`);
  if (have > size) fail(`${have - size} bytes after the data (the header says ${dims.join(' x ')} = ${size} bytes)`);
  return { dims, data: bytes.subarray(header) };
}

// Reads an IDX file, gunzipping it when it starts with the gzip magic 1f 8b.
export function readIdx(path, expectDims) {
  let bytes = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new Error(`${path}: not a valid gzip file (${e.message})`);
    }
  }
  return parseIdx(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path, expectDims);
}

// One split from parsed image and label IDX files: the first `count` images. Checks that the
// counts agree, that images are 2-D and labels below `classes`.
export function idxSplit(images, labels, count, { split = 'train', classes = FASHION_CLASSES.length } = {}) {
  const fail = (what) => { throw new Error(`${split}: ${what}`); };
  if (images.dims.length !== 3) fail(`the images file has ${images.dims.length} dimensions (3: count, rows, cols)`);
  if (labels.dims.length !== 1) fail(`the labels file has ${labels.dims.length} dimensions (1: count)`);
  const [m, rows, cols] = images.dims;
  if (labels.dims[0] !== m) fail(`${m} images but ${labels.dims[0]} labels (the counts must match)`);
  if (!Number.isInteger(count) || count < 1 || count > m) fail(`${count} images is not allowed (1 to ${m})`);
  const px = rows * cols;
  const lab = labels.data.subarray(0, count);
  const bad = lab.findIndex((l) => l >= classes);
  if (bad >= 0) fail(`label ${bad} is ${lab[bad]} (allowed: 0 to ${classes - 1})`);
  return { rows, cols, pixels: images.data.subarray(0, count * px), labels: lab };
}

// The asset bytes from the four IDX files in `src`.
export function fashionAsset({ src = FASHION_SRC, train = DEFAULT_TRAIN, test = DEFAULT_TEST } = {}) {
  const file = (k) => {
    const p = join(src, FASHION_FILES[k]);
    if (!existsSync(p)) throw new Error(`${p} is missing (Debian package dataset-fashion-mnist; scripts/setup.sh installs it)`);
    return p;
  };
  const tr = idxSplit(readIdx(file('trainImages'), 3), readIdx(file('trainLabels'), 1), train, { split: 'train' });
  const te = idxSplit(readIdx(file('testImages'), 3), readIdx(file('testLabels'), 1), test, { split: 'test' });
  if (tr.rows !== te.rows || tr.cols !== te.cols) {
    throw new Error(`train images are ${tr.rows} x ${tr.cols} but test images ${te.rows} x ${te.cols}`);
  }
  return encodeImageAsset({ rows: tr.rows, cols: tr.cols, classNames: FASHION_CLASSES, train: tr, test: te });
}

// Writes the asset to `out` (gzipped when it ends in .gz); returns { out, bytes } (bytes written).
// cache: a file kept between builds (gzip takes seconds): reused while it is newer than the IDX files
// and this script, else written anew.
export function writeFashionAsset({ out, cache, ...options }) {
  const src = options.src ?? FASHION_SRC;
  const inputs = [...Object.values(FASHION_FILES).map((f) => join(src, f)), fileURLToPath(import.meta.url)];
  const fresh = cache && existsSync(cache) && options.train === undefined && options.test === undefined &&
    inputs.every((f) => existsSync(f) && statSync(f).mtimeMs < statSync(cache).mtimeMs);
  let bytes;
  if (fresh) {
    bytes = readFileSync(cache);
  } else {
    const raw = fashionAsset(options);
    bytes = out.endsWith('.gz') ? gzipSync(raw, { level: 6 }) : raw;
    if (cache) {
      mkdirSync(dirname(cache), { recursive: true });
      writeFileSync(cache, bytes);
    }
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  return { out, bytes: bytes.length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (flag, def) => {
    const i = process.argv.indexOf(flag);
    return i > 0 ? process.argv[i + 1] : def;
  };
  try {
    const r = writeFashionAsset({
      src: arg('--src', FASHION_SRC),
      out: resolve(arg('--out', 'dist/data/fashion-mnist.bin.gz')),
      train: Number(arg('--train', DEFAULT_TRAIN)),
      test: Number(arg('--test', DEFAULT_TEST)),
    });
    console.log(`fashion-asset: wrote ${r.out} (${r.bytes} bytes)`);
  } catch (e) {
    console.error(`fashion-asset: ${e.message}`);
    process.exit(1);
  }
}
