/**
 * Sums a [m, n] matrix over its rows on XNNPACK: an average pool over the m rows (XNNPACK's
 * multipass pooling, no weight packing) times m. The wasm backend's `Sum` transposes first and
 * then loops; XNNPACK's matrix product would pack the whole matrix as weights first. Both cost
 * ~10× more than this for the [b·h·w, c] reductions of filter gradients.
 *
 * @example
 * ```ts
 * const s = columnSum(backend, t);   // t [m, n] → [n]
 * ```
 */
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs';
import { constant, release, reshape, wasmCall } from './wasmCall';

/** Σ over the rows of `t` [m, n] → [n] (float32; rounding as m·mean). */
export function columnSum(backend: KernelBackend, t: TensorInfo): TensorInfo {
  const [m, n] = t.shape;
  const img = reshape(backend, t, [1, m, 1, n]);
  const mean = wasmCall('AvgPool', backend, { x: img }, { filterSize: [m, 1], strides: [1, 1], pad: 'valid', dimRoundingMode: undefined });
  release(backend, img);
  const scale = constant(backend, `scalar:${m}`, [], () => Float32Array.of(m));
  const sum = wasmCall('Multiply', backend, { a: mean, b: scale });
  release(backend, mean);
  const out = reshape(backend, sum, [n]);
  release(backend, sum);
  return out;
}
