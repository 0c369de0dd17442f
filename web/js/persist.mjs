// persist.mjs: the page's one saved session in the browser's IndexedDB, so a reload or a crashed
// worker loses nothing: the config (the page's form of it and its link), the trained weights as the
// core's model file text (which holds the epoch; the core reads it back bit for bit) and the chart
// history (one metrics row per finished epoch). It stores and returns plain records; it does not
// know the worker, and it decides nothing about when to save (main.mjs throttles). Without
// IndexedDB (some private modes, an opaque file:// origin) every call quietly does nothing.
//
//   record = { hash, config, model, epoch, history: [{ epoch, loss, accuracy, test_loss, test_accuracy }], savedAt }

const DB = 'nnplay';
const STORE = 'session';
const KEY = 'last';

function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}

// One transaction on the store: fn(store) -> request; resolves with the request's result.
async function withStore(db, mode, fn) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = fn(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export function createPersist() {
  let db = null;
  const ready = () => (db ??= globalThis.indexedDB ? openDb().catch(() => null) : Promise.resolve(null));
  const run = async (mode, fn, fallback) => {
    const d = await ready();
    if (!d) return fallback;
    try {
      return await withStore(d, mode, fn);
    } catch {
      return fallback;
    }
  };
  return {
    load: () => run('readonly', (s) => s.get(KEY), null).then((r) => r ?? null),
    save: (record) => run('readwrite', (s) => s.put({ ...record, savedAt: Date.now() }, KEY), undefined),
    clear: () => run('readwrite', (s) => s.delete(KEY), undefined),
  };
}

// The chart history as metrics rows from the four series of charts.mjs (seriesCopy), up to `epoch`.
export function historyRows(seriesOf, epoch) {
  const [loss, testLoss, accuracy, testAccuracy] = ['loss', 'testLoss', 'accuracy', 'testAccuracy'].map(seriesOf);
  const rows = [];
  for (let i = 0; i < loss.length && loss[i].x <= epoch; i++) {
    rows.push({ epoch: loss[i].x, loss: loss[i].y, test_loss: testLoss[i]?.y ?? null,
      accuracy: accuracy[i]?.y ?? null, test_accuracy: testAccuracy[i]?.y ?? null });
  }
  return rows;
}
