// idx.test.mjs: the Fashion-MNIST conversion (scripts/fashion-asset.mjs) and the page's image asset
// format (web/js/fashion-format.mjs), in Node, without a build: IDX files parse to their dimensions
// and bytes, and every malformed one (bad magic, unsupported type, truncated header or data, trailing
// bytes, image and label counts that differ, labels out of range, broken gzip) is refused with a
// message naming the file and the problem; the asset round-trips and refuses a bad magic, version,
// size or label. With Debian's dataset-fashion-mnist installed, the real files convert too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_TRAIN, FASHION_FILES, FASHION_SRC, fashionAsset, idxSplit, parseIdx, readIdx } from '../../scripts/fashion-asset.mjs';
import { readFileSync } from 'node:fs';
import { FASHION_CLASSES, decodeImageAsset, encodeImageAsset } from '../../web/js/fashion-format.mjs';

// An IDX file: 00 00 08 d, big-endian dims, data.
function idx(dims, data, { type = 0x08 } = {}) {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = type;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return new Uint8Array(Buffer.concat([head, Buffer.from(data)]));
}
const images = (m, r, c) => idx([m, r, c], Array.from({ length: m * r * c }, (_, i) => i % 256));
const labels = (list) => idx([list.length], list);

test('a well-formed IDX file parses to its dimensions and data', () => {
  const p = parseIdx(images(3, 2, 4), 'img', 3);
  assert.deepEqual(p.dims, [3, 2, 4]);
  assert.deepEqual(Array.from(p.data), Array.from({ length: 24 }, (_, i) => i));
  const l = parseIdx(labels([9, 0, 3]), 'lab', 1);
  assert.deepEqual(l.dims, [3]);
  assert.deepEqual(Array.from(l.data), [9, 0, 3]);
});

test('malformed IDX files are refused with a precise message', () => {
  const good = images(2, 2, 2);
  const cases = [
    [new Uint8Array([0, 0]), /f: truncated: 2 bytes, the magic number alone needs 4/],
    [Uint8Array.from([1, 0, 8, 3, ...good.subarray(4)]), /f: bad magic 01 00 08 03 \(an IDX file starts 00 00/],
    [idx([2], [1, 2], { type: 0x0d }), /f: data type 0x0d is not supported \(0x08, unsigned bytes\)/],
    [good.subarray(0, 10), /f: truncated: 10 bytes, the header of 3 dimensions needs 16/],
    [good.subarray(0, good.length - 3), /f: truncated: the header says 2 x 2 x 2 = 8 data bytes, the file has 5/],
    [Uint8Array.from([...good, 7, 7]), /f: 2 bytes after the data \(the header says 2 x 2 x 2 = 8 bytes\)/],
    [labels([1, 2]), /f: 1 dimensions is not allowed \(3 expected\)/],
    [Uint8Array.from([0, 0, 8, 0]), /f: 0 dimensions is not allowed/],
  ];
  for (const [bytes, re] of cases) assert.throws(() => parseIdx(bytes, 'f', 3), re);
});

test('image and label files that disagree are refused', () => {
  const img = parseIdx(images(3, 2, 2), 'i', 3);
  assert.throws(() => idxSplit(img, parseIdx(labels([1, 2]), 'l', 1), 2), /train: 3 images but 2 labels \(the counts must match\)/);
  assert.throws(() => idxSplit(img, parseIdx(labels([1, 2, 3]), 'l', 1), 4), /train: 4 images is not allowed \(1 to 3\)/);
  assert.throws(() => idxSplit(img, parseIdx(labels([1, 12, 3]), 'l', 1), 3, { split: 'test' }), /test: label 1 is 12 \(allowed: 0 to 9\)/);
  const s = idxSplit(img, parseIdx(labels([1, 2, 3]), 'l', 1), 2);
  assert.deepEqual([s.rows, s.cols, s.pixels.length, Array.from(s.labels)], [2, 2, 8, [1, 2]]);
});

test('gzipped IDX files are read; a broken gzip is named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnplay-idx-'));
  try {
    const ok = join(dir, 'ok.gz');
    writeFileSync(ok, gzipSync(labels([4, 5, 6])));
    assert.deepEqual(Array.from(readIdx(ok, 1).data), [4, 5, 6]);
    const broken = join(dir, 'broken.gz');
    writeFileSync(broken, gzipSync(labels([4, 5, 6])).subarray(0, 12));
    assert.throws(() => readIdx(broken, 1), /broken\.gz: not a valid gzip file/);
    const plain = join(dir, 'plain-idx');
    writeFileSync(plain, labels([7]));
    assert.deepEqual(Array.from(readIdx(plain, 1).data), [7]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const tiny = () => ({
  rows: 2, cols: 3, classNames: ['a', 'b', 'c'],
  train: { pixels: Uint8Array.from({ length: 12 }, (_, i) => i), labels: Uint8Array.from([0, 2]) },
  test: { pixels: Uint8Array.from({ length: 6 }, (_, i) => 100 + i), labels: Uint8Array.from([1]) },
});

test("the core's default training-image count (the page's samples for Fashion-MNIST) is the asset's", () => {
  const header = readFileSync(new URL('../../wasm/core/config.h', import.meta.url), 'utf8');
  assert.match(header, new RegExp(`constexpr int kFashionTrain = ${DEFAULT_TRAIN};`));
});

test('the image asset round-trips', () => {
  const bytes = encodeImageAsset(tiny());
  assert.equal(bytes.length, 32 + 'a\nb\nc'.length + 3 * (6 + 1));
  const a = decodeImageAsset(bytes.buffer);
  assert.deepEqual([a.rows, a.cols, a.pixels, a.classNames, a.train.m, a.test.m], [2, 3, 6, ['a', 'b', 'c'], 2, 1]);
  assert.deepEqual(Array.from(a.train.pixels), Array.from({ length: 12 }, (_, i) => i));
  assert.deepEqual(Array.from(a.train.labels), [0, 2]);
  assert.deepEqual(Array.from(a.test.pixels), [100, 101, 102, 103, 104, 105]);
  assert.deepEqual(Array.from(a.test.labels), [1]);
});

test('a malformed asset is refused with a precise message', () => {
  const good = encodeImageAsset(tiny());
  const patch = (offset, value) => { const b = good.slice(); new DataView(b.buffer).setUint32(offset, value, true); return b; };
  const cases = [
    [good.subarray(0, 20), /asset: truncated: 20 bytes, the header alone needs 32/],
    [Uint8Array.from([...Buffer.from('PK\x03\x04'), ...good.subarray(4)]), /asset: bad magic 50 4b 03 04 \(expected 4e 4e 49 4d, "NNIM"\)/],
    [patch(4, 2), /asset: version 2 is not supported \(this page reads version 1\)/],
    [good.subarray(0, good.length - 1), /asset: truncated: 57 bytes, the header \(2 training and 1 test images of 2 x 3\) says 58/],
    [Uint8Array.from([...good, 0]), /asset: too long: 59 bytes/],
    [patch(16, 4), /asset: 3 class names for 4 classes/],
    [patch(16, 1), /asset: 1 classes is not allowed \(2 to 255\)/],
    [(() => { const b = good.slice(); b[32 + 5 + 12 + 1] = 3; return b; })(), /asset: training label 1 is 3 \(allowed: 0 to 2\)/],
  ];
  for (const [bytes, re] of cases) assert.throws(() => decodeImageAsset(bytes, 'asset'), re);
});

const haveFashion = Object.values(FASHION_FILES).every((f) => existsSync(join(FASHION_SRC, f)));
test('the real Fashion-MNIST files convert to the asset', { skip: !haveFashion && 'dataset-fashion-mnist is not installed' }, () => {
  const a = decodeImageAsset(fashionAsset({ train: 1000, test: 100 }));
  assert.deepEqual([a.rows, a.cols, a.train.m, a.test.m], [28, 28, 1000, 100]);
  assert.deepEqual(a.classNames, FASHION_CLASSES);
  // The first training image is an ankle boot (9), the first test images an ankle boot and a pullover.
  assert.deepEqual([a.train.labels[0], a.test.labels[0], a.test.labels[1]], [9, 9, 2]);
  const counts = new Array(10).fill(0);
  for (const l of a.train.labels) counts[l]++;
  assert.ok(counts.every((n) => n > 70 && n < 130), `classes roughly balanced: ${counts}`);
  assert.ok(a.train.pixels.some((v) => v === 255) && a.train.pixels.some((v) => v === 0));
});
