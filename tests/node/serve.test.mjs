// serve.test.mjs: scripts/serve.mjs (npm start's static server) never serves a file outside its
// root. A temporary root holds a page, a folder and symlinks that point out of it; its parent holds
// a secret. Every request is sent byte for byte as written here (no client-side normalisation):
// dot segments plain and percent-encoded (%2e%2e, %2f, %5c), backslashes, absolute and
// protocol-relative paths, NUL bytes, bad escapes; none may return the secret, and the in-root
// files are still served with their types. Symlinks that whoever laid out the root put there are
// followed (a test mounts dist/ under a sub-path that way).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../../scripts/serve.mjs';

const SECRET = 'secret outside the root';

// GET path exactly as given -> { status, type, location, body }
function get(port, path, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () =>
        resolve({ status: res.statusCode, type: res.headers['content-type'], location: res.headers.location, body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static server: paths stay inside the root', () => {
  let base, server;
  before(async () => {
    base = mkdtempSync(join(tmpdir(), 'nnplay-serve-test-'));
    const root = join(base, 'dist');
    mkdirSync(join(root, 'js'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>root</title>');
    writeFileSync(join(root, 'js', 'main.mjs'), 'export const a = 1;\n');
    writeFileSync(join(base, 'secret.txt'), SECRET);
    writeFileSync(join(base, 'dist-evil.txt'), SECRET); // a sibling whose name starts with the root's
    symlinkSync(join(base, 'secret.txt'), join(root, 'link.txt'));
    symlinkSync(base, join(root, 'up'));
    server = await startServer({ root, port: 0 });
  });
  after(async () => {
    await server?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  test('files inside the root are served with their types; folders get their index.html', async () => {
    const page = await get(server.port, '/');
    assert.equal(page.status, 200);
    assert.match(page.type, /^text\/html/);
    assert.match(page.body, /<title>root<\/title>/);
    const js = await get(server.port, '/js/main.mjs?v=1#x');
    assert.equal(js.status, 200);
    assert.match(js.type, /^text\/javascript/);
    assert.equal((await get(server.port, '/js/%6dain.mjs')).status, 200, 'percent-encoded letters are decoded');
    assert.equal((await get(server.port, '/js/./main.mjs')).status, 200);
    assert.equal((await get(server.port, '/js/../index.html')).status, 200, 'dot segments that stay inside');
    assert.equal((await get(server.port, '/nothing.html')).status, 404);
    assert.equal((await get(server.port, '/', 'POST')).status, 405);
  });

  const escapes = [
    '/../secret.txt',
    '/../../../../../../etc/passwd',
    '/js/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/.%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/js%2f..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%5c..%5csecret.txt',
    '/..\\secret.txt',
    '/js\\..\\..\\secret.txt',
    '/%252e%252e/secret.txt', // double encoding: decoded once, a literal "%2e%2e" folder
    '//../secret.txt',
    `/${'%2e%2e/'.repeat(8)}etc/passwd`,
    '/../dist-evil.txt',
    '/%2e%2e/dist-evil.txt',
    '/secret.txt%00.html',
    '/%00',
    '/%zz',
    '/%',
  ];
  for (const path of escapes) {
    test(`refused: ${path}`, async () => {
      const r = await get(server.port, path);
      assert.ok([400, 403, 404].includes(r.status), `status ${r.status}`);
      assert.ok(!r.body.includes(SECRET), 'the secret leaked');
      assert.ok(!/root:.*:0:0:/.test(r.body), '/etc/passwd leaked');
    });
  }

  test("symlinks placed inside the root are followed (the root's owner chose them)", async () => {
    assert.equal((await get(server.port, '/link.txt')).body, SECRET);
    assert.equal((await get(server.port, '/up/dist/index.html')).status, 200);
  });

  test('absolute file paths are read relative to the root', async () => {
    for (const path of [
      '/etc/passwd',
      `/${join(tmpdir(), 'x')}`,
      'etc/passwd',
      'http://example.invalid/../secret.txt',
    ]) {
      const r = await get(server.port, path);
      assert.ok([400, 403, 404].includes(r.status), `${path}: status ${r.status}`);
      assert.ok(!/root:.*:0:0:/.test(r.body) && !r.body.includes(SECRET), path);
    }
  });

  test('a folder without its slash redirects to a path on this server, never to another host', async () => {
    const r = await get(server.port, '/js');
    assert.equal(r.status, 301);
    assert.equal(r.location, '/js/');
    for (const path of ['//js', '///js', '/\\js']) {
      const x = await get(server.port, path);
      if (x.status === 301) assert.match(x.location, /^\/[^/\\]/, `${path} -> ${x.location}`);
    }
  });
});
