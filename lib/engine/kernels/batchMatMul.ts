/**
 * `BatchMatMul` for the wasm backend that keeps transposed products on XNNPACK. tfjs 4.22's wasm
 * kernel uses XNNPACK only for untransposed, unbatched operands and a scalar triple loop
 * otherwise — and every dense layer's gradient is a transposed product (dA = dy·Bᵀ, dB = Aᵀ·dy).
 * Here a transposed operand is transposed explicitly (the backend's C++ transpose) and the
 * product goes to XNNPACK. Truly batched products still go to the backend's own kernel.
 *
 * @example
 * ```ts
 * tf.matMul(a, b, true, false);   // Aᵀ·B on XNNPACK
 * ```
 */
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { release, reshape, transpose, wasmCall, type KernelReplacement } from './wasmCall';

function asMatrix(backend: KernelBackend, t: TensorInfo, transposed: boolean): TensorInfo {
  const r = t.shape.length;
  const m = reshape(backend, t, [t.shape[r - 2], t.shape[r - 1]]);
  if (!transposed) return m;
  const tt = transpose(backend, m, [1, 0]);
  release(backend, m);
  return tt;
}

/** Replaces the wasm backend's `BatchMatMul` for unbatched transposed products. */
export const batchMatMulReplacement: KernelReplacement = {
  kernelName: 'BatchMatMul',
  why: "the backend's BatchMatMul runs transposed products (every dense layer's gradient) in a scalar loop",
  wrap: (original) =>
    ((args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
      const unbatched = (t: TensorInfo) => t.shape.length >= 2 && t.shape.slice(0, -2).every((d) => d === 1);
      if ((!transposeA && !transposeB) || !unbatched(a) || !unbatched(b) || a.dtype !== 'float32' || b.dtype !== 'float32') return original(args);
      const backend = args.backend as KernelBackend;
      const a2 = asMatrix(backend, a, transposeA);
      const b2 = asMatrix(backend, b, transposeB);
      const out = wasmCall('BatchMatMul', backend, { a: a2, b: b2 }, { transposeA: false, transposeB: false });
      release(backend, a2, b2);
      const rank = Math.max(a.shape.length, b.shape.length);
      const shape = [...new Array<number>(rank - 2).fill(1), out.shape[0], out.shape[1]];
      const res = reshape(backend, out, shape);
      release(backend, out);
      return res;
    }) as KernelFunc,
};
