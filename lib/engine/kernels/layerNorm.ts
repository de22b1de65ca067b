/**
 * `TslabXaiLayerNorm` and `TslabXaiLayerNormGrad`: layer normalization over the last axis (Ba,
 * Kiros & Hinton 2016, "Layer normalization", arXiv:1607.06450) and its gradient, one SIMD pass each
 * (`simd/layerNorm.c`) — tslab-xai's own kernel names, registered for wasm only. The tfjs
 * composition (`tf.moments`, subtract, rsqrt, two multiplies, an add) is ~10 kernels forward and
 * ~25 backward, each a full pass over the activations. `lib/engine/ops/layerNorm.ts` uses them.
 *
 * `TslabXaiLayerNorm`: inputs x [..., n], gamma [n], beta [n]; attr epsilon; outputs [y, mean, rstd]
 * (mean and rstd = 1/√(variance + ε) per row, kept for the gradient).
 * `TslabXaiLayerNormGrad`: inputs dy, x, gamma, mean, rstd; outputs [dx, dgamma, dbeta].
 *
 * @example
 * ```ts
 * const [y, mean, rstd] = tf.engine().runKernel('TslabXaiLayerNorm', { x, gamma, beta }, { epsilon: 1e-5 }) as tf.Tensor[];
 * ```
 */
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { pointer, simdKernels, type SimdKernels } from './simd/simdKernels';
import type { WasmBackend, WasmKernel } from './wasmCall';

/** Rows and row length of x [..., n]. */
function rows(x: TensorInfo): { m: number; n: number } {
  const n = x.shape[x.shape.length - 1];
  return { m: n ? x.shape.reduce((p, d) => p * d, 1) / n : 0, n };
}

function kernels(backend: KernelBackend, name: string): SimdKernels {
  const simd = simdKernels(backend);
  if (!simd) throw new Error(`${name} (tslab-xai wasm): the SIMD kernels did not load`);
  return simd;
}

const forward = (({ inputs, backend, attrs }) => {
  const { x, gamma, beta } = inputs as Record<'x' | 'gamma' | 'beta', TensorInfo>;
  const simd = kernels(backend as KernelBackend, 'TslabXaiLayerNorm');
  const { m, n } = rows(x);
  const b = backend as WasmBackend;
  const y = b.makeOutput(x.shape, 'float32');
  const mean = b.makeOutput([m], 'float32');
  const rstd = b.makeOutput([m], 'float32');
  const p = (t: TensorInfo) => pointer(b, t);
  simd.layer_norm(p(x), p(gamma), p(beta), p(y), p(mean), p(rstd), m, n, Math.fround((attrs as { epsilon: number }).epsilon));
  return [y, mean, rstd];
}) as KernelFunc;

const backward = (({ inputs, backend }) => {
  const { dy, x, gamma, mean, rstd } = inputs as Record<'dy' | 'x' | 'gamma' | 'mean' | 'rstd', TensorInfo>;
  const simd = kernels(backend as KernelBackend, 'TslabXaiLayerNormGrad');
  const { m, n } = rows(x);
  const b = backend as WasmBackend;
  const dx = b.makeOutput(x.shape, 'float32');
  const dgamma = b.makeOutput([n], 'float32');
  const dbeta = b.makeOutput([n], 'float32');
  const p = (t: TensorInfo) => pointer(b, t);
  simd.layer_norm_grad(p(dy), p(x), p(gamma), p(mean), p(rstd), p(dx), p(dgamma), p(dbeta), m, n);
  return [dx, dgamma, dbeta];
}) as KernelFunc;

/** Kernel configs, registered for wasm by `registerWasmKernels` (only where the SIMD kernels load). */
export const layerNormConfigs: WasmKernel[] = [
  { kernelName: 'TslabXaiLayerNorm', kernelFunc: forward, needsSimd: true },
  { kernelName: 'TslabXaiLayerNormGrad', kernelFunc: backward, needsSimd: true },
];
