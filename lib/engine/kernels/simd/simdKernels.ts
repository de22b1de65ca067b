/**
 * Loads tslab-xai's hand-written WebAssembly SIMD kernels (`simd/*.c`, compiled into
 * `simdBinary.ts`) into the wasm backend's own memory, so they read and write tensors where they
 * are. Where the running engine has relaxed SIMD, the build with fused multiply-adds
 * (`simdBinaryRelaxed.ts`, ~1.6× the products per cycle) is used; see {@link relaxedSimd}. Used by the gradient kernels for the cases where the backend's kernels are slow; each
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
import { simdBinaryRelaxed } from './simdBinaryRelaxed';

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
  gru_forward(zx: number, r: number, hs: number, gates: number, zr: number, rh: number, hr: number, zeros: number, pack: number, steps: number, batch: number, units: number, backwards: number): void;
  gru_backward(gates: number, hs: number, dys: number, dhLast: number, r: number, dz: number, dR: number, dh: number, drh: number, rh: number, dRzr: number, dRh: number, zeros: number, pack: number, steps: number, batch: number, units: number, backwards: number): void;
  softmax_xent_forward(logits: number, labels: number, p: number, stats: number, n: number, v: number): void;
  softmax_xent_backward(p: number, labels: number, dy: number, dz: number, n: number, v: number): void;
  softmax_grad(dy: number, y: number, dx: number, m: number, n: number): void;
  layer_norm(x: number, gamma: number, beta: number, y: number, mean: number, rstd: number, m: number, n: number, eps: number): void;
  layer_norm_grad(dy: number, x: number, gamma: number, mean: number, rstd: number, dx: number, dgamma: number, dbeta: number, m: number, n: number): void;
  adam_update(x: number, m: number, v: number, g: number, xo: number, mo: number, vo: number, n: number, ...scalars: number[]): void;
}

interface EmscriptenModule {
  asm?: { memory?: WebAssembly.Memory };
}
interface BackendInternals {
  wasm?: EmscriptenModule;
  dataIdMap?: { get(dataId: object): { memoryOffset: number } | undefined };
}

const loaded = new WeakMap<KernelBackend, Map<boolean, SimdKernels | null>>();
let enabled = true;
let relaxedWanted = typeof process === 'undefined' || process.env?.TSLAB_XAI_RELAXED_SIMD !== '0';
let relaxedModule: WebAssembly.Module | null | undefined;

/**
 * Turns the SIMD kernels off (or back on) for this process: the gradient kernels then take their
 * fallback paths. For tests and for comparing the two.
 */
export function useSimdKernels(on: boolean): void {
  enabled = on;
}

/**
 * Chooses between the relaxed-SIMD build (fused multiply-add, when the engine has it) and the plain
 * SIMD build of the same kernels, for this process; `TSLAB_XAI_RELAXED_SIMD=0` starts with the plain one.
 * For tests and for comparing the two.
 */
export function useRelaxedSimd(on: boolean): void {
  relaxedWanted = on;
}

/**
 * The compiled relaxed-SIMD module, or null when this engine cannot run it. Feature-detected by
 * compiling it: Node ≥ 22 and current browsers have relaxed SIMD on; Node 20 (V8 11.3) has it
 * complete but behind `--experimental-wasm-relaxed-simd`, which is then set for this process
 * (`v8.setFlagsFromString`; it only enables the instructions, and matters only to modules compiled
 * afterwards) and the compile tried once more.
 */
export function relaxedSimd(): WebAssembly.Module | null {
  if (relaxedModule !== undefined) return relaxedModule;
  const bytes = Buffer.from(simdBinaryRelaxed, 'base64');
  const compile = (): WebAssembly.Module | null => {
    try {
      return new WebAssembly.Module(bytes);
    } catch {
      return null;
    }
  };
  relaxedModule = compile();
  if (!relaxedModule) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      (require('v8') as typeof import('v8')).setFlagsFromString('--experimental-wasm-relaxed-simd');
      relaxedModule = compile();
    } catch {
      relaxedModule = null; // not Node, or no such flag
    }
  }
  return relaxedModule;
}

/** The SIMD kernels bound to `backend`'s memory, or undefined (disabled, or not a wasm backend we can share memory with). */
export function simdKernels(backend: KernelBackend): SimdKernels | undefined {
  if (!enabled) return undefined;
  let variants = loaded.get(backend);
  if (!variants) loaded.set(backend, (variants = new Map()));
  const relaxed = relaxedWanted && relaxedSimd() !== null;
  let k = variants.get(relaxed);
  if (k === undefined) {
    k = null;
    const memory = (backend as unknown as BackendInternals).wasm?.asm?.memory;
    if (memory instanceof WebAssembly.Memory && typeof WebAssembly.validate === 'function') {
      try {
        const module = relaxed ? (relaxedSimd() as WebAssembly.Module) : new WebAssembly.Module(Buffer.from(simdBinary, 'base64'));
        const instance = new WebAssembly.Instance(module, { env: { memory } });
        k = instance.exports as unknown as SimdKernels;
      } catch {
        k = null; // no wasm SIMD in this engine: fall back
      }
    }
    variants.set(relaxed, k);
  }
  return k ?? undefined;
}

/** Whether the kernels {@link simdKernels} returns now are the relaxed-SIMD (fused multiply-add) build. */
export function usingRelaxedSimd(): boolean {
  return enabled && relaxedWanted && relaxedSimd() !== null;
}
/** Byte offset of `t`'s data on the backend's heap. */
export function pointer(backend: KernelBackend, t: TensorInfo): number {
  const d = (backend as unknown as BackendInternals).dataIdMap?.get(t.dataId);
  if (!d) throw new Error('tslab-xai engine: tensor is not on the wasm backend');
  return d.memoryOffset;
}
