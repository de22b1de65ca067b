/**
 * Principal component analysis (Pearson 1901; Hotelling 1933): the directions of largest
 * variance of centred data, the eigenvectors of its covariance C = XcᵀXc / (n − 1).
 *
 * Three paths. `'covariance'` (the default up to 1,024 features) forms C with the engine's matrix product (blocks of the
 * upper triangle only, on the tfjs backend — XNNPACK on wasm) and finds the leading eigenpairs with
 * Lanczos and implicit QL ({@link topEigen}); it takes about as long as scikit-learn's randomized
 * SVD on 10,000 × 784 digits (README: measurements). `'randomized'` (the default above 1,024
 * features: convolution layers) finds the axes from a random range refined by power iterations
 * (Halko, Martinsson & Tropp 2011), never forming C. `'ml-pca'` runs the `ml-pca` package (a full
 * SVD in JavaScript), exact and fine for a few hundred points but minutes for 10,000 × 784; it is
 * the reference in the tests.
 *
 * @example
 * ```ts
 * const p = pca(images, { components: 50 });
 * p.explainedVarianceRatio[0]; // share of the variance along the first component
 * const xy = p.transform(moreImages); // new points in the same coordinates
 * ```
 */
import { PCA as MlPca } from 'ml-pca';
import { tf } from '../../../engine/tf';
import { checkChoice, checkInteger } from '../../../checks';
import { embedding, type Embedding } from './embedding';
import { toPoints, valuesOf, type Points, type PointsInput } from './points';
import { topEigen, type EigenPairs } from './symmetricEigen';
import { randomizedAxes } from './randomizedRange';

/** Options of {@link pca}. */
export interface PcaOptions {
  /** Number of components (default 2). */
  components?: number;
  /**
   * 'auto' (default): 'covariance' up to 1,024 features, else 'randomized'. 'covariance': exact
   * eigenvectors of the covariance (engine matmul + Lanczos). 'randomized': randomized range
   * finder with 2 power iterations (Halko et al. 2011) for wide layers. 'ml-pca': the ml-pca
   * package's SVD (exact; small inputs only).
   */
  method?: 'auto' | 'covariance' | 'randomized' | 'ml-pca';
}

/** A fitted PCA: the points in component coordinates plus what is needed to place new points. */
export interface PcaEmbedding extends Embedding {
  /** Per-feature mean subtracted before projecting. */
  readonly mean: Float32Array;
  /** `components` rows of `dims` values: unit principal axes, largest variance first. */
  readonly components: Float32Array;
  /** Variance along each component (eigenvalues of the covariance, divisor n − 1). */
  readonly explainedVariance: Float64Array;
  /** Share of the total variance along each component. */
  readonly explainedVarianceRatio: Float64Array;
  /** Coordinates of new points (same features) along the components. */
  transform(x: PointsInput): Float32Array;
}

/** Column means of the points. */
function columnMeans(p: Points): Float64Array {
  const mean = new Float64Array(p.dims);
  for (let i = 0; i < p.count; i++) {
    const row = i * p.dims;
    for (let j = 0; j < p.dims; j++) mean[j] += p.data[row + j];
  }
  for (let j = 0; j < p.dims; j++) mean[j] /= p.count;
  return mean;
}

/** XcᵀXc for the centred points on the engine, upper-triangular blocks only (XNNPACK on wasm). */
function scatterMatrix(xc: tf.Tensor2D): Float64Array {
  const [n, d] = xc.shape;
  const blocks = d >= 384 ? 6 : 1; // 6 blocks: 21 of 36 products (58% of the flops); more blocks cost more in slicing
  const size = Math.ceil(d / blocks);
  const out = new Float64Array(d * d);
  tf.tidy(() => {
    const xt = tf.transpose(xc);
    const starts = Array.from({ length: blocks }, (_, b) => b * size).filter((s) => s < d);
    const width = (s: number) => Math.min(size, d - s);
    const cols = starts.map((s) => (blocks === 1 ? xc : xc.slice([0, s], [n, width(s)])));
    starts.forEach((si, bi) => {
      const rows = blocks === 1 ? xt : xt.slice([si, 0], [width(si), n]);
      starts.forEach((sj, bj) => {
        if (bj < bi) return;
        const block = tf.matMul(rows, cols[bj]);
        const v = block.dataSync();
        block.dispose();
        const wi = width(si);
        const wj = width(sj);
        for (let a = 0; a < wi; a++) {
          for (let b = 0; b < wj; b++) {
            const x = v[a * wj + b];
            out[(si + a) * d + sj + b] = x;
            out[(sj + b) * d + si + a] = x;
          }
        }
      });
    });
  });
  return out;
}

/** Leading eigenpairs of the covariance formed on the engine ({@link scatterMatrix}), by Lanczos. */
function covarianceAxes(xc: tf.Tensor2D, k: number): EigenPairs {
  const n = xc.shape[0];
  const cov = scatterMatrix(xc);
  for (let i = 0; i < cov.length; i++) cov[i] /= n - 1;
  return topEigen(cov, xc.shape[1], k);
}

/** (x − mean) · componentsᵀ on the engine. */
function project(x: Points, mean: Float32Array, components: Float32Array, k: number): Float32Array {
  return valuesOf(() => {
    const xc = tf.sub(tf.tensor2d(x.data, [x.count, x.dims]), tf.tensor1d(mean));
    const w = tf.transpose(tf.tensor2d(components, [k, x.dims]));
    return tf.matMul(xc, w);
  });
}

/**
 * Principal components of `x` (rows are points; trailing dimensions of a tensor or captured layer
 * are flattened). Returns the points' coordinates along the first `options.components` axes,
 * the axes, the explained variance and a `transform` for new points. No tensor outlives the call.
 *
 * @example
 * ```ts
 * const p = pca(activations(model, images, ['conv2']).conv2, { components: 50 });
 * show(scatter(p.rows(), { labels }));
 * ```
 */
export function pca(x: PointsInput, options: PcaOptions = {}): PcaEmbedding {
  const where = 'pca';
  const points = toPoints(where, 'x', x);
  const k = checkInteger(where, 'options.components', options.components ?? 2, 1);
  const method = checkChoice(where, 'options.method', options.method ?? 'auto', ['auto', 'covariance', 'randomized', 'ml-pca'] as const);
  const { count: n, dims: d } = points;
  if (k > d) throw new Error(`${where}: options.components is ${k} but the points have ${d} features; expected at most ${d}`);
  if (n < 2) throw new Error(`${where}: x has ${n} point; expected at least 2 to estimate a variance`);
  let mean: Float32Array;
  let components: Float32Array;
  let variance: Float64Array;
  let total = 0;
  let coords: Float32Array;
  if (method === 'ml-pca') {
    const rows = Array.from({ length: n }, (_, i) => Array.from(points.data.subarray(i * d, (i + 1) * d)));
    const m = new MlPca(rows, { center: true, scale: false });
    const vecs = m.getEigenvectors(); // d × d, column j is axis j
    components = new Float32Array(k * d);
    for (let c = 0; c < k; c++) {
      let big = 0;
      for (let j = 0; j < d; j++) if (Math.abs(vecs.get(j, c)) > Math.abs(vecs.get(big, c))) big = j;
      const sign = vecs.get(big, c) < 0 ? -1 : 1;
      for (let j = 0; j < d; j++) components[c * d + j] = sign * vecs.get(j, c);
    }
    const all = m.getEigenvalues();
    variance = Float64Array.from(all.slice(0, k));
    total = all.reduce((a, b) => a + b, 0);
    mean = Float32Array.from(columnMeans(points));
    coords = project(points, mean, components, k);
  } else {
    const mean64 = columnMeans(points);
    mean = Float32Array.from(mean64);
    // features that never vary carry no variance: leave them out of the products (their axis entries are 0)
    const spread = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0, r = i * d; j < d; j++) {
        const v = points.data[r + j] - mean64[j];
        spread[j] += v * v;
      }
    }
    for (let j = 0; j < d; j++) total += spread[j];
    total /= n - 1;
    let keep = Array.from({ length: d }, (_, j) => j).filter((j) => spread[j] > 0);
    if (keep.length < k) keep = Array.from({ length: d }, (_, j) => j);
    const dk = keep.length;
    const xc = new Float32Array(n * dk);
    for (let i = 0; i < n; i++) {
      const r = i * d;
      const o = i * dk;
      for (let c = 0; c < dk; c++) xc[o + c] = points.data[r + keep[c]] - mean64[keep[c]];
    }
    const t = tf.tensor2d(xc, [n, dk]);
    try {
      const eig = method === 'randomized' || (method === 'auto' && dk > 1024) ? randomizedAxes(t, k) : covarianceAxes(t, k);
      variance = eig.values;
      components = new Float32Array(k * d);
      for (let r = 0; r < k; r++) for (let c = 0; c < dk; c++) components[r * d + keep[c]] = eig.vectors[r * dk + c];
      coords = valuesOf(() => tf.matMul(t, tf.transpose(tf.tensor2d(Float32Array.from(eig.vectors), [k, dk]))));
    } finally {
      t.dispose();
    }
  }
  const ratio = variance.map((v) => (total > 0 ? v / total : 0));
  return embedding<Omit<PcaEmbedding, keyof Embedding>>('pca', coords, n, k, {
    mean,
    components,
    explainedVariance: variance,
    explainedVarianceRatio: ratio,
    transform(y: PointsInput): Float32Array {
      const p = toPoints('pca.transform', 'x', y);
      if (p.dims !== d) throw new Error(`pca.transform: x has ${p.dims} features per point; the PCA was fitted on ${d}`);
      return project(p, mean, components, k);
    },
  });
}
