/**
 * The input gradient of a convolution as a forward convolution (Dumoulin & Visin 2016, "A guide to
 * convolution arithmetic for deep learning", §4): spread `dy` by the forward strides (zeros
 * between rows and columns), pad it by `effectiveFilter − 1 − forwardPad`, and correlate with the
 * spatially flipped filter at stride 1. The correlation is the backend's own XNNPACK convolution.
 *
 * @example
 * ```ts
 * const dx = transposedConvolution(backend, dy, info, (x, pad) =>
 *   wasmCall('Conv2D', backend, { x, filter: flipped }, { strides: 1, pad, dilations: 1, dataFormat: 'NHWC' }));
 * ```
 */
import type { KernelBackend, TensorInfo, backend_util } from '@tensorflow/tfjs';
import { padOrCrop } from './padOrCrop';
import { release, reshape, wasmCall } from './wasmCall';

/** An explicit `[[0,0],[top,bottom],[left,right],[0,0]]` padding, all ≥ 0. */
export type ExplicitPad = [[0, 0], [number, number], [number, number], [0, 0]];

/**
 * Runs `correlate(spreadDy, pad)` — a stride-1 correlation with the flipped filter, dilated like
 * the forward one — and returns dx with shape [batch, inHeight, inWidth, channels of the result].
 */
export function transposedConvolution(
  backend: KernelBackend,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
  correlate: (x: TensorInfo, pad: ExplicitPad) => TensorInfo,
): TensorInfo {
  const { batchSize: b, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, inHeight: H, inWidth: W } = info;
  const c = dy.shape[3];
  if (dy.shape[1] < oh || dy.shape[2] < ow) {
    throw new Error(`tslab-xai engine: dy of shape [${dy.shape}] is smaller than the [${oh}, ${ow}] outputs of the forward convolution`);
  }
  // like tfjs's cpu kernels, rows/columns of dy past the forward outputs are ignored
  const fitted = dy.shape[1] > oh || dy.shape[2] > ow ? padOrCrop(backend, dy, [[0, 0], [0, oh - dy.shape[1]], [0, ow - dy.shape[2]], [0, 0]]) : dy;
  let spread = fitted;
  if (sh > 1 || sw > 1) {
    // [b,oh,1,ow,1,c] padded to [b,oh,sh,ow,sw,c]: each value followed by stride−1 zeros
    const six = reshape(backend, fitted, [b, oh, 1, ow, 1, c]);
    const padded = wasmCall('PadV2', backend, { x: six }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
    spread = reshape(backend, padded, [b, oh * sh, ow * sw, c]);
    release(backend, six, padded);
  }
  const top = info.effectiveFilterHeight - 1 - info.padInfo.top;
  const left = info.effectiveFilterWidth - 1 - info.padInfo.left;
  // the spread tensor already ends with stride−1 zero rows/cols
  const bottom = H + info.effectiveFilterHeight - 1 - top - oh * sh;
  const right = W + info.effectiveFilterWidth - 1 - left - ow * sw;
  const pad: ExplicitPad = [[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]];
  const out = correlate(spread, pad);
  if (spread !== fitted) release(backend, spread);
  if (fitted !== dy) release(backend, fitted);
  if (top >= 0 && bottom >= 0 && left >= 0 && right >= 0) return out;
  // a negative amount means the forward padding exceeded the filter: crop the surplus rows/cols
  const cropped = padOrCrop(backend, out, [[0, 0], [Math.min(0, top), Math.min(0, bottom)], [Math.min(0, left), Math.min(0, right)], [0, 0]]);
  release(backend, out);
  return cropped;
}
