// engine-client.test.mjs: web/js/engine-client.mjs in plain Node, on a fake worker object that
// records what is posted and lets the test play the worker's side: replies resolve and reject the
// right requests, run events reach listeners, and a worker that errors or sends an unreadable
// message rejects every pending request with a message naming it, refuses later requests at once,
// is terminated, and is reported once through a 'crashed' event.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineClient } from '../../web/js/engine-client.mjs';

// The parts of a Worker the client uses; the test calls onmessage/onerror as the browser would.
function fakeWorker({ postThrows = false } = {}) {
  return {
    posted: [],
    terminated: 0,
    postMessage(msg, transfer) {
      if (postThrows) throw new Error('DataCloneError: could not clone');
      this.posted.push({ msg, transfer });
    },
    terminate() {
      this.terminated++;
    },
  };
}

// A promise's outcome without waiting forever: 'pending' if it has not settled by the next turns.
async function outcome(promise) {
  const pending = Symbol('pending');
  const r = await Promise.race([
    promise.then(
      (value) => ({ value }),
      (error) => ({ error }),
    ),
    new Promise((resolve) => setImmediate(() => resolve(pending))),
  ]);
  return r === pending ? 'pending' : r;
}

test('requests are numbered and replies settle the matching promise', async () => {
  const w = fakeWorker();
  const client = new EngineClient(w);
  const a = client.request('create', { config: { epochs: 1 } });
  const b = client.request('train', { epochs: 2 });
  assert.deepEqual(
    w.posted.map((p) => p.msg),
    [
      { id: 1, type: 'create', config: { epochs: 1 } },
      { id: 2, type: 'train', epochs: 2 },
    ],
  );
  w.onmessage({ data: { id: 2, ok: false, error: 'config: epochs: 0 is not allowed' } });
  w.onmessage({ data: { id: 1, ok: true, result: { epoch: 0 } } });
  w.onmessage({ data: { id: 99, ok: true, result: 'nobody asked' } }); // ignored
  assert.deepEqual(await a, { epoch: 0 });
  await assert.rejects(b, { message: 'config: epochs: 0 is not allowed' });
});

test('start() returns the id its run events carry; listeners get events and can unsubscribe', async () => {
  const w = fakeWorker();
  const client = new EngineClient(w);
  const seen = [];
  const off = client.onEvent((e) => seen.push(e));
  const { id, done } = client.start('play', { epochs: 3 });
  assert.equal(w.posted[0].msg.id, id);
  w.onmessage({ data: { id, event: 'progress', epoch: 1 } });
  off();
  w.onmessage({ data: { id, event: 'progress', epoch: 2 } });
  w.onmessage({ data: { id, ok: true, result: 'done' } });
  assert.equal(await done, 'done');
  assert.deepEqual(seen, [{ id, event: 'progress', epoch: 1 }]);
});

test('a worker error rejects every pending request, reports the crash once, and refuses later requests', async () => {
  const w = fakeWorker();
  const client = new EngineClient(w);
  const events = [];
  client.onEvent((e) => events.push(e));
  const create = client.request('create');
  const train = client.request('train');
  w.onerror({ message: 'Uncaught RuntimeError: memory access out of bounds' });
  const cause = 'the training worker failed to start or crashed: Uncaught RuntimeError: memory access out of bounds';
  await assert.rejects(create, { message: `create: ${cause}` });
  await assert.rejects(train, { message: `train: ${cause}` });
  assert.deepEqual(events, [{ event: 'crashed', error: cause }]);
  assert.equal(w.terminated, 1, 'the broken worker is terminated');
  assert.equal(client.crashed, cause);

  // Later: an immediate rejection (no hang), nothing posted, no second crash event.
  const posted = w.posted.length;
  const later = await outcome(client.request('params'));
  assert.notEqual(later, 'pending', 'a request after the crash must not hang');
  assert.equal(later.error.message, `params: ${cause}`);
  assert.equal(w.posted.length, posted);
  w.onerror({ message: 'again' });
  assert.equal(events.length, 1);
  // A late reply from the dead worker changes nothing.
  w.onmessage({ data: { id: 1, ok: true, result: 'late' } });
});

test('an error event without a message (a script that failed to load) still gives a clear reason', async () => {
  const w = fakeWorker();
  const client = new EngineClient(w);
  const p = client.request('create');
  w.onerror({});
  await assert.rejects(p, { message: 'create: the training worker failed to start or crashed: no details' });
});

test('an unreadable message from the worker counts as a crash', async () => {
  const w = fakeWorker();
  const client = new EngineClient(w);
  const events = [];
  client.onEvent((e) => events.push(e));
  const p = client.request('snapshot');
  w.onmessageerror({});
  await assert.rejects(p, { message: /^snapshot: the training worker sent a message that could not be read$/ });
  assert.equal(events[0].event, 'crashed');
});

test('a request that cannot be posted rejects with the reason and leaves nothing pending', async () => {
  const w = fakeWorker({ postThrows: true });
  const client = new EngineClient(w);
  await assert.rejects(client.request('create', { f: () => 0 }), {
    message: 'create: could not be sent to the training worker: DataCloneError: could not clone',
  });
  assert.equal(client.pending.size, 0);
  assert.equal(client.crashed, null, 'not a crash: the worker is fine');
});
