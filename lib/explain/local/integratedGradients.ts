/**
 * Integrated Gradients (Sundararajan, Taly & Yan 2017, "Axiomatic Attribution for Deep
 * Networks"): the gradient can be ≈ 0 for a feature that matters once the score has saturated (the
 * elephant's trunk: longer no longer changes the score, yet it is why it is an elephant). IG
 * integrates the gradient along the straight path from a baseline x′ to the input x:
 *
 *   IGᵢ(x) = (xᵢ − x′ᵢ) · ∫₀¹ ∂F(x′ + α(x − x′))/∂xᵢ dα
 *
 * and its attributions add up to F(x) − F(x′) (completeness); `extras.delta` is how far the
 * numerical integral is from that, per example.
 *
 * Every (example, step) pair is one row; rows go through the model in batches of at most
 * `internalBatchSize`, so 64 inputs × 300 steps never make a batch of 19,200.
 *
 * @example
 * ```ts
 * const a = integratedGradients(model, images, { target: 3, steps: 50, baseline: 'black' });
 * a.extras.delta   // [|Σ attributions − (F(x) − F(x′))|, …]
 * a.dispose();
 * ```
 */
import { tf } from '../../engine/tf';
import { type Attribution, createAttribution, type ModelLike, type Target } from '../core/attribution';
import { type Baseline, baselineFor } from '../core/baselines';
import { gradientSweep } from '../core/gradients';
import { checkChoice, checkInteger } from '../../checks';
import { countNonFinite, explainedModel, type ExplainScore } from '../core/explainedModel';

/**
 * Riemann sums (left, right, middle), the trapezoid rule, and Gauss–Legendre quadrature (Captum's
 * default, `gausslegendre`) over α ∈ [0, 1].
 */
export type IntegrationRule = 'left' | 'right' | 'middle' | 'trapezoid' | 'gaussLegendre';
const RULES: readonly IntegrationRule[] = ['left', 'right', 'middle', 'trapezoid', 'gaussLegendre'];

/** Options of {@link integratedGradients}. */
export interface IntegratedGradientsOptions {
  /** Class index, or one per example; default: the predicted class. */
  target?: Target;
  /** Points on the path; default 50 (≥ 2 for `trapezoid`). */
  steps?: number;
  /**
   * Integration rule; default `gaussLegendre` (Captum's default). Measured on the course CNN's digits
   * (notebook 05): midpoint and Gauss–Legendre bring every one of 8 digits within |delta| ≤ 1% of
   * |F(x) − F(x′)| with 32 steps, trapezoid and left with 64, right with 128; at 8 steps Gauss–Legendre
   * has the most digits within 1% (18 of 32, against 13 for midpoint and 12 for trapezoid).
   */
  rule?: IntegrationRule;
  /** The reference input x′; default `black`. */
  baseline?: Baseline;
  /** Standard deviation in pixels for a `blurred` baseline; default max(h, w) / 8. */
  blurSigma?: number;
  /** Seed of a `uniform` baseline; default 0. */
  seed?: number;
  /** Largest batch the model ever sees; default 64. */
  internalBatchSize?: number;
  /** Explain the `logit` (default for a model ending in softmax/sigmoid) or the `probability`. */
  explain?: ExplainScore;
}

/** Method-specific results of {@link integratedGradients}. */
export interface IntegratedGradientsExtras {
  /** Completeness gap |Σ attributions − (F(x) − F(x′))| per example. */
  delta: number[];
  /** F(x) per example. */
  inputScore: number[];
  /** F(x′) per example. */
  baselineScore: number[];
  /** Σ attributions per example. */
  sum: number[];
  /** Largest batch passed to the model. */
  largestBatch: number;
}

/**
 * Gauss–Legendre nodes and weights on [0, 1] for `n` points (exact for polynomials of degree
 * 2n − 1): the roots of the Legendre polynomial Pₙ by Newton's method from Chebyshev guesses.
 */
function gaussLegendre(n: number): { alphas: number[]; weights: number[] } {
  const alphas = new Array<number>(n);
  const weights = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 1;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
      const p = n === 1 ? x : p1;
      const pPrev = n === 1 ? 1 : p0;
      dp = (n * (x * p - pPrev)) / (x * x - 1);
      const dx = p / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-15) break;
    }
    // map from [-1, 1] to [0, 1]: α = (1 − x)/2 puts the nodes in increasing order
    alphas[i] = (1 - x) / 2;
    weights[i] = 1 / ((1 - x * x) * dp * dp);
  }
  return { alphas, weights };
}

/**
 * Points α on [0, 1] and their weights (summing to 1) for `steps` points of `rule`, e.g.
 * `integrationPoints('trapezoid', 3)` is α [0, 0.5, 1] with weights [0.25, 0.5, 0.25].
 */
export function integrationPoints(rule: IntegrationRule, steps: number): { alphas: number[]; weights: number[] } {
  checkChoice('integrationPoints', 'rule', rule, RULES);
  checkInteger('integrationPoints', 'steps', steps, rule === 'trapezoid' ? 2 : 1);
  if (rule === 'gaussLegendre') return gaussLegendre(steps);
  const k = Array.from({ length: steps }, (_, i) => i);
  if (rule === 'trapezoid') {
    const alphas = k.map((i) => i / (steps - 1));
    const weights = k.map((i) => (i === 0 || i === steps - 1 ? 0.5 : 1) / (steps - 1));
    return { alphas, weights };
  }
  const shift = rule === 'left' ? 0 : rule === 'right' ? 1 : 0.5;
  return { alphas: k.map((i) => (i + shift) / steps), weights: k.map(() => 1 / steps) };
}

/**
 * Integrated Gradients of the target score for each input (see the module example).
 *
 * @returns an {@link Attribution} with `values` of the inputs' shape and `extras.delta` (the
 *   completeness gap per example), `extras.inputScore` F(x), `extras.baselineScore` F(x′),
 *   `extras.sum` Σ attributions and `extras.largestBatch` (largest batch passed to the model).
 */
export function integratedGradients(model: ModelLike, inputs: tf.Tensor, options: IntegratedGradientsOptions = {}): Attribution<IntegratedGradientsExtras> {
  const where = 'integratedGradients';
  const { steps = 50, rule = 'gaussLegendre', baseline = 'black', internalBatchSize = 64, seed = 0 } = options;
  const m = explainedModel(where, model, inputs, { target: options.target, explain: options.explain });
  checkChoice(where, 'options.rule', rule, RULES);
  checkInteger(where, 'options.steps', steps, rule === 'trapezoid' ? 2 : 1);
  checkInteger(where, 'options.internalBatchSize', internalBatchSize, 1);
  const base = baselineFor(where, inputs, baseline, { blurSigma: options.blurSigma, seed });
  const { alphas, weights } = integrationPoints(rule, steps);

  const n = m.n;
  const rowShape = inputs.shape.slice(1);
  const size = rowShape.reduce((a, b) => a * b, 1);
  const acc = new Float64Array(n * size);
  // F(x) and F(x′): the trapezoid rule scores them at α = 1 and α = 0 on the way
  const inputScore = new Array<number>(n).fill(NaN);
  const baselineScore = new Array<number>(n).fill(NaN);
  try {
    const { nonFiniteScores, largestBatch } = gradientSweep(
      m,
      steps,
      internalBatchSize,
      'score',
      ({ examples, copies }) =>
        tf.tidy(() => {
          const idx = tf.tensor1d(examples, 'int32');
          const a = tf.tensor1d(copies.map((s) => alphas[s])).reshape([examples.length, ...rowShape.map(() => 1)]);
          const x0 = tf.gather(base, idx);
          return tf.add(x0, tf.mul(a, tf.sub(tf.gather(inputs, idx), x0)));
        }),
      (g, { examples, copies }, scores) => {
        examples.forEach((e, r) => {
          if (rule === 'trapezoid' && copies[r] === 0) baselineScore[e] = scores[r];
          if (rule === 'trapezoid' && copies[r] === steps - 1) inputScore[e] = scores[r];
        });
        examples.forEach((e, r) => {
          const w = weights[copies[r]];
          for (let j = 0; j < size; j++) acc[e * size + j] += w * g[r * size + j];
        });
      },
    );
    const diff = tf.sub(inputs, base);
    const dv = diff.dataSync();
    diff.dispose();
    const out = new Float32Array(n * size);
    const sum = new Array<number>(n).fill(0);
    for (let e = 0; e < n; e++) {
      let s = 0;
      for (let j = 0; j < size; j++) {
        const v = acc[e * size + j] * dv[e * size + j];
        out[e * size + j] = v;
        s += v;
      }
      sum[e] = s;
    }
    if (rule !== 'trapezoid') {
      inputScore.splice(0, n, ...m.scores(inputs, m.target, internalBatchSize));
      baselineScore.splice(0, n, ...m.scores(base, m.target, internalBatchSize));
    }
    const delta = sum.map((s, e) => Math.abs(s - (inputScore[e] - baselineScore[e])));
    const values = tf.tensor(out, inputs.shape);
    const baselineName = baseline instanceof tf.Tensor ? 'tensor' : baseline;
    return createAttribution({
      method: 'integratedGradients',
      values,
      target: m.target,
      explained: m.explained,
      score: inputScore,
      options: { steps, rule, baseline: baselineName, blurSigma: options.blurSigma, seed, internalBatchSize },
      extras: { delta, inputScore, baselineScore, sum, largestBatch },
      nonFiniteScores: nonFiniteScores + (rule === 'trapezoid' ? 0 : countNonFinite(inputScore) + countNonFinite(baselineScore)),
    });
  } finally {
    base.dispose();
  }
}
