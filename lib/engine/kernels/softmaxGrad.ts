/**
 * The gradient of `Softmax` in one pass. tfjs's gradient is dy·y − Σ(dy·y)·y over the last axis:
 * four kernels (multiply, sum, multiply, subtract) and three temporaries the size of the attention
 * weights (Vaswani et al. 2017: [batch, heads, length, length] per layer) for every training step.
 * `TslabXaiSoftmaxGrad` (tslab-xai's kernel name, wasm only; `simd/activation.c`) does it in the same
 * operations and order, and {@link softmaxGradient} — registered in place of tfjs's `Softmax`
 * gradient — uses it where the backend has it and tfjs's own formula everywhere else.
 *
 * @example
 * ```ts
 * tf.grad((z) => tf.softmax(z).mul(w).sum())(logits);   // one TslabXaiSoftmaxGrad kernel on wasm
 * ```
 */
import type { GradConfig, KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tf';
import { pointer, simdKernels } from './simd/simdKernels';
import type { WasmBackend, WasmKernel } from './wasmCall';

const kernelFunc = (({ inputs, backend: bk }) => {
  const backend = bk as KernelBackend;
  const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
  const simd = simdKernels(backend);
  if (!simd) throw new Error('TslabXaiSoftmaxGrad (tslab-xai wasm): the SIMD kernels did not load');
  const n = y.shape[y.shape.length - 1];
  const m = n ? y.shape.reduce((p, d) => p * d, 1) / n : 0;
  const out = (backend as WasmBackend).makeOutput(y.shape, 'float32');
  if (m > 0) simd.softmax_grad(pointer(backend, dy), pointer(backend, y), pointer(backend, out), m, n);
  return out;
}) as KernelFunc;

/** Kernel config `TslabXaiSoftmaxGrad` (inputs dy, y = softmax output; last axis), registered for wasm where the SIMD kernels load. */
export const softmaxGradConfig: WasmKernel = { kernelName: 'TslabXaiSoftmaxGrad', kernelFunc, needsSimd: true };

/** The gradient of `Softmax`: the fused kernel when the active backend has it, else tfjs's dy·y − Σ(dy·y)·y. */
export const softmaxGradient: GradConfig = {
  kernelName: 'Softmax',
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [y] = saved;
    const g = dy as tf.Tensor;
    const dim = (attrs as { dim: number }).dim;
    const last = dim === -1 || dim === y.rank - 1;
    const fused = last && y.dtype === 'float32' && g.dtype === 'float32' && tf.getKernel('TslabXaiSoftmaxGrad', tf.getBackend()) !== undefined;
    return {
      logits: () => {
        if (fused) return tf.engine().runKernel('TslabXaiSoftmaxGrad', { dy: g, y }) as tf.Tensor;
        const dyTimesY = tf.mul(g, y);
        return tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, [dim], true), y));
      },
    };
  },
};
