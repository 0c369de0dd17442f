#!/usr/bin/env node
// scripts/serve.mjs: a tiny dependency-free static file server for dist/ (npm start).
//   node scripts/serve.mjs            serves dist/ on http://127.0.0.1:8080/ (PORT env overrides)
//   import { startServer } from './serve.mjs'; const { url, close } = await startServer({ root, port: 0 });
// Binds 127.0.0.1 only, GET/HEAD only, serves index.html for folders. No request path leaves the
// root: dot segments (plain or percent-encoded), backslashes and NUL bytes are refused
// (tests/node/serve.test.mjs). Symlinks placed inside the root are followed: whoever lays out the
// root chose them (a test mounts dist/ under a sub-path that way; dist/ itself holds none).
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.gz': 'application/octet-stream',
};

function send(res, code, text) {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

// Maps a URL path to a file under root, or null when it would leave root (or is malformed).
function resolvePath(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  const file = resolve(root, '.' + (path.startsWith('/') ? path : '/' + path));
  return file === root || file.startsWith(root + sep) ? file : null;
}

async function handle(root, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
  const urlPath = (req.url || '/').split('?')[0].split('#')[0];
  let file = resolvePath(root, urlPath);
  if (!file) return send(res, 403, 'forbidden\n');
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    if (!urlPath.endsWith('/')) {
      // A folder without its slash: redirect so that relative URLs in its index.html resolve. One
      // leading slash only: "//js/" would send the browser to the host "js".
      res.writeHead(301, { Location: '/' + urlPath.replace(/^\/+/, '') + '/' });
      return res.end();
    }
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return send(res, 404, 'not found\n');
  res.writeHead(200, {
    'Content-Type': MIME[extname(file).toLowerCase()] || 'application/octet-stream',
    'Content-Length': info.size,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') return res.end();
  // Read in 1 MiB pieces, not the default 64 KiB: the 31 MB Fashion-MNIST asset then crosses to the
  // browser in 30 writes instead of 470, and the preset's click-to-first-epoch fell from a median of
  // 3.3 s to 2.7-2.9 s (9 fresh loads each, bench/browser.mjs presetToFirstEpoch): on 2 cores the
  // server's and the browser's per-piece work competed with the page's gunzip.
  createReadStream(file, { highWaterMark: 1 << 20 })
    .on('error', () => res.destroy())
    .pipe(res);
}

// Starts serving root on 127.0.0.1:port (0 = any free port). Resolves to { url, port, close }.
export function startServer({ root, port = 0 } = {}) {
  const absRoot = resolve(root);
  const server = createServer((req, res) => {
    handle(absRoot, req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, `server error: ${err.message}\n`);
      else res.destroy();
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const actual = server.address().port;
      resolvePromise({
        url: `http://127.0.0.1:${actual}/`,
        port: actual,
        server,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections?.();
          }),
      });
    });
  });
}

// CLI part: only when run directly (node scripts/serve.mjs), not when imported by tests.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('../dist/', import.meta.url));
  const port = Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`nnplay: PORT=${process.env.PORT} is not a port number (0-65535)`);
    process.exit(2);
  }
  const index = await stat(join(root, 'index.html')).catch(() => null);
  if (!index) console.warn('nnplay: dist/index.html does not exist yet: run `npm run build` first');
  try {
    const { url } = await startServer({ root, port });
    console.log(`nnplay is serving dist/ at ${url}`);
    console.log('(Ctrl+C stops it)');
  } catch (err) {
    if (err.code === 'EADDRINUSE') {
      console.error(
        `nnplay: port ${port} on 127.0.0.1 is already in use (another server is running there?). ` +
          `Stop it, or pick another port: PORT=8081 npm start`,
      );
    } else {
      console.error(`nnplay: cannot serve on 127.0.0.1:${port}: ${err.message}`);
    }
    process.exit(1);
  }
}
