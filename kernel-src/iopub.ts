/**
 * Output that cannot get lost: the kernel's iopub socket sends in order, waiting instead of failing.
 *
 * zeromq.js (v6) hands at most 512 messages in a row to its I/O thread synchronously; the next one
 * is deferred to the event loop, and until the loop turns every further `send` throws
 * `EBUSY: Socket is busy writing`. tslab sends without waiting (`signAndSend`), so a synchronous
 * cell that prints or updates a progress bar many times, or a busy async loop, lost its output
 * past that point. Worse, `console.log` swallows a throwing `stdout.write`, so cells looked
 * silent ("no output and no error", even the error of an interrupted cell), and when the throw
 * hit tslab's `status: idle` message it became an unhandled rejection, which the wasm backend's
 * Emscripten handler rethrows: the kernel process died.
 *
 * Here the publisher's `send` tries the fast path and, when the socket is busy, queues the
 * message and sends the queue, in order, as the pending write completes.
 */
/* eslint-disable @typescript-eslint/no-var-requires */
import * as path from 'path';

type Send = (this: object, msg: unknown) => Promise<void>;
interface Queued {
  msg: unknown;
  resolve: () => void;
  reject: (e: unknown) => void;
}
interface SocketQueue {
  last: Promise<void>;
  queue: Queued[];
}

const isBusy = (e: unknown): boolean => (e as { code?: string } | null)?.code === 'EBUSY';

/** A `send` that queues while the socket is busy writing; same messages, same order. */
export function orderedSend(original: Send): Send {
  const queues = new WeakMap<object, SocketQueue>();
  const drain = (sock: object, q: SocketQueue): void => {
    while (q.queue.length) {
      const head = q.queue[0];
      try {
        q.last = original.call(sock, head.msg);
      } catch (e) {
        if (isBusy(e)) {
          q.last.then(() => drain(sock, q), () => drain(sock, q));
          return;
        }
        q.queue.shift();
        head.reject(e);
        continue;
      }
      q.queue.shift();
      q.last.then(head.resolve, head.reject);
    }
  };
  return function (this: object, msg: unknown): Promise<void> {
    let q = queues.get(this);
    if (!q) {
      q = { last: Promise.resolve(), queue: [] };
      queues.set(this, q);
    }
    if (q.queue.length === 0) {
      try {
        q.last = original.call(this, msg);
        return q.last;
      } catch (e) {
        if (!isBusy(e)) throw e;
      }
    }
    const queue = q;
    const sock = this;
    return new Promise<void>((resolve, reject) => {
      queue.queue.push({ msg, resolve, reject });
      if (queue.queue.length === 1) queue.last.then(() => drain(sock, queue), () => drain(sock, queue));
    });
  };
}

let installed = false;

/** Makes the `zeromq` Publisher that tslab uses send through {@link orderedSend}. */
export function installOrderedIopub(): void {
  if (installed) return;
  const tslabDir = path.dirname(require.resolve('tslab/package.json'));
  const zmq = require(require.resolve('zeromq', { paths: [tslabDir] })) as { Publisher: { prototype: { send: Send } } };
  const proto = zmq.Publisher.prototype;
  // the native `send` is a read-only property of Socket.prototype: shadow it on Publisher's
  Object.defineProperty(proto, 'send', { value: orderedSend(proto.send), writable: true, configurable: true });
  installed = true;
}
