/**
 * `Add` of a per-channel bias for the wasm backend: x [..., c] + bias [c], the bias add of every
 * conv and dense layer while training (tfjs only fuses it into the convolution outside gradient
 * recording). The backend sends it to XNNPACK's general broadcasting add, which runs ~3× slower
 * than tslab-xai's SIMD `add_bias` for NHWC activations. Every other `Add` goes to the backend.
 *
 * @example
 * ```ts
 * tf.add(activations, bias);   // [64, 26, 26, 16] + [16]
 * ```
 */
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { pointer, simdKernels } from './simd/simdKernels';
import type { KernelReplacement, WasmBackend } from './wasmCall';

/** True when `bias` is a float32 vector as long as the last axis of float32 `x` (rank ≥ 2). */
function isChannelBias(x: TensorInfo, bias: TensorInfo): boolean {
  return x.dtype === 'float32' && bias.dtype === 'float32' && x.shape.length >= 2 && bias.shape.length === 1 && bias.shape[0] === x.shape[x.shape.length - 1];
}

/** Replaces the wasm backend's `Add` for x + per-channel bias (when the SIMD kernels load). */
export const addReplacement: KernelReplacement = {
  kernelName: 'Add',
  why: "the backend's broadcasting Add is slow for a per-channel bias on NHWC activations",
  wrap: (original) =>
    ((args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      const backend = args.backend as KernelBackend;
      const [x, bias] = isChannelBias(a, b) ? [a, b] : isChannelBias(b, a) ? [b, a] : [undefined, undefined];
      const simd = simdKernels(backend);
      if (!x || !bias || !simd) return original(args);
      const n = bias.shape[0];
      const m = x.shape.reduce((p, d) => p * d, 1) / n;
      const out = (backend as WasmBackend).makeOutput(x.shape, 'float32');
      simd.add_bias(pointer(backend, x), pointer(backend, bias), pointer(backend, out), m, n);
      return out;
    }) as KernelFunc,
};
