/**
 * SmoothGrad (Smilkov, Thorat, Kim, Viégas & Wattenberg 2017, "SmoothGrad: removing noise by
 * adding noise"): the saliency map of one input is noisy, so average the gradients at n copies of
 * the input with Gaussian noise of standard deviation σ = noiseLevel · (max − min) of the input.
 * Two variants: SmoothGrad² (mean of squared gradients, Hooker et al. 2019) and VarGrad (their
 * variance, Adebayo et al. 2018).
 *
 * @example
 * ```ts
 * const a = smoothGrad(model, images, { target: 3, samples: 50, noiseLevel: 0.15 });
 * const v = smoothGrad(model, images, { target: 3, variant: 'varGrad' });
 * a.dispose(); v.dispose();
 * ```
 */
import { tf } from '../../engine/tf';
import { type Attribution, createAttribution, type ModelLike, type Target } from '../core/attribution';
import { type ChannelReduction, checkReduction, reduceChannels } from '../core/channels';
import { type GradientOf, gradientSweep, objectiveValues } from '../core/gradients';
import { checkChoice, checkInteger } from '../../checks';
import { explainedModel, type ExplainScore } from '../core/explainedModel';

/** Mean gradient, mean squared gradient (SmoothGrad²), or gradient variance (VarGrad). */
export type SmoothGradVariant = 'smoothGrad' | 'smoothGradSquared' | 'varGrad';

/** Options of {@link smoothGrad}. */
export interface SmoothGradOptions {
  /** Class index, or one per example; default: the predicted class. */
  target?: Target;
  /** Noisy copies n per example; default 50. */
  samples?: number;
  /** σ as a fraction of the input's value range (max − min); default 0.15. 0 gives the plain gradient. */
  noiseLevel?: number;
  /** What to aggregate; default `smoothGrad`. */
  variant?: SmoothGradVariant;
  /** For `smoothGrad`: |mean gradient| (default true) or signed. */
  absolute?: boolean;
  /** For images [n, h, w, c]: reduce channels; default `none`. */
  reduce?: ChannelReduction;
  /** Differentiate the target `score` (default) or the loss e = −log p_target. */
  of?: GradientOf;
  /** Seed of the noise; default 0. */
  seed?: number;
  /** Noisy copies per gradient call; default 64. */
  batchSize?: number;
  /** Explain the `logit` (default for a model ending in softmax/sigmoid) or the `probability`. */
  explain?: ExplainScore;
}

/** Method-specific results of {@link smoothGrad}. */
export interface SmoothGradExtras {
  /** The noise standard deviation used for each example. */
  sigma: number[];
}

/**
 * Averages gradients over noisy copies of each input (see the module example).
 *
 * @returns an {@link Attribution} with `values` of the inputs' shape (channels 1 when reduced) and
 *   `extras.sigma`, the noise standard deviation used for each example.
 */
export function smoothGrad(model: ModelLike, inputs: tf.Tensor, options: SmoothGradOptions = {}): Attribution<SmoothGradExtras> {
  const where = 'smoothGrad';
  const { samples = 50, noiseLevel = 0.15, variant = 'smoothGrad', absolute = true, reduce = 'none', of = 'score', seed = 0, batchSize = 64 } = options;
  const m = explainedModel(where, model, inputs, { target: options.target, explain: options.explain });
  checkInteger(where, 'options.samples', samples, 1);
  if (!(typeof noiseLevel === 'number' && noiseLevel >= 0 && Number.isFinite(noiseLevel))) {
    throw new Error(`${where}: options.noiseLevel must be a finite number ≥ 0 (a fraction of the input range); got ${noiseLevel}`);
  }
  checkChoice(where, 'options.variant', variant, ['smoothGrad', 'smoothGradSquared', 'varGrad'] as const);
  checkChoice(where, 'options.of', of, ['score', 'loss'] as const);
  checkReduction(where, reduce, inputs.rank);
  checkInteger(where, 'options.batchSize', batchSize, 1);
  if (!Number.isInteger(seed)) throw new Error(`${where}: options.seed must be an integer; got ${seed}`);

  const n = m.n;
  const rowShape = inputs.shape.slice(1);
  const size = rowShape.reduce((a, b) => a * b, 1);
  const range = tf.tidy(() => {
    const flat = inputs.reshape([n, -1]);
    return tf.sub(flat.max(1), flat.min(1));
  });
  const sigma = Array.from(range.dataSync(), (r) => noiseLevel * r);
  range.dispose();
  const sum = new Float64Array(n * size);
  const sumSq = new Float64Array(n * size);
  const { nonFiniteScores } = gradientSweep(
    m,
    samples,
    batchSize,
    of,
    ({ index, examples }) =>
      tf.tidy(() => {
        const b = examples.length;
        const sd = tf.tensor1d(examples.map((e) => sigma[e])).reshape([b, ...rowShape.map(() => 1)]);
        const noise = tf.mul(tf.randomNormal([b, ...rowShape], 0, 1, 'float32', seed + index), sd);
        return tf.add(tf.gather(inputs, tf.tensor1d(examples, 'int32')), noise);
      }),
    (g, { examples }) => {
      examples.forEach((e, r) => {
        for (let j = 0; j < size; j++) {
          const v = g[r * size + j];
          sum[e * size + j] += v;
          sumSq[e * size + j] += v * v;
        }
      });
    },
  );
  const out = new Float32Array(n * size);
  for (let i = 0; i < out.length; i++) {
    const mean = sum[i] / samples;
    const meanSq = sumSq[i] / samples;
    out[i] = variant === 'smoothGrad' ? (absolute ? Math.abs(mean) : mean) : variant === 'smoothGradSquared' ? meanSq : Math.max(0, meanSq - mean * mean);
  }
  const values = tf.tidy(() => reduceChannels(tf.tensor(out, inputs.shape), reduce));
  const score = objectiveValues(m, inputs, m.target, of, batchSize);
  return createAttribution({ method: variant, values, target: m.target, explained: m.explained, score, squared: variant !== 'smoothGrad', options: { samples, noiseLevel, variant, absolute, reduce, of, seed, batchSize }, extras: { sigma }, nonFiniteScores });
}
