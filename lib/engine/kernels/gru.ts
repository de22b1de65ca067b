/**
 * A GRU layer's recurrence (Cho et al. 2014, "Learning phrase representations using RNN
 * encoder-decoder for statistical machine translation"), exactly as tfjs 4.22's `GRUCell` computes
 * it (reset gate applied to h before its product with the recurrent kernel, Keras's
 * `reset_after = false`), forward and backward through time as one wasm kernel each on SIMD
 * (`simd/gru.c`): per step one product h·[Rz | Rr] for both gates, one product (r⊙h)·Rh and two
 * fused passes of gate arithmetic. tfjs's GRU cell runs ~20 small kernels per step forward and as
 * many backward; `lib/models/fusedGru.ts` calls these two instead.
 *
 *   TslabXaiGruForward  (zx [T·B,3U] = x·W + b by time, r [U,3U]; attrs batch, backwards)
 *                       → [hs [T,B,U], gates [T,B,3U] (z, r, ĥ)], by step
 *   TslabXaiGruBackward (gates, hs, r, dy: [T,B,U] by step or [B,U] for the last state;
 *                       attrs backwards) → [dz [T·B,3U] by time, dR [U,3U]]
 *
 * Gate order z, r, h as in Keras/tfjs; sigmoid gates and tanh; U a multiple of 4.
 *
 * @example
 * ```ts
 * const [hs, gates] = tf.engine().runKernel('TslabXaiGruForward', { zx, r }, { batch: 32, backwards: false }) as tf.Tensor[];
 * ```
 */
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { pointer, simdKernels } from './simd/simdKernels';
import { scratch, type WasmBackend, type WasmKernel } from './wasmCall';

function kernels(backend: KernelBackend) {
  const simd = simdKernels(backend);
  if (!simd) throw new Error('TslabXaiGru (tslab-xai wasm): the SIMD kernels did not load');
  return simd;
}

const forward = (({ inputs, backend: bk, attrs }) => {
  const backend = bk as WasmBackend;
  const { zx, r } = inputs as { zx: TensorInfo; r: TensorInfo };
  const { batch, backwards } = attrs as unknown as { batch: number; backwards: boolean };
  const [u, g] = r.shape;
  const steps = zx.shape[0] / batch;
  if (g !== 3 * u || u % 4 !== 0 || zx.shape[1] !== g || !Number.isInteger(steps)) {
    throw new Error(`TslabXaiGruForward: expected zx [steps·${batch}, ${3 * u}] and r [units, 3·units] with units a multiple of 4; got zx ${zx.shape}, r ${r.shape}`);
  }
  const simd = kernels(backend);
  const hs = backend.makeOutput([steps, batch, u], 'float32');
  const gates = backend.makeOutput([steps, batch, g], 'float32');
  const zr = backend.makeOutput([batch, 2 * u], 'float32');
  const [rh, hr] = [0, 1].map(() => backend.makeOutput([batch, u], 'float32'));
  const zeros = backend.makeOutput([batch, u], 'float32', undefined, new Float32Array(batch * u));
  const pack = scratch(backend, simd.gemm_scratch_floats());
  const p = (t: TensorInfo) => pointer(backend, t);
  simd.gru_forward(p(zx), p(r), p(hs), p(gates), p(zr), p(rh), p(hr), p(zeros), p(pack), steps, batch, u, backwards ? 1 : 0);
  for (const t of [zr, rh, hr, zeros]) backend.disposeData(t.dataId);
  return [hs, gates];
}) as KernelFunc;

const backward = (({ inputs, backend: bk, attrs }) => {
  const backend = bk as WasmBackend;
  const { gates, hs, r, dy } = inputs as Record<string, TensorInfo>;
  const { backwards } = attrs as unknown as { backwards: boolean };
  const [steps, batch, u] = hs.shape;
  const simd = kernels(backend);
  const dz = backend.makeOutput([steps * batch, 3 * u], 'float32');
  const dR = backend.makeOutput([u, 3 * u], 'float32');
  const [dh, drh, rh] = [0, 1, 2].map(() => backend.makeOutput([batch, u], 'float32'));
  const dRzr = backend.makeOutput([u, 2 * u], 'float32');
  const dRh = backend.makeOutput([u, u], 'float32');
  const zeros = backend.makeOutput([batch, u], 'float32', undefined, new Float32Array(batch * u));
  const pack = scratch(backend, simd.gemm_scratch_floats());
  const p = (t: TensorInfo) => pointer(backend, t);
  const sequence = dy.shape.length === 3;
  simd.gru_backward(p(gates), p(hs), sequence ? p(dy) : 0, sequence ? 0 : p(dy), p(r), p(dz), p(dR), p(dh), p(drh), p(rh), p(dRzr), p(dRh), p(zeros), p(pack), steps, batch, u, backwards ? 1 : 0);
  for (const t of [dh, drh, rh, dRzr, dRh, zeros]) backend.disposeData(t.dataId);
  return [dz, dR];
}) as KernelFunc;

/** `TslabXaiGruForward` and `TslabXaiGruBackward`. */
export const gruConfigs: WasmKernel[] = [
  { kernelName: 'TslabXaiGruForward', kernelFunc: forward, needsSimd: true },
  { kernelName: 'TslabXaiGruBackward', kernelFunc: backward, needsSimd: true },
];
