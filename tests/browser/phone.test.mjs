// phone.test.mjs: the page on a 390x844 phone (issue 12): the play bar stays in reach (sticky) at the
// bottom of the page, the panels come in the order play bar, output, network, training, data, so
// Training is not thousands of pixels below the heat map, and every control is a touch target at
// least 40 px high (itself or the label around it). On a 1400x900 desktop the layout stays as it was:
// three columns, the heat map and the Training panel in the first screen. Screenshots of both.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, screenshotPath } from './helpers.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const PHONE = { width: 390, height: 844 };
const HASH = '#data=spiral&arms=3&out=softmax&loss=cce';

// Page-coordinate top and bottom of an element.
const place = (page, sel) => page.$eval(sel, (n) => {
  const r = n.getBoundingClientRect();
  return { top: r.top + scrollY, bottom: r.bottom + scrollY };
});

test('phone: the play bar stays reachable at the bottom of the page', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + HASH, { viewport: PHONE });
  await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForFunction(() => scrollY > 1000);
  const seen = await page.evaluate(() => ['play', 'step', 'reset', 'epoch'].map((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { id, top: Math.round(r.top), bottom: Math.round(r.bottom), onTop: hit === document.getElementById(id) || document.getElementById(id).contains(hit) };
  }));
  for (const s of seen) {
    assert.ok(s.top >= 0 && s.bottom <= PHONE.height, `${s.id} in view: ${JSON.stringify(s)}`);
    assert.ok(s.onTop, `${s.id} is not covered: ${JSON.stringify(s)}`);
  }
  await page.click('#step');   // and it works from there
  await page.waitForFunction(() => nnplayDebug.epoch === 1);
  assert.deepEqual(problems, []);
  await close();
});

test('phone: output, network, training, data in that order; Training within two screens of the heat map', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + HASH, { viewport: PHONE });
  const tops = {};   // by the panels' headings (a panel may be laid out in parts)
  for (const name of ['output', 'network', 'training', 'data']) tops[name] = (await place(page, `#${name}-title`)).top;
  const order = Object.entries(tops).sort((a, b) => a[1] - b[1]).map(([name]) => name);
  assert.deepEqual(order, ['output', 'network', 'training', 'data']);
  const heat = await place(page, '#boundary');
  const gap = tops.training - heat.bottom;
  console.log(`# phone: Training panel starts ${Math.round(gap)} px below the heat map (page top ${Math.round(tops.training)} px)`);
  assert.ok(gap < 2 * PHONE.height, `Training is ${gap} px below the heat map`);
  assert.deepEqual(problems, []);
  await close();
});

test('phone: every button, select and input is at least 40 px high (or sits in a label that is)', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + HASH, { viewport: PHONE });
  const small = await page.evaluate(() => {
    const visible = (n) => n.offsetParent !== null && !n.closest('.visually-hidden') && !n.classList.contains('visually-hidden') &&
      !n.closest('[hidden]') && getComputedStyle(n).visibility !== 'hidden';
    const high = (n) => n.getBoundingClientRect().height >= 40;
    const out = [];
    for (const n of document.querySelectorAll('button, select, input, label.button, a.button')) {
      if (!visible(n)) continue;
      const hitArea = high(n) || [...(n.labels ?? [])].some(high) || (n.closest('label') && high(n.closest('label')));
      if (!hitArea) out.push(`${n.tagName.toLowerCase()}#${n.id || n.name || n.textContent.trim().slice(0, 20)}: ${Math.round(n.getBoundingClientRect().height)} px`);
    }
    return out;
  });
  assert.deepEqual(small, []);
  await page.screenshot({ path: screenshotPath('phone-layout.png'), fullPage: true });
  await page.screenshot({ path: screenshotPath('phone-first-screen.png') });
  assert.deepEqual(problems, []);
  await close();
});

test('desktop 1400x900: three columns, the heat map and the Training panel in the first screen', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + HASH, { viewport: { width: 1400, height: 900 } });
  const layout = await page.evaluate(() => ({
    columns: getComputedStyle(document.querySelector('.layout')).gridTemplateColumns.split(' ').length,
    scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  }));
  assert.equal(layout.columns, 3);
  assert.ok(layout.scroll <= 0, `horizontal overflow ${layout.scroll}px`);
  assert.ok((await place(page, '#boundary')).top < 900 - 200, 'the heat map starts in the first screen');
  assert.ok((await place(page, '#training-panel')).top < 900, 'the Training panel starts in the first screen');
  await page.screenshot({ path: screenshotPath('desktop-layout.png') });
  assert.deepEqual(problems, []);
  await close();
});
