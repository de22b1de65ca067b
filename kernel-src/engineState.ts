/**
 * Restoring TensorFlow.js's engine after a cell was stopped mid-call, and freeing what it made.
 *
 * tslab runs cells with `vm`'s `breakOnSigint`: on Kernel › Interrupt V8 terminates the script
 * (TerminateExecution), and no JavaScript `finally` block runs on the way out. A call stopped
 * inside `tf.tidy` therefore leaves its scopes open in `tf.engine().state`: the scope stack (every
 * later tensor is tracked by a scope that never ends, so nothing is freed), the gradient tape
 * (`gradientDepth` stays ≥ 1, so the tape keeps growing) and `kernelDepth` (stays ≥ 1, which turns
 * the tape off, so later `tf.grad` / `variableGrads` fail with "Cannot compute gradient").
 *
 * {@link engineSnapshot} records the state when a run starts; {@link restoreEngine} closes the
 * scopes opened since, disposing every tensor they track (kept ones too: they were made by the
 * stopped call, whose result will never be returned), drops the tape with the tensors it saved
 * for the backward pass, and resets the depths.
 * Some tensors of a stopped call sit in no open scope (kept past their `tidy`, or made at top
 * level), so {@link recordTensors} also notes every tensor made during the run and
 * {@link disposeMade} frees those still alive.
 * The engine is reached through `globalThis._tfengine` (where tfjs-core keeps it), so the kernel
 * does not load TensorFlow.js itself.
 */

interface TrackedTensor {
  isDisposed: boolean;
  dispose(): void;
}
interface Scope {
  track: TrackedTensor[];
}
interface EngineState {
  scopeStack: Scope[];
  activeScope: unknown;
  gradientDepth: number;
  kernelDepth: number;
  activeTape: { saved?: TrackedTensor[] }[] | null;
  numDataMovesStack: number[];
}

/** The engine's counters at the start of a cell. */
export interface EngineSnapshot {
  scopes: number;
  gradientDepth: number;
  kernelDepth: number;
  dataMoves: number;
}

/** What {@link restoreEngine} did. */
export interface EngineRepair {
  closedScopes: number;
  disposedTensors: number;
}

type Engine = { state?: EngineState; startScope(name?: string): void };

function engine(): Engine | undefined {
  const e = (globalThis as { _tfengine?: Engine })._tfengine;
  return e?.state && Array.isArray(e.state.scopeStack) && typeof e.startScope === 'function' ? e : undefined;
}

function engineState(): EngineState | undefined {
  return engine()?.state;
}

/** The engine's scope depth, tape depth and kernel depth now (zeros before TensorFlow.js loads). */
export function engineSnapshot(): EngineSnapshot {
  const s = engineState();
  if (!s) return { scopes: 0, gradientDepth: 0, kernelDepth: 0, dataMoves: 0 };
  return { scopes: s.scopeStack.length, gradientDepth: s.gradientDepth, kernelDepth: s.kernelDepth, dataMoves: s.numDataMovesStack.length };
}

/** Whether the engine is deeper than `since` (a call was stopped inside a tidy, a tape or a kernel). */
export function engineUnbalanced(since: EngineSnapshot): boolean {
  const s = engineState();
  if (!s) return false;
  const tapeLeft = since.gradientDepth === 0 && s.activeTape != null;
  return s.scopeStack.length > since.scopes || s.gradientDepth > since.gradientDepth || s.kernelDepth > since.kernelDepth || tapeLeft;
}

/**
 * Closes the scopes opened since `since`, disposing the tensors they track, and brings the tape
 * and kernel depths back. Does nothing when the engine is balanced.
 */
export function restoreEngine(since: EngineSnapshot): EngineRepair {
  const s = engineState();
  const repair: EngineRepair = { closedScopes: 0, disposedTensors: 0 };
  if (!s || !engineUnbalanced(since)) return repair;
  const dispose = (t: TrackedTensor) => {
    if (t && !t.isDisposed) {
      t.dispose();
      repair.disposedTensors += 1;
    }
  };
  s.gradientDepth = Math.min(s.gradientDepth, since.gradientDepth);
  // the tape outlives its `forward` scope: tf.grad's `backward` pass still holds the tensors the
  // forward pass saved (kept, tracked by no open scope) until it ends
  if (since.gradientDepth === 0 && s.activeTape) {
    for (const node of s.activeTape) (node.saved ?? []).forEach(dispose);
    s.activeTape = null;
  }
  s.kernelDepth = Math.min(s.kernelDepth, since.kernelDepth);
  if (s.numDataMovesStack.length > since.dataMoves) s.numDataMovesStack.length = since.dataMoves;
  while (s.scopeStack.length > since.scopes) {
    const scope = s.scopeStack.pop() as { track: TrackedTensor[] };
    scope.track.forEach(dispose);
    repair.closedScopes += 1;
  }
  s.activeScope = s.scopeStack.length ? s.scopeStack[s.scopeStack.length - 1] : null;
  return repair;
}

/**
 * Records every tensor made while `run` executes synchronously (the engine's `trackTensor` sees
 * each one, whatever scope it is in, and tensors kept past their scope). `stopped(made)` then
 * frees those still alive, except variables (model weights may be shared with later cells).
 * Does nothing special before TensorFlow.js is loaded.
 */
export function recordTensors<T>(run: () => T): { result: T; made: TrackedTensor[] } | { error: unknown; made: TrackedTensor[] } {
  const e = engine() as (Engine & { trackTensor?: (t: TrackedTensor, b: unknown) => void }) | undefined;
  const made: TrackedTensor[] = [];
  let limit = 4096;
  if (!e || typeof e.trackTensor !== 'function') {
    try {
      return { result: run(), made };
    } catch (error) {
      return { error, made };
    }
  }
  const own = Object.prototype.hasOwnProperty.call(e, 'trackTensor');
  const original = e.trackTensor;
  e.trackTensor = function (this: unknown, t: TrackedTensor, b: unknown) {
    made.push(t);
    // a long synchronous call makes and frees many tensors: drop the freed ones now and then
    if (made.length >= limit) {
      let w = 0;
      for (const m of made) if (!m.isDisposed) made[w++] = m;
      made.length = w;
      limit = Math.max(4096, 2 * w);
    }
    return original.call(this, t, b);
  };
  try {
    return { result: run(), made };
  } catch (error) {
    return { error, made };
  } finally {
    if (own) e.trackTensor = original;
    else delete (e as { trackTensor?: unknown }).trackTensor;
  }
}

/** Frees the tensors of `made` still alive, except variables; returns how many. */
export function disposeMade(made: TrackedTensor[]): number {
  let freed = 0;
  for (const t of made) {
    const variable = typeof (t as { assign?: unknown }).assign === 'function';
    if (!variable && !t.isDisposed) {
      t.dispose();
      freed += 1;
    }
  }
  made.length = 0;
  return freed;
}
