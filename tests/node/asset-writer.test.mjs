// asset-writer.test.mjs: an image asset that arrives in pieces (the worker's download, gunzipped as it
// comes: web/js/asset-download.mjs) goes into wasm memory piece by piece (engine.mjs AssetWriter, core
// ImageAssetBuilder). Known answers: the same set as engine.loadImages on the whole buffer, whatever
// the pieces (the 32-byte header split anywhere); the same one-line errors (a bad header, too long,
// truncated); the full Fashion-MNIST asset held once (its size, not twice), read from its .gz file by
// the worker's own code.
import assert from 'node:assert/strict';
import { existsSync, openAsBlob, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { encodeImageAsset } from '../../web/js/fashion-format.mjs';
import { readAsset } from '../../web/js/asset-download.mjs';
import { FASHION_FILES, FASHION_SRC, fashionAsset } from '../../scripts/fashion-asset.mjs';
import { engine, root } from './_helpers.mjs';

// 3 x 4 images of 3 classes: 5 training and 2 test images, pixel values 0..255 by position.
const small = encodeImageAsset({
  rows: 3, cols: 4, classNames: ['a', 'bb', 'ccc'],
  train: { pixels: Uint8Array.from({ length: 60 }, (_, i) => (i * 37) % 256), labels: Uint8Array.from([0, 1, 2, 1, 0]) },
  test: { pixels: Uint8Array.from({ length: 24 }, (_, i) => (i * 11) % 256), labels: Uint8Array.from([2, 0]) },
});

// The asset cut at the given offsets, written piece by piece.
function writeInPieces(eng, bytes, cuts, name = 'a.bin') {
  const w = eng.imageAssetWriter(name);
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    w.write(bytes.slice(at, c));
    at = c;
  }
  return w.finish();
}

const same = (a, b) => {
  assert.deepEqual(a.info, b.info);
  for (const split of ['train', 'test']) assert.deepEqual(a.split(split), b.split(split));
};

describe('an image asset written in pieces', () => {
  let eng;
  before(async () => { eng = await engine(); });

  test('gives the set of the whole buffer, the header split anywhere', () => {
    const whole = eng.loadImages(small, 'a.bin');
    for (const cuts of [[], [1], [31], [32], [33], [5, 20, 40], Array.from({ length: small.length - 1 }, (_, i) => i + 1)]) {
      const set = writeInPieces(eng, small, cuts);
      same(set, whole);
      set.free();
    }
    whole.free();
  });

  test('a bad header, too many bytes or too few: the one-line message of the whole-buffer reader', () => {
    const bad = small.slice();
    bad[0] = 0x50;
    const wantMagic = /^a\.bin: bad magic 50 4e 49 4d \(expected 4e 4e 49 4d, "NNIM"\): not an nnplay image asset$/;
    assert.throws(() => eng.loadImages(bad, 'a.bin'), { message: wantMagic });
    assert.throws(() => writeInPieces(eng, bad, [10, 40]), { message: wantMagic });

    const long = new Uint8Array(small.length + 3);
    long.set(small);
    assert.throws(() => writeInPieces(eng, long, [50]),
      { message: `a.bin: too long: more than ${small.length} bytes, the header (5 training and 2 test images of 3 x 4) says ${small.length}` });
    const short = small.slice(0, small.length - 1);
    const truncated = `a.bin: truncated: ${short.length} bytes, the header (5 training and 2 test images of 3 x 4) says ${small.length}`;
    assert.throws(() => eng.loadImages(short, 'a.bin'), { message: truncated });
    assert.throws(() => writeInPieces(eng, short, [7]), { message: truncated });
    assert.throws(() => writeInPieces(eng, small.slice(0, 20), [3]), { message: 'a.bin: truncated: 20 bytes, the header alone needs 32' });

    // A header that claims more than the module may hold is refused before anything is allocated.
    const huge = small.slice(0, 32);
    new DataView(huge.buffer).setUint32(20, 0x7fffffff, true);
    assert.throws(() => eng.imageAssetWriter('h.bin').write(huge), { message: /^h\.bin: \d+ bytes \(2147483647 training .* is more than the memory limit \(1 GiB\)$/ });

    // After an error the writer is spent; the engine goes on.
    const w = eng.imageAssetWriter('w.bin');
    assert.throws(() => w.write(bad));
    assert.throws(() => w.write(small), { message: 'w.bin: the asset writer is finished' });
    const ok = writeInPieces(eng, small, [16]);
    assert.equal(ok.info.train, 5);
    ok.free();
  });

  test('the worker\'s reader gunzips a .gz file as it reads it, with its progress', async () => {
    const blob = new Blob([gzipSync(small)]);
    const seen = [];
    const set = await readAsset(eng, blob, 'a.bin.gz', (loaded, total) => seen.push([loaded, total]));
    const whole = eng.loadImages(small, 'a.bin');
    same(set, whole);
    assert.deepEqual(seen.at(-1), [blob.size, blob.size]);
    await assert.rejects(readAsset(eng, new Blob([small.slice(0, 40)]), 'b.bin'),
      { message: /^b\.bin: truncated: 40 bytes, the header \(5 training and 2 test images of 3 x 4\) says \d+$/ });
    const notGzip = new Uint8Array([0x1f, 0x8b, 1, 2, 3, 4, 5]);
    await assert.rejects(readAsset(eng, new Blob([notGzip]), 'c.bin.gz'), { message: /^c\.bin\.gz: not a valid gzip file \(/ });
    set.free();
    whole.free();
  });
});

const gz = join(root, 'dist', 'data', 'fashion-mnist.bin.gz');
const present = existsSync(gz) && Object.values(FASHION_FILES).every((f) => existsSync(join(FASHION_SRC, f)));
describe('the full Fashion-MNIST asset read by the worker\'s code', { skip: !present && `${gz} or ${FASHION_SRC} is missing` }, () => {
  test('is held once and equals the asset read whole', async (t) => {
    const eng = await engine();   // a module of its own: its memory counts only this asset
    const before = eng.memoryStats().inUse;
    const t0 = performance.now();
    const set = await readAsset(eng, await openAsBlob(gz), 'fashion-mnist.bin.gz');
    t.diagnostic(`read from ${(readFileSync(gz).length / 2 ** 20).toFixed(1)} MiB gzip in ${(performance.now() - t0).toFixed(0)} ms`);
    const asset = fashionAsset();
    const held = eng.memoryStats().inUse - before;
    assert.ok(held >= asset.length && held < asset.length + 2 ** 20, `the images take their size once: ${held} bytes for ${asset.length}`);
    assert.deepEqual({ ...set.info, classNames: set.info.classNames.length }, { rows: 28, cols: 28, pixels: 784, classNames: 10, train: 60000, test: 10000 });
    const test0 = set.split('test');
    const tail = asset.subarray(asset.length - 10000 * 785);
    assert.deepEqual(test0.pixels, tail.subarray(0, 10000 * 784));
    assert.deepEqual(test0.labels, tail.subarray(10000 * 784));
    set.free();
  });
});
