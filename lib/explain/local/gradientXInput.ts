/**
 * Gradient × Input (Shrikumar et al. 2016, "Not Just a Black Box: Learning Important Features
 * Through Propagating Activation Differences"): xₙ · ∂y/∂xₙ, the first-order Taylor contribution of
 * each component; for a linear model y = w·x it is exactly x ⊙ w.
 *
 * @example
 * ```ts
 * const a = gradientXInput(model, images, { target: 7 });
 * a.dispose();
 * ```
 */
import { tf } from '../../engine/tf';
import { type Attribution, createAttribution, type ModelLike, type Target } from '../core/attribution';
import { type ChannelReduction, checkReduction, reduceChannels } from '../core/channels';
import { inputGradients } from '../core/gradients';
import { checkInteger } from '../../checks';
import { explainedModel, type ExplainScore } from '../core/explainedModel';

/** Options of {@link gradientXInput}. */
export interface GradientXInputOptions {
  /** Class index, or one per example; default: the predicted class. */
  target?: Target;
  /** For images [n, h, w, c]: sum (or max/mean) the channels; default `none`. */
  reduce?: ChannelReduction;
  /** Examples per gradient call; default 64. */
  batchSize?: number;
  /** Explain the `logit` (default for a model ending in softmax/sigmoid) or the `probability`. */
  explain?: ExplainScore;
}

/** Signed x ⊙ ∂y_target/∂x; `values` has the inputs' shape (channels 1 when reduced). */
export function gradientXInput(model: ModelLike, inputs: tf.Tensor, options: GradientXInputOptions = {}): Attribution {
  const where = 'gradientXInput';
  const { reduce = 'none', batchSize = 64 } = options;
  const m = explainedModel(where, model, inputs, { target: options.target, explain: options.explain });
  checkReduction(where, reduce, inputs.rank);
  checkInteger(where, 'options.batchSize', batchSize, 1);
  const { grads, nonFiniteScores, scores } = inputGradients(m, inputs, batchSize, 'score');
  const values = tf.tidy(() => reduceChannels(tf.mul(grads, inputs), reduce));
  grads.dispose();
  return createAttribution({ method: 'gradientXInput', values, target: m.target, explained: m.explained, score: scores, options: { reduce, batchSize }, nonFiniteScores });
}
