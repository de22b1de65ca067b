/**
 * `AdamUpdate`: one Adam step (Kingma & Ba 2015, "Adam: A method for stochastic optimization")
 * for one variable as a single wasm kernel — tslab-xai's own kernel name, registered for wasm only.
 * tfjs's `AdamOptimizer` spends ~15 small ops per variable per step; this is one SIMD pass
 * (`adam_update` in `simd/elementwise.c`) with the same float32 operations in the same order, so the
 * numbers match `tf.train.adam` bit for bit. `lib/models/adam.ts` uses it when it is registered.
 *
 * Inputs x (value), m, v (moments), g (gradient); attrs beta1, beta2, epsilon, learningRate and
 * accBeta1/2 (β1ᵗ, β2ᵗ as tfjs keeps them, in float32). Outputs [x', m', v'].
 *
 * @example
 * ```ts
 * const [x1, m1, v1] = tf.engine().runKernel('AdamUpdate', { x, m, v, g }, attrs) as tf.Tensor[];
 * ```
 */
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { pointer, simdKernels } from './simd/simdKernels';
import type { WasmBackend, WasmKernel } from './wasmCall';

/** Attributes of `AdamUpdate`. */
export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** β1ᵗ and β2ᵗ after this step's predecessors, as float32 values. */
  accBeta1: number;
  accBeta2: number;
}

const f = Math.fround;

const kernelFunc = (({ inputs, backend: bk, attrs }) => {
  const backend = bk as KernelBackend;
  const { x, m, v, g } = inputs as Record<'x' | 'm' | 'v' | 'g', TensorInfo>;
  const a = attrs as unknown as AdamUpdateAttrs;
  const simd = simdKernels(backend);
  if (!simd) throw new Error('AdamUpdate (tslab-xai wasm): the SIMD kernels did not load');
  const n = x.shape.reduce((p, d) => p * d, 1);
  for (const [name, t] of Object.entries({ x, m, v, g })) {
    if (t.dtype !== 'float32' || t.shape.reduce((p, d) => p * d, 1) !== n) {
      throw new Error(`AdamUpdate: input ${name} must be float32 with ${n} values like x; got ${t.dtype} [${t.shape}]`);
    }
  }
  const b = backend as WasmBackend;
  const outs = [b.makeOutput(x.shape, 'float32'), b.makeOutput(x.shape, 'float32'), b.makeOutput(x.shape, 'float32')];
  simd.adam_update(pointer(backend, x), pointer(backend, m), pointer(backend, v), pointer(backend, g),
    pointer(backend, outs[0]), pointer(backend, outs[1]), pointer(backend, outs[2]), n,
    f(a.beta1), f(1 - a.beta1), f(a.beta2), f(1 - a.beta2), f(1 - f(a.accBeta1)), f(1 - f(a.accBeta2)), f(a.epsilon), f(-a.learningRate));
  return outs;
}) as KernelFunc;

/** Kernel config, registered for wasm by `registerWasmKernels` (only where the SIMD kernels load). */
export const adamUpdateConfig: WasmKernel = { kernelName: 'AdamUpdate', kernelFunc, needsSimd: true };
