/**
 * `DepthwiseConv2dNativeBackpropFilter` for the wasm backend (which lacks it): the weight
 * gradient of a depthwise (and separable) convolution. Per filter tap, the window of the padded
 * input that tap saw ([M, c], M = b·oh·ow, see {@link tapWindow}) times dy ([M, c, m]) on
 * XNNPACK, summed over M with {@link columnSum}.
 *
 * dW[kh,kw,c,q] = Σ_{b,i,j} x[b, i·s+kh·d−top, j·s+kw·d−left, c] · dy[b,i,j,c·m+q]
 */
import { backend_util } from '@tensorflow/tfjs';
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { columnSum } from './columnSum';
import { paddedInput, tapWindow } from './conv2dBackpropFilter';
import type { ConvGeometry, Shape4 } from './convAttrs';
import { release, reshape, wasmCall } from './wasmCall';

/** dW [fh,fw,c,m] for x [b,H,W,c] and dy [b,oh,ow,c·m]. */
export function depthwiseConv2dNativeBackpropFilter(
  backend: KernelBackend,
  x: TensorInfo,
  dy: TensorInfo,
  filterShape: Shape4,
  attrs: ConvGeometry,
): TensorInfo {
  const { strides, pad, dimRoundingMode } = attrs;
  const [fh, fw, c, m] = filterShape;
  const info = backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, attrs.dilations ?? 1, pad, dimRoundingMode, true);
  const M = info.batchSize * info.outHeight * info.outWidth;
  const xp = paddedInput(backend, x, info);
  const dy3 = reshape(backend, dy, [M, c, m]);
  const taps: TensorInfo[] = [];
  for (let kh = 0; kh < fh; kh++) {
    for (let kw = 0; kw < fw; kw++) {
      const win = tapWindow(backend, xp, kh, kw, info);
      const win3 = reshape(backend, win, [M, c, 1]);
      const prod = wasmCall('Multiply', backend, { a: win3, b: dy3 });
      const prod2 = reshape(backend, prod, [M, c * m]);
      taps.push(columnSum(backend, prod2));
      release(backend, win, win3, prod, prod2);
    }
  }
  if (xp !== x) release(backend, xp);
  release(backend, dy3);
  const stacked = taps.length === 1 ? taps[0] : wasmCall('Concat', backend, taps as unknown as Record<string, TensorInfo>, { axis: 0 });
  if (taps.length > 1) release(backend, ...taps);
  const out = reshape(backend, stacked, filterShape);
  release(backend, stacked);
  return out;
}

const kernelFunc = (({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = attrs as unknown as ConvGeometry & { filterShape: Shape4 };
  return depthwiseConv2dNativeBackpropFilter(backend as KernelBackend, x, dy, a.filterShape, a);
}) as KernelFunc;

/** Kernel config, registered for wasm by `registerWasmKernels`. */
export const depthwiseConv2dNativeBackpropFilterConfig: Omit<KernelConfig, 'backendName'> = { kernelName: 'DepthwiseConv2dNativeBackpropFilter', kernelFunc };
