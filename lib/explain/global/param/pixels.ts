/**
 * Pixels as the parameter: the plainest parameterization (Erhan et al. 2009; Simonyan et al. 2014),
 * each pixel a variable, kept in the model's input range by a sigmoid or by clipping after each step.
 *
 * @example
 * ```ts
 * render(model, classScore(3), { param: pixels({ bound: 'clip' }) })
 * ```
 */
import { tf } from '../../../engine/tf';
import { type Parameterization, type ParamState, variableName } from './param';

/** How pixels stay in range: `sigmoid` (x = lo + (hi − lo)·σ(v)), `clip` after each step, or `none`. */
export type PixelBound = 'sigmoid' | 'clip' | 'none';

/** Options of {@link pixels}. */
export interface PixelsOptions {
  /** Default `clip`. */
  bound?: PixelBound;
  /** The model's input range; default [0, 1] (MNIST). */
  range?: [number, number];
  /** Starting value of every pixel (in the range); default its middle. */
  start?: number;
  /** Standard deviation of the starting noise, in pixel units; default 0.01. */
  noise?: number;
}

/** Pixels bounded by a sigmoid or by clipping; see the module example. */
export function pixels(options: PixelsOptions = {}): Parameterization {
  const { bound = 'clip', range = [0, 1], noise = 0.01 } = options;
  if (bound !== 'sigmoid' && bound !== 'clip' && bound !== 'none') throw new Error(`pixels: options.bound must be 'sigmoid', 'clip' or 'none'; got ${JSON.stringify(bound)}`);
  const [lo, hi] = range;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) throw new Error(`pixels: options.range must be [lo, hi] with lo < hi; got ${JSON.stringify(range)}`);
  const start = options.start ?? (lo + hi) / 2;
  if (!(start > lo && start < hi) && bound === 'sigmoid') throw new Error(`pixels: options.start must lie strictly inside the range ${JSON.stringify(range)} for a sigmoid bound; got ${start}`);
  if (!(noise >= 0)) throw new Error(`pixels: options.noise must be ≥ 0; got ${noise}`);
  return {
    kind: `pixels (${bound})`,
    create(shape, seed): ParamState {
      const v = tf.tidy(() => {
        const x0 = tf.add(tf.randomNormal(shape, 0, noise, 'float32', seed), start);
        if (bound !== 'sigmoid') return x0;
        const u = tf.clipByValue(tf.div(tf.sub(x0, lo), hi - lo), 1e-4, 1 - 1e-4);
        return tf.log(tf.div(u, tf.sub(1, u))); // σ⁻¹
      });
      const variable = tf.variable(v, true, variableName('pixels'));
      v.dispose();
      return {
        kind: `pixels (${bound})`,
        variables: [variable],
        pixelVariable: bound === 'sigmoid' ? undefined : variable,
        image: () => (bound === 'sigmoid' ? (tf.add(tf.mul(tf.sigmoid(variable), hi - lo), lo) as tf.Tensor4D) : (variable as unknown as tf.Tensor4D)),
        afterStep: bound === 'clip' ? () => tf.tidy(() => variable.assign(tf.clipByValue(variable, lo, hi))) : undefined,
        dispose: () => variable.dispose(),
      };
    },
  };
}
