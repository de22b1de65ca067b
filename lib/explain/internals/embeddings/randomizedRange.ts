/**
 * The leading principal axes of a wide centred matrix (more features than a covariance can hold
 * cheaply, e.g. a convolution layer's 10,816 activations) by randomized range finding with power
 * iterations (Halko, Martinsson & Tropp 2011, Algorithms 4.4 and 5.1): Q spans Xc (XcᵀXc)^q Ω,
 * then the small matrix B = QᵀXc is diagonalized exactly. Products on the engine; the
 * orthonormalization is Cholesky-QR done twice (CholQR2, Fukaya et al. 2014).
 *
 * @example
 * ```ts
 * const { values, vectors } = randomizedAxes(xc, 50); // values: variances (divisor n − 1)
 * ```
 */
import { tf } from '../../../engine/tf';
import { seededRandom } from '../../../data/permutation';
import { topEigen, type EigenPairs } from './symmetricEigen';
import { valuesOf } from './points';

/** Lower Cholesky factor of the p×p symmetric positive definite `g` (a tiny ridge keeps it so). */
function cholesky(g: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  let ridge = 0;
  for (let i = 0; i < p; i++) ridge = Math.max(ridge, g[i * p + i]);
  ridge *= 1e-12;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = g[i * p + j] + (i === j ? ridge : 0);
      for (let t = 0; t < j; t++) s -= l[i * p + t] * l[j * p + t];
      l[i * p + j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / l[j * p + j];
    }
  }
  return l;
}

/** Inverse of the lower-triangular `l`, transposed: R⁻¹ with R = Lᵀ (so Y R⁻¹ has orthonormal columns). */
function inverseUpper(l: Float64Array, p: number): Float32Array {
  // solve L M = I (M lower), then R⁻¹ = Mᵀ
  const m = new Float64Array(p * p);
  for (let c = 0; c < p; c++) {
    for (let i = c; i < p; i++) {
      let s = i === c ? 1 : 0;
      for (let t = c; t < i; t++) s -= l[i * p + t] * m[t * p + c];
      m[i * p + c] = s / l[i * p + i];
    }
  }
  const r = new Float32Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) r[i * p + j] = m[j * p + i];
  return r;
}

/** Y with orthonormal columns spanning the same space (CholQR2); disposes `y`. */
function orthonormal(y: tf.Tensor2D): tf.Tensor2D {
  const p = y.shape[1];
  let q = y;
  for (let pass = 0; pass < 2; pass++) {
    const g = valuesOf(() => tf.matMul(tf.transpose(q), q));
    const r = inverseUpper(cholesky(Float64Array.from(g), p), p);
    const next = tf.tidy(() => tf.matMul(q, tf.tensor2d(r, [p, p])) as tf.Tensor2D);
    q.dispose();
    q = next;
  }
  return q;
}

/**
 * The `k` leading eigenpairs of the covariance XcᵀXc / (n − 1) of the centred `xc` [n, d],
 * from a random range of k + 10 columns refined by `powerIterations` (default 2).
 */
export function randomizedAxes(xc: tf.Tensor2D, k: number, powerIterations = 2, seed = 0): EigenPairs {
  const [n, d] = xc.shape;
  const p = Math.min(d, n, k + 10);
  const rnd = seededRandom(seed + 7);
  const omega = new Float32Array(d * p);
  for (let i = 0; i < omega.length; i++) omega[i] = rnd() - 0.5;
  const xt = tf.transpose(xc);
  try {
    let q = orthonormal(tf.tidy(() => tf.matMul(xc, tf.tensor2d(omega, [d, p]))));
    for (let it = 0; it < powerIterations; it++) {
      const z = orthonormal(tf.tidy(() => tf.matMul(xt, q)));
      q.dispose();
      q = orthonormal(tf.tidy(() => tf.matMul(xc, z)));
      z.dispose();
    }
    // B = QᵀXc [p, d]; BBᵀ = U S² Uᵀ; axes = S⁻¹ Uᵀ B
    const b = tf.tidy(() => tf.transpose(tf.matMul(xt, q)) as tf.Tensor2D);
    q.dispose();
    const bb = Float64Array.from(valuesOf(() => tf.matMul(b, tf.transpose(b))));
    const eig = topEigen(bb, p, k);
    const scaled = new Float32Array(k * p);
    for (let r = 0; r < k; r++) {
      const s = Math.sqrt(Math.max(eig.values[r], 1e-300));
      for (let c = 0; c < p; c++) scaled[r * p + c] = eig.vectors[r * p + c] / s;
    }
    const axes = valuesOf(() => tf.matMul(tf.tensor2d(scaled, [k, p]), b));
    b.dispose();
    const vectors = Float64Array.from(axes);
    for (let r = 0; r < k; r++) {
      const v = vectors.subarray(r * d, (r + 1) * d);
      let big = 0;
      for (let t = 0; t < d; t++) if (Math.abs(v[t]) > Math.abs(v[big])) big = t;
      if (v[big] < 0) for (let t = 0; t < d; t++) v[t] = -v[t];
    }
    return { values: eig.values.map((v) => v / (n - 1)), vectors };
  } finally {
    xt.dispose();
  }
}
