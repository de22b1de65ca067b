/**
 * Gradients tslab-xai registers on every backend (tfjs-node, wasm, cpu): `Conv2D` and
 * `DepthwiseConv2dNative` with dilation > 1 (tfjs 4.22 throws "dilation rates greater than 1 are
 * not yet supported in gradients"), and `tf.fused.conv2d` / `tf.fused.depthwiseConv2d` (what
 * `tf.layers.conv2d` calls) routed to them when dilated. Dilation 1 keeps tfjs's own gradients.
 *
 * @example
 * ```ts
 * registerDilatedGradients();   // ready() does this whatever backend it picks
 * const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, dilationRate: 2 })] });
 * tf.grad((x) => (model.apply(x) as tf.Tensor).sum())(images);   // no longer throws
 * ```
 */
import { tf } from '../tf';
import { dilatedGradients } from './convolutions';
import { patchFusedConvolutions } from './fusedOps';

let registered: string[] | undefined;

/**
 * Registers the dilation-aware convolution gradients (once per process; tf.registerGradient is
 * backend-independent) and patches the fused convolution ops.
 *
 * @returns the kernels whose gradients were registered and the ops patched.
 */
export function registerDilatedGradients(): string[] {
  if (registered) return registered;
  const configs = dilatedGradients((name) => tf.getGradient(name));
  for (const g of configs) tf.registerGradient(g);
  registered = [...configs.map((g) => g.kernelName), ...patchFusedConvolutions()];
  return registered;
}

export { atrousGradient } from './atrous';
