// onefile.test.mjs: dist/nnplay.html, opened from disk (file://) as a double-click would, loads
// with no console error, starts its worker from a Blob URL and trains xor past 95% accuracy.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { DIST, XOR_HASH, debug, launch, openPage, playToEnd, screenshotPath } from './helpers.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

test('dist/nnplay.html trains xor from file:// in its worker with no console error', async () => {
  const url = pathToFileURL(join(DIST, 'nnplay.html')).href + XOR_HASH;
  const { page, problems, close } = await openPage(env.browser, url);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  assert.match(await page.textContent('#kernel'), /simd128|scalar/);
  await playToEnd(page);
  const d = await debug(page);
  assert.equal(d.epoch, 150);
  assert.ok(d.last.test_accuracy > 0.95, `test accuracy ${d.last.test_accuracy}`);
  assert.equal(d.points.loss, 150);
  assert.deepEqual(requests.filter((u) => !u.startsWith('blob:') && !u.startsWith('data:')), []);
  await page.screenshot({ path: screenshotPath('onefile-xor.png') });
  assert.deepEqual(problems, []);
  await close();
});
