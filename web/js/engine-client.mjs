// engine-client.mjs: the page's side of the worker protocol (documented at the top of worker.mjs).
// It starts the worker, numbers each request, and turns replies into promises and run events into
// callbacks. It knows nothing about the page or about training; it never touches the DOM.

// The module worker next to this file, or, in the one-file page (dist/nnplay.html), a worker made
// from the code the page carries in globalThis.nnplayWorkerCode (Blob URLs work from file://).
export function startWorker() {
  const code = globalThis.nnplayWorkerCode;
  if (code) {
    const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    return new Worker(url, { name: 'nnplay' }); // classic: file:// pages refuse module Blob workers
  }
  return new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module', name: 'nnplay' });
}

// The client of one worker. When the worker fails (an uncaught error in it, a script that does not
// load, a message it cannot read) or dies (closes itself, runs out of memory, is killed: seen through
// a Web Lock the worker holds for its lifetime, released by the browser when it ends), every pending
// request rejects with an Error that names the request and the cause, later requests reject at once,
// the worker is terminated, and listeners get one { event: 'crashed', error } so the page can say so
// and call restart(), which starts a new worker behind the same client (ids go on counting).
export class EngineClient {
  constructor(worker, makeWorker = startWorker) {
    this.makeWorker = makeWorker;
    this.nextId = 1;
    this.pending = new Map(); // id -> { resolve, reject, type }
    this.listeners = new Set();
    this.attach(worker);
  }

  attach(worker) {
    this.worker = worker;
    this.crashed = null; // the crash message, once the worker has failed
    worker.onmessage = (e) => this.receive(e.data);
    worker.onerror = (e) => this.fail(`the training worker failed to start or crashed: ${e?.message || 'no details'}`);
    worker.onmessageerror = () => this.fail('the training worker sent a message that could not be read');
    this.watch(worker);
  }

  // The worker takes a lock named for it (request `hold`); when the lock comes free here, the worker
  // has ended. Without Web Locks (an opaque origin such as a file:// page's Blob worker) only errors
  // are seen.
  watch(worker) {
    const locks = globalThis.navigator?.locks;
    if (!locks) return;
    const name = `nnplay-worker-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    this.request('hold', { name }).then(
      ({ held }) => {
        if (!held || this.worker !== worker) return;
        locks
          .request(name, () => {
            if (this.worker === worker)
              this.fail('the training worker stopped (it closed, ran out of memory or was killed)');
          })
          .catch(() => {});
      },
      () => {},
    );
  }

  // A new worker after a crash (or to replace a live one): pending requests of the old one reject.
  restart() {
    if (!this.crashed) this.fail('the training worker was restarted', { quiet: true });
    this.attach(this.makeWorker());
  }

  // Sends { id, type, ...args }; resolves with the reply's result, rejects with Error(core message).
  request(type, args = {}, transfer = []) {
    const id = this.nextId++;
    if (this.crashed) return Promise.reject(new Error(`${type}: ${this.crashed}`));
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, type });
      try {
        this.worker.postMessage({ id, type, ...args }, transfer);
      } catch (e) {
        this.pending.delete(id);
        reject(new Error(`${type}: could not be sent to the training worker: ${e.message}`));
      }
    });
  }

  // Same as request(), and also returns the id, so events of that run can be matched to it.
  start(type, args = {}, transfer = []) {
    const id = this.nextId;
    return { id, done: this.request(type, args, transfer) };
  }

  // fn(event) for every run event { id, event: 'progress' | 'stopped', ... } and for the one
  // { event: 'crashed', error }; returns an unsubscribe.
  onEvent(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  receive(msg) {
    if (msg.event) {
      for (const fn of this.listeners) fn(msg);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(msg.error));
  }

  fail(message, { quiet = false } = {}) {
    if (this.crashed) return;
    this.crashed = message;
    const pending = [...this.pending.values()];
    this.pending.clear();
    try {
      this.worker.terminate();
    } catch {
      // already gone
    }
    for (const p of pending) p.reject(new Error(`${p.type}: ${message}`));
    if (!quiet) for (const fn of this.listeners) fn({ event: 'crashed', error: message });
  }
}
