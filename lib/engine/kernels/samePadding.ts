/**
 * Convolutions with `'same'` padding for the wasm backend, made correct. tfjs 4.22's wasm
 * `Conv2D`, `DepthwiseConv2dNative` and their fused forms hand `'same'` to XNNPACK as "TensorFlow
 * SAME padding", and for many strided shapes (a 1×4 filter at stride 3, a 2×1 filter at stride
 * (1, 2), …) XNNPACK pads differently from tfjs: ~20% of random strided `'same'` convolutions
 * disagree with the cpu backend. These replacements pass the padding tfjs computes as explicit
 * numbers, which XNNPACK applies as given; everything else goes to the backend's kernel unchanged.
 *
 * @example
 * ```ts
 * tf.conv2d(x, w, [1, 2], 'same');   // now equal to the cpu backend's result
 * ```
 */
import { backend_util } from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { ConvGeometry, Shape4 } from './convAttrs';
import type { KernelReplacement } from './wasmCall';

/** `'same'` for x and filter as explicit [[0,0],[top,bottom],[left,right],[0,0]] amounts. */
export function explicitSamePadding(x: TensorInfo, filter: TensorInfo, attrs: ConvGeometry, depthwise: boolean): backend_util.ExplicitPadding {
  const dilations = attrs.dilations ?? 1;
  const info = backend_util.computeConv2DInfo(x.shape as Shape4, filter.shape as Shape4, attrs.strides, dilations, 'same', attrs.dimRoundingMode, depthwise);
  const { top, bottom, left, right } = info.padInfo;
  return [[0, 0], [top, bottom], [left, right], [0, 0]];
}

function samePaddingReplacement(kernelName: string, depthwise: boolean): KernelReplacement {
  return {
    kernelName,
    why: "the backend's kernel pads 'same' differently from tfjs for many strided shapes",
    wrap: (original) =>
      ((args) => {
        const attrs = args.attrs as unknown as ConvGeometry;
        if (attrs.pad !== 'same' || (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC')) return original(args);
        const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
        return original({ ...args, attrs: { ...args.attrs, pad: explicitSamePadding(x, filter, attrs, depthwise) } as never });
      }) as KernelFunc,
  };
}

/** Replacements for DepthwiseConv2dNative and FusedDepthwiseConv2D (Conv2D's are in conv2d.ts). */
export const samePaddingReplacements: KernelReplacement[] = [
  samePaddingReplacement('DepthwiseConv2dNative', true),
  samePaddingReplacement('FusedDepthwiseConv2D', true),
];
