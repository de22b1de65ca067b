/**
 * How faithful an embedding is and how well it separates classes.
 *
 * - {@link trustworthiness} (Venna & Kaski 2001): how many of each point's k nearest neighbours in
 *   the map are strangers in the original space, weighted by how far down the original ranking
 *   they are: T(k) = 1 − 2 / (n k (2n − 3k − 1)) Σ_i Σ_{j ∈ U_k(i)} (r(i, j) − k), with r(i, j)
 *   the rank of j among i's neighbours in the original space. 1 is perfect; a random map of
 *   well-spread data scores about 0.5. The same formula as `sklearn.manifold.trustworthiness`.
 * - {@link silhouette} (Rousseeuw 1987): for each point, s = (b − a) / max(a, b), with a its
 *   mean distance to its own class and b the smallest mean distance to another class; the mean
 *   over points is in [−1, 1] (as `sklearn.metrics.silhouette_score`; a class of one point scores 0).
 *
 * Both are exact, with the distance matrix computed by blocks of rows (memory linear in n).
 *
 * @example
 * ```ts
 * trustworthiness(x50, map, 10); // 0.98
 * silhouette(map, labels).mean;  // 0.45
 * ```
 */
import { checkInteger } from '../../../checks';
import { distanceBlocks, nearestNeighbours } from './neighbours';
import { checkLabels, toPoints, type PointsInput } from './points';

/**
 * Trustworthiness of the low-dimensional `low` as a map of `high` (same points, same order)
 * with `k` neighbours (default 5, as scikit-learn). Needs k < n / 2.
 *
 * @example
 * ```ts
 * trustworthiness(pixels, pca(pixels, { components: 2 }), 10); // about 0.8 for MNIST digits
 * ```
 */
export function trustworthiness(high: PointsInput, low: PointsInput, k = 5): number {
  const where = 'trustworthiness';
  const h = toPoints(where, 'high', high);
  const l = toPoints(where, 'low', low);
  if (h.count !== l.count) throw new Error(`${where}: high has ${h.count} points but low has ${l.count}; expected the same points in both`);
  const n = h.count;
  checkInteger(where, 'k', k, 1);
  if (k >= n / 2) throw new Error(`${where}: k must be < n / 2 = ${n / 2}; got ${k}`);
  const mapNeighbours = nearestNeighbours(l, k).indices;
  const targets = new Float64Array(k);
  const below = new Int32Array(k + 1);
  let penalty = 0;
  distanceBlocks(h, (start, rows, d2) => {
    for (let r = 0; r < rows; r++) {
      const i = start + r;
      const row = r * n;
      // rank in the original space of each map neighbour j: 1 + #points strictly closer than j
      for (let t = 0; t < k; t++) targets[t] = d2[row + mapNeighbours[i * k + t]];
      const sorted = Float64Array.from(targets).sort();
      below.fill(0);
      for (let m = 0; m < n; m++) {
        if (m === i) continue;
        const d = d2[row + m];
        if (d >= sorted[k - 1]) continue;
        let pos = 0;
        while (sorted[pos] <= d) pos++;
        below[pos]++; // closer than sorted[pos..]
      }
      for (let t = 0; t < k; t++) {
        // points closer than targets[t] = sorted[s] (s its first index) are those counted in below[0..s]
        let s = 0;
        while (sorted[s] < targets[t]) s++;
        let closer = 0;
        for (let q = 0; q <= s; q++) closer += below[q];
        if (closer + 1 > k) penalty += closer + 1 - k;
      }
    }
  });
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * penalty;
}

/** Silhouette scores: the mean, one per point, and the mean per class. */
export interface Silhouette {
  readonly mean: number;
  readonly perPoint: Float64Array;
  /** Mean score of each class, keyed by label. */
  readonly perClass: Map<number | string, number>;
}

/**
 * Silhouette of the clustering given by `labels` (one per point) in the space of `points`
 * (Euclidean distances). Needs 2 ≤ classes ≤ n − 1.
 *
 * @example
 * ```ts
 * silhouette([[0], [1], [10], [11]], [0, 0, 1, 1]).mean; // ≈ 0.90
 * ```
 */
export function silhouette(points: PointsInput, labels: readonly (number | string)[]): Silhouette {
  const where = 'silhouette';
  const p = toPoints(where, 'points', points);
  const n = p.count;
  checkLabels(where, labels, n);
  const classes = [...new Set(labels)];
  if (classes.length < 2 || classes.length > n - 1) throw new Error(`${where}: labels must name between 2 and ${n - 1} classes (n − 1); got ${classes.length}`);
  const index = new Map(classes.map((c, i) => [c, i]));
  const cls = Int32Array.from(labels, (l) => index.get(l) as number);
  const size = new Int32Array(classes.length);
  for (const c of cls) size[c]++;
  const perPoint = new Float64Array(n);
  const sums = new Float64Array(classes.length);
  distanceBlocks(p, (start, rows, d2) => {
    for (let r = 0; r < rows; r++) {
      const i = start + r;
      sums.fill(0);
      const row = r * n;
      for (let j = 0; j < n; j++) if (j !== i) sums[cls[j]] += Math.sqrt(d2[row + j]);
      const own = cls[i];
      if (size[own] <= 1) continue; // a class of one point scores 0
      const a = sums[own] / (size[own] - 1);
      let b = Infinity;
      for (let c = 0; c < classes.length; c++) if (c !== own && size[c] > 0) b = Math.min(b, sums[c] / size[c]);
      const m = Math.max(a, b);
      perPoint[i] = m > 0 ? (b - a) / m : 0;
    }
  });
  const perClass = new Map<number | string, number>();
  classes.forEach((c, ci) => {
    let s = 0;
    for (let i = 0; i < n; i++) if (cls[i] === ci) s += perPoint[i];
    perClass.set(c, s / size[ci]);
  });
  return { mean: perPoint.reduce((a, b) => a + b, 0) / n, perPoint, perClass };
}
