/**
 * `Conv2DBackpropFilter` for the wasm backend: the weight gradient of every conv layer.
 *
 * dW[kh,kw,ci,co] = Σ_{b,i,j} x[b, i·s+kh−top, j·s+kw−left, ci] · dy[b,i,j,co] is itself a
 * convolution: with x transposed to [ci, H, W, b] as the input and dy transposed to
 * [oh, ow, b, co] as the filter, dilated by the forward stride, a `valid` conv gives
 * [ci, kh, kw, co]. So it runs on the backend's own XNNPACK conv2d rather than scalar loops.
 */
import { backend_util } from '@tensorflow/tfjs';
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { release, wasmCall } from './wasmCall';

type Attrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

const kernelFunc = (({ inputs, backend: b, attrs }) => {
  const backend = b as KernelBackend;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Attrs;
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter (tslab-xai wasm): only NHWC is supported');
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw, outHeight: oh, outWidth: ow } = info;
  const [, H, W] = x.shape;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // rows/cols of padded input the forward conv actually read
  const needH = (oh - 1) * sh + fh;
  const needW = (ow - 1) * sw + fw;
  const bottom = Math.max(0, needH - top - H);
  const right = Math.max(0, needW - left - W);
  const temps: TensorInfo[] = [];
  let xp = x;
  if (top || bottom || left || right) {
    xp = wasmCall('PadV2', backend, { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 });
    temps.push(xp);
  }
  const xt = wasmCall('Transpose', backend, { x: xp }, { perm: [3, 1, 2, 0] });
  const dyt = wasmCall('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] });
  temps.push(xt, dyt);
  const conv = wasmCall('Conv2D', backend, { x: xt, filter: dyt }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [sh, sw] });
  temps.push(conv);
  let src = conv;
  if (conv.shape[1] !== fh || conv.shape[2] !== fw) {
    src = wasmCall('Slice', backend, { x: conv }, { begin: [0, 0, 0, 0], size: [conv.shape[0], fh, fw, conv.shape[3]] });
    temps.push(src);
  }
  const out = wasmCall('Transpose', backend, { x: src }, { perm: [1, 2, 0, 3] });
  release(backend, ...temps);
  return out;
}) as KernelFunc;

/** Kernel config, registered for wasm by `registerWasmKernels`. */
export const conv2dBackpropFilterConfig: Omit<KernelConfig, 'backendName'> = { kernelName: 'Conv2DBackpropFilter', kernelFunc };
