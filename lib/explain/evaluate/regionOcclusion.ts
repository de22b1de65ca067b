/**
 * Occlusion by region: cover a whole region of each image (the object's mask) with a fill, then
 * the rest of the image instead, and compare how far the target score drops — per occluded pixel,
 * so that a large background and a small object are compared fairly. The patch-wise occlusion of
 * Zeiler & Fergus 2014 ("Visualizing and Understanding Convolutional Networks") asks which small
 * square matters; this asks which *region* matters, with one forward pass per region, no patch size
 * to choose, and no interaction between patches lost in a sum (the whole region goes at once).
 *
 *   drop(R)        = F(x) − F(x with R filled),   x with R filled = (1 − m_R)·x + m_R·fill
 *   dropPerPixel(R) = drop(R) / Σ m_R
 *
 * where F is the target's logit by default (not a probability, which saturates at 1.0 and hides
 * every drop until the answer changes). A model that uses the object loses more per object pixel
 * than per background pixel (`ratio` > 1); a model that reads the background, the reverse.
 *
 * @example
 * ```ts
 * const r = regionOcclusion(model, images, masks, { fill: 0.5 });    // masks: 1 on the object
 * r.inside.meanDropPerPixel, r.outside.meanDropPerPixel;            // object vs background, per pixel
 * r.meanArea;                                                        // the object's share of the pixels
 * ```
 */
import { tf } from '../../engine/tf';
import { throwIfInterrupted } from '../../display/interrupt';
import type { ModelLike, Target } from '../core/attribution';
import { explainedModel, inBatches, type ExplainedScore, type ExplainScore } from '../core/explainedModel';
import { checkInteger } from '../../checks';

/** Options of {@link regionOcclusion}. */
export interface RegionOcclusionOptions {
  /** Class index, or one per example; default: the predicted class. */
  target?: Target;
  /**
   * What covers the region: a constant (default 0.5, mid-grey: neither of the black and white
   * backgrounds of the Pokémon/Digimon story) or `'mean'`, each image's per-channel mean colour.
   */
  fill?: number | 'mean';
  /** Explain the `logit` (default for a model ending in softmax/sigmoid) or the `probability`. */
  explain?: ExplainScore;
  /** Images per forward call; default 128. */
  batchSize?: number;
}

/** The drops when one region is covered. */
export interface RegionDrop {
  /** F(x) − F(x with the region filled), per example. */
  drop: number[];
  /** `drop` ÷ the number of pixels covered (Σ mask), per example; NaN for an empty region. */
  dropPerPixel: number[];
  /** Mean of `drop`. */
  meanDrop: number;
  /** Mean of `dropPerPixel` over the examples where it is not NaN. */
  meanDropPerPixel: number;
  /** Fraction of the pixels in the region, per example. */
  area: number[];
}

/** What {@link regionOcclusion} measured: covering the mask (`inside`) and covering the rest (`outside`). */
export interface RegionOcclusion {
  /** What F is: the logit, the probability, or the output as it is. */
  explained: ExplainedScore;
  /** The class whose score is read, per example. */
  target: number[];
  /** F(x) per example, nothing covered. */
  score: number[];
  /** Covering the mask (the object). */
  inside: RegionDrop;
  /** Covering everything but the mask (the background). */
  outside: RegionDrop;
  /** Mean fraction of the pixels inside the mask. */
  meanArea: number;
  /**
   * `inside.meanDropPerPixel / outside.meanDropPerPixel`: > 1 when a pixel of the object matters
   * more than a pixel of the background (1 = a model indifferent to where a pixel is).
   */
  ratio: number;
}

const meanOf = (v: number[]) => {
  const f = v.filter((x) => !Number.isNaN(x));
  return f.length ? f.reduce((s, x) => s + x, 0) / f.length : NaN;
};

/**
 * Covers each image's mask, then its complement, with `fill` and measures the drop of the target
 * score, in total and per covered pixel (see the module doc).
 *
 * @param model - a tf.LayersModel or a function batch → scores [n, classes].
 * @param images - [n, height, width, channels].
 * @param masks - [n, height, width, 1] or [n, height, width] in [0, 1], 1 on the region (soft values cover partly).
 * @throws Error naming `images`, `masks`, `options.fill` or `options.batchSize` when they are malformed.
 *
 * @example
 * ```ts
 * const r = regionOcclusion(model, images, creatureMasks);
 * console.log(r.inside.meanDropPerPixel, r.outside.meanDropPerPixel, r.ratio);
 * ```
 */
export function regionOcclusion(model: ModelLike, images: tf.Tensor, masks: tf.Tensor, options: RegionOcclusionOptions = {}): RegionOcclusion {
  const where = 'regionOcclusion';
  const { fill = 0.5, batchSize = 128 } = options;
  checkInteger(where, 'options.batchSize', batchSize, 1);
  if (!(fill === 'mean' || (typeof fill === 'number' && Number.isFinite(fill)))) throw new Error(`${where}: options.fill must be a finite number or 'mean'; got ${JSON.stringify(fill)}`);
  const em = explainedModel(where, model, images, { target: options.target, explain: options.explain, rule: { ranks: [4], expected: 'images [n, height, width, channels]' } });
  const [n, h, w] = images.shape;
  const ok = masks instanceof tf.Tensor && !masks.isDisposed && masks.shape[0] === n && masks.shape[1] === h && masks.shape[2] === w && (masks.rank === 3 || (masks.rank === 4 && masks.shape[3] === 1));
  if (!ok) throw new Error(`${where}: masks must be a tf.Tensor [${n}, ${h}, ${w}, 1] or [${n}, ${h}, ${w}] (one per image); got ${masks instanceof tf.Tensor ? `shape [${masks.shape}]` : typeof masks}`);
  const m = tf.tidy(() => masks.reshape([n, h, w, 1]).toFloat());
  try {
    const [lo, hi] = tf.tidy(() => [m.min().dataSync()[0], m.max().dataSync()[0]]);
    if (!(lo >= 0 && hi <= 1)) throw new Error(`${where}: masks values must be in [0, 1] (1 = inside the region); got values in [${lo}, ${hi}]`);
    const score = Array.from(em.scores(images, em.target, batchSize));
    const covered = (region: 'inside' | 'outside'): number[] => {
      const out: number[] = [];
      inBatches(n, batchSize, (a, b) => {
        throwIfInterrupted('regionOcclusion');
        const occluded = tf.tidy(() => {
          const x = images.slice(a, b - a).toFloat();
          const mr = region === 'inside' ? m.slice(a, b - a) : tf.sub(1, m.slice(a, b - a));
          const f = fill === 'mean' ? x.mean([1, 2], true) : tf.scalar(fill);
          return tf.add(tf.mul(x, tf.sub(1, mr)), tf.mul(mr, f));
        });
        try {
          out.push(...Array.from(em.scores(occluded, em.target.slice(a, b), batchSize)));
        } finally {
          occluded.dispose();
        }
      });
      return out;
    };
    const sums = tf.tidy(() => m.sum([1, 2, 3]));
    const pixels = Array.from(sums.dataSync());
    sums.dispose();
    const drops = (region: 'inside' | 'outside'): RegionDrop => {
      const after = covered(region);
      const count = pixels.map((p) => (region === 'inside' ? p : h * w - p));
      const drop = after.map((v, i) => score[i] - v);
      const dropPerPixel = drop.map((d, i) => (count[i] > 0 ? d / count[i] : NaN));
      return { drop, dropPerPixel, meanDrop: meanOf(drop), meanDropPerPixel: meanOf(dropPerPixel), area: count.map((c) => c / (h * w)) };
    };
    const inside = drops('inside');
    const outside = drops('outside');
    return { explained: em.explained, target: em.target, score, inside, outside, meanArea: meanOf(inside.area), ratio: inside.meanDropPerPixel / outside.meanDropPerPixel };
  } finally {
    m.dispose();
  }
}
