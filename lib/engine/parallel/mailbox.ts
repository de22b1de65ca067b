/**
 * Messages between the main thread and a data-parallel worker as an awaitable queue: `next()`
 * resolves with the next message, or rejects with the worker's own error message (sent as
 * `{ type: 'error', message }`, or an uncaught error, or an unexpected exit).
 *
 * @example
 * ```ts
 * const box = new Mailbox(worker, 'worker 1');
 * worker.postMessage({ type: 'ping' });
 * const reply = await box.expect('pong');
 * ```
 */
import type { MessagePort, Worker } from 'worker_threads';

/** A message of the data-parallel protocol. */
export interface Message {
  type: string;
  [key: string]: unknown;
}

/** Awaitable queue of a port's messages. */
export class Mailbox {
  private readonly queue: Message[] = [];
  private readonly waiting: { resolve: (m: Message) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | undefined;

  constructor(port: Worker | MessagePort, private readonly who: string) {
    port.on('message', (m: Message) => {
      if (m?.type === 'error') this.fail(new Error(`${who} failed: ${String(m.message)}`));
      else this.push(m);
    });
    port.on('error', (e: Error) => this.fail(new Error(`${who} failed: ${e.message}`)));
    port.on('exit', (code: number) => this.fail(new Error(`${who} exited (code ${code})`)));
  }

  private push(m: Message): void {
    const w = this.waiting.shift();
    if (w) w.resolve(m);
    else this.queue.push(m);
  }

  /** Rejects every waiting and future `next()` with `e` (the first failure wins). */
  fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }

  /** The next message. */
  next(): Promise<Message> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** The next message, which must be of `type`. */
  async expect(type: string): Promise<Message> {
    const m = await this.next();
    if (m.type !== type) throw new Error(`${this.who}: expected a '${type}' message, got '${m.type}'`);
    return m;
  }
}
