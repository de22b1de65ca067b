/**
 * The ReLU gradient in one pass. tfjs's gradient of `Relu` is dy · cast(step(x)) — three kernels
 * and two full-size temporaries per ReLU layer per training step. `ReluGrad` (TensorFlow's name
 * for the same op) does it in one SIMD pass on wasm, bit for bit equal (step(NaN) stays NaN), and
 * {@link reluGradient} — registered in place of tfjs's `Relu` gradient — uses it where the backend
 * has it and tfjs's own formula everywhere else.
 *
 * @example
 * ```ts
 * tf.grad((x) => tf.relu(x).sum())(x);   // one ReluGrad kernel on wasm
 * ```
 */
import type { GradConfig, KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tf';
import { pointer, simdKernels } from './simd/simdKernels';
import type { WasmBackend, WasmKernel } from './wasmCall';

const kernelFunc = (({ inputs, backend: bk }) => {
  const backend = bk as KernelBackend;
  const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
  const simd = simdKernels(backend);
  if (!simd) throw new Error('ReluGrad (tslab-xai wasm): the SIMD kernels did not load');
  const out = (backend as WasmBackend).makeOutput(x.shape, 'float32');
  simd.relu_grad(pointer(backend, dy), pointer(backend, x), pointer(backend, out), x.shape.reduce((p, d) => p * d, 1));
  return out;
}) as KernelFunc;

/** Kernel config `ReluGrad` (inputs dy, x), registered for wasm where the SIMD kernels load. */
export const reluGradConfig: WasmKernel = { kernelName: 'ReluGrad', kernelFunc, needsSimd: true };

/** The gradient of `Relu`: the `ReluGrad` kernel when the active backend has it, else tfjs's dy · step(x). */
export const reluGradient: GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    const g = dy as tf.Tensor;
    const fused = x.dtype === 'float32' && g.dtype === 'float32' && tf.getKernel('ReluGrad', tf.getBackend()) !== undefined;
    return { x: () => (fused ? (tf.engine().runKernel('ReluGrad', { dy: g, x }) as tf.Tensor) : tf.mul(g, tf.cast(tf.step(x), 'float32'))) };
  },
};
