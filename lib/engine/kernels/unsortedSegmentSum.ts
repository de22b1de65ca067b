/**
 * `UnsortedSegmentSum` for the wasm backend (which lacks it): the gradient of `gather` (embedding
 * lookups, `tf.gather` in attribution code). out[s, …] = Σ_{i: ids[i] = s} x[i, …], on the
 * backend's own C++ `ScatterNd`, which adds duplicate indices. Ids outside [0, numSegments) are
 * dropped, as on tfjs's cpu backend: they are sent to one extra row that is cut off afterwards.
 *
 * @example
 * ```ts
 * tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([0, 1, 0, 1], 'int32'), 2); // [4, 6]
 * ```
 */
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { slice } from './slice';
import { release, reshape, wasmCall, type WasmBackend } from './wasmCall';

/** Σ of the rows of `x` that share a segment id; ids shaped like a prefix of x's shape. */
export function unsortedSegmentSum(backend: KernelBackend, x: TensorInfo, segmentIds: TensorInfo, numSegments: number): TensorInfo {
  if (!Number.isInteger(numSegments) || numSegments < 0) throw new Error(`UnsortedSegmentSum: numSegments must be an integer ≥ 0; got ${numSegments}`);
  const n = segmentIds.shape.reduce((p, d) => p * d, 1);
  const rest = x.shape.slice(segmentIds.shape.length);
  const inner = rest.reduce((p, d) => p * d, 1);
  const b = backend as WasmBackend;
  // ids are indices, not data: check them (and redirect strays to a spare row) in one pass
  const ids = b.typedArrayFromHeap(segmentIds);
  let stray = false;
  for (let i = 0; i < n && !stray; i++) stray = !(ids[i] >= 0 && ids[i] < numSegments);
  let indices: TensorInfo;
  if (stray) {
    const safe = Int32Array.from(ids as ArrayLike<number>, (v) => (v >= 0 && v < numSegments ? v : numSegments));
    indices = b.makeOutput([n, 1], 'int32', undefined, safe);
  } else {
    indices = segmentIds.dtype === 'int32' ? reshape(backend, segmentIds, [n, 1]) : wasmCall('Cast', backend, { x: reshape(backend, segmentIds, [n, 1]) }, { dtype: 'int32' });
  }
  const updates = reshape(backend, x, [n, inner]);
  const rows = numSegments + (stray ? 1 : 0);
  const scattered = wasmCall('ScatterNd', backend, { indices, updates }, { shape: [rows, inner] });
  release(backend, indices, updates);
  let out = scattered;
  if (stray) {
    out = slice(backend, scattered, [0, 0], [numSegments, inner]);
    release(backend, scattered);
  }
  const shaped = reshape(backend, out, [numSegments, ...rest]);
  release(backend, out);
  return shaped;
}

const kernelFunc = (({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  return unsortedSegmentSum(backend as KernelBackend, x, segmentIds, (attrs as { numSegments: number }).numSegments);
}) as KernelFunc;

/** Kernel config, registered for wasm by `registerWasmKernels`. */
export const unsortedSegmentSumConfig: Omit<KernelConfig, 'backendName'> = { kernelName: 'UnsortedSegmentSum', kernelFunc };
