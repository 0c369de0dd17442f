// asset-download.mjs: an image asset (format in wasm/core/image_asset.h) read in the worker straight
// into the engine: from a stream of its bytes (the served page's download, which the page fetches and
// gunzips while this worker allocates the images' memory: pipeFetched below), or from a file the user
// chose. Each piece goes into its place in wasm memory (engine.mjs AssetWriter), so the asset is never
// held twice and the copy runs while the download does.

const isGzip = (b) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

// { body, total, gzip } of a ReadableStream of the asset's bytes (already gunzipped), a URL (gzip: a
// .gz name) or a Blob (gzip: its first two bytes).
async function open(source, name) {
  if (source instanceof ReadableStream) return { body: source, total: 0, gzip: false };
  if (typeof source !== 'string') {
    const gzip = isGzip(new Uint8Array(await source.slice(0, 2).arrayBuffer()));
    return { body: source.stream(), total: source.size, gzip };
  }
  const res = await fetch(source);
  if (!res.ok) throw new Error(`${name}: HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}`);
  return { body: res.body, total: Number(res.headers.get('Content-Length')) || 0, gzip: name.endsWith('.gz') };
}

// The stream of the pieces the page sends through a MessagePort (pipeFetched): Uint8Arrays, then
// { done: true } or { error: message }.
export function portStream(port) {
  return new ReadableStream({
    start(controller) {
      port.onmessage = ({ data }) => {
        if (data instanceof Uint8Array) controller.enqueue(data);
        else if (data.error) controller.error(new Error(data.error));
        else controller.close();
      };
    },
    cancel() { port.close(); },
  });
}

// The asset's bytes at source, read piece by piece, gunzipped when they are gzip: next() resolves to
// the next Uint8Array, or null at the end, and throws errors that start with name; onProgress(loaded,
// total) after each piece as read (before the gunzip).
async function openPieces(source, name, onProgress) {
  const { body, total, gzip } = await open(source, name);
  let loaded = 0;
  let stream = body.pipeThrough(new TransformStream({
    transform(chunk, out) {
      loaded += chunk.length;
      onProgress(loaded, total);
      out.enqueue(chunk);
    },
  }));
  if (gzip) stream = stream.pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  return {
    async next() {
      try {
        const { done, value } = await reader.read();
        return done ? null : value;
      } catch (e) {
        if (source instanceof ReadableStream) throw e;   // the page's message, which names the file
        throw new Error(gzip ? `${name}: not a valid gzip file (${e.message})` : `${name}: ${e.message}`);
      }
    },
    cancel() { reader.cancel().catch(() => {}); },
  };
}

// The page's side: fetches url, gunzips it as it arrives (a .gz name) and sends each piece through
// port to the worker's portStream; onProgress(loaded, total) after each compressed piece. Resolves
// when all is sent; stops when stopped() turns true (the worker refused the asset). Errors go to the
// worker too, so its request fails with them; they start with name.
export async function pipeFetched(url, name, port, { onProgress = () => {}, stopped = () => false } = {}) {
  try {
    const pieces = await openPieces(url, name, onProgress);
    for (let v; (v = await pieces.next());) {
      if (stopped()) { pieces.cancel(); return; }
      port.postMessage(v, v.byteOffset === 0 && v.byteLength === v.buffer.byteLength ? [v.buffer] : []);
    }
    port.postMessage({ done: true });
  } catch (e) {
    port.postMessage({ error: e.message });
  }
}

// The ImageSet of the asset at source (a ReadableStream, an absolute URL or a Blob); errors start with
// name. onProgress(loaded, total) after each piece as read (compressed bytes; total 0 when unknown).
export async function readAsset(engine, source, name, onProgress = () => {}) {
  const pieces = await openPieces(source, name, onProgress);
  const writer = engine.imageAssetWriter(name);
  try {
    for (let v; (v = await pieces.next());) writer.write(v);   // throws the core's message (a bad header, too long)
    return writer.finish();        // throws "truncated" and the rest of the core's checks
  } catch (e) {
    writer.free();
    pieces.cancel();
    throw e;
  }
}
