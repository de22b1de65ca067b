/**
 * Pads (zeros or `value`) where an amount is positive and crops where it is negative, per axis:
 * the one data-movement step the transposed convolutions and pooling gradients need.
 *
 * @example
 * ```ts
 * const y = padOrCrop(backend, x, [[0, 0], [1, -2], [0, 1], [0, 0]]); // +1 row on top, −2 at the bottom
 * ```
 */
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs';
import { slice } from './slice';
import { release, wasmCall } from './wasmCall';

/** `amounts[axis] = [before, after]`; returns `x` itself when every amount is 0 (do not free it twice). */
export function padOrCrop(backend: KernelBackend, x: TensorInfo, amounts: Array<[number, number]>, value = 0): TensorInfo {
  const crop = amounts.some(([a, b]) => a < 0 || b < 0);
  const grow = amounts.some(([a, b]) => a > 0 || b > 0);
  let t = x;
  if (crop) {
    const begin = amounts.map(([a]) => Math.max(0, -a));
    const size = amounts.map(([a, b], i) => x.shape[i] - Math.max(0, -a) - Math.max(0, -b));
    if (size.some((s) => s < 0)) throw new Error(`tslab-xai engine: cannot crop shape [${x.shape}] by ${JSON.stringify(amounts)}`);
    t = slice(backend, x, begin, size);
  }
  if (grow) {
    const paddings = amounts.map(([a, b]) => [Math.max(0, a), Math.max(0, b)]);
    const padded = wasmCall('PadV2', backend, { x: t }, { paddings, constantValue: value });
    if (t !== x) release(backend, t);
    t = padded;
  }
  return t;
}
