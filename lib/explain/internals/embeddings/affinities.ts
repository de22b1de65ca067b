/**
 * t-SNE's input similarities (van der Maaten & Hinton 2008, §2; Barnes-Hut version: van der
 * Maaten 2014, §4.1): for every point i a Gaussian over its 3·perplexity nearest neighbours,
 * p(j|i) ∝ exp(−β_i ‖x_i − x_j‖²), with β_i found by binary search so that the distribution's
 * perplexity 2^H equals the target; then the symmetric joint P = (p(j|i) + p(i|j)) / 2N, stored
 * sparse (CSR) — memory linear in N.
 *
 * @example
 * ```ts
 * const P = jointProbabilities(nearestNeighbours(points, 90), 30); // P.vals sums to 1
 * ```
 */
import type { Neighbours } from './neighbours';

/** A sparse symmetric matrix in compressed rows. */
export interface SparseAffinities {
  readonly count: number;
  /** count + 1 offsets into cols / vals. */
  readonly rowStart: Int32Array;
  readonly cols: Int32Array;
  readonly vals: Float64Array;
}

/** p(j|i) over each point's neighbours, the perplexity of each row matched by binary search on β. */
export function conditionalProbabilities(nn: Neighbours, perplexity: number): Float64Array {
  const { k, distances } = nn;
  const n = distances.length / k;
  const target = Math.log(perplexity);
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const row = i * k;
    const dmin = distances[row];
    let beta = 1;
    let lo = -Infinity;
    let hi = Infinity;
    for (let step = 0; step < 200; step++) {
      let sum = 0;
      let sumDP = 0;
      for (let t = 0; t < k; t++) {
        const d = distances[row + t] - dmin;
        const p = Math.exp(-d * beta);
        out[row + t] = p;
        sum += p;
        sumDP += d * p;
      }
      const entropy = Math.log(sum) + (beta * sumDP) / sum;
      for (let t = 0; t < k; t++) out[row + t] /= sum;
      const diff = entropy - target;
      if (Math.abs(diff) <= 1e-5) break;
      if (diff > 0) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
      }
    }
  }
  return out;
}

/** The symmetric joint probabilities P = (p(j|i) + p(i|j)) / 2N in compressed rows. */
export function jointProbabilities(nn: Neighbours, perplexity: number): SparseAffinities {
  const { k, indices } = nn;
  const n = indices.length / k;
  const cond = conditionalProbabilities(nn, perplexity);
  // rows get their own k entries plus one for each point that has them as a neighbour
  const capacity = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    capacity[i + 1] += k;
    for (let t = 0; t < k; t++) capacity[indices[i * k + t] + 1] += 1;
  }
  for (let i = 0; i < n; i++) capacity[i + 1] += capacity[i];
  const fill = new Int32Array(n);
  const colsAll = new Int32Array(capacity[n]);
  const valsAll = new Float64Array(capacity[n]);
  const put = (i: number, j: number, v: number) => {
    const at = capacity[i] + fill[i]++;
    colsAll[at] = j;
    valsAll[at] = v;
  };
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      const v = cond[i * k + t] / (2 * n);
      put(i, j, v);
      put(j, i, v);
    }
  }
  // merge duplicate (i, j) entries row by row
  const slot = new Int32Array(n).fill(-1);
  const rowStart = new Int32Array(n + 1);
  const cols = new Int32Array(capacity[n]);
  const vals = new Float64Array(capacity[n]);
  let used = 0;
  for (let i = 0; i < n; i++) {
    rowStart[i] = used;
    for (let a = capacity[i]; a < capacity[i] + fill[i]; a++) {
      const j = colsAll[a];
      if (slot[j] < 0) {
        slot[j] = used;
        cols[used] = j;
        vals[used++] = valsAll[a];
      } else {
        vals[slot[j]] += valsAll[a];
      }
    }
    for (let a = rowStart[i]; a < used; a++) slot[cols[a]] = -1;
  }
  rowStart[n] = used;
  return { count: n, rowStart, cols: cols.slice(0, used), vals: vals.slice(0, used) };
}
