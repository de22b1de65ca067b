/**
 * Interrupting long loops (Kernel › Interrupt in Jupyter). `lib` does not know about Jupyter: the
 * kernel wrapper (`kernel-src/interrupt.ts`) calls {@link requestInterrupt} when SIGINT arrives
 * while a cell runs and {@link clearInterrupt} when the next cell starts; long loops in `lib`
 * check the request at each step and stop with `Error('<where>: interrupted')`, freeing the
 * step's tensors on the way out like any other error.
 *
 * Two kinds of loops:
 * - **Asynchronous loops** (training: it awaits between batches) call `await`
 *   {@link pollInterrupt} once per step. A signal handler only runs when the event loop turns,
 *   and awaiting a resolved promise (e.g. `data()` on the wasm backend) does not turn it, so
 *   `pollInterrupt` yields one macrotask (`setImmediate`) at most every 50 ms, then checks.
 * - **Synchronous loops** (attribution sweeps over batches) call {@link throwIfInterrupted} at
 *   batch boundaries. While they run the event loop is blocked, so the request cannot be set
 *   during them; the check only stops a sweep that starts after an interrupt in the same cell
 *   (e.g. after an `await` that did not check). A running synchronous cell is stopped by tslab's
 *   `vm` `breakOnSigint` instead (no `finally` runs); the kernel wrapper then closes the `tf.tidy`
 *   scopes and the gradient tape the stopped call left open and frees every tensor it made.
 *
 * The request lives on `globalThis` (under `Symbol.for('tslab-xai.interrupt')`) so that two
 * copies of the library in one process (the kernel's and a notebook's) share it.
 *
 * @example
 * ```ts
 * for (let step = 0; step < steps; step++) {
 *   await pollInterrupt('train');        // async loop: lets SIGINT in, then checks
 *   …
 * }
 * for (let lo = 0; lo < n; lo += batch) {
 *   throwIfInterrupted('occlusion');      // sync loop: cheap flag check
 *   …
 * }
 * ```
 */

interface InterruptState {
  /** An interrupt was requested since the current cell began. */
  requested: boolean;
  /** Last time {@link pollInterrupt} yielded to the event loop (ms). */
  lastYield: number;
}

const KEY = Symbol.for('tslab-xai.interrupt');

function state(): InterruptState {
  const g = globalThis as unknown as Record<symbol, InterruptState | undefined>;
  let s = g[KEY];
  if (!s) {
    s = { requested: false, lastYield: 0 };
    g[KEY] = s;
  }
  return s;
}

/** Minimum time between two event-loop yields of {@link pollInterrupt}. */
export const INTERRUPT_POLL_MS = 50;

/**
 * Asks the running loops to stop at their next check (the kernel calls this on SIGINT while a
 * cell runs; a script may call it from its own signal handler or a timer).
 *
 * @example
 * ```ts
 * process.once('SIGINT', () => requestInterrupt());
 * await train(model, x, y, { epochs: 30 });   // rejects with "train: interrupted"
 * ```
 */
export function requestInterrupt(): void {
  state().requested = true;
}

/**
 * Forgets a pending request (the kernel calls this when a new cell starts).
 *
 * @example
 * ```ts
 * clearInterrupt();
 * interruptRequested(); // false
 * ```
 */
export function clearInterrupt(): void {
  state().requested = false;
}

/**
 * Whether an interrupt was requested and not yet cleared.
 *
 * @example
 * ```ts
 * if (interruptRequested()) return partialResult;
 * ```
 */
export function interruptRequested(): boolean {
  return state().requested;
}

/**
 * Throws `Error('<where>: interrupted')` when an interrupt was requested since the current cell
 * began; otherwise does nothing. Cheap (one property read): call it at every step or batch.
 *
 * @param where - the function name shown in the message, e.g. `'occlusion'`.
 * @example
 * ```ts
 * for (let lo = 0; lo < n; lo += batchSize) {
 *   throwIfInterrupted('gradientSweep');
 *   tf.tidy(() => step(lo));
 * }
 * ```
 */
export function throwIfInterrupted(where: string): void {
  if (state().requested) {
    throw new Error(`${where}: interrupted`);
  }
}

const nextMacrotask: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise<void>((resolve) => setImmediate(resolve))
    : () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * For asynchronous loops: at most every {@link INTERRUPT_POLL_MS} ms yields one macrotask so that
 * a pending SIGINT handler (and queued display messages) can run, then
 * {@link throwIfInterrupted}. Costs a few microseconds per yield.
 *
 * @param where - the function name shown in the message, e.g. `'train'`.
 * @example
 * ```ts
 * for (let s = 0; s < steps; s++) {
 *   await pollInterrupt('train');
 *   await trainStep(s);
 * }
 * ```
 */
export async function pollInterrupt(where: string): Promise<void> {
  const s = state();
  const now = Date.now();
  if (now - s.lastYield >= INTERRUPT_POLL_MS) {
    s.lastYield = now;
    await nextMacrotask();
  }
  throwIfInterrupted(where);
}
