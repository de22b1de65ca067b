/**
 * The leading eigenpairs of a symmetric matrix (a covariance): Lanczos iteration with full
 * reorthogonalization (Lanczos 1950; Golub & Van Loan, Matrix Computations §10.1), whose small
 * tridiagonal matrix is diagonalized by the implicit QL method (tql2 of EISPACK, as in JAMA).
 * The Krylov space grows until the wanted Ritz pairs have residuals below a tolerance; at full
 * size it spans the whole space, so the result is exact up to rounding.
 *
 * @example
 * ```ts
 * const { values, vectors } = topEigen(new Float64Array([2, 1, 1, 2]), 2, 1); // values [3], vectors [0.707, 0.707]
 * ```
 */
import { seededRandom } from '../../../data/permutation';
import { lanczosKernel } from './lanczosWasm';

/** Eigenvalues (descending) and unit eigenvectors (row i belongs to value i). */
export interface EigenPairs {
  readonly values: Float64Array;
  /** k rows of d values. */
  readonly vectors: Float64Array;
}

/**
 * Implicit QL on a symmetric tridiagonal matrix (diagonal `d`, sub-diagonal `e[i]` between i and
 * i+1); `d` becomes the eigenvalues and the columns of `v` (n×n, row-major, identity on entry) the
 * eigenvectors. EISPACK tql2 as in JAMA.
 */
export function tridiagonalQl(d: Float64Array, e: Float64Array, v: Float64Array, n: number): void {
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n && Math.abs(e[m]) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new Error('topEigen: the QL iteration did not converge');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0; k < n; k++) {
            const row = k * n;
            h = v[row + i + 1];
            v[row + i + 1] = s * v[row + i] + c * h;
            v[row + i] = c * v[row + i] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/** y = A x for the symmetric d×d matrix `a`. */
function multiply(a: Float64Array, x: Float64Array, y: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) {
    let s = 0;
    const row = i * d;
    for (let j = 0; j < d; j++) s += a[row + j] * x[j];
    y[i] = s;
  }
}

/**
 * Removes from `w` its components along the first `count` rows of `q` (classical Gram–Schmidt,
 * repeated once when it cancelled most of `w`: Kahan–Parlett's "twice is enough").
 */
function orthogonalize(q: Float64Array, count: number, w: Float64Array, d: number): void {
  const dots = new Float64Array(count);
  for (let pass = 0; pass < 2; pass++) {
    const before = norm(w);
    for (let i = 0; i < count; i++) {
      let dot = 0;
      const row = i * d;
      for (let j = 0; j < d; j++) dot += q[row + j] * w[j];
      dots[i] = dot;
    }
    for (let i = 0; i < count; i++) {
      const dot = dots[i];
      const row = i * d;
      for (let j = 0; j < d; j++) w[j] -= dot * q[row + j];
    }
    if (norm(w) > 0.7 * before) return;
  }
}

function norm(w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i] * w[i];
  return Math.sqrt(s);
}

/**
 * The `k` largest eigenvalues of the symmetric `d`×`d` matrix `a` (row-major) and their
 * eigenvectors. Signs are fixed so that each vector's largest-magnitude entry is positive.
 */
export function topEigen(a: Float64Array, d: number, k: number, seed = 0): EigenPairs {
  if (a.length !== d * d) throw new Error(`topEigen: a has ${a.length} values; expected ${d}×${d}`);
  if (!Number.isInteger(k) || k < 1 || k > d) throw new Error(`topEigen: k must be an integer in 1..${d}; got ${k}`);
  let scale = 0;
  for (let i = 0; i < d; i++) scale = Math.max(scale, Math.abs(a[i * d + i]));
  const rnd = seededRandom(seed + 1);
  const kernel = d >= 64 ? lanczosKernel(a, d) : undefined; // wasm SIMD for the O(d²) work of each step
  const q = kernel ? kernel.q : new Float64Array(d * d);
  const alpha = new Float64Array(d);
  const beta = new Float64Array(d);
  const w = kernel ? kernel.w : new Float64Array(d);
  const fresh = (j: number) => {
    for (let t = 0; t < d; t++) w[t] = rnd() - 0.5;
    orthogonalize(q, j, w, d);
    const nw = norm(w);
    for (let t = 0; t < d; t++) q[j * d + t] = w[t] / nw;
  };
  fresh(0);
  let done = 0; // Lanczos steps taken; the Krylov space grows from one attempt to the next
  let m = Math.min(d, Math.max(k + 30, 40));
  for (;;) {
    for (let j = done; j < m; j++) {
      if (kernel) {
        alpha[j] = kernel.step(j);
      } else {
        const qj = q.subarray(j * d, (j + 1) * d);
        multiply(a, qj, w, d);
        let dot = 0;
        for (let t = 0; t < d; t++) dot += qj[t] * w[t];
        alpha[j] = dot;
        for (let t = 0; t < d; t++) w[t] -= dot * qj[t] + (j > 0 ? beta[j - 1] * q[(j - 1) * d + t] : 0);
        orthogonalize(q, j + 1, w, d);
      }
      const b = norm(w);
      if (j + 1 === d) {
        beta[j] = 0;
        break;
      }
      if (b <= 1e-10 * Math.max(scale, 1e-300)) {
        beta[j] = 0; // invariant subspace: go on from a new direction orthogonal to all so far
        fresh(j + 1);
      } else {
        beta[j] = b;
        for (let t = 0; t < d; t++) q[(j + 1) * d + t] = w[t] / b;
      }
    }
    done = m;
    const z = new Float64Array(m * m);
    for (let i = 0; i < m; i++) z[i * m + i] = 1;
    const values = Float64Array.from(alpha.subarray(0, m));
    const e = Float64Array.from(beta.subarray(0, m));
    tridiagonalQl(values, e, z, m);
    const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => values[y] - values[x]);
    const out = new Float64Array(k);
    const vectors = new Float64Array(k * d);
    let worst = 0;
    for (let r = 0; r < k; r++) {
      const c = order[r];
      out[r] = values[c];
      const v = vectors.subarray(r * d, (r + 1) * d);
      for (let i = 0; i < m; i++) {
        const s = z[i * m + c];
        if (s === 0) continue;
        for (let t = 0; t < d; t++) v[t] += s * q[i * d + t];
      }
      // residual of the Ritz pair: |beta_{m-1} · last component of the Ritz vector in T's basis|
      worst = Math.max(worst, Math.abs(beta[m - 1] * z[(m - 1) * m + c]));
      let big = 0;
      for (let t = 0; t < d; t++) if (Math.abs(v[t]) > Math.abs(v[big])) big = t;
      if (v[big] < 0) for (let t = 0; t < d; t++) v[t] = -v[t];
    }
    if (m === d || worst <= 1e-7 * Math.max(scale, 1e-300)) return { values: out, vectors };
    m = Math.min(d, Math.ceil(m * 1.5));
  }
}
