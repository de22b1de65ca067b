/**
 * `Sum` over leading axes for the wasm backend: the bias gradient of every conv and dense layer
 * (Σ over batch, height, width of dy [b,h,w,c]). The backend's own kernel transposes the tensor so
 * that the reduced axes come last and then adds one scalar at a time; tslab-xai's SIMD
 * `column_sum` adds the rows of the [m, n] view four columns per instruction, each column still in
 * row order. Any other reduction goes to the backend's kernel.
 *
 * @example
 * ```ts
 * tf.sum(dy, [0, 1, 2]);   // [b,h,w,c] → [c]
 * ```
 */
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { pointer, simdKernels } from './simd/simdKernels';
import type { KernelReplacement, WasmBackend } from './wasmCall';

/** The number of leading axes `axis` names (0, 1, …, k−1), or 0 if it names anything else. */
function leadingAxes(axis: number | number[], rank: number): number {
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q);
  return axes.every((a, i) => a === i) ? axes.length : 0;
}

/** Replaces the wasm backend's `Sum` for float32 sums over leading axes (when the SIMD kernels load). */
export const sumReplacement: KernelReplacement = {
  kernelName: 'Sum',
  why: "the backend's Sum transposes, then adds one scalar at a time (bias gradients)",
  wrap: (original) =>
    ((args) => {
      const x = args.inputs.x as TensorInfo;
      const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
      const backend = args.backend as KernelBackend;
      const rank = x.shape.length;
      const k = x.dtype === 'float32' ? leadingAxes(axis, rank) : 0;
      const simd = simdKernels(backend);
      const n = x.shape.slice(k).reduce((p, d) => p * d, 1);
      if (!simd || k === 0 || k === rank || n < 4) return original(args);
      const m = x.shape.slice(0, k).reduce((p, d) => p * d, 1);
      const shape = keepDims ? [...new Array<number>(k).fill(1), ...x.shape.slice(k)] : x.shape.slice(k);
      const out = (backend as WasmBackend).makeOutput(shape, 'float32');
      simd.column_sum(pointer(backend, x), pointer(backend, out), m, n);
      return out;
    }) as KernelFunc,
};
