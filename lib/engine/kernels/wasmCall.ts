/**
 * Calls another wasm kernel directly (no tape, no tensor wrappers), the way tfjs backends compose
 * kernels internally. Intermediate results are freed with {@link release}.
 *
 * @example
 * ```ts
 * const t = wasmCall('Transpose', backend, { x }, { perm: [0, 2, 1] });
 * release(backend, t);
 * ```
 */
import { tf } from '../tf';
import type { DataType, KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/** The parts of tfjs's `BackendWasm` the supplied kernels use (it is not exported as a type). */
export interface WasmBackend extends KernelBackend {
  /** Allocates an output on the wasm heap, optionally filled with `values`. */
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number, values?: ArrayLike<number>): TensorInfo;
  /** A view (no copy) of a tensor's memory on the wasm heap. Invalid after the heap grows. */
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Runs wasm kernel `name` on `inputs` with `attrs`. */
export function wasmCall(name: string, backend: KernelBackend, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown> = {}): TensorInfo {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`tslab-xai engine: the wasm backend has no '${name}' kernel`);
  return k.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
}

/** Frees intermediate tensors made by {@link wasmCall}. */
export function release(backend: KernelBackend, ...infos: TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

/** A reshaped view of `x` (shares its memory; free it with {@link release} like any other result). */
export function reshape(backend: KernelBackend, x: TensorInfo, shape: number[]): TensorInfo {
  return wasmCall('Reshape', backend, { x }, { shape });
}

/** A new tensor info sharing `x`'s memory (tfjs tensors are immutable); freed like any other. */
export function share(backend: KernelBackend, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Transposes `x` (returns a fresh tensor). */
export function transpose(backend: KernelBackend, x: TensorInfo, perm: number[]): TensorInfo {
  return wasmCall('Transpose', backend, { x }, { perm });
}

/**
 * `a @ b` for 2-D `a` [m, k] and `b` [k, n] on XNNPACK's fully-connected path (the wasm backend
 * takes that path only for untransposed, unbatched operands; `b` is packed once per tensor).
 */
export function matMul(backend: KernelBackend, a: TensorInfo, b: TensorInfo): TensorInfo {
  return wasmCall('BatchMatMul', backend, { a, b }, { transposeA: false, transposeB: false });
}

const constants = new WeakMap<KernelBackend, Map<string, TensorInfo>>();

/**
 * A constant tensor kept on the backend for the life of the process (filters such as one-hot
 * taps): built once per `key`, never counted by `tf.memory().numTensors`, never freed. Keep them
 * small. XNNPACK also caches its packed operator for such a filter, so reuse is cheap.
 */
export function constant(backend: KernelBackend, key: string, shape: number[], fill: () => Float32Array | Int32Array, dtype: DataType = 'float32'): TensorInfo {
  let cache = constants.get(backend);
  if (!cache) constants.set(backend, (cache = new Map()));
  let t = cache.get(key);
  if (!t) {
    t = (backend as WasmBackend).makeOutput(shape, dtype, undefined, fill());
    cache.set(key, t);
  }
  return t;
}

const scratchBuffers = new WeakMap<KernelBackend, TensorInfo>();

/**
 * A float32 work buffer of at least `floats` values, kept on the backend and reused by every call
 * (it only grows): for kernels that need temporary space, without an allocation per call. Valid
 * until the next call of `scratch`; never counted by `tf.memory().numTensors`.
 */
export function scratch(backend: KernelBackend, floats: number): TensorInfo {
  let t = scratchBuffers.get(backend);
  if (!t || t.shape[0] < floats) {
    if (t) backend.disposeData(t.dataId);
    t = (backend as WasmBackend).makeOutput([Math.max(floats, 1 << 16)], 'float32');
    scratchBuffers.set(backend, t);
  }
  return t;
}

/**
 * A wasm kernel tslab-xai supplies in place of the backend's own (too slow, or wrong); `wrap`
 * receives the backend's kernel so that cases the replacement does not cover can go to it.
 */
export interface KernelReplacement {
  kernelName: string;
  /** One line: what is wrong with the backend's kernel. */
  why: string;
  wrap(original: KernelFunc): KernelFunc;
}

/** A kernel the wasm backend lacks; `needsSimd` ones are registered only where tslab-xai's SIMD kernels load. */
export type WasmKernel = Omit<KernelConfig, 'backendName'> & { needsSimd?: boolean };
