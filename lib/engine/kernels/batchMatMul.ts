/**
 * `BatchMatMul` for the wasm backend on tslab-xai's blocked SIMD product (`simd/gemm.c`, after
 * Goto & van de Geijn, "Anatomy of high-performance matrix multiplication", ACM TOMS 2008).
 * tfjs 4.22's wasm kernel uses XNNPACK only for untransposed, unbatched operands and a scalar
 * triple loop otherwise — and every dense layer's gradient (dA = dy·Bᵀ, dB = Aᵀ·dy) and every
 * attention product (q·kᵀ, p·v, batched over heads) is one of the others. The SIMD kernel reads a
 * transposed operand in place through strides, and batched operands broadcast over their batch
 * dimensions as tfjs's do. Which path each shape takes was chosen by measurement
 * (`bench/workloads/sequence.ts`, the `matmul-*` workloads): see {@link productPath}.
 * Shapes that do not multiply (or batches that do not broadcast) go to the backend's own kernel,
 * which throws tfjs's own error.
 *
 * @example
 * ```ts
 * tf.matMul(q, k, false, true);   // [b, h, t, d]·[b, h, t, d]ᵀ on the SIMD kernel
 * ```
 */
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { pointer, simdKernels, usingRelaxedSimd, type SimdKernels } from './simd/simdKernels';
import { scratch, type KernelReplacement, type WasmBackend } from './wasmCall';

/** Where a product runs: the backend's XNNPACK fully-connected operator, or the SIMD kernel. */
export type ProductPath = 'xnnpack' | 'simd';

let forced: ProductPath | undefined;

/** Forces every product the SIMD kernel can take onto one path (for tests and measurements); undefined restores the choice by shape. */
export function forceProductPath(path: ProductPath | undefined): void {
  forced = path;
}

/** Rows of A from which a plain product amortizes packing B on the SIMD kernel (XNNPACK keeps B packed between calls). */
export const SIMD_PLAIN_MIN_ROWS = 32;

/**
 * The path for one product: the SIMD kernel for every transposed or batched product; for plain
 * untransposed, unbatched ones the SIMD kernel too when it runs its relaxed-SIMD (fused
 * multiply-add) build and A has at least {@link SIMD_PLAIN_MIN_ROWS} rows — measured by CPU time
 * (bench/RESULTS.md, 2026-12-01 helper section), 8–45% faster than XNNPACK's fully-connected
 * operator on the `matmul-*` shapes — and XNNPACK otherwise (as fast as the plain SIMD build, and it
 * keeps a constant operand packed between calls, which matters for a few rows at inference).
 */
export function productPath(transposeA: boolean, transposeB: boolean, batch: number, rows = Infinity): ProductPath {
  if (forced) return forced;
  if (transposeA || transposeB || batch !== 1) return 'simd';
  return usingRelaxedSimd() && rows >= SIMD_PLAIN_MIN_ROWS ? 'simd' : 'xnnpack';
}

const size = (s: number[]) => s.reduce((p, d) => p * d, 1);

/** Broadcast shape of two batch shapes (numpy rules), or undefined if they do not broadcast. */
function broadcastShape(a: number[], b: number[]): number[] | undefined {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const da = a[a.length - r + i] ?? 1;
    const db = b[b.length - r + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Index into a batch of shape `inShape` (right-aligned, broadcast) of the output batch index `flat` of shape `outShape`. */
function batchIndex(flat: number, outShape: number[], inShape: number[]): number {
  let idx = 0;
  let stride = 1;
  for (let i = outShape.length - 1, j = inShape.length - 1; i >= 0; i--, j--) {
    const coord = flat % outShape[i];
    flat = Math.floor(flat / outShape[i]);
    if (j < 0) continue;
    if (inShape[j] !== 1) idx += coord * stride;
    stride *= inShape[j];
  }
  return idx;
}

/** The product on the SIMD kernel: out [...batch, m, n]. */
function simdProduct(simd: SimdKernels, backend: KernelBackend, a: TensorInfo, b: TensorInfo, tA: boolean, tB: boolean, outBatch: number[]): TensorInfo {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const [a0, a1] = a.shape.slice(-2);
  const [b0, b1] = b.shape.slice(-2);
  const m = tA ? a1 : a0;
  const k = tA ? a0 : a1;
  const n = tB ? b0 : b1;
  const out = (backend as WasmBackend).makeOutput([...outBatch, m, n], 'float32');
  const batchA = a.shape.slice(0, ra - 2);
  const batchB = b.shape.slice(0, rb - 2);
  const pack = pointer(backend, scratch(backend, simd.gemm_scratch_floats()));
  const pa = pointer(backend, a);
  const pb = pointer(backend, b);
  const po = pointer(backend, out);
  // A(i,k) = A[i·ars + k·acs]; B(k,j) = B[k·brs + j·bcs]
  const [ars, acs] = tA ? [1, m] : [k, 1];
  const [brs, bcs] = tB ? [1, k] : [n, 1];
  const count = size(outBatch);
  if (count === 0 || m === 0 || n === 0) return out;
  // a batch of A against one B, untransposed A: one tall product
  if (!tA && size(batchB) === 1 && size(batchA) === count) {
    simd.gemm(pa, pb, po, count * m, n, k, ars, acs, brs, bcs, pack);
    return out;
  }
  const same = batchA.length === batchB.length && batchA.every((d, i) => d === batchB[i]);
  for (let i = 0; i < count; i++) {
    const ia = same ? i : batchIndex(i, outBatch, batchA);
    const ib = same ? i : batchIndex(i, outBatch, batchB);
    simd.gemm(pa + 4 * ia * m * k, pb + 4 * ib * k * n, po + 4 * i * m * n, m, n, k, ars, acs, brs, bcs, pack);
  }
  return out;
}

/** Replaces the wasm backend's `BatchMatMul` (float32): the SIMD kernel or XNNPACK by shape. */
export const batchMatMulReplacement: KernelReplacement = {
  kernelName: 'BatchMatMul',
  why: "the backend's BatchMatMul runs transposed and batched products (gradients, attention) in a scalar loop",
  wrap: (original) =>
    ((args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
      const backend = args.backend as KernelBackend;
      const simd = simdKernels(backend);
      if (!simd || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return original(args);
      const [a0, a1] = a.shape.slice(-2);
      const [b0, b1] = b.shape.slice(-2);
      const outBatch = broadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
      // shapes that do not multiply: the backend's kernel throws tfjs's own error
      if ((transposeA ? a0 : a1) !== (transposeB ? b1 : b0) || !outBatch) return original(args);
      if (productPath(transposeA, transposeB, size(outBatch), transposeA ? a1 : a0) === 'simd') return simdProduct(simd, backend, a, b, transposeA, transposeB, outBatch);
      return original(args); // untransposed, unbatched, few rows or no fused multiply-add: XNNPACK
    }) as KernelFunc,
};
