/**
 * `Conv2DBackpropFilter` for the wasm backend (which lacks it): the weight gradient of every conv
 * layer, as im2col + matrix products (Chellapilla et al. 2006, "High performance convolutional
 * neural networks for document processing").
 *
 * dW[kh,kw,ci,co] = Σ_{b,i,j} x[b, i·s+kh−top, j·s+kw−left, ci] · dy[b,i,j,co]
 *
 * For each filter tap (kh,kw) the window of the padded input that tap saw is one [M, ci] matrix
 * (M = b·oh·ow; a contiguous-run slice at stride 1, a 1×1 strided XNNPACK depthwise copy
 * otherwise), and dWᵀ[kh,kw] = dyᵀ [co, M] @ window [M, ci] is one XNNPACK fully-connected call.
 * No scalar loops: slices copy whole rows, products run on XNNPACK.
 *
 * XNNPACK packs the [M, ·] operand as weights on every call, which costs more than the product
 * for these shapes, so when tslab-xai's SIMD kernels are available the gradient is accumulated
 * directly from x and dy in 4×8 register tiles instead (`simd/filterGradient.c`) — for 3×3
 * stride-1 layers with ≥ 8 channels by Winograd's F(3×3, 2×2), 16 products per 2×2 block of dy
 * instead of 36 (Lavin & Gray 2016; `simd/winograd.c`).
 */
import { backend_util } from '@tensorflow/tfjs';
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { ConvGeometry, Shape4 } from './convAttrs';
import { WINOGRAD_MIN_CHANNELS, winogradScratch } from './directConvolution';
import { padOrCrop } from './padOrCrop';
import { pointer, simdKernels } from './simd/simdKernels';
import { slice } from './slice';
import { constant, matMul, release, reshape, scratch, transpose, wasmCall, type WasmBackend } from './wasmCall';

type Attrs = ConvGeometry & { filterShape: Shape4 };

/**
 * The [b·oh·ow, c] matrix of input values filter tap (kh, kw) multiplies, from the padded input
 * `xp` (top-left already padded, so tap (kh,kw) of output (i,j) is xp[kh·dh + i·sh, kw·dw + j·sw]).
 */
export function tapWindow(backend: KernelBackend, xp: TensorInfo, kh: number, kw: number, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: b, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const c = xp.shape[3];
  const r0 = kh * dh;
  const c0 = kw * dw;
  if (sh === 1 && sw === 1) return reshapeOwned(backend, slice(backend, xp, [0, r0, c0, 0], [b, oh, ow, c]), [b * oh * ow, c]);
  const rows = (oh - 1) * sh + 1;
  const cols = (ow - 1) * sw + 1;
  const win = slice(backend, xp, [0, r0, c0, 0], [b, rows, cols, c]);
  const ones = constant(backend, `ones:1x1x${c}x1`, [1, 1, c, 1], () => new Float32Array(c).fill(1));
  const picked = wasmCall('DepthwiseConv2dNative', backend, { x: win, filter: ones }, { strides: [sh, sw], pad: 'valid', dilations: [1, 1] });
  release(backend, win);
  return reshapeOwned(backend, picked, [b * oh * ow, c]);
}

function reshapeOwned(backend: KernelBackend, t: TensorInfo, shape: number[]): TensorInfo {
  const r = reshape(backend, t, shape);
  release(backend, t);
  return r;
}

/** The input padded (or cropped) to exactly the rows and columns the forward conv read. */
export function paddedInput(backend: KernelBackend, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { padInfo, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, effectiveFilterHeight: eh, effectiveFilterWidth: ew, inHeight: H, inWidth: W } = info;
  const needH = (oh - 1) * sh + eh;
  const needW = (ow - 1) * sw + ew;
  return padOrCrop(backend, x, [[0, 0], [padInfo.top, needH - padInfo.top - H], [padInfo.left, needW - padInfo.left - W], [0, 0]]);
}

/** dW [fh,fw,ci,co] for x [b,H,W,ci] and dy [b,oh,ow,co]. */
export function conv2dBackpropFilter(backend: KernelBackend, x: TensorInfo, dy: TensorInfo, attrs: Attrs): TensorInfo {
  const { strides, pad, dimRoundingMode, filterShape } = attrs;
  const info = backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode);
  const [fh, fw, ci, co] = filterShape;
  const simd = simdKernels(backend);
  if (simd && x.dtype === 'float32' && dy.dtype === 'float32') {
    const dw = (backend as WasmBackend).makeOutput([fh, fw, ci, co], 'float32');
    const { batchSize, inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth, padInfo } = info;
    if (fh === 3 && fw === 3 && strideHeight === 1 && strideWidth === 1 && ci % 4 === 0 && co % 4 === 0 && ci >= WINOGRAD_MIN_CHANNELS) {
      const work = scratch(backend, winogradScratch(ci, co));
      simd.conv3x3_winograd_filter_grad(pointer(backend, x), pointer(backend, dy), pointer(backend, dw), pointer(backend, work),
        batchSize, inHeight, inWidth, ci, outHeight, outWidth, co, padInfo.top, padInfo.left);
      return dw;
    }
    simd.conv2d_backprop_filter(pointer(backend, x), pointer(backend, dy), pointer(backend, dw),
      batchSize, inHeight, inWidth, ci, outHeight, outWidth, co, fh, fw, strideHeight, strideWidth, padInfo.top, padInfo.left);
    return dw;
  }
  const m = info.batchSize * info.outHeight * info.outWidth;
  const xp = paddedInput(backend, x, info);
  const dy2 = reshape(backend, dy, [m, co]);
  const dyT = transpose(backend, dy2, [1, 0]);
  release(backend, dy2);
  const taps: TensorInfo[] = [];
  for (let kh = 0; kh < fh; kh++) {
    for (let kw = 0; kw < fw; kw++) {
      const win = tapWindow(backend, xp, kh, kw, info);
      taps.push(matMul(backend, dyT, win)); // [co, ci]
      release(backend, win);
    }
  }
  if (xp !== x) release(backend, xp);
  release(backend, dyT);
  const stacked = taps.length === 1 ? taps[0] : wasmCall('Concat', backend, taps as unknown as Record<string, TensorInfo>, { axis: 0 });
  if (taps.length > 1) release(backend, ...taps);
  const s3 = reshape(backend, stacked, [fh * fw, co, ci]);
  const dw = transpose(backend, s3, [0, 2, 1]);
  release(backend, stacked, s3);
  return reshapeOwned(backend, dw, [fh, fw, ci, co]);
}

const kernelFunc = (({ inputs, backend, attrs }) => {
  const a = attrs as unknown as Attrs;
  if (a.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter (tslab-xai wasm): dataFormat NCHW is not supported; use NHWC');
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  return conv2dBackpropFilter(backend as KernelBackend, x, dy, a);
}) as KernelFunc;

/** Kernel config, registered for wasm by `registerWasmKernels`. */
export const conv2dBackpropFilterConfig: Omit<KernelConfig, 'backendName'> = { kernelName: 'Conv2DBackpropFilter', kernelFunc };
