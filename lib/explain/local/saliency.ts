/**
 * Saliency map (Simonyan, Vedaldi & Zisserman 2014, "Deep Inside Convolutional Networks:
 * Visualising Image Classification Models and Saliency Maps"): how much the output changes when
 * one input component xₙ changes a little, |∂y/∂xₙ| — or, as the lecture writes it, |∂e/∂xₙ| for
 * the loss e.
 *
 * @example
 * ```ts
 * const a = saliency(model, images, { target: 3 });           // |∂y₃/∂x|, shape of images
 * const b = saliency(model, rgb, { of: 'loss', reduce: 'max' }); // |∂e/∂x|, max over channels
 * a.dispose(); b.dispose();
 * ```
 */
import { tf } from '../../engine/tf';
import { type Attribution, createAttribution, type ModelLike, type Target } from '../core/attribution';
import { type ChannelReduction, checkReduction, reduceChannels } from '../core/channels';
import { type GradientOf, inputGradients } from '../core/gradients';
import { checkChoice, checkInteger } from '../../checks';
import { explainedModel, type ExplainScore } from '../core/explainedModel';

/** Options of {@link saliency}. */
export interface SaliencyOptions {
  /** Class index, or one per example; default: the predicted class. */
  target?: Target;
  /** |gradient| (default true, as in the paper) or the signed gradient. */
  absolute?: boolean;
  /** For images [n, h, w, c]: reduce channels (Simonyan et al. take `max`); default `none`. */
  reduce?: ChannelReduction;
  /** Differentiate the target `score` (default) or the cross-entropy `loss` e = −log p_target. */
  of?: GradientOf;
  /** Examples per gradient call; default 64. */
  batchSize?: number;
  /** Explain the `logit` (default for a model ending in softmax/sigmoid) or the `probability`. */
  explain?: ExplainScore;
}

/**
 * The gradient of the target score (or loss) with respect to each input component.
 *
 * @returns an {@link Attribution} with `values` of the inputs' shape (channels 1 when reduced).
 */
export function saliency(model: ModelLike, inputs: tf.Tensor, options: SaliencyOptions = {}): Attribution {
  const where = 'saliency';
  const { absolute = true, reduce = 'none', of = 'score', batchSize = 64 } = options;
  const m = explainedModel(where, model, inputs, { target: options.target, explain: options.explain });
  checkChoice(where, 'options.of', of, ['score', 'loss'] as const);
  checkReduction(where, reduce, inputs.rank);
  checkInteger(where, 'options.batchSize', batchSize, 1);
  const { grads, nonFiniteScores, scores } = inputGradients(m, inputs, batchSize, of);
  const values = tf.tidy(() => reduceChannels(absolute ? tf.abs(grads) : grads.clone(), reduce));
  grads.dispose();
  return createAttribution({ method: 'saliency', values, target: m.target, explained: m.explained, score: scores, options: { absolute, reduce, of, batchSize }, nonFiniteScores });
}
