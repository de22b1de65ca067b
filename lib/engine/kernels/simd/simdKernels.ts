/**
 * Loads tslab-xai's hand-written WebAssembly SIMD kernels (`simd/*.c`, compiled into
 * `simdBinary.ts`) into the wasm backend's own memory, so they read and write tensors where they
 * are. Used by the gradient kernels for the cases where the backend's kernels are slow; each
 * caller keeps a fallback built on the backend's kernels for when this returns undefined.
 *
 * @example
 * ```ts
 * const simd = simdKernels(backend);
 * if (simd) simd.columnSum(pointer(backend, x), pointer(backend, out), m, n);
 * ```
 */
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs';
import { simdBinary } from './simdBinary';

/** The exported functions of the C kernels (pointers are byte offsets on the backend's heap). */
export interface SimdKernels {
  conv2d_backprop_filter(x: number, dy: number, dw: number, ...dims: number[]): void;
  max_pool_grad(x: number, y: number, dy: number, dx: number, ...dims: number[]): void;
  column_sum(x: number, out: number, m: number, n: number): void;
  add_bias(x: number, bias: number, out: number, m: number, n: number): void;
  relu_grad(dy: number, x: number, out: number, n: number): void;
  conv3x3_winograd(x: number, w: number, bias: number, out: number, scratch: number, ...dims: number[]): void;
  conv3x3_winograd_filter_grad(x: number, dy: number, dw: number, scratch: number, ...dims: number[]): void;
  flip_filter(w: number, out: number, fh: number, fw: number, ci: number, co: number): void;
  conv2d(x: number, w: number, wt: number, bias: number, out: number, ...dims: number[]): void;
  /** C = A·B with strides A(i,k) = A[i·ars + k·acs], B(k,j) = B[k·brs + j·bcs]; `pack` holds gemm_scratch_floats() floats. */
  gemm(a: number, b: number, c: number, m: number, n: number, k: number, ars: number, acs: number, brs: number, bcs: number, pack: number): void;
  gemm_scratch_floats(): number;
  exp_f32(x: number, out: number, n: number): void;
  sigmoid_f32(x: number, out: number, n: number): void;
  tanh_f32(x: number, out: number, n: number): void;
  lstm_forward(zx: number, r: number, hs: number, cs: number, gates: number, tanhC: number, z: number, zeros: number, pack: number, steps: number, batch: number, units: number, backwards: number): void;
  lstm_backward(gates: number, hs: number, cs: number, tanhC: number, dys: number, dhLast: number, r: number, dz: number, dR: number, dh: number, dc: number, zeros: number, pack: number, steps: number, batch: number, units: number, backwards: number): void;
  adam_update(x: number, m: number, v: number, g: number, xo: number, mo: number, vo: number, n: number, ...scalars: number[]): void;
}

interface EmscriptenModule {
  asm?: { memory?: WebAssembly.Memory };
}
interface BackendInternals {
  wasm?: EmscriptenModule;
  dataIdMap?: { get(dataId: object): { memoryOffset: number } | undefined };
}

const loaded = new WeakMap<KernelBackend, SimdKernels | null>();
let enabled = true;

/**
 * Turns the SIMD kernels off (or back on) for this process: the gradient kernels then take their
 * fallback paths. For tests and for comparing the two.
 */
export function useSimdKernels(on: boolean): void {
  enabled = on;
}

/** The SIMD kernels bound to `backend`'s memory, or undefined (disabled, or not a wasm backend we can share memory with). */
export function simdKernels(backend: KernelBackend): SimdKernels | undefined {
  if (!enabled) return undefined;
  let k = loaded.get(backend);
  if (k === undefined) {
    k = null;
    const memory = (backend as unknown as BackendInternals).wasm?.asm?.memory;
    if (memory instanceof WebAssembly.Memory && typeof WebAssembly.validate === 'function') {
      try {
        const bytes = Buffer.from(simdBinary, 'base64');
        const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
        k = instance.exports as unknown as SimdKernels;
      } catch {
        k = null; // no wasm SIMD in this engine: fall back
      }
    }
    loaded.set(backend, k);
  }
  return k ?? undefined;
}

/** Byte offset of `t`'s data on the backend's heap. */
export function pointer(backend: KernelBackend, t: TensorInfo): number {
  const d = (backend as unknown as BackendInternals).dataIdMap?.get(t.dataId);
  if (!d) throw new Error('tslab-xai engine: tensor is not on the wasm backend');
  return d.memoryOffset;
}
