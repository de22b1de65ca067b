/**
 * Keeps the kernel alive on an unhandled promise rejection. The wasm backend's Emscripten glue,
 * loaded by the first `xai.ready()`, adds process handlers that rethrow every
 * `unhandledRejection` and `uncaughtException`. With them a cell like
 * `Promise.reject(new Error('x'))` killed the kernel, and the next cells got no reply at all.
 * tslab already prints both events, so here exactly those rethrowing handlers are not added.
 */

/** Emscripten's `function (reason) { throw reason; }` and its `ExitStatus` variant, whitespace-normalised. */
const RETHROW = /^function ?\((\w+)\) ?\{ ?(if ?\(!\(\1 instanceof ExitStatus\)\) ?\{ ?)?throw \1;? ?\}( ?\})?$/;

/** Whether `listener` only rethrows its argument (Emscripten's handlers). */
export function isRethrower(listener: unknown): boolean {
  return typeof listener === 'function' && RETHROW.test(Function.prototype.toString.call(listener).replace(/\s+/g, ' ').trim());
}

let installed = false;

/** Drops rethrowing `unhandledRejection` / `uncaughtException` handlers added from now on. */
export function guardAgainstRethrowers(): void {
  if (installed) return;
  const original = process.on;
  const guarded = function (this: NodeJS.Process, event: string | symbol, listener: (...args: unknown[]) => void) {
    if ((event === 'unhandledRejection' || event === 'uncaughtException') && isRethrower(listener)) return this;
    return original.call(this, event as 'exit', listener);
  } as typeof process.on;
  process.on = guarded;
  process.addListener = guarded;
  installed = true;
}
