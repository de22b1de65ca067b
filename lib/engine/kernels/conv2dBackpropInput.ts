/**
 * `Conv2DBackpropInput` for the wasm backend: the input gradient of a conv layer (and the forward
 * pass of `conv2dTranspose`). tfjs 4.22's wasm kernel is a scalar loop, ~10× slower than the
 * forward convolution; this one is a forward XNNPACK convolution of the stride-spread `dy` with
 * the flipped, in/out-swapped filter (see {@link transposedConvolution}).
 *
 * dx[b,h,w,ci] = Σ_{kh,kw,co} dy[b,(h+top−kh)/s,(w+left−kw)/s,co] · W[kh,kw,ci,co]
 */
import { backend_util } from '@tensorflow/tfjs';
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { ConvGeometry, Shape4 } from './convAttrs';
import { directConvolution } from './directConvolution';
import { transposedConvolution } from './transposedConvolution';
import { pointer, simdKernels } from './simd/simdKernels';
import { release, transpose, wasmCall, type KernelReplacement, type WasmBackend } from './wasmCall';

type Attrs = ConvGeometry & { inputShape: Shape4 };

/** W[kh,kw,ci,co] → W[fh−1−kh, fw−1−kw, co, ci]: one SIMD-module pass, or a transpose and a reverse. */
function flippedFilter(backend: KernelBackend, filter: TensorInfo): TensorInfo {
  const [fh, fw, ci, co] = filter.shape;
  const simd = simdKernels(backend);
  if (simd && filter.dtype === 'float32') {
    const out = (backend as WasmBackend).makeOutput([fh, fw, co, ci], 'float32');
    simd.flip_filter(pointer(backend, filter), pointer(backend, out), fh, fw, ci, co);
    return out;
  }
  const swapped = transpose(backend, filter, [0, 1, 3, 2]);
  const flipped = wasmCall('Reverse', backend, { x: swapped }, { dims: [0, 1] });
  release(backend, swapped);
  return flipped;
}

/** dx for dy [b,oh,ow,co] and filter [fh,fw,ci,co]. */
export function conv2dBackpropInput(backend: KernelBackend, dy: TensorInfo, filter: TensorInfo, attrs: Attrs): TensorInfo {
  const { strides, pad, dimRoundingMode, inputShape } = attrs;
  const info = backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, strides, 1, pad, dimRoundingMode);
  const flipped = flippedFilter(backend, filter);
  const dx = transposedConvolution(backend, dy, info, (x, pad) =>
    directConvolution(backend, x, flipped, { strides: 1, pad, dilations: 1 }) ??
      wasmCall('Conv2D', backend, { x, filter: flipped }, { strides: [1, 1], pad, dilations: [1, 1], dataFormat: 'NHWC' }),
  );
  release(backend, flipped);
  return dx;
}

/** Replaces the wasm backend's scalar-loop `Conv2DBackpropInput` (NCHW still goes to it). */
export const conv2dBackpropInputReplacement: KernelReplacement = {
  kernelName: 'Conv2DBackpropInput',
  why: "the backend's kernel is a scalar loop, ~10× slower than its forward convolution",
  wrap: (original) =>
    ((args) => {
      const attrs = args.attrs as unknown as Attrs;
      if (attrs.dataFormat === 'NCHW') return original(args);
      const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
      return conv2dBackpropInput(args.backend as KernelBackend, dy, filter, attrs);
    }) as KernelFunc,
};
