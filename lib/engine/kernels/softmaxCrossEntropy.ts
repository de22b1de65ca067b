/**
 * `TslabXaiSoftmaxXent` and `TslabXaiSoftmaxXentGrad`: softmax cross-entropy with integer labels
 * (the masked-LM loss of Devlin et al. 2019, PyTorch's `cross_entropy(logits, labels)`), one SIMD
 * pass forward and one backward (`simd/crossEntropy.c`) — tslab-xai's own kernel names, registered
 * for wasm only. `lib/engine/ops/sparseSoftmaxCrossEntropy.ts` uses them.
 *
 * `TslabXaiSoftmaxXent`: inputs logits [N,V] float32, labels [N] int32 (each in 0..V−1);
 * outputs [p [N,V] (the softmax, kept for the gradient), stats [N,3] (row max, Σ exp(z − max), z at the label)].
 * `TslabXaiSoftmaxXentGrad`: inputs p, labels, dy (scalar: the gradient of the mean loss);
 * output dlogits = (p − onehot(labels))·dy/N.
 *
 * @example
 * ```ts
 * const [p, stats] = tf.engine().runKernel('TslabXaiSoftmaxXent', { logits, labels }, {}) as tf.Tensor[];
 * ```
 */
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { pointer, simdKernels, type SimdKernels } from './simd/simdKernels';
import type { WasmBackend, WasmKernel } from './wasmCall';

function kernels(backend: KernelBackend, name: string): SimdKernels {
  const simd = simdKernels(backend);
  if (!simd) throw new Error(`${name} (tslab-xai wasm): the SIMD kernels did not load`);
  return simd;
}

const forward = (({ inputs, backend }) => {
  const { logits, labels } = inputs as Record<'logits' | 'labels', TensorInfo>;
  const simd = kernels(backend as KernelBackend, 'TslabXaiSoftmaxXent');
  const [n, v] = logits.shape;
  const b = backend as WasmBackend;
  const ids = b.typedArrayFromHeap(labels) as Int32Array;
  const bad = ids.findIndex((y) => !(y >= 0 && y < v));
  if (bad >= 0) throw new Error(`sparseSoftmaxCrossEntropy: labels must be class indices in 0..${v - 1}; got ${ids[bad]} at ${bad}`);
  const p = b.makeOutput([n, v], 'float32');
  const stats = b.makeOutput([n, 3], 'float32');
  const ptr = (t: TensorInfo) => pointer(b, t);
  simd.softmax_xent_forward(ptr(logits), ptr(labels), ptr(p), ptr(stats), n, v);
  return [p, stats];
}) as KernelFunc;

const backward = (({ inputs, backend }) => {
  const { p, labels, dy } = inputs as Record<'p' | 'labels' | 'dy', TensorInfo>;
  const simd = kernels(backend as KernelBackend, 'TslabXaiSoftmaxXentGrad');
  const [n, v] = p.shape;
  const b = backend as WasmBackend;
  const dz = b.makeOutput([n, v], 'float32');
  const ptr = (t: TensorInfo) => pointer(b, t);
  simd.softmax_xent_backward(ptr(p), ptr(labels), ptr(dy), ptr(dz), n, v);
  return dz;
}) as KernelFunc;

/** Kernel configs, registered for wasm by `registerWasmKernels` (only where the SIMD kernels load). */
export const softmaxCrossEntropyConfigs: WasmKernel[] = [
  { kernelName: 'TslabXaiSoftmaxXent', kernelFunc: forward, needsSimd: true },
  { kernelName: 'TslabXaiSoftmaxXentGrad', kernelFunc: backward, needsSimd: true },
];
