/**
 * The Lanczos step of `lanczos.c` (compiled with tsne.c into `tsneBinary.ts`): the matrix, the
 * Lanczos vectors and the work vector live on a fresh instance's memory, seen here as Float64Array
 * views (the memory is sized once, so the views stay valid).
 *
 * @example
 * ```ts
 * const k = lanczosKernel(a, d); // k.q (d×d), k.w (d); alpha_j = k.step(j)
 * ```
 */
import { tsneBinary } from './tsneBinary';

interface LanczosExports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  lanczos_step(a: number, d: number, q: number, j: number, w: number, dots: number): number;
}

/** A Lanczos workspace on the wasm module. */
export interface LanczosKernel {
  /** Lanczos vectors, row j is q_j (write q_0 and each normalized next vector here). */
  readonly q: Float64Array;
  /** After {@link step}: A q_j orthogonalized against q_0..q_j. */
  readonly w: Float64Array;
  /** Runs step j; returns alpha_j = q_j·A q_j. */
  step(j: number): number;
}

let compiled: WebAssembly.Module | undefined;

/** A workspace holding the symmetric d×d matrix `a`, or undefined when WebAssembly SIMD is unavailable. */
export function lanczosKernel(a: Float64Array, d: number): LanczosKernel | undefined {
  try {
    compiled ??= new WebAssembly.Module(Buffer.from(tsneBinary, 'base64'));
    const wasm = new WebAssembly.Instance(compiled, {}).exports as unknown as LanczosExports;
    const base = ((wasm.__heap_base.value as number) + 15) & ~15;
    const aAt = base;
    const qAt = aAt + 8 * d * d;
    const wAt = qAt + 8 * d * d;
    const dotsAt = wAt + 8 * d + 16;
    const need = dotsAt + 8 * d + 16;
    const have = wasm.memory.buffer.byteLength;
    if (need > have) wasm.memory.grow(Math.ceil((need - have) / 65536));
    new Float64Array(wasm.memory.buffer, aAt, d * d).set(a);
    const q = new Float64Array(wasm.memory.buffer, qAt, d * d);
    const w = new Float64Array(wasm.memory.buffer, wAt, d);
    return { q, w, step: (j) => wasm.lanczos_step(aAt, d, qAt, j, wAt, dotsAt) };
  } catch {
    return undefined;
  }
}
