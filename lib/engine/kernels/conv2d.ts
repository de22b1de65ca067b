/**
 * `Conv2D` and `FusedConv2D` (bias, ReLU) for the wasm backend: on tslab-xai's SIMD direct
 * convolution when it loads (see `directConvolution.ts`), otherwise on the backend's XNNPACK
 * kernel with `'same'` padding passed as explicit numbers (see `samePadding.ts`). Activations
 * other than linear/ReLU, PReLU weights and NCHW go to the backend's kernel.
 *
 * @example
 * ```ts
 * tf.conv2d(x, w, 1, 'same');
 * tf.fused.conv2d({ x, filter: w, bias, activation: 'relu' });
 * ```
 */
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { ConvGeometry } from './convAttrs';
import { directConvolution } from './directConvolution';
import { explicitSamePadding } from './samePadding';
import type { KernelReplacement } from './wasmCall';

type FusedAttrs = ConvGeometry & { activation?: string };

function conv2dReplacement(kernelName: 'Conv2D' | 'FusedConv2D'): KernelReplacement {
  return {
    kernelName,
    why: "the backend's kernel is ~10% slower here, and pads 'same' wrongly for many strided shapes",
    wrap: (original) =>
      ((args) => {
        const attrs = args.attrs as unknown as FusedAttrs;
        const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined> as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
        const nhwc = attrs.dataFormat === undefined || attrs.dataFormat === 'NHWC';
        const activation = attrs.activation ?? 'linear';
        if (nhwc && !preluActivationWeights && (activation === 'linear' || activation === 'relu')) {
          const out = directConvolution(args.backend as KernelBackend, x, filter, attrs, { bias, relu: activation === 'relu' });
          if (out) return out;
        }
        if (attrs.pad !== 'same' || !nhwc) return original(args);
        return original({ ...args, attrs: { ...args.attrs, pad: explicitSamePadding(x, filter, attrs, false) } as never });
      }) as KernelFunc,
  };
}

/** Replacements for Conv2D and FusedConv2D. */
export const conv2dReplacements: KernelReplacement[] = [conv2dReplacement('Conv2D'), conv2dReplacement('FusedConv2D')];
