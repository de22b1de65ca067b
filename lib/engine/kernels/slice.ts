/**
 * `Slice` for the wasm backend without the full copy. tfjs 4.22's wasm `Slice` first copies the
 * whole source tensor out of the heap (`readSync`) and then picks the window, so taking 64 rows of
 * a 2000-image tensor costs a 6 MB copy. This one copies only the window, one contiguous run at a
 * time, straight from heap to heap. Strings go to the backend's own kernel.
 *
 * @example
 * ```ts
 * const rows = slice(backend, x, [64, 0, 0, 0], [64, 28, 28, 1]);
 * ```
 */
import { slice_util } from '@tensorflow/tfjs';
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { KernelReplacement, WasmBackend } from './wasmCall';

/** Copies the window `begin`/`size` (sizes already resolved, no -1) of `x` into a new tensor. */
export function slice(backend: KernelBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const b = backend as WasmBackend;
  const out = b.makeOutput(size, x.dtype);
  const total = size.reduce((p, s) => p * s, 1);
  if (total === 0) return out;
  // views are taken after makeOutput: allocating can grow (and detach) the heap
  const src = b.typedArrayFromHeap(x);
  const dst = b.typedArrayFromHeap(out);
  const shape = x.shape;
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = src[0];
    return out;
  }
  // innermost axis that is not taken whole: everything inside it is one contiguous run
  let axis = rank - 1;
  while (axis > 0 && size[axis] === shape[axis] && begin[axis] === 0) axis--;
  const strides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
  const run = size[axis] * strides[axis];
  let base = 0;
  for (let i = 0; i < rank; i++) base += begin[i] * strides[i];
  if (axis === 0) {
    dst.set(src.subarray(base, base + run));
    return out;
  }
  const idx = new Array<number>(axis).fill(0);
  let o = 0;
  let s = base;
  for (;;) {
    dst.set(src.subarray(s, s + run), o);
    o += run;
    let d = axis - 1;
    for (; d >= 0; d--) {
      idx[d]++;
      s += strides[d];
      if (idx[d] < size[d]) break;
      s -= idx[d] * strides[d];
      idx[d] = 0;
    }
    if (d < 0) return out;
  }
}

/** Replaces the wasm backend's own `Slice` (kept for strings). */
export const sliceReplacement: KernelReplacement = {
  kernelName: 'Slice',
  why: "the backend's Slice copies the whole source tensor before taking the window",
  wrap: (original) =>
    ((args) => {
      const { inputs, backend, attrs } = args;
      const x = inputs.x as TensorInfo;
      if (x.dtype === 'string') return original(args);
      const [begin, size] = slice_util.parseSliceParams(x as never, attrs?.begin as number[], attrs?.size as number[]);
      slice_util.assertParamsValid(x as never, begin, size);
      return slice(backend as KernelBackend, x, begin, size);
    }) as KernelFunc,
};
