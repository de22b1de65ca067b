/**
 * `tf.fused.conv2d` and `tf.fused.depthwiseConv2d` with dilation > 1 under a gradient tape.
 *
 * tfjs 4.22 runs the fused kernel (`FusedConv2D`, `FusedDepthwiseConv2D`) inside a `customGrad`
 * whose gradient closure refuses dilation > 1; it does so only for the linear activation (for any
 * other activation it already takes the unfused path, convolution + bias add + activation, while
 * gradients are recorded). This is the path of every `tf.layers.conv2d` without an activation of
 * its own. Here the two ops, while gradients are recorded and the dilation is > 1, take that same
 * unfused path — the convolution (whose dilation-aware gradient `convolutions.ts` registers) plus
 * the bias add, whose tfjs gradient is the fused op's bias gradient (dy summed over the broadcast
 * axes). Everything else (dilation 1, or no gradient being recorded) goes to tfjs's op unchanged.
 *
 * @example
 * ```ts
 * patchFusedConvolutions();
 * tf.grad((x) => tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', dilations: 2, bias: b }).sum())(x);
 * ```
 */
import { tf } from '../tf';
import { isDilated } from './atrous';

type FusedConvArgs = Parameters<typeof tf.fused.conv2d>[0];
type FusedOp = (args: FusedConvArgs) => tf.Tensor;

/** Whether tfjs would run the fused kernel under a tape (linear activation) with a dilation its gradient refuses. */
function needsUnfused(args: FusedConvArgs): boolean {
  return tf.engine().state.gradientDepth > 0 && (args.activation || 'linear') === 'linear' && isDilated(args.dilations);
}

/** The convolution plus the bias, as tfjs's own unfused path computes them. */
function unfused(args: FusedConvArgs, depthwise: boolean): tf.Tensor {
  const { x, filter, strides, pad, dataFormat = 'NHWC', dilations, dimRoundingMode, bias } = args;
  return tf.tidy(() => {
    const y = depthwise
      ? tf.depthwiseConv2d(x, filter, strides, pad as 'same' | 'valid', dataFormat, dilations, dimRoundingMode)
      : tf.conv2d(x, filter, strides, pad, dataFormat, dilations, dimRoundingMode);
    return bias == null ? y : tf.add(y, bias);
  });
}

let patched: string[] | undefined;

/**
 * Puts the dilation-aware versions in place of `tf.fused.conv2d` and `tf.fused.depthwiseConv2d`
 * (once per process; tfjs-layers calls them through the same object).
 *
 * @returns the names of the ops patched.
 */
export function patchFusedConvolutions(): string[] {
  if (patched) return patched;
  const fused = tf.fused as unknown as Record<'conv2d' | 'depthwiseConv2d', FusedOp>;
  for (const name of ['conv2d', 'depthwiseConv2d'] as const) {
    const original = fused[name];
    fused[name] = (args: FusedConvArgs) => (needsUnfused(args) ? unfused(args, name === 'depthwiseConv2d') : original(args));
  }
  patched = ['fused.conv2d', 'fused.depthwiseConv2d'];
  return patched;
}
