/**
 * An LSTM layer's recurrence (Hochreiter & Schmidhuber 1997, "Long short-term memory"), forward
 * and backward through time, each as one wasm kernel on SIMD (`simd/lstm.c`): per step one matrix
 * product h·R for all four gates and one fused pass of gate arithmetic — tslab-xai's own kernel
 * names, registered for wasm where the SIMD kernels load. tfjs's LSTM cell runs ~30 small kernels
 * per step forward and as many backward; `lib/models/fusedLstm.ts` calls these two instead.
 *
 *   TslabXaiLstmForward  (zx [T·B,4U] = x·W + b by time, r [U,4U]; attrs batch, backwards)
 *                        → [hs, cs, gates, tanhC], by step (hs, cs, tanhC [T,B,U]; gates [T,B,4U])
 *   TslabXaiLstmBackward (gates, hs, cs, tanhC, r, dy: [T,B,U] by step or [B,U] for the last state;
 *                        attrs backwards) → [dz [T·B,4U] by time, dR [U,4U]]
 *
 * Gate order i, f, g, o as in Keras/tfjs; sigmoid gates and tanh; U a multiple of 4.
 *
 * @example
 * ```ts
 * const [hs, cs, gates, tanhC] = tf.engine().runKernel('TslabXaiLstmForward', { zx, r }, { batch: 32, backwards: false }) as tf.Tensor[];
 * ```
 */
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { pointer, simdKernels } from './simd/simdKernels';
import { scratch, type WasmBackend, type WasmKernel } from './wasmCall';

function kernels(backend: KernelBackend) {
  const simd = simdKernels(backend);
  if (!simd) throw new Error('TslabXaiLstm (tslab-xai wasm): the SIMD kernels did not load');
  return simd;
}

const forward = (({ inputs, backend: bk, attrs }) => {
  const backend = bk as WasmBackend;
  const { zx, r } = inputs as { zx: TensorInfo; r: TensorInfo };
  const { batch, backwards } = attrs as unknown as { batch: number; backwards: boolean };
  const [u, g] = r.shape;
  const steps = zx.shape[0] / batch;
  if (g !== 4 * u || u % 4 !== 0 || zx.shape[1] !== g || !Number.isInteger(steps)) {
    throw new Error(`TslabXaiLstmForward: expected zx [steps·${batch}, ${4 * u}] and r [units, 4·units] with units a multiple of 4; got zx ${zx.shape}, r ${r.shape}`);
  }
  const simd = kernels(backend);
  const [hs, cs, tanhC] = [0, 1, 2].map(() => backend.makeOutput([steps, batch, u], 'float32'));
  const gates = backend.makeOutput([steps, batch, g], 'float32');
  const z = backend.makeOutput([batch, g], 'float32');
  const zeros = backend.makeOutput([batch, u], 'float32', undefined, new Float32Array(batch * u));
  const pack = scratch(backend, simd.gemm_scratch_floats());
  const p = (t: TensorInfo) => pointer(backend, t);
  simd.lstm_forward(p(zx), p(r), p(hs), p(cs), p(gates), p(tanhC), p(z), p(zeros), p(pack), steps, batch, u, backwards ? 1 : 0);
  backend.disposeData(z.dataId);
  backend.disposeData(zeros.dataId);
  return [hs, cs, gates, tanhC];
}) as KernelFunc;

const backward = (({ inputs, backend: bk, attrs }) => {
  const backend = bk as WasmBackend;
  const { gates, hs, cs, tanhC, r, dy } = inputs as Record<string, TensorInfo>;
  const { backwards } = attrs as unknown as { backwards: boolean };
  const [steps, batch, u] = hs.shape;
  const simd = kernels(backend);
  const dz = backend.makeOutput([steps * batch, 4 * u], 'float32');
  const dR = backend.makeOutput([u, 4 * u], 'float32');
  const [dh, dc] = [0, 1].map(() => backend.makeOutput([batch, u], 'float32'));
  const zeros = backend.makeOutput([batch, u], 'float32', undefined, new Float32Array(batch * u));
  const pack = scratch(backend, simd.gemm_scratch_floats());
  const p = (t: TensorInfo) => pointer(backend, t);
  const sequence = dy.shape.length === 3;
  simd.lstm_backward(p(gates), p(hs), p(cs), p(tanhC), sequence ? p(dy) : 0, sequence ? 0 : p(dy), p(r), p(dz), p(dR), p(dh), p(dc), p(zeros), p(pack), steps, batch, u, backwards ? 1 : 0);
  for (const t of [dh, dc, zeros]) backend.disposeData(t.dataId);
  return [dz, dR];
}) as KernelFunc;

/** `TslabXaiLstmForward` and `TslabXaiLstmBackward`. */
export const lstmConfigs: WasmKernel[] = [
  { kernelName: 'TslabXaiLstmForward', kernelFunc: forward, needsSimd: true },
  { kernelName: 'TslabXaiLstmBackward', kernelFunc: backward, needsSimd: true },
];
