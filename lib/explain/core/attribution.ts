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
import type { ExplainedScore } from './explainedModel';

/** A tf.LayersModel, or any function from a batch tensor to a batch of scores [n, classes]. */
export type ModelLike = tf.LayersModel | ((x: tf.Tensor) => tf.Tensor);

/** One class index for the whole batch, or one per example. */
export type Target = number | number[];

/** What a local-explanation method returns; `E` types its method-specific {@link Attribution.extras}. */
export interface Attribution<E extends object = Record<string, unknown>> {
  /** Method name as in the lecture/paper: 'saliency', 'smoothGrad', 'integratedGradients', … */
  readonly method: string;
  /** The attribution, same shape as the inputs (Grad-CAM: upsampled to the input size). */
  readonly values: tf.Tensor;
  /** The class explained, per example. */
  readonly target: number[];
  /** The options the method ran with (defaults filled in), including `explain`: what was explained. */
  readonly options: Readonly<Record<string, unknown>>;
  /** What was explained: the `logit` (before the output softmax/sigmoid), the `probability`, or the `output` as it is. */
  readonly explained: ExplainedScore;
  /**
   * The explained score F(x) of each example (its target's logit or probability; for a gradient of
   * the loss, `of: 'loss'`, the loss e = −log p), against which `saturated` is judged.
   */
  readonly score: number[];
  /** Largest |value| of each example's attribution: a map's magnitude, to show beside it. */
  readonly scale: number[];
  /**
   * Per example: the attribution is below the float32 resolution of the score it explains
   * (Σ|values| ≤ 2⁻²³·|F(x)|, e.g. gradients of 1e-26 of a probability saturated at 1.0), so its
   * picture is float noise. Explain the logit instead (`explain: 'logit'`).
   */
  readonly saturated: boolean[];
  /** Method-specific results, e.g. IG's completeness `delta` per example. */
  readonly extras: Readonly<E>;
  /**
   * Number of NaN/Inf values found in the attribution plus the number of non-finite target scores
   * the model returned while it was computed (a model returning NaN is reported, not plotted).
   */
  readonly nonFinite: number;
  /** Frees `values` (and any tensor in `extras`). */
  dispose(): void;
}

/** The float32 resolution relative to a score: 2⁻²³ (one unit in the last place of 1.0 is 2⁻²³). */
export const FLOAT32_RESOLUTION = 2 ** -23;

/** What {@link createAttribution} is given. */
export interface AttributionParts<E extends object> {
  method: string;
  values: tf.Tensor;
  target: number[];
  /** What was explained (from the explained model). */
  explained: ExplainedScore;
  /** F(x) per example: the explained score of each input. */
  score: ArrayLike<number>;
  options: Record<string, unknown>;
  extras?: E;
  /** Target scores the model returned as NaN/Inf while the attribution was computed. */
  nonFiniteScores?: number;
  /** The values are squared gradients (SmoothGrad², VarGrad): saturation compares √Σ|values|. */
  squared?: boolean;
}

/**
 * Builds an {@link Attribution} (the one constructor every method uses): counts the non-finite
 * values, measures each example's magnitude (`scale`) and whether it is below the float resolution
 * of its score (`saturated`), records `explain` in the options, and gives it a `dispose()` that frees
 * `values` and every tensor in `extras`, once.
 *
 * @example
 * ```ts
 * return createAttribution({ method: 'saliency', values: grads, target: m.target, explained: m.explained, score, options: { absolute: true } });
 * ```
 */
export function createAttribution<E extends object = Record<string, unknown>>(parts: AttributionParts<E>): Attribution<E> {
  const { method, values, target, explained, options, nonFiniteScores = 0 } = parts;
  const extras = (parts.extras ?? {}) as E;
  const n = values.shape[0] ?? 1;
  const [bad, maxAbs, l1] = tf.tidy(() => {
    const rows = values.reshape([n, -1]).toFloat();
    const finite = tf.isFinite(rows);
    const a = tf.where(finite, tf.abs(rows), tf.zerosLike(rows));
    return [tf.logicalNot(finite).sum(), a.max(1), a.sum(1)];
  });
  const nonFinite = (bad.dataSync() as Float32Array)[0] + nonFiniteScores;
  const scale = Array.from(maxAbs.dataSync() as Float32Array);
  const total = Array.from(l1.dataSync() as Float32Array);
  tf.dispose([bad, maxAbs, l1]);
  const score = Array.from(parts.score as ArrayLike<number>, Number);
  const saturated = total.map((t, i) => Number.isFinite(score[i]) && (parts.squared ? Math.sqrt(t) : t) <= FLOAT32_RESOLUTION * Math.max(Math.abs(score[i]), 2 ** -126));
  let disposed = false;
  return {
    method,
    values,
    target,
    options: Object.freeze({ ...options, explain: explained }),
    explained,
    score,
    scale,
    saturated,
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
export function isAttribution(x: unknown): x is Attribution<object> {
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
export function attributionValues(where: string, attribution: Attribution<object> | tf.Tensor): tf.Tensor {
  const v = attribution instanceof tf.Tensor ? attribution : isAttribution(attribution) ? attribution.values : undefined;
  if (!v || v.isDisposed) throw new Error(`${where}: attribution must be an Attribution or a tf.Tensor (not disposed)`);
  return v;
}
