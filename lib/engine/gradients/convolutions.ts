/**
 * Gradients of `Conv2D` and `DepthwiseConv2dNative` that also handle dilation > 1 (atrous
 * convolution, Yu & Koltun 2016, "Multi-Scale Context Aggregation by Dilated Convolutions"), which
 * tfjs 4.22's own gradients refuse ("dilation rates greater than 1 are not yet supported in
 * gradients") on every backend. At dilation 1 they hand over to tfjs's own gradient, unchanged; at
 * dilation > 1 they use {@link atrousGradient}. (The fused forms are covered in `fusedOps.ts`:
 * tfjs records their gradient as a closure, not by kernel name.)
 *
 * @example
 * ```ts
 * const configs = dilatedGradients(tf.getGradient);   // register them with tf.registerGradient
 * ```
 */
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs';
import { tf } from '../tf';
import { type AtrousAttrs, atrousGradient, isDilated } from './atrous';

type Saved = tf.Tensor[];

/** The gradient of one (possibly dilated) convolution, dilation 1 by `original`, otherwise by {@link atrousGradient}. */
function convGradient(kernelName: string, depthwise: boolean, original: GradConfig | undefined): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: Saved, attrs: NamedAttrMap) => {
      const a = attrs as unknown as AtrousAttrs;
      if (!isDilated(a.dilations)) {
        if (!original) throw new Error(`gradient of ${kernelName} (tslab-xai): tfjs's own gradient is not registered`);
        return original.gradFunc(dy, saved, attrs);
      }
      const [x, filter] = saved as tf.Tensor4D[];
      const g = dy as tf.Tensor4D;
      return {
        x: () => atrousGradient(x, filter, g, a, depthwise, 'x'),
        filter: () => atrousGradient(x, filter, g, a, depthwise, 'filter'),
      };
    },
  };
}

/**
 * The two gradient configs, each dilation-aware; `original(name)` gives tfjs's own gradient
 * (looked up before these replace it) for the dilation-1 case.
 */
export function dilatedGradients(original: (kernelName: string) => GradConfig | undefined): GradConfig[] {
  return [
    convGradient('Conv2D', false, original('Conv2D')),
    convGradient('DepthwiseConv2dNative', true, original('DepthwiseConv2dNative')),
  ];
}
