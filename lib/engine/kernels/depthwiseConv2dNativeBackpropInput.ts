/**
 * `DepthwiseConv2dNativeBackpropInput` for the wasm backend (which lacks it): the input gradient
 * of a depthwise (and separable) convolution, as a forward XNNPACK depthwise convolution of the
 * stride-spread `dy` with the flipped filter (see {@link transposedConvolution}); with a channel
 * multiplier m > 1 the m gradients of each input channel are then summed.
 *
 * dx[b,h,w,c] = Σ_{kh,kw,q} dy[b,(h+top−kh·d)/s,(w+left−kw·d)/s,c·m+q] · W[kh,kw,c,q]
 */
import { backend_util } from '@tensorflow/tfjs';
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { ConvGeometry, Shape4 } from './convAttrs';
import { transposedConvolution } from './transposedConvolution';
import { release, reshape, wasmCall } from './wasmCall';


/** dx [b,H,W,c] for dy [b,oh,ow,c·m] and filter [fh,fw,c,m]. */
export function depthwiseConv2dNativeBackpropInput(
  backend: KernelBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  inputShape: Shape4,
  attrs: ConvGeometry,
): TensorInfo {
  const { strides, pad, dimRoundingMode } = attrs;
  const dilations = attrs.dilations ?? 1;
  const [fh, fw, c, m] = filter.shape;
  const info = backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, strides, dilations, pad, dimRoundingMode, true);
  const reversed = wasmCall('Reverse', backend, { x: filter }, { dims: [0, 1] });
  const flipped = reshape(backend, reversed, [fh, fw, c * m, 1]);
  release(backend, reversed);
  const spreadGrad = transposedConvolution(backend, dy, info, (x, p) =>
    wasmCall('DepthwiseConv2dNative', backend, { x, filter: flipped }, { strides: [1, 1], pad: p, dilations: [info.dilationHeight, info.dilationWidth] }),
  );
  release(backend, flipped);
  if (m === 1) return spreadGrad;
  const [b, H, W] = inputShape;
  const groups = reshape(backend, spreadGrad, [b * H * W * c, m]);
  const summed = wasmCall('Sum', backend, { x: groups }, { axis: [1], keepDims: false });
  release(backend, spreadGrad, groups);
  const out = reshape(backend, summed, [b, H, W, c]);
  release(backend, summed);
  return out;
}

const kernelFunc = (({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const a = attrs as unknown as ConvGeometry & { inputShape: Shape4 };
  return depthwiseConv2dNativeBackpropInput(backend as KernelBackend, dy, filter, a.inputShape, a);
}) as KernelFunc;

/** Kernel config, registered for wasm by `registerWasmKernels`. */
export const depthwiseConv2dNativeBackpropInputConfig: Omit<KernelConfig, 'backendName'> = { kernelName: 'DepthwiseConv2dNativeBackpropInput', kernelFunc };
