/**
 * Kernel › Interrupt for the tslab-xai kernel. Jupyter sends SIGINT to the kernel's process group.
 *
 * - **Synchronous cell** (e.g. Integrated Gradients on many images): tslab runs the cell's
 *   synchronous part with `vm`'s `breakOnSigint`, so V8 stops the script at once, skipping every
 *   `finally`. The `vm` call is watched here: when it is stopped, {@link restoreEngine} closes the
 *   `tf.tidy` scopes and the gradient tape the stopped call left open, and every tensor made
 *   during that synchronous run and still alive is freed ({@link recordTensors}; variables
 *   excepted). The tensor count is back where it was when the cell started. Earlier cells'
 *   variables stay; tslab does not keep a failed cell's declarations anyway.
 * - **Asynchronous cell** (`await xai.train(...)`): tslab's own handler only rejected the cell's
 *   `await` ("Interrupted asynchronously") and left the loop running in the background. Here
 *   SIGINT while a cell runs calls `lib`'s {@link requestInterrupt}; the library's loops check it
 *   at each step (`pollInterrupt` / `throwIfInterrupted`) and reject with `"<where>: interrupted"`
 *   after freeing their tensors, so the cell fails with that error. If the cell has not ended
 *   {@link GRACE_MS} later (it awaits something that does not check), tslab's rejection is used.
 * - Synchronous code after an `await` in the same cell runs outside `breakOnSigint` and blocks
 *   the event loop: it cannot be interrupted. Give long synchronous calls their own cell.
 * - SIGINT while no cell runs does nothing; a request is cleared when the next cell starts.
 *
 * Caveat: a cache filled with tensors during the stopped synchronous run (a lazily loaded data
 * set) loses them; variables (model weights) are never freed here.
 */
import { clearInterrupt, requestInterrupt } from '../lib/display/interrupt';
import { disposeMade, engineSnapshot, recordTensors, restoreEngine } from './engineState';

// the module object itself (tslab calls `vm.runInThisContext` on it), not a TS namespace copy
// eslint-disable-next-line @typescript-eslint/no-var-requires
const vm = require('vm') as typeof import('vm');

/** How long an interrupted asynchronous cell may take to stop by itself. */
export const GRACE_MS = 1000;

type Executor = { interrupt(): void; __xaiInterrupt?: boolean };
type Handler = {
  executor: Executor;
  handleExecuteImpl(req: unknown, ws: unknown, wd: unknown): Promise<unknown>;
};

let running = false;
let fallback: ReturnType<typeof setTimeout> | undefined;

/** Cleans up after tslab's `vm.runInThisContext(…, { breakOnSigint: true })` stopped by SIGINT. */
function watchBreakOnSigint(): void {
  const original = vm.runInThisContext;
  vm.runInThisContext = function (this: unknown, ...args: Parameters<typeof original>) {
    const options = args[1];
    if (!(typeof options === 'object' && options?.breakOnSigint)) return original.apply(this, args);
    const before = engineSnapshot();
    const run = recordTensors(() => original.apply(this, args));
    if ('result' in run) return run.result;
    if ((run.error as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') {
      restoreEngine(before);
      disposeMade(run.made);
    }
    throw run.error;
  } as typeof original;
}

function adopt(executor: Executor): void {
  if (executor.__xaiInterrupt) return;
  const tslabInterrupt = executor.interrupt.bind(executor);
  executor.interrupt = () => {
    if (!running) return;
    requestInterrupt();
    if (fallback === undefined) {
      fallback = setTimeout(() => {
        fallback = undefined;
        if (running) tslabInterrupt();
      }, GRACE_MS);
    }
  };
  executor.__xaiInterrupt = true;
}

/**
 * Installs the interrupt handling above: watches tslab's `vm` runs and wraps its
 * `handleExecuteImpl` (the body that runs one cell) to route SIGINT to the library's loops.
 */
export function installInterrupt(proto: Handler): void {
  watchBreakOnSigint();
  const original = proto.handleExecuteImpl;
  proto.handleExecuteImpl = async function (this: Handler, req, ws, wd) {
    adopt(this.executor);
    clearInterrupt();
    running = true;
    try {
      return await original.call(this, req, ws, wd);
    } finally {
      running = false;
      if (fallback !== undefined) clearTimeout(fallback);
      fallback = undefined;
    }
  };
}
