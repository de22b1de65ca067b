/**
 * Baselines x′ for Integrated Gradients: the "absence of signal" that attributions are measured
 * against (Sundararajan, Taly & Yan 2017; Sturmfels, Lundberg & Lee 2020, "Visualizing the Impact
 * of Feature Attribution Baselines").
 *
 * @example
 * ```ts
 * const b = baselineFor('integratedGradients', images, 'blurred', { blurSigma: 4 });  // like images
 * ```
 */
import { tf } from '../../engine/tf';
import { gaussianBlur } from './blur';

/**
 * `black` (0), `white` (1), `blurred` (Gaussian blur of each input), `uniform` (noise uniform in the
 * input's value range), a number (constant image), or a tensor of the inputs' shape (or of one
 * example's shape, shared by the batch).
 */
export type Baseline = 'black' | 'white' | 'blurred' | 'uniform' | number | tf.Tensor;

/** Options that shape the named baselines. */
export interface BaselineOptions {
  /** Standard deviation in pixels for `blurred`; default max(height, width) / 8. */
  blurSigma?: number;
  /** Seed for `uniform`; default 0. */
  seed?: number;
}

/** Makes the baseline tensor (same shape as `inputs`; the caller disposes it) or throws naming `options.baseline`. */
export function baselineFor(where: string, inputs: tf.Tensor, baseline: Baseline, options: BaselineOptions = {}): tf.Tensor {
  const shape = inputs.shape;
  if (baseline instanceof tf.Tensor) {
    const one = baseline.rank === shape.length - 1 && baseline.shape.every((d, i) => d === shape[i + 1]);
    const same = baseline.rank === shape.length && baseline.shape.every((d, i) => d === shape[i]);
    const shared = baseline.rank === shape.length && baseline.shape[0] === 1 && baseline.shape.every((d, i) => i === 0 || d === shape[i]);
    if (!(one || same || shared)) {
      throw new Error(`${where}: options.baseline has shape [${baseline.shape}] but inputs has shape [${shape}] (expected [${shape}], [1,${shape.slice(1)}] or [${shape.slice(1)}])`);
    }
    return tf.tidy(() => tf.broadcastTo(baseline.toFloat(), shape));
  }
  if (typeof baseline === 'number' && Number.isFinite(baseline)) return tf.fill(shape, baseline);
  if (baseline === 'black') return tf.zeros(shape);
  if (baseline === 'white') return tf.ones(shape);
  if (baseline === 'blurred') {
    if (inputs.rank !== 4) throw new Error(`${where}: options.baseline 'blurred' needs images [n, h, w, c]; inputs has shape [${shape}]`);
    const sigma = options.blurSigma ?? Math.max(shape[1] as number, shape[2] as number) / 8;
    if (!(typeof sigma === 'number' && sigma >= 0)) throw new Error(`${where}: options.blurSigma must be a number ≥ 0; got ${sigma}`);
    return gaussianBlur(inputs, sigma);
  }
  if (baseline === 'uniform') {
    const seed = options.seed ?? 0;
    return tf.tidy(() => {
      const flat = inputs.reshape([shape[0], -1]);
      const lo = flat.min(1, true);
      const hi = flat.max(1, true);
      const u = tf.randomUniform(flat.shape, 0, 1, 'float32', seed);
      return tf.add(lo, tf.mul(u, tf.sub(hi, lo))).reshape(shape);
    });
  }
  throw new Error(`${where}: options.baseline must be 'black', 'white', 'blurred', 'uniform', a number or a tf.Tensor; got ${JSON.stringify(baseline)}`);
}
