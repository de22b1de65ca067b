/**
 * The simple model LIME fits near one input (Ribeiro, Singh & Guestrin 2016): weighted ridge
 * regression, minimising Σᵢ πᵢ (yᵢ − b − zᵢ·β)² + α‖β‖², solved exactly (Cholesky), with its
 * weighted R² — how well the simple model mimics the black box locally.
 *
 * @example
 * ```ts
 * const fit = weightedRidge(Z, 3, y, pi, 1);   // Z: rows × 3 features, row-major
 * fit.coef; fit.intercept; fit.r2;
 * ```
 */

/** A fitted weighted ridge model. */
export interface RidgeFit {
  /** β, one weight per feature. */
  coef: number[];
  /** b. */
  intercept: number;
  /** Weighted R² = 1 − Σπ(y − ŷ)² / Σπ(y − ȳ)² (1 when y is constant and fitted exactly, 0 when constant and not). */
  r2: number;
}

/** Solves A x = b in place for a symmetric positive definite A (d × d, row-major). */
function choleskySolve(A: Float64Array, b: Float64Array, d: number): Float64Array {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * d + j];
      for (let k = 0; k < j; k++) s -= L[i * d + k] * L[j * d + k];
      if (i === j) {
        if (!(s > 0)) throw new Error('weightedRidge: the system is not positive definite (use options.alpha > 0)');
        L[i * d + i] = Math.sqrt(s);
      } else L[i * d + j] = s / L[j * d + j];
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * d + k] * y[k];
    y[i] = s / L[i * d + i];
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < d; k++) s -= L[k * d + i] * x[k];
    x[i] = s / L[i * d + i];
  }
  return x;
}

/**
 * Fits y ≈ b + Z β with sample weights `weights` and ridge penalty `alpha` (not applied to b).
 * `Z` is rows × `d`, row-major.
 */
export function weightedRidge(Z: ArrayLike<number>, d: number, y: ArrayLike<number>, weights: ArrayLike<number>, alpha = 1): RidgeFit {
  const rows = y.length;
  if (!Number.isInteger(d) || d < 1) throw new Error(`weightedRidge: d must be a positive integer; got ${d}`);
  if (Z.length !== rows * d) throw new Error(`weightedRidge: Z has ${Z.length} values but y has ${rows} rows of ${d} features`);
  if (weights.length !== rows) throw new Error(`weightedRidge: weights has ${weights.length} entries but y has ${rows}`);
  if (!(alpha >= 0)) throw new Error(`weightedRidge: alpha must be ≥ 0; got ${alpha}`);
  let wsum = 0;
  const zbar = new Float64Array(d);
  let ybar = 0;
  for (let r = 0; r < rows; r++) {
    const w = weights[r];
    wsum += w;
    ybar += w * y[r];
    for (let j = 0; j < d; j++) zbar[j] += w * Z[r * d + j];
  }
  if (!(wsum > 0)) throw new Error('weightedRidge: the sample weights sum to 0');
  ybar /= wsum;
  for (let j = 0; j < d; j++) zbar[j] /= wsum;
  const A = new Float64Array(d * d);
  const b = new Float64Array(d);
  const zc = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const w = weights[r];
    if (w === 0) continue;
    for (let j = 0; j < d; j++) zc[j] = Z[r * d + j] - zbar[j];
    const yc = y[r] - ybar;
    for (let i = 0; i < d; i++) {
      const wi = w * zc[i];
      b[i] += wi * yc;
      for (let j = 0; j <= i; j++) A[i * d + j] += wi * zc[j];
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) A[j * d + i] = A[i * d + j];
    A[i * d + i] += alpha > 0 ? alpha : 1e-12 * Math.max(1, A[i * d + i]);
  }
  const beta = choleskySolve(A, b, d);
  let intercept = ybar;
  for (let j = 0; j < d; j++) intercept -= zbar[j] * beta[j];
  let ssRes = 0;
  let ssTot = 0;
  for (let r = 0; r < rows; r++) {
    let pred = intercept;
    for (let j = 0; j < d; j++) pred += Z[r * d + j] * beta[j];
    ssRes += weights[r] * (y[r] - pred) ** 2;
    ssTot += weights[r] * (y[r] - ybar) ** 2;
  }
  const r2 = ssTot > 0 ? 1 - ssRes / ssTot : ssRes <= 1e-12 * wsum ? 1 : 0;
  return { coef: Array.from(beta), intercept, r2 };
}
