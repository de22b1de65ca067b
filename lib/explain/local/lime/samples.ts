/**
 * LIME's interpretable representations (Ribeiro, Singh & Guestrin 2016): for one input, draw
 * samples z in a simple feature space, say how far each is from the input, and turn them back into
 * inputs the black box can score.
 *
 * - image: z ∈ {0,1}^superpixels, a superpixel is kept (1) or covered by `fill` (0);
 * - tabular: z = x′ − x with x′ = x + scale ⊙ ε, ε ~ N(0, I), in the features' own units;
 * - tokens: z ∈ {0,1}^positions, a token is kept or replaced by `maskToken`.
 *
 * @example
 * ```ts
 * const s = tokenSamples(ids, 500, 0, 7);   // s.Z: 500 × T, s.render(0, 100): int32 [100, T]
 * ```
 */
import { tf } from '../../../engine/tf';
import { gaussianBlur } from '../../core/blur';
import type { Segmentation } from './slic';

/** Samples around one input. Row 0 is the input itself. */
export interface LimeSamples {
  /** Number of interpretable features d. */
  d: number;
  /** Sample rows in the surrogate's feature space, rows × d, row-major. */
  Z: Float64Array;
  /** Each row as a vector to measure distance with, and the input as one (rows × d, d). */
  points: Float64Array;
  origin: Float64Array;
  /** The model inputs of rows lo..hi−1 (the caller disposes them). */
  render(lo: number, hi: number): tf.Tensor;
  /** Frees what the samples hold. */
  dispose(): void;
}

/** How a covered superpixel looks: a constant, the mean of the superpixel, or the blurred image. */
export type LimeFill = number | 'mean' | 'blur';

function uniforms(rows: number, d: number, seed: number): Float32Array {
  const u = tf.randomUniform([rows, d], 0, 1, 'float32', seed);
  const v = u.dataSync() as Float32Array;
  u.dispose();
  return v;
}

/** Binary samples: row 0 all ones, then each feature on with probability 1/2. */
function binarySamples(rows: number, d: number, seed: number): Float64Array {
  const u = uniforms(rows, d, seed);
  const Z = new Float64Array(rows * d);
  for (let i = 0; i < rows * d; i++) Z[i] = i < d || u[i] < 0.5 ? 1 : 0;
  return Z;
}

/** Superpixel samples of one image [1, h, w, c] with its segmentation. */
export function imageSamples(image: tf.Tensor, seg: Segmentation, rows: number, fill: LimeFill, seed: number, blurSigma = 2): LimeSamples {
  const [, h, w, c] = image.shape as number[];
  const d = seg.count;
  const Z = binarySamples(rows, d, seed);
  let background: tf.Tensor;
  if (fill === 'blur') background = gaussianBlur(image, blurSigma);
  else if (fill === 'mean') {
    const px = image.dataSync();
    const sums = new Float64Array(d * c);
    const counts = new Float64Array(d);
    for (let p = 0; p < h * w; p++) {
      counts[seg.labels[p]]++;
      for (let ch = 0; ch < c; ch++) sums[seg.labels[p] * c + ch] += px[p * c + ch];
    }
    const out = new Float32Array(h * w * c);
    for (let p = 0; p < h * w; p++) for (let ch = 0; ch < c; ch++) out[p * c + ch] = sums[seg.labels[p] * c + ch] / counts[seg.labels[p]];
    background = tf.tensor4d(out, [1, h, w, c]);
  } else background = tf.scalar(fill);
  return {
    d,
    Z,
    points: Z,
    origin: new Float64Array(d).fill(1),
    render(lo, hi) {
      const b = hi - lo;
      const keep = new Float32Array(b * h * w);
      for (let r = 0; r < b; r++) for (let p = 0; p < h * w; p++) keep[r * h * w + p] = Z[(lo + r) * d + seg.labels[p]];
      return tf.tidy(() => {
        const k = tf.tensor4d(keep, [b, h, w, 1]);
        return tf.add(tf.mul(image, k), tf.mul(background, tf.sub(1, k)));
      });
    },
    dispose: () => background.dispose(),
  };
}

/** Gaussian samples around one row x [1, d], `scale` per feature (the features' spread). */
export function tabularSamples(row: tf.Tensor, scale: number[], rows: number, seed: number): LimeSamples {
  const d = row.shape[1] as number;
  const x = row.dataSync();
  const e = tf.randomNormal([rows, d], 0, 1, 'float32', seed);
  const eps = e.dataSync();
  e.dispose();
  const Z = new Float64Array(rows * d);
  const points = new Float64Array(rows * d);
  const inputs = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) {
      const k = r * d + j;
      const step = r === 0 ? 0 : eps[k];
      Z[k] = scale[j] * step;
      inputs[k] = x[j] + Z[k];
      points[k] = x[j] / scale[j] + step;
    }
  }
  return {
    d,
    Z,
    points,
    origin: Float64Array.from(x, (v, j) => v / scale[j]),
    render: (lo, hi) => tf.tensor2d(inputs.subarray(lo * d, hi * d), [hi - lo, d]),
    dispose: () => undefined,
  };
}

/** Token samples of one sequence of ids [1, T]: each position kept or replaced by `maskToken`. */
export function tokenSamples(ids: tf.Tensor, rows: number, maskToken: number, seed: number): LimeSamples {
  const d = ids.shape[1] as number;
  const x = ids.dataSync();
  const Z = binarySamples(rows, d, seed);
  return {
    d,
    Z,
    points: Z,
    origin: new Float64Array(d).fill(1),
    render(lo, hi) {
      const out = new Int32Array((hi - lo) * d);
      for (let r = lo; r < hi; r++) for (let j = 0; j < d; j++) out[(r - lo) * d + j] = Z[r * d + j] ? x[j] : maskToken;
      return tf.tensor2d(out, [hi - lo, d], 'int32');
    },
    dispose: () => undefined,
  };
}
