// soak.test.mjs: the page does not grow. 200 reset-train cycles (Reset, then Step) and a 20,000-epoch
// run on xor; the JS heap (CDP Runtime.getHeapUsage after a forced GC) and the wasm module's memory in
// use (engine memoryStats through nnplayDebug) end within 5% of where they settled after the first 10
// cycles. The 20,000-epoch run's chart history (one point per epoch, by design) is measured as well,
// then dropped by a Reset before the final figures. NNPLAY_SOAK_CYCLES / NNPLAY_SOAK_EPOCHS shorten it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { XOR_HASH, launch, openPage } from './helpers.mjs';

const CYCLES = Number(process.env.NNPLAY_SOAK_CYCLES ?? 200);
const EPOCHS = Number(process.env.NNPLAY_SOAK_EPOCHS ?? 20000);
const HASH = XOR_HASH.replace('epochs=150', `epochs=${EPOCHS}`);

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

async function cycle(page) {
  await page.click('#reset');
  await page.waitForFunction(() => nnplayDebug.ready && !nnplayDebug.busy && nnplayDebug.epoch === 0);
  await page.click('#step');
  await page.waitForFunction(() => nnplayDebug.epoch === 1 && !nnplayDebug.busy);
}

async function measure(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(() => nnplayDebug.memoryStats());
  return { js: usedSize, wasmInUse: wasm.inUse, wasmHeap: wasm.heapSize };
}

const mb = (b) => (b / 1048576).toFixed(2);
const show = (label, m) => `${label}: JS heap ${mb(m.js)} MB, wasm in use ${mb(m.wasmInUse)} MB of ${mb(m.wasmHeap)} MB`;

test(`${CYCLES} reset-train cycles and a ${EPOCHS}-epoch run keep the JS heap and wasm memory flat`, { timeout: 300000 }, async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + HASH);
  const cdp = await page.context().newCDPSession(page);
  for (let i = 0; i < 10; i++) await cycle(page);
  const settled = await measure(page, cdp);
  for (let i = 10; i < CYCLES; i++) await cycle(page);
  const cycled = await measure(page, cdp);
  await page.click('#reset');
  await page.waitForFunction(() => nnplayDebug.ready && nnplayDebug.epoch === 0);
  await page.click('#play');
  await page.waitForFunction((n) => nnplayDebug.epoch === n && !nnplayDebug.playing, EPOCHS, { timeout: 240000 });
  const long = await measure(page, cdp);
  assert.equal((await page.evaluate(() => nnplayDebug.chartPoints())).loss, EPOCHS);
  await cycle(page);   // drops the long run's chart history
  const end = await measure(page, cdp);
  const report = [show('settled after 10 cycles', settled), show(`after ${CYCLES} cycles`, cycled),
    show(`after the ${EPOCHS}-epoch run (its chart held)`, long), show('end (after a reset)', end)];
  console.log(report.join('\n'));
  for (const [name, m] of [['cycles', cycled], ['end', end]]) {
    assert.ok(m.js <= settled.js * 1.05, `${name}: JS heap ${mb(m.js)} MB vs ${mb(settled.js)} MB settled\n${report.join('\n')}`);
    assert.ok(Math.abs(m.wasmInUse - settled.wasmInUse) <= settled.wasmInUse * 0.05, `${name}: wasm in use\n${report.join('\n')}`);
    assert.ok(m.wasmHeap <= settled.wasmHeap * 1.05, `${name}: wasm heap\n${report.join('\n')}`);
  }
  assert.deepEqual(problems.filter((p) => !p.startsWith('long task')), []);
  await close();
});
