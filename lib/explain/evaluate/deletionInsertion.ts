/**
 * Deletion and insertion curves (Petsiuk, Das & Saenko 2018, "RISE: Randomized Input Sampling for
 * Explanation of Black-box Models"): is the map faithful to the model? Remove the features in the
 * order the attribution ranks them (most important first) and watch the target score: a faithful
 * map makes it fall fast (small deletion AUC). Or start from a blurred image and insert the
 * features in that order: a faithful map makes it rise fast (large insertion AUC).
 *
 * @example
 * ```ts
 * const a = saliency(model, images, { target: 3 });
 * const del = deletionCurve(model, images, a, { steps: 28 });   // del.auc: one per image
 * const ins = insertionCurve(model, images, a);                  // starts from the blurred image
 * ```
 */
import { tf } from '../../engine/tf';
import { type Attribution, attributionValues, isAttribution, type ModelLike, type Target } from '../core/attribution';
import { gaussianBlur } from '../core/blur';
import { checkInteger } from '../../checks';
import { explainedModel, type ExplainedScore, type ExplainScore } from '../core/explainedModel';
import { featureMaps } from './featureMaps';

/** Options of {@link deletionCurve} and {@link insertionCurve}. */
export interface CurveOptions {
  /** Class index or one per example; default: the attribution's target (or the predicted class). */
  target?: Target;
  /** Points on the curve after the start; default 20 (fractions 0, 1/20, …, 1). */
  steps?: number;
  /**
   * What a feature that is not (yet) there shows: a number, or `blur` (the input blurred).
   * Default: 0 for deletion, `blur` for insertion (as in RISE).
   */
  fill?: number | 'blur';
  /** Standard deviation in pixels for `blur`; default max(h, w) / 8. */
  blurSigma?: number;
  /** Rank features by |attribution| instead of the signed value; default false. */
  absolute?: boolean;
  /** Images per forward call; default 256. */
  batchSize?: number;
  /** Follow the `logit` or the `probability`; default: what the attribution explained (else the logit). */
  explain?: ExplainScore;
}

/** A deletion or insertion curve per example. */
export interface FaithfulnessCurve {
  kind: 'deletion' | 'insertion';
  /** Fraction of the features removed (deletion) or inserted (insertion) at each point. */
  fractions: number[];
  /** Target score at each point, per example. */
  scores: number[][];
  /** Area under each example's curve (trapezoid rule over `fractions`). */
  auc: number[];
  /** Mean of `auc`. */
  meanAuc: number;
  /** The class whose score was followed, per example. */
  target: number[];
  /** What was followed: the logit, the probability, or the output as it is. */
  explained: ExplainedScore;
}

/** Area under y(x) by the trapezoid rule (e.g. `trapezoidArea([0, 0.5, 1], [1, 0.5, 0])` is 0.5). */
export function trapezoidArea(x: number[], y: number[]): number {
  if (x.length !== y.length) throw new Error(`trapezoidArea: x has ${x.length} values but y has ${y.length}`);
  let a = 0;
  for (let i = 1; i < x.length; i++) a += ((y[i] + y[i - 1]) / 2) * (x[i] - x[i - 1]);
  return a;
}

function curve(kind: 'deletion' | 'insertion', model: ModelLike, inputs: tf.Tensor, attribution: Attribution<object> | tf.Tensor, options: CurveOptions): FaithfulnessCurve {
  const where = `${kind}Curve`;
  const values = attributionValues(where, attribution);
  const target = options.target ?? (isAttribution(attribution) ? attribution.target : undefined);
  const explain = options.explain ?? (isAttribution(attribution) && attribution.explained !== 'output' ? attribution.explained : undefined);
  const m = explainedModel(where, model, inputs, { target, explain, rule: { ranks: [2, 4], expected: 'images [n, h, w, c] or rows [n, d]' } });
  const same = values.rank === inputs.rank && values.shape[0] === inputs.shape[0] && (inputs.rank === 2 ? values.shape[1] === inputs.shape[1] : values.shape[1] === inputs.shape[1] && values.shape[2] === inputs.shape[2]);
  if (!same) throw new Error(`${where}: attribution has shape [${values.shape}] but inputs has shape [${inputs.shape}]`);
  const { steps = 20, absolute = false, batchSize = 256 } = options;
  const fill = options.fill ?? (kind === 'deletion' ? 0 : 'blur');
  checkInteger(where, 'options.steps', steps, 1);
  checkInteger(where, 'options.batchSize', batchSize, 1);
  if (!(fill === 'blur' || (typeof fill === 'number' && Number.isFinite(fill)))) throw new Error(`${where}: options.fill must be a number or 'blur'; got ${JSON.stringify(fill)}`);
  if (fill === 'blur' && inputs.rank !== 4) throw new Error(`${where}: options.fill 'blur' needs images [n, h, w, c]; inputs has shape [${inputs.shape}]`);
  const { maps, height, width } = featureMaps(values, absolute);
  const F = height * width;
  const counts = Array.from({ length: steps + 1 }, (_, k) => Math.round((k / steps) * F));
  const fractions = counts.map((c) => c / F);
  const maskShape = inputs.rank === 4 ? [steps + 1, height, width, 1] : [steps + 1, width];
  const sigma = options.blurSigma ?? Math.max(height, width) / 8;
  const scores: number[][] = [];
  for (let e = 0; e < m.n; e++) {
    const order = Array.from({ length: F }, (_, i) => i).sort((a, b) => maps[e][b] - maps[e][a]);
    const fromInput = new Float32Array((steps + 1) * F);
    for (let k = 0; k <= steps; k++) {
      const row = fromInput.subarray(k * F, (k + 1) * F);
      if (kind === 'deletion') row.fill(1);
      for (let r = 0; r < counts[k]; r++) row[order[r]] = kind === 'deletion' ? 0 : 1;
    }
    const x = inputs.slice(e, 1);
    const background = fill === 'blur' ? gaussianBlur(x, sigma) : tf.scalar(fill);
    const batch = tf.tidy(() => {
      const keep = tf.tensor(fromInput, maskShape);
      return tf.add(tf.mul(x, keep), tf.mul(background, tf.sub(1, keep)));
    });
    scores.push(Array.from(m.scores(batch, new Array<number>(steps + 1).fill(m.target[e]), batchSize)));
    tf.dispose([x, background, batch]);
  }
  const auc = scores.map((s) => trapezoidArea(fractions, s));
  return { kind, fractions, scores, auc, meanAuc: auc.reduce((a, b) => a + b, 0) / auc.length, target: m.target, explained: m.explained };
}

/** Deletion curve: remove the most important features first; lower AUC = more faithful. */
export function deletionCurve(model: ModelLike, inputs: tf.Tensor, attribution: Attribution<object> | tf.Tensor, options: CurveOptions = {}): FaithfulnessCurve {
  return curve('deletion', model, inputs, attribution, options);
}

/** Insertion curve: add the most important features first to a blurred start; higher AUC = more faithful. */
export function insertionCurve(model: ModelLike, inputs: tf.Tensor, attribution: Attribution<object> | tf.Tensor, options: CurveOptions = {}): FaithfulnessCurve {
  return curve('insertion', model, inputs, attribution, options);
}
