/**
 * `BatchMatMul` for the wasm backend that keeps transposed products on XNNPACK. tfjs 4.22's wasm
 * kernel uses XNNPACK only for untransposed, unbatched operands and a scalar triple loop
 * otherwise — and every dense layer's gradient is a transposed product (dA = dy·Bᵀ, dB = Aᵀ·dy).
 * Here Aᵀ·B runs as the filter gradient of a 1×1 convolution and A·Bᵀ as a 1×1 convolution on
 * tslab-xai's SIMD kernels (no transposed copy of the large operand, no weight packing); without
 * them the transposed operand is transposed explicitly and the product goes to XNNPACK. Truly
 * batched products still go to the backend's own kernel.
 *
 * @example
 * ```ts
 * tf.matMul(a, b, true, false);   // Aᵀ·B on XNNPACK
 * ```
 */
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { directConvolution } from './directConvolution';
import { pointer, simdKernels } from './simd/simdKernels';
import { release, reshape, transpose, wasmCall, type KernelReplacement, type WasmBackend } from './wasmCall';

function asMatrix(backend: KernelBackend, t: TensorInfo, transposed: boolean): TensorInfo {
  const r = t.shape.length;
  const m = reshape(backend, t, [t.shape[r - 2], t.shape[r - 1]]);
  if (!transposed) return m;
  const tt = transpose(backend, m, [1, 0]);
  release(backend, m);
  return tt;
}

/** Aᵀ·B (A [k,m], B [k,n]) or A·Bᵀ (A [m,k], B [n,k]) as [m, n] on the SIMD kernels, or undefined without them. */
function simdProduct(backend: KernelBackend, a: TensorInfo, b: TensorInfo, transposeA: boolean): TensorInfo | undefined {
  const simd = simdKernels(backend);
  if (!simd) return undefined;
  const [ra, ca] = a.shape.slice(-2);
  const [rb, cb] = b.shape.slice(-2);
  if (transposeA) {
    // Σ_k A[k,m]·B[k,n]: the filter gradient of a 1×1 convolution over k "pixels", vectorized
    // over its output columns — so compute (BᵀA)ᵀ when n does not fill vectors and m does
    const swap = cb % 4 !== 0 && ca % 4 === 0;
    const [x, dy, m, n] = swap ? [b, a, cb, ca] : [a, b, ca, cb];
    const out = (backend as WasmBackend).makeOutput([m, n], 'float32');
    simd.conv2d_backprop_filter(pointer(backend, x), pointer(backend, dy), pointer(backend, out), ra, 1, 1, m, 1, 1, n, 1, 1, 1, 1, 0, 0);
    if (!swap) return out;
    const t = transpose(backend, out, [1, 0]);
    release(backend, out);
    return t;
  }
  // Σ_k A[m,k]·B[n,k]: a 1×1 convolution of m "pixels" with k channels by the filter Bᵀ [1,1,k,n]
  const x = reshape(backend, a, [ra, 1, 1, ca]);
  const b2 = reshape(backend, b, [rb, cb]);
  const bt = transpose(backend, b2, [1, 0]);
  const filter = reshape(backend, bt, [1, 1, cb, rb]);
  const out = directConvolution(backend, x, filter, { strides: 1, pad: 'valid' });
  release(backend, x, b2, bt, filter);
  if (!out) return undefined;
  const m = reshape(backend, out, [ra, rb]);
  release(backend, out);
  return m;
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
      const rank = Math.max(a.shape.length, b.shape.length);
      const viaSimd = transposeA !== transposeB ? simdProduct(backend, a, b, transposeA) : undefined;
      if (viaSimd) {
        const res = reshape(backend, viaSimd, [...new Array<number>(rank - 2).fill(1), ...viaSimd.shape.slice(-2)]);
        release(backend, viaSimd);
        return res;
      }
      const a2 = asMatrix(backend, a, transposeA);
      const b2 = asMatrix(backend, b, transposeB);
      const out = wasmCall('BatchMatMul', backend, { a: a2, b: b2 }, { transposeA: false, transposeB: false });
      release(backend, a2, b2);
      const shape = [...new Array<number>(rank - 2).fill(1), out.shape[0], out.shape[1]];
      const res = reshape(backend, out, shape);
      release(backend, out);
      return res;
    }) as KernelFunc,
};
