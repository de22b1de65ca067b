/**
 * `MaxPoolGrad` for the wasm backend. tfjs 4.22's wasm kernel is a scalar loop that is also wrong:
 * it starts each window's running maximum at the smallest positive float, so a window whose values
 * are all ≤ 0 sends its gradient to element 0 of the tensor (or nowhere), and ties go to the last
 * maximum where tfjs's cpu backend and TensorFlow pick the first.
 *
 * Here, with y the forward output, s = step(y − x) marks every tap that is not a maximum, the
 * first maximum of each window is f = relu(bias + A·s) (see `poolTaps`), and dx scatters f·dy back
 * to the taps. Non-overlapping windows (stride = window, the common case) need only reshapes, an
 * XNNPACK broadcast subtract, one fused depthwise convolution, a multiply and a transpose.
 * Overlapping windows gather taps with a one-hot depthwise convolution and scatter with its
 * transpose. When tslab-xai's SIMD kernels are available (`simd/pooling.c`), one pass over the
 * windows does all of this instead.
 */
import { backend_util } from '@tensorflow/tfjs';
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { ConvGeometry, Shape4 } from './convAttrs';
import { depthwiseConv2dNativeBackpropInput } from './depthwiseConv2dNativeBackpropInput';
import { padOrCrop } from './padOrCrop';
import { firstMaxBias, firstMaxDepthwiseFilter, firstMaxMatrix, oneHotTaps } from './poolTaps';
import { pointer, simdKernels } from './simd/simdKernels';
import { constant, release, reshape, transpose, wasmCall, type KernelReplacement, type WasmBackend } from './wasmCall';

type Attrs = ConvGeometry & { filterSize: [number, number] | number };

/** Stride = window: every input element is in at most one window. */
function nonOverlapping(backend: KernelBackend, dy: TensorInfo, x: TensorInfo, y: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: b, outHeight: oh, outWidth: ow, filterHeight: fh, filterWidth: fw, inHeight: H, inWidth: W, inChannels: c } = info;
  const K = fh * fw;
  const { top, left } = info.padInfo;
  // the windows tile exactly [oh·fh, ow·fw]: pad with −∞ (never a maximum) or crop unused rows
  const amounts: Array<[number, number]> = [[0, 0], [top, oh * fh - top - H], [left, ow * fw - left - W], [0, 0]];
  const xw = padOrCrop(backend, x, amounts, -Infinity);
  const x6 = reshape(backend, xw, [b, oh, fh, ow, fw, c]);
  const y6 = reshape(backend, y, [b, oh, 1, ow, 1, c]);
  const gap = wasmCall('Sub', backend, { a: y6, b: x6 });
  release(backend, x6, y6);
  if (xw !== x) release(backend, xw);
  const notMax = wasmCall('Step', backend, { x: gap }, { alpha: 0 });
  release(backend, gap);
  const notMaxImg = reshape(backend, notMax, [b, oh * fh, ow * fw, c]);
  const first = wasmCall(
    'FusedDepthwiseConv2D',
    backend,
    { x: notMaxImg, filter: firstMaxDepthwiseFilter(backend, fh, fw, c), bias: firstMaxBias(backend, K, c) },
    { strides: [fh, fw], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC', activation: 'relu' },
  );
  release(backend, notMax, notMaxImg);
  const first5 = reshape(backend, first, [b, oh, ow, c, K]);
  const dy5 = reshape(backend, dy, [b, oh, ow, c, 1]);
  const g = wasmCall('Multiply', backend, { a: first5, b: dy5 });
  release(backend, first, first5, dy5);
  const g6 = reshape(backend, g, [b, oh, ow, c, fh, fw]);
  const placed = transpose(backend, g6, [0, 1, 4, 2, 5, 3]);
  release(backend, g, g6);
  const img = reshape(backend, placed, [b, oh * fh, ow * fw, c]);
  release(backend, placed);
  const dx = padOrCrop(backend, img, amounts.map(([p, q]) => [-p, -q] as [number, number]));
  if (dx !== img) release(backend, img);
  return dx;
}

/** Any stride and padding: taps gathered by a one-hot depthwise convolution, scattered by its transpose. */
function general(backend: KernelBackend, dy: TensorInfo, x: TensorInfo, y: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: b, outHeight: oh, outWidth: ow, filterHeight: fh, filterWidth: fw, inHeight: H, inWidth: W, inChannels: c } = info;
  const K = fh * fw;
  const n = b * oh * ow * c;
  // explicit numbers: XNNPACK's own 'same' padding differs from tfjs's (see samePadding.ts)
  const { top, bottom, left, right } = info.padInfo;
  const geometry = { strides: [info.strideHeight, info.strideWidth], pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dilations: [1, 1] };
  const taps = oneHotTaps(backend, fh, fw, c);
  const patches = wasmCall('DepthwiseConv2dNative', backend, { x, filter: taps }, geometry);
  const p5 = reshape(backend, patches, [b, oh, ow, c, K]);
  const y5 = reshape(backend, y, [b, oh, ow, c, 1]);
  const gap = wasmCall('Sub', backend, { a: y5, b: p5 });
  release(backend, patches, p5, y5);
  let notMax = wasmCall('Step', backend, { x: gap }, { alpha: 0 });
  release(backend, gap);
  if (top || bottom || left || right) {
    // padded taps read 0 above; mark them "not a maximum" with the padding mask
    const ones = constant(backend, `ones:1x${H}x${W}x1`, [1, H, W, 1], () => new Float32Array(H * W).fill(1));
    const valid = wasmCall('DepthwiseConv2dNative', backend, { x: ones, filter: oneHotTaps(backend, fh, fw, 1) }, geometry);
    const valid5 = reshape(backend, valid, [1, oh, ow, 1, K]);
    const one = constant(backend, 'scalar:1', [], () => Float32Array.of(1));
    const padded = wasmCall('Sub', backend, { a: one, b: valid5 });
    const marked = wasmCall('Maximum', backend, { a: notMax, b: padded });
    release(backend, valid, valid5, padded, notMax);
    notMax = marked;
  }
  // _FusedMatMul takes rank-3 operands
  const s3 = reshape(backend, notMax, [1, n, K]);
  const a3 = reshape(backend, firstMaxMatrix(backend, K), [1, K, K]);
  const first = wasmCall('_FusedMatMul', backend, { a: s3, b: a3, bias: firstMaxBias(backend, K, 1) }, { transposeA: false, transposeB: false, activation: 'relu' });
  release(backend, notMax, s3, a3);
  const dy2 = reshape(backend, dy, [1, n, 1]);
  const g = wasmCall('Multiply', backend, { a: first, b: dy2 });
  release(backend, first, dy2);
  const g4 = reshape(backend, g, [b, oh, ow, c * K]);
  const dx = depthwiseConv2dNativeBackpropInput(backend, g4, taps, x.shape as Shape4, geometry as never);
  release(backend, g, g4);
  return dx;
}

/** dx [b,H,W,c] of max pooling, the gradient going to the first maximum of each window. */
export function maxPoolGrad(backend: KernelBackend, dy: TensorInfo, x: TensorInfo, y: TensorInfo, attrs: Attrs): TensorInfo {
  const info = backend_util.computePool2DInfo(x.shape as Shape4, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const simd = simdKernels(backend);
  if (simd && x.dtype === 'float32') {
    const dx = (backend as WasmBackend).makeOutput(x.shape, 'float32');
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
    simd.max_pool_grad(pointer(backend, x), pointer(backend, y), pointer(backend, dy), pointer(backend, dx),
      batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, padInfo.top, padInfo.left);
    return dx;
  }
  if (info.strideHeight === info.filterHeight && info.strideWidth === info.filterWidth) return nonOverlapping(backend, dy, x, y, info);
  return general(backend, dy, x, y, info);
}

/** Replaces the wasm backend's slow and wrong `MaxPoolGrad`. */
export const maxPoolGradReplacement: KernelReplacement = {
  kernelName: 'MaxPoolGrad',
  why: "the backend's MaxPoolGrad is a scalar loop that misroutes gradients of windows whose values are all ≤ 0",
  wrap: () =>
    ((args) => {
      const { dy, input, output } = args.inputs as { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
      return maxPoolGrad(args.backend as KernelBackend, dy, input, output, args.attrs as unknown as Attrs);
    }) as KernelFunc,
};
