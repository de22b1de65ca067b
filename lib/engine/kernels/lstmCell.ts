/**
 * The gate arithmetic of one LSTM step (Hochreiter & Schmidhuber 1997, "Long short-term memory"),
 * forward and backward, as two wasm kernels on SIMD (`simd/lstm.c`) — tslab-xai's own kernel
 * names, registered for wasm where the SIMD kernels load. tfjs's LSTM cell spends ~15 small
 * kernels per step on it (split, three sigmoids, two tanh, four products, two sums) and as many
 * again for their gradients; `lib/models/fusedLstm.ts` calls these instead.
 *
 *   TslabXaiLstmCell     (z [B,4U], cPrev [B,U])                       → [gates, c, tanhC, h]
 *   TslabXaiLstmCellGrad (gates, cPrev, tanhC, dh [B,U], dc [B,U])     → [dz [B,4U], dcPrev [B,U]]
 *
 * Gate order i, f, g, o as in Keras/tfjs; U must be a multiple of 4.
 *
 * @example
 * ```ts
 * const [gates, c, tanhC, h] = tf.engine().runKernel('TslabXaiLstmCell', { z, cPrev }) as tf.Tensor[];
 * ```
 */
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { pointer, simdKernels } from './simd/simdKernels';
import type { WasmBackend, WasmKernel } from './wasmCall';

function kernels(backend: KernelBackend) {
  const simd = simdKernels(backend);
  if (!simd) throw new Error('TslabXaiLstmCell (tslab-xai wasm): the SIMD kernels did not load');
  return simd;
}

const forward = (({ inputs, backend: bk }) => {
  const backend = bk as WasmBackend;
  const { z, cPrev } = inputs as { z: TensorInfo; cPrev: TensorInfo };
  const [b, u] = cPrev.shape;
  if (z.shape[0] !== b || z.shape[1] !== 4 * u || u % 4 !== 0) throw new Error(`TslabXaiLstmCell: z must be [${b}, ${4 * u}] with units a multiple of 4; got z ${z.shape}, cPrev ${cPrev.shape}`);
  const simd = kernels(backend);
  const gates = backend.makeOutput([b, 4 * u], 'float32');
  const [c, tanhC, h] = [0, 1, 2].map(() => backend.makeOutput([b, u], 'float32'));
  const p = (t: TensorInfo) => pointer(backend, t);
  simd.lstm_cell_forward(p(z), p(cPrev), p(gates), p(c), p(tanhC), p(h), b, u);
  return [gates, c, tanhC, h];
}) as KernelFunc;

const backward = (({ inputs, backend: bk }) => {
  const backend = bk as WasmBackend;
  const { gates, cPrev, tanhC, dh, dc } = inputs as Record<string, TensorInfo>;
  const [b, u] = cPrev.shape;
  const simd = kernels(backend);
  const dz = backend.makeOutput([b, 4 * u], 'float32');
  const dcPrev = backend.makeOutput([b, u], 'float32');
  const p = (t: TensorInfo) => pointer(backend, t);
  simd.lstm_cell_backward(p(gates), p(cPrev), p(tanhC), p(dh), p(dc), p(dz), p(dcPrev), b, u);
  return [dz, dcPrev];
}) as KernelFunc;

/** `TslabXaiLstmCell` and `TslabXaiLstmCellGrad`. */
export const lstmCellConfigs: WasmKernel[] = [
  { kernelName: 'TslabXaiLstmCell', kernelFunc: forward, needsSimd: true },
  { kernelName: 'TslabXaiLstmCellGrad', kernelFunc: backward, needsSimd: true },
];
