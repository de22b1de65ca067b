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
  /**
   * Number of NaN/Inf values found in the attribution plus the number of non-finite target scores
   * the model returned while it was computed (a model returning NaN is reported, not plotted).
   */
  readonly nonFinite: number;
  /** Frees `values` (and any tensor in `extras`). */
  dispose(): void;
}

/**
 * Builds an {@link Attribution} (the one constructor every method uses): counts the non-finite
 * values of `values`, adds `nonFiniteScores` (target scores the model returned as NaN/Inf), and
 * gives it a `dispose()` that frees `values` and every tensor in `extras`, once.
 *
 * @example
 * ```ts
 * return createAttribution('saliency', grads, target, { absolute: true }, {}, 0);
 * ```
 */
export function createAttribution(
  method: string,
  values: tf.Tensor,
  target: number[],
  options: Record<string, unknown>,
  extras: Record<string, unknown> = {},
  nonFiniteScores = 0,
): Attribution {
  const bad = tf.tidy(() => tf.logicalNot(tf.isFinite(values)).sum());
  const nonFinite = bad.dataSync()[0] + nonFiniteScores;
  bad.dispose();
  let disposed = false;
  return {
    method,
    values,
    target,
    options: Object.freeze({ ...options }),
    extras: Object.freeze({ ...extras }),
    nonFinite,
    dispose() {
      if (disposed) return;
      disposed = true;
      values.dispose();
      for (const v of Object.values(extras)) if (v instanceof tf.Tensor) v.dispose();
    },
  };
}

/**
 * Whether `x` is an {@link Attribution} (it has a `method` and tensor `values`), e.g. to accept an
 * Attribution or a plain tensor in one argument.
 *
 * @example
 * ```ts
 * const values = isAttribution(input) ? input.values : input;
 * ```
 */
export function isAttribution(x: unknown): x is Attribution {
  return typeof x === 'object' && x !== null && 'method' in x && (x as Attribution).values instanceof tf.Tensor;
}

/**
 * The values of an {@link Attribution} or a tensor given in its place, checked to be a live tensor;
 * throws naming `attribution` (for function `where`) otherwise.
 *
 * @example
 * ```ts
 * const v = attributionValues('deletionCurve', a);   // a.values, or `a` itself when it is a tf.Tensor
 * ```
 */
export function attributionValues(where: string, attribution: Attribution | tf.Tensor): tf.Tensor {
  const v = attribution instanceof tf.Tensor ? attribution : isAttribution(attribution) ? attribution.values : undefined;
  if (!v || v.isDisposed) throw new Error(`${where}: attribution must be an Attribution or a tf.Tensor (not disposed)`);
  return v;
}
