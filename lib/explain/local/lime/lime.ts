/**
 * LIME (Ribeiro, Singh & Guestrin 2016, "Why Should I Trust You?": Explaining the Predictions of
 * Any Classifier): near one input, a simple linear model mimics the black box. Sample inputs
 * around it (superpixels on/off for an image, Gaussian steps for a tabular row, tokens kept/removed
 * for a sequence), ask the black box, weigh each sample by its closeness π = exp(−D²/σ²) (cosine or
 * L2 distance D), and fit a weighted ridge regression. Its weights are the explanation; its R² says
 * how well the simple model mimics the black box locally.
 *
 * @example
 * ```ts
 * const a = lime(model, images, { target: 3, samples: 1000, segments: 50 });
 * a.extras.r2        // [0.83, …]  surrogate fit per example
 * a.extras.weights   // [[w per superpixel], …]
 * a.extras.mask      // [n, h, w, 1]: the top-k superpixels that speak for class 3
 * a.dispose();
 * ```
 */
import { tf } from '../../../engine/tf';
import { type Attribution, createAttribution, type ModelLike, type Target } from '../../core/attribution';
import { checkChoice, checkInteger } from '../../../checks';
import { countNonFinite, explainedModel, type ExplainScore } from '../../core/explainedModel';
import { weightedRidge } from './ridge';
import { throwIfInterrupted } from '../../../display/interrupt';
import { type LimeFill, type LimeSamples, imageSamples, tabularSamples, tokenSamples } from './samples';
import { type Segmentation, slic } from './slic';

/** What the inputs are: images [n, h, w, c], tabular rows [n, d], or token ids [n, T] (int32). */
export type LimeKind = 'image' | 'tabular' | 'tokens';
/** Distance between a sample and the input in the interpretable space. */
export type LimeDistance = 'cosine' | 'l2';

/** Options of {@link lime}. */
export interface LimeOptions {
  /** Class index, or one per example; default: the predicted class. */
  target?: Target;
  /** Default: `image` for rank 4, `tokens` for int32 rank 2, `tabular` for float rank 2. */
  kind?: LimeKind;
  /** Samples per example (the first is the input itself); default 1000. */
  samples?: number;
  /** Distance for the kernel; default `cosine` for images and tokens, `l2` for tabular rows. */
  distance?: LimeDistance;
  /** σ of π = exp(−D²/σ²); default 0.25 for cosine, 0.75·√d for l2. */
  kernelWidth?: number;
  /** Ridge penalty α; default 1. */
  alpha?: number;
  /** How many features the top-k mask keeps (largest positive weights); default 5. */
  topK?: number;
  /** Seed of the sampling; default 0. */
  seed?: number;
  /** Samples per forward call; default 256. */
  batchSize?: number;
  /** image: about how many SLIC superpixels (default 50), or one given segmentation for all images. */
  segments?: number | Segmentation;
  /** image: SLIC compactness; default 10. */
  compactness?: number;
  /** image: what a switched-off superpixel shows; default 0. */
  fill?: LimeFill;
  /** tabular: standard deviation of the steps, one number or one per feature; default 1. */
  scale?: number | number[];
  /** tokens: the id that replaces a removed token; default 0. */
  maskToken?: number;
  /** Explain the `logit` (default for a model ending in softmax/sigmoid) or the `probability`. */
  explain?: ExplainScore;
}

function kindOf(where: string, inputs: tf.Tensor, kind: LimeKind | undefined): LimeKind {
  if (!(inputs instanceof tf.Tensor)) throw new Error(`${where}: inputs must be a tf.Tensor (images [n, h, w, c], rows [n, d] or token ids [n, T])`);
  const k = kind ?? (inputs.rank === 4 ? 'image' : inputs.dtype === 'int32' ? 'tokens' : 'tabular');
  checkChoice(where, 'options.kind', k, ['image', 'tabular', 'tokens'] as const);
  const rank = k === 'image' ? 4 : 2;
  if (inputs.rank !== rank) throw new Error(`${where}: inputs must be ${k === 'image' ? 'images [n, h, w, c]' : k === 'tabular' ? 'rows [n, d]' : 'token ids [n, T]'} for kind '${k}'; got shape [${inputs.shape}]`);
  return k;
}

function kernelWeights(s: LimeSamples, rows: number, distance: LimeDistance, width: number): Float64Array {
  const { d, points, origin } = s;
  const on = Math.sqrt(origin.reduce((a, v) => a + v * v, 0));
  const pi = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let dot = 0;
    let nn = 0;
    let sq = 0;
    for (let j = 0; j < d; j++) {
      const v = points[r * d + j];
      dot += v * origin[j];
      nn += v * v;
      sq += (v - origin[j]) ** 2;
    }
    const D = distance === 'l2' ? Math.sqrt(sq) : nn > 0 && on > 0 ? 1 - dot / (Math.sqrt(nn) * on) : 1;
    pi[r] = Math.exp(-(D * D) / (width * width));
  }
  return pi;
}

/** Method-specific results of {@link lime}. */
export interface LimeExtras {
  /** Surrogate weight of each feature, per example. */
  weights: number[][];
  /** Surrogate intercept per example. */
  intercept: number[];
  /** Weighted R² of the surrogate per example (NaN for a flat neighbourhood or non-finite scores). */
  r2: number[];
  /** Indices of the top-k features (positive weight, largest first) per example. */
  topK: number[][];
  /** 1 on the top-k features: [n, h, w, 1] for images, [n, d] otherwise. */
  mask: tf.Tensor;
  /** Kernel width used per example. */
  kernelWidth: number[];
  /** Standard deviation of the black box's scores over each example's samples: how much it moved. */
  scoreStd: number[];
  /**
   * Per example: the black box's score did not move over the neighbourhood (std ≤ 2⁻¹⁶·(1 + |mean|),
   * 64 float32 steps: a saturated probability moving only in its last digits counts as flat),
   * so there is nothing to explain and the surrogate's weights and R² mean nothing.
   */
  flat: boolean[];
  /** Non-finite black-box scores per example (that example's fit is NaN; the others are unaffected). */
  nonFiniteScores: number[];
/** SLIC superpixels per example (images only). */
  segments?: Segmentation[];
}

/** Largest relative spread of the black-box scores that still counts as a flat neighbourhood: 2⁻¹⁶ (64 float32 units). */
export const FLAT_SPREAD = 2 ** -16;

/**
 * Explains each input with a local linear surrogate (see the module example).
 *
 * @returns an {@link Attribution}: `values` has the inputs' shape (image: each pixel carries its
 *   superpixel's weight, in every channel); `extras` holds `weights` (per example, per feature),
 *   `intercept`, `r2` (surrogate R² per example), `topK` (feature indices), `mask` (tensor, 1 on the
 *   top-k features: [n, h, w, 1] for images, [n, d] otherwise), `kernelWidth`, and for images
 *   `segments` (one {@link Segmentation} per example).
 */
export function lime(model: ModelLike, inputs: tf.Tensor, options: LimeOptions = {}): Attribution<LimeExtras> {
  const where = 'lime';
  const kind = kindOf(where, inputs, options.kind);
  const { samples = 1000, alpha = 1, topK = 5, seed = 0, batchSize = 256, segments = 50, compactness = 10, fill = 0, scale = 1, maskToken = 0 } = options;
  const distance = options.distance ?? (kind === 'tabular' ? 'l2' : 'cosine');
  const m = explainedModel(where, model, inputs, { target: options.target, explain: options.explain, rule: { ranks: [kind === 'image' ? 4 : 2], expected: kind === 'image' ? 'images [n, h, w, c]' : 'a batch [n, d]' } });
  checkInteger(where, 'options.samples', samples, 2);
  checkChoice(where, 'options.distance', distance, ['cosine', 'l2'] as const);
  checkInteger(where, 'options.topK', topK, 0);
  checkInteger(where, 'options.batchSize', batchSize, 1);
  if (!(alpha >= 0)) throw new Error(`${where}: options.alpha must be a number ≥ 0; got ${alpha}`);
  if (options.kernelWidth !== undefined && !(options.kernelWidth > 0)) throw new Error(`${where}: options.kernelWidth must be a number > 0; got ${options.kernelWidth}`);
  if (kind === 'tokens') checkInteger(where, 'options.maskToken', maskToken, 0);
  if (!(fill === 'mean' || fill === 'blur' || (typeof fill === 'number' && Number.isFinite(fill)))) throw new Error(`${where}: options.fill must be a number, 'mean' or 'blur'; got ${JSON.stringify(fill)}`);
  const [n] = inputs.shape;
  const featureCount = kind === 'image' ? 0 : (inputs.shape[1] as number);
  const scales = Array.isArray(scale) ? scale : new Array<number>(featureCount).fill(scale);
  if (kind === 'tabular' && (scales.length !== featureCount || !scales.every((s) => s > 0))) {
    throw new Error(`${where}: options.scale must be a number > 0 or ${featureCount} of them (one per feature); got ${JSON.stringify(scale)}`);
  }
  if (kind === 'image' && typeof segments === 'object' && (segments.height !== inputs.shape[1] || segments.width !== inputs.shape[2])) {
    throw new Error(`${where}: options.segments is ${segments.height}×${segments.width} but the images are ${inputs.shape[1]}×${inputs.shape[2]}`);
  }

  const weights: number[][] = [];
  const intercept: number[] = [];
  const r2: number[] = [];
  const top: number[][] = [];
  const segs: Segmentation[] = [];
  const nonFiniteScores: number[] = [];
  const widths: number[] = [];
  const scoreStd: number[] = [];
  const flat: boolean[] = [];
  for (let e = 0; e < n; e++) {
    const x = inputs.slice(e, 1);
    let s: LimeSamples;
    if (kind === 'image') {
      const [, h, w, c] = inputs.shape as number[];
      const seg = typeof segments === 'object' ? segments : slic(x.dataSync(), h, w, c, { segments, compactness });
      segs.push(seg);
      s = imageSamples(x, seg, samples, fill, seed + e);
    } else if (kind === 'tabular') s = tabularSamples(x, scales, samples, seed + e);
    else s = tokenSamples(x, samples, maskToken, seed + e);
    const y = new Float64Array(samples);
    try {
      for (let lo = 0; lo < samples; lo += batchSize) {
        throwIfInterrupted('lime'); // interrupt: the finally below frees the samples
        const hi = Math.min(samples, lo + batchSize);
        const batch = s.render(lo, hi);
        const sc = m.scores(batch, new Array<number>(hi - lo).fill(m.target[e]), batchSize);
        batch.dispose();
        y.set(sc, lo);
      }
    } finally {
      s.dispose();
      x.dispose();
    }
    const bad = countNonFinite(y);
    nonFiniteScores.push(bad);
    const mean = y.reduce((a, b) => a + b, 0) / samples;
    const std = Math.sqrt(y.reduce((a, b) => a + (b - mean) * (b - mean), 0) / samples);
    scoreStd.push(std);
    flat.push(bad === 0 && std <= FLAT_SPREAD * (1 + Math.abs(mean)));
    const width = options.kernelWidth ?? (distance === 'cosine' ? 0.25 : 0.75 * Math.sqrt(s.d));
    widths.push(width);
    const pi = kernelWeights(s, samples, distance, width);
    const fit = bad > 0 ? { coef: new Array<number>(s.d).fill(NaN), intercept: NaN, r2: NaN } : weightedRidge(s.Z, s.d, y, pi, alpha);
    if (flat[e]) fit.r2 = NaN;
    weights.push(fit.coef);
    intercept.push(fit.intercept);
    r2.push(fit.r2);
    const order = fit.coef.map((v, j) => [v, j] as const).filter(([v]) => v > 0).sort((a, b) => b[0] - a[0]);
    top.push(order.slice(0, topK).map(([, j]) => j));
  }
  const { values, mask } = spread(kind, inputs.shape, weights, top, segs);
  const extras: LimeExtras = { weights, intercept, r2, topK: top, mask, kernelWidth: widths, scoreStd, flat, nonFiniteScores };
  if (kind === 'image') extras.segments = segs;
  const score = m.scores(inputs, m.target, batchSize);
  return createAttribution({
    method: 'lime',
    values,
    target: m.target,
    explained: m.explained,
    score,
    options: { kind, samples, distance, kernelWidth: options.kernelWidth ?? 'default', alpha, topK, seed, batchSize, segments: typeof segments === 'number' ? segments : 'given', compactness, fill, scale, maskToken },
    extras,
    nonFiniteScores: nonFiniteScores.reduce((a, b) => a + b, 0),
  });
}

/** Feature weights → per-input values, and the top-k features → a 0/1 mask. */
function spread(kind: LimeKind, shape: number[], weights: number[][], top: number[][], segs: Segmentation[]): { values: tf.Tensor; mask: tf.Tensor } {
  const n = shape[0];
  if (kind !== 'image') {
    const d = shape[1];
    const mask = new Float32Array(n * d);
    top.forEach((t, e) => t.forEach((j) => (mask[e * d + j] = 1)));
    return { values: tf.tensor2d(weights.flat(), [n, d]), mask: tf.tensor2d(mask, [n, d]) };
  }
  const [, h, w, c] = shape;
  const values = new Float32Array(n * h * w * c);
  const mask = new Float32Array(n * h * w);
  for (let e = 0; e < n; e++) {
    const inTop = new Set(top[e]);
    for (let p = 0; p < h * w; p++) {
      const label = segs[e].labels[p];
      for (let ch = 0; ch < c; ch++) values[(e * h * w + p) * c + ch] = weights[e][label];
      mask[e * h * w + p] = inTop.has(label) ? 1 : 0;
    }
  }
  return { values: tf.tensor4d(values, [n, h, w, c]), mask: tf.tensor4d(mask, [n, h, w, 1]) };
}
