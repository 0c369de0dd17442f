// export-code.test.mjs: the playground's "Export code" button (issue 11, take home). A click downloads
// nnplay-<script>.zip (one download, caught as Playwright's download event); unzipped by Python's
// zipfile (an independent reader of the format), its folder holds exactly the files `nnplay export
// --config c.json --script numpy|pytorch --out DIR` writes (the native CLI, given the config the
// page's "Export config" downloads), byte for byte, and the same as the engine's exportScript in Node.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage } from './helpers.mjs';
import { engine, native, scratch } from '../node/_helpers.mjs';

// XOR: 160 training samples in batches of 12 (a short last batch), Adam, L2: every part of the script.
const HASH = '#data=xor&samples=200&noise=0.1&test=0.2&dseed=2&hidden=6:tanh,4:relu&out=sigmoid&loss=bce&init=he_normal' +
  '&opt=adam&lr=0.01&batch=12&l2=0.001&epochs=20&seed=5&shuffle=1';

let env, eng, tmp;
before(async () => {
  eng = await engine();
  env = await launch();
  tmp = scratch();
});
after(async () => {
  await env?.close();
  tmp?.remove();
});

// Clicks `selector` and saves the one download it starts; returns its file name and path.
async function downloadOf(page, selector, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = tmp.path(name);
  await download.saveAs(path);
  return { suggested: download.suggestedFilename(), path };
}

const filesIn = (dir) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

test('Export code downloads one zip holding the files nnplay export writes, for NumPy and PyTorch', async () => {
  const { page, problems, close } = await openPage(env.browser, env.url + HASH);
  const cfg = await downloadOf(page, '#export', 'c.json');
  assert.equal(cfg.suggested, 'nnplay-config.json');
  for (const script of ['numpy', 'pytorch']) {
    await page.selectOption('#export-script', script);
    const zip = await downloadOf(page, '#export-code', `${script}.zip`);
    assert.equal(zip.suggested, `nnplay-${script}.zip`);
    const out = tmp.path(`unzipped-${script}`);
    const unzip = spawnSync('python3', ['-m', 'zipfile', '-e', zip.path, out], { encoding: 'utf8' });
    assert.equal(unzip.status, 0, unzip.stderr);
    assert.deepEqual(readdirSync(out), [`nnplay-${script}`], 'one folder in the zip');
    const got = filesIn(join(out, `nnplay-${script}`));

    const cliDir = tmp.path(`cli-${script}`);
    const r = native('export', '--config', cfg.path, '--script', script, '--out', cliDir);
    assert.equal(r.code, 0, r.stderr);
    const cli = filesIn(cliDir);
    assert.deepEqual(Object.keys(got), Object.keys(cli));
    assert.ok(got['train.py'].length > 1000);
    assert.equal(got['train.py'], cli['train.py'], `${script}: train.py is the CLI's`);
    for (const f of Object.keys(cli)) assert.equal(got[f], cli[f], `${script}: ${f} is the CLI's, byte for byte`);
    const { files } = eng.exportScript(JSON.parse(readFileSync(cfg.path, 'utf8')), script);
    assert.deepEqual(got, Object.fromEntries(Object.keys(files).sort().map((f) => [f, files[f]])), `${script}: the engine's exportScript`);
    await page.waitForFunction((s) => document.getElementById('messages').textContent.includes(`Downloaded nnplay-${s}.zip`), script);
  }
  assert.deepEqual(problems, []);
  await close();
});
