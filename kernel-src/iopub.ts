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
 * message and sends the queue, in order, as the pending write completes. And the iopub socket
 * gets no high-water mark (as ipykernel's): with zeromq's default of 1000 queued messages a
 * publisher drops the rest. Finally, stream text is coalesced like ipykernel's (one `stream`
 * message per 50 ms instead of one per `console.log`): the client's subscriber drops messages
 * past its own high-water mark, so a cell printing 20,000 lines lost most of them.
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

type WriteStream = (name: string, text: string) => void;
type WriteDisplay = (data: unknown, update: boolean) => void;

/** Milliseconds stream text may wait to be sent with the text after it. */
export const STREAM_FLUSH_MS = 50;

/**
 * Coalesces a cell's stream writes: text waits at most {@link STREAM_FLUSH_MS} (checked at each
 * write, so a synchronous loop flushes too, and by a timer for the tail); a display message or
 * `flush()` sends it first, so the order of outputs is kept.
 */
export function coalescedStreams(write: WriteStream, display: WriteDisplay): { write: WriteStream; display: WriteDisplay; flush(): void } {
  let name = '';
  let text = '';
  let last = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    last = Date.now();
    if (!text) return;
    const [n, t] = [name, text];
    text = '';
    write(n, t);
  };
  return {
    write(n, t) {
      if (n !== name) flush();
      name = n;
      text += t;
      if (Date.now() - last >= STREAM_FLUSH_MS || text.length > 65536) flush();
      else if (timer === undefined) timer = setTimeout(flush, STREAM_FLUSH_MS);
    },
    display(data, update) {
      flush();
      display(data, update);
    },
    flush,
  };
}

type Cell = { handleExecuteImpl(req: unknown, ws: WriteStream, wd: WriteDisplay): Promise<unknown> };

/** Wraps tslab's `handleExecuteImpl` so that each cell's stream output is {@link coalescedStreams}. */
export function installCoalescedStreams(proto: Cell): void {
  const original = proto.handleExecuteImpl;
  proto.handleExecuteImpl = async function (this: Cell, req, ws, wd) {
    const streams = coalescedStreams(ws, wd);
    try {
      return await original.call(this, req, streams.write, streams.display);
    } finally {
      streams.flush();
    }
  };
}

type Server = { bindSocket(sock: object, port: number): Promise<void> };

/**
 * Makes the `zeromq` Publisher that tslab uses send through {@link orderedSend}, and binds it
 * without a high-water mark.
 */
export function installOrderedIopub(): void {
  if (installed) return;
  const tslabDir = path.dirname(require.resolve('tslab/package.json'));
  const zmq = require(require.resolve('zeromq', { paths: [tslabDir] })) as { Publisher: { new (): object; prototype: { send: Send } } };
  const proto = zmq.Publisher.prototype;
  // the native `send` is a read-only property of Socket.prototype: shadow it on Publisher's
  Object.defineProperty(proto, 'send', { value: orderedSend(proto.send), writable: true, configurable: true });
  const server = (require('tslab/dist/jupyter') as { ZmqServer: { prototype: Server } }).ZmqServer.prototype;
  const bind = server.bindSocket;
  server.bindSocket = function (this: Server, sock, port) {
    if (sock instanceof zmq.Publisher) (sock as unknown as { sendHighWaterMark: number }).sendHighWaterMark = 0;
    return bind.call(this, sock, port);
  };
  installed = true;
}
