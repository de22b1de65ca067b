/**
 * Priors on the image, as penalties to subtract from an objective (each is ≥ 0 and has a weight):
 * the lecture's R(X) = −Σᵢⱼ|Xᵢⱼ| (digits are mostly blank) is `minus(l1(w))`; L2 (Σ X², the decay of
 * Simonyan et al. 2014), total variation (Mahendran & Vedaldi 2015) and blur (Lucent's
 * `blur_input_each_step`: Σ (X − blur(X))², Nguyen et al. 2016) favour smooth images.
 *
 * @example
 * ```ts
 * classScore(3).minus(l1(0.05)).minus(totalVariation(0.1))
 * ```
 */
import { tf } from '../../engine/tf';
import { gaussianBlur } from '../core/blur';
import { fmt, Objective } from './objective';

function weightOf(where: string, w: number): number {
  if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new Error(`${where}: weight must be a finite number ≥ 0; got ${w}`);
  return w;
}

function penalty(name: string, w: number, f: (x: tf.Tensor4D) => tf.Tensor1D): Objective {
  return new Objective(w === 1 ? name : `${fmt(w)}·${name}`, (ctx) => tf.mul(f(ctx.image), w) as tf.Tensor1D);
}

/** w·Σᵢⱼ|Xᵢⱼ − constant| per image (default constant 0, the blank background of a digit). */
export function l1(weight = 1, constant = 0): Objective {
  const w = weightOf('l1', weight);
  return penalty('l1', w, (x) => tf.abs(constant === 0 ? x : tf.sub(x, constant)).sum([1, 2, 3]) as tf.Tensor1D);
}

/** w·Σᵢⱼ (Xᵢⱼ − constant)² per image. */
export function l2(weight = 1, constant = 0): Objective {
  const w = weightOf('l2', weight);
  return penalty('l2', w, (x) => tf.square(constant === 0 ? x : tf.sub(x, constant)).sum([1, 2, 3]) as tf.Tensor1D);
}

/** w·Σ |X[i+1, j] − X[i, j]| + |X[i, j+1] − X[i, j]| per image (anisotropic total variation). */
export function totalVariation(weight = 1): Objective {
  const w = weightOf('totalVariation', weight);
  return penalty('tv', w, (x) => {
    const [n, h, wd, c] = x.shape;
    const dy = tf.abs(tf.sub(x.slice([0, 1, 0, 0], [n, h - 1, wd, c]), x.slice([0, 0, 0, 0], [n, h - 1, wd, c]))).sum([1, 2, 3]);
    const dx = tf.abs(tf.sub(x.slice([0, 0, 1, 0], [n, h, wd - 1, c]), x.slice([0, 0, 0, 0], [n, h, wd - 1, c]))).sum([1, 2, 3]);
    return tf.add(dy, dx) as tf.Tensor1D;
  });
}

/** w·Σ (X − blur(X))² per image, blur a Gaussian of `sigma` pixels (default 0.5). */
export function blur(weight = 1, sigma = 0.5): Objective {
  const w = weightOf('blur', weight);
  if (!(sigma > 0)) throw new Error(`blur: sigma must be a positive number of pixels; got ${sigma}`);
  return penalty('blur', w, (x) => tf.square(tf.sub(x, gaussianBlur(x, sigma))).sum([1, 2, 3]) as tf.Tensor1D);
}
