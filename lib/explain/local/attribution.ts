/**
 * The shape every local-explanation method shares (see DESIGN.md, after Captum's `attribute`):
 *
 * ```ts
 * const a = integratedGradients(model, inputs, { target: 3, steps: 50, baseline: 'black' });
 * a.values      // tf.Tensor, same shape as inputs
 * a.dispose()
 * ```
 */
import { tf } from '../../engine/tf';

/** A tf.LayersModel, or any function from a batch tensor to a batch of scores [n, classes]. */
export type ModelLike = tf.LayersModel | ((x: tf.Tensor) => tf.Tensor);

/** One class index for the whole batch, or one per example. */
export type Target = number | number[];

/** What a local-explanation method returns. */
export interface Attribution {
  /** Method name as in the lecture/paper: 'saliency', 'smoothGrad', 'integratedGradients', … */
  readonly method: string;
  /** The attribution, same shape as the inputs (Grad-CAM: upsampled to the input size). */
  readonly values: tf.Tensor;
  /** The class explained, per example. */
  readonly target: number[];
  /** The options the method ran with (defaults filled in). */
  readonly options: Readonly<Record<string, unknown>>;
  /** Method-specific results, e.g. IG's completeness `delta` per example. */
  readonly extras: Readonly<Record<string, unknown>>;
  /** Number of NaN/Inf values found in the attribution (a model returning NaN is reported, not plotted). */
  readonly nonFinite: number;
  /** Frees `values` (and any tensor in `extras`). */
  dispose(): void;
}
