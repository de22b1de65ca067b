/**
 * Word vectors from counts alone: the positive pointwise mutual information (PPMI) between a word
 * and the words around it, reduced by a truncated SVD — the count-based model that Levy, Goldberg
 * & Dagan (2015, "Improving Distributional Similarity with Lessons Learned from Word Embeddings",
 * TACL) found as good as word2vec once its "hyperparameters" are set the same way (context
 * distribution smoothing 0.75, eigenvalue weighting √Σ). Contexts keep their side and distance
 * (word two to the left, one to the left, …), as in Schütze's (1995, "Distributional
 * Part-of-Speech Tagging") vectors, so the vectors group words by the syntactic slots they fill.
 * The SVD is the randomized one of Halko, Martinsson & Tropp (2011, SIAM Review), with power
 * iterations, on the sparse PPMI matrix.
 *
 * The course language models start their word embedding from these vectors: a few minutes of
 * masked-word training on one core cannot learn 8,000 words' distribution, one pass of counting can.
 *
 * @example
 * ```ts
 * const train = loadBrown({ split: 'train' }).sentences.map((s) => s.words);
 * const vocab = buildVocabulary(train, { unknownClasses: true });
 * const { vectors, dims } = distributionalVectors(train, vocab, { dims: 128 });
 * vectors.subarray(vocab.id('the') * dims, (vocab.id('the') + 1) * dims);   // the vector of "the"
 * ```
 */
import { seededRandom } from '../permutation';
import type { Vocabulary } from './vocabulary';

/** Options of {@link distributionalVectors}. */
export interface DistributionalVectorsOptions {
  /** Width of the vectors; default 128. */
  dims?: number;
  /** Context words on each side, each distance its own context block; default 2. */
  window?: number;
  /** Exponent of the context distribution smoothing (Levy et al.); default 0.75. */
  smoothing?: number;
  /** Exponent p of the singular values in U·Σᵖ; default 0.5. */
  weighting?: number;
  /** Power iterations of the randomized SVD; default 3. */
  powerIterations?: number;
  seed?: number;
}

/** What {@link distributionalVectors} returns. */
export interface DistributionalVectors {
  /** vocab.tokens.length × dims values, row = token id (zero rows for tokens never seen, e.g. [PAD]). */
  vectors: Float32Array;
  dims: number;
  /** The leading singular values of the PPMI matrix, descending. */
  singularValues: Float64Array;
  /** Non-zero entries of the PPMI matrix. */
  nonZeros: number;
}

/** Word vectors from PPMI + truncated SVD (see the module docs); deterministic for a seed. */
export function distributionalVectors(sentences: readonly (readonly string[])[], vocab: Vocabulary, options: DistributionalVectorsOptions = {}): DistributionalVectors {
  const where = 'distributionalVectors';
  const { dims = 128, window = 2, smoothing = 0.75, weighting = 0.5, powerIterations = 3, seed = 0 } = options;
  if (!Array.isArray(sentences) || sentences.length === 0) throw new Error(`${where}: sentences must be a non-empty array of word arrays`);
  if (!vocab || typeof vocab.encode !== 'function') throw new Error(`${where}: vocab must be a Vocabulary (buildVocabulary(…)); got ${typeof vocab}`);
  const V = vocab.tokens.length;
  if (!Number.isInteger(dims) || dims < 1 || dims > V) throw new Error(`${where}: options.dims must be an integer in 1..${V} (the vocabulary size); got ${dims}`);
  if (!Number.isInteger(window) || window < 1) throw new Error(`${where}: options.window must be an integer ≥ 1; got ${window}`);
  if (!(smoothing > 0 && smoothing <= 1)) throw new Error(`${where}: options.smoothing must be in (0, 1]; got ${smoothing}`);
  const C = 2 * window * V;
  // co-occurrence counts, key = word · C + block · V + context
  const counts = new Map<number, number>();
  for (const s of sentences) {
    const ids = vocab.encode(s).ids;
    for (let i = 0; i < ids.length; i++) {
      for (let d = 1; d <= window; d++) {
        if (i - d >= 0) counts.set(ids[i] * C + (window - d) * V + ids[i - d], (counts.get(ids[i] * C + (window - d) * V + ids[i - d]) ?? 0) + 1);
        if (i + d < ids.length) counts.set(ids[i] * C + (window + d - 1) * V + ids[i + d], (counts.get(ids[i] * C + (window + d - 1) * V + ids[i + d]) ?? 0) + 1);
      }
    }
  }
  const keys = Float64Array.from(counts.keys()).sort();
  const rowSum = new Float64Array(V);
  const colSum = new Float64Array(C);
  let total = 0;
  for (const k of keys) {
    const c = counts.get(k)!;
    rowSum[Math.floor(k / C)] += c;
    colSum[k % C] += c;
    total += c;
  }
  let smoothedTotal = 0;
  for (let j = 0; j < C; j++) smoothedTotal += colSum[j] ** smoothing;
  // PPMI in CSR (keys are sorted, so rows come in order)
  const rowStart = new Int32Array(V + 1);
  const col: number[] = [];
  const val: number[] = [];
  for (const k of keys) {
    const i = Math.floor(k / C);
    const j = k % C;
    const pmi = Math.log((counts.get(k)! * smoothedTotal) / (rowSum[i] * colSum[j] ** smoothing));
    if (pmi <= 0) continue;
    col.push(j);
    val.push(pmi);
    rowStart[i + 1]++;
  }
  for (let i = 0; i < V; i++) rowStart[i + 1] += rowStart[i];
  const P = { rowStart, col: Int32Array.from(col), val: Float64Array.from(val) };
  const l = Math.min(V, dims + 16);
  const rnd = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  let Z = Float64Array.from({ length: C * l }, gauss);
  let Y = times(P, V, Z, l);
  for (let q = 0; q < powerIterations; q++) {
    // only the short side is orthonormalized: in float64 the spread of σ^(2q+1) stays far from rounding
    orthonormalize(Y, V, l);
    Z = timesTransposed(P, V, C, Y, l);
    Y = times(P, V, Z, l);
  }
  orthonormalize(Y, V, l);
  // B = Qᵀ P; B Bᵀ = (Pᵀ Q)ᵀ (Pᵀ Q), whose eigenvectors W give U = Q W and Σ² its eigenvalues
  const PtQ = timesTransposed(P, V, C, Y, l);
  const gram = new Float64Array(l * l);
  for (let r = 0; r < C; r++) {
    const o = r * l;
    for (let a = 0; a < l; a++) {
      const x = PtQ[o + a];
      if (x === 0) continue;
      for (let b = a; b < l; b++) gram[a * l + b] += x * PtQ[o + b];
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) gram[a * l + b] = gram[b * l + a];
  const { values, vectors: W } = jacobiEigen(gram, l);
  const order = Array.from({ length: l }, (_, i) => i).sort((a, b) => values[b] - values[a]).slice(0, dims);
  const singularValues = Float64Array.from(order, (i) => Math.sqrt(Math.max(0, values[i])));
  const out = new Float32Array(V * dims);
  for (let r = 0; r < V; r++) {
    order.forEach((e, k) => {
      let u = 0;
      for (let a = 0; a < l; a++) u += Y[r * l + a] * W[a * l + e];
      out[r * dims + k] = u * singularValues[k] ** weighting;
    });
  }
  return { vectors: out, dims, singularValues, nonZeros: P.val.length };
}

interface Csr {
  rowStart: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

/** P [rows × ·] times X [· × l] (row-major). */
function times(P: Csr, rows: number, X: Float64Array, l: number): Float64Array {
  const out = new Float64Array(rows * l);
  for (let i = 0; i < rows; i++) {
    const o = i * l;
    for (let p = P.rowStart[i]; p < P.rowStart[i + 1]; p++) {
      const v = P.val[p];
      const x = P.col[p] * l;
      for (let a = 0; a < l; a++) out[o + a] += v * X[x + a];
    }
  }
  return out;
}

/** Pᵀ [cols × rows] times Y [rows × l]. */
function timesTransposed(P: Csr, rows: number, cols: number, Y: Float64Array, l: number): Float64Array {
  const out = new Float64Array(cols * l);
  for (let i = 0; i < rows; i++) {
    const y = i * l;
    for (let p = P.rowStart[i]; p < P.rowStart[i + 1]; p++) {
      const v = P.val[p];
      const o = P.col[p] * l;
      for (let a = 0; a < l; a++) out[o + a] += v * Y[y + a];
    }
  }
  return out;
}

/** Orthonormal columns in place, or zero ones where the columns are dependent (modified Gram–Schmidt on contiguous columns, twice: "twice is enough"). */
function orthonormalize(X: Float64Array, rows: number, l: number): void {
  const cols = new Float64Array(rows * l);
  for (let r = 0; r < rows; r++) for (let a = 0; a < l; a++) cols[a * rows + r] = X[r * l + a];
  for (let pass = 0; pass < 2; pass++) {
    for (let a = 0; a < l; a++) {
      const x = cols.subarray(a * rows, (a + 1) * rows);
      let before = 0;
      for (let r = 0; r < rows; r++) before += x[r] * x[r];
      for (let b = 0; b < a; b++) {
        const y = cols.subarray(b * rows, (b + 1) * rows);
        let dot = 0;
        for (let r = 0; r < rows; r++) dot += x[r] * y[r];
        for (let r = 0; r < rows; r++) x[r] -= dot * y[r];
      }
      let norm = 0;
      for (let r = 0; r < rows; r++) norm += x[r] * x[r];
      // a column in the span of the earlier ones (a rank-deficient matrix) leaves rounding noise: zero it
      const scale = norm > 1e-20 * before ? 1 / Math.sqrt(norm) : 0;
      for (let r = 0; r < rows; r++) x[r] *= scale;
    }
  }
  for (let r = 0; r < rows; r++) for (let a = 0; a < l; a++) X[r * l + a] = cols[a * rows + r];
}

/** Eigenpairs of a small symmetric matrix by cyclic Jacobi rotations (Golub & Van Loan §8.5); column e of `vectors` belongs to values[e]. */
function jacobiEigen(A: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += a[p * n + p] ** 2;
      for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    }
    if (off <= 1e-22 * diag) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: n }, (_, i) => a[i * n + i]), vectors: v };
}
