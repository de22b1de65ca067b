/**
 * The regularizers of Yosinski, Clune, Nguyen, Fuchs & Lipson 2015 ("Understanding Neural Networks
 * Through Deep Visualization", arXiv 1506.06579, §3), applied to the pixels after each step: L2
 * decay x ← (1 − θ_decay)·x; a Gaussian blur of width θ_b every θ_every steps; clipping (to 0, the
 * blank background) the pixels of smallest norm (below the θ_n percentile) and of smallest
 * contribution |Σ_c x ⊙ ∂a/∂x| (below the θ_c percentile).
 *
 * @example
 * ```ts
 * render(model, classScore(3), { yosinski: { decay: 0.01, blurEvery: 4, blurWidth: 0.5, normPercentile: 50, contributionPercentile: 50 } })
 * ```
 */
import { tf } from '../../engine/tf';
import { gaussianBlur } from '../core/blur';

/** Options of Yosinski et al.'s regularizers; a missing one is off. */
export interface YosinskiOptions {
  /** θ_decay: x ← (1 − θ)·x each step. */
  decay?: number;
  /** Blur every this many steps. */
  blurEvery?: number;
  /** Standard deviation of the blur in pixels; default 0.5. */
  blurWidth?: number;
  /** Pixels whose norm (over channels) is below this percentile (0–100) are set to 0. */
  normPercentile?: number;
  /** Pixels whose contribution |Σ_c x·g| is below this percentile (0–100) are set to 0. */
  contributionPercentile?: number;
}

/** The set that works on the course CNN (chosen in notebook 10): decay 0.01, blur 0.5 px every 4 steps, norm and contribution clipping at the 50th percentile. */
export const YOSINSKI_DEFAULTS: Required<YosinskiOptions> = { decay: 0.01, blurEvery: 4, blurWidth: 0.5, normPercentile: 50, contributionPercentile: 50 };

/** Checks the options and names a bad one. */
export function checkYosinski(where: string, o: YosinskiOptions): void {
  const bad = (k: string, v: unknown, what: string) => {
    throw new Error(`${where}: options.yosinski.${k} must be ${what}; got ${String(v)}`);
  };
  if (o.decay !== undefined && !(o.decay >= 0 && o.decay < 1)) bad('decay', o.decay, 'in [0, 1)');
  if (o.blurEvery !== undefined && !(Number.isInteger(o.blurEvery) && o.blurEvery >= 1)) bad('blurEvery', o.blurEvery, 'a positive integer');
  if (o.blurWidth !== undefined && !(o.blurWidth > 0)) bad('blurWidth', o.blurWidth, '> 0');
  if (o.normPercentile !== undefined && !(o.normPercentile >= 0 && o.normPercentile <= 100)) bad('normPercentile', o.normPercentile, 'in 0..100');
  if (o.contributionPercentile !== undefined && !(o.contributionPercentile >= 0 && o.contributionPercentile <= 100)) bad('contributionPercentile', o.contributionPercentile, 'in 0..100');
}

/** Per image, a mask [n, h, w, 1] that is 0 where `score` [n, h, w] is below its `pct` percentile. */
function keepAbovePercentile(score: tf.Tensor3D, pct: number): tf.Tensor4D {
  const [n, h, w] = score.shape;
  const s = score.dataSync();
  const mask = new Float32Array(n * h * w);
  const k = Math.floor((pct / 100) * h * w);
  for (let b = 0; b < n; b++) {
    const row = Array.from(s.subarray(b * h * w, (b + 1) * h * w));
    const cut = k <= 0 ? -Infinity : [...row].sort((a, c) => a - c)[Math.min(k, h * w) - 1];
    for (let i = 0; i < h * w; i++) mask[b * h * w + i] = row[i] > cut ? 1 : 0;
  }
  return tf.tensor4d(mask, [n, h, w, 1]);
}

/** Applies the regularizers to `pixels` after step `step` (1-based), `grad` the step's gradient of the objective. */
export function applyYosinski(pixels: tf.Variable, grad: tf.Tensor | undefined, step: number, o: YosinskiOptions): void {
  tf.tidy(() => {
    let x = pixels as unknown as tf.Tensor4D;
    if (o.decay) x = tf.mul(x, 1 - o.decay);
    if (o.blurEvery && step % o.blurEvery === 0) x = gaussianBlur(x, o.blurWidth ?? 0.5);
    if (o.normPercentile) x = tf.mul(x, keepAbovePercentile(tf.norm(x, 2, 3) as tf.Tensor3D, o.normPercentile));
    if (o.contributionPercentile && grad) x = tf.mul(x, keepAbovePercentile(tf.abs(tf.sum(tf.mul(x, grad), 3)) as tf.Tensor3D, o.contributionPercentile));
    if (x !== (pixels as unknown)) pixels.assign(x);
  });
}
