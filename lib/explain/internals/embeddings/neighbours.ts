/**
 * Exact k nearest neighbours (Euclidean) of every point among the others: squared distances
 * ‖x‖² + ‖y‖² − 2 x·y by blocks of rows with the engine's matrix product (memory linear in the
 * number of points), the k smallest of each row kept with a bounded max-heap.
 *
 * @example
 * ```ts
 * const nn = nearestNeighbours(points, 90); // nn.indices[i * 90 + r], nn.distances (squared)
 * ```
 */
import { tf } from '../../../engine/tf';
import { throwIfInterrupted } from '../../../display/interrupt';
import type { Points } from './points';

/** Neighbour lists: `k` per point, nearest first. */
export interface Neighbours {
  readonly k: number;
  /** [count × k] indices into the points. */
  readonly indices: Int32Array;
  /** [count × k] squared Euclidean distances. */
  readonly distances: Float64Array;
}

/** Calls `visit(start, rows, d2)` for blocks of rows of the squared-distance matrix (d2: rows × count). */
export function distanceBlocks(p: Points, visit: (start: number, rows: number, d2: Float32Array) => void): void {
  const { count: n, dims } = p;
  const block = Math.max(1, Math.min(n, Math.floor(4e6 / n)));
  const x = tf.tensor2d(p.data, [n, dims]);
  const xt = tf.transpose(x);
  const sq = tf.tidy(() => tf.sum(tf.square(x), 1));
  try {
    for (let start = 0; start < n; start += block) {
      const rows = Math.min(block, n - start);
      const d2 = tf.tidy(() => {
        const xb = x.slice(start, rows);
        const sb = sq.slice(start, rows).reshape([rows, 1]);
        return tf.relu(tf.add(tf.sub(sb, tf.mul(2, tf.matMul(xb, xt))), sq.reshape([1, n])));
      });
      const v = d2.dataSync() as Float32Array;
      d2.dispose();
      visit(start, rows, v);
      throwIfInterrupted('nearestNeighbours');
    }
  } finally {
    tf.dispose([x, xt, sq]);
  }
}

/** The `k` nearest other points of every point (exact). */
export function nearestNeighbours(p: Points, k: number): Neighbours {
  const n = p.count;
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  const heapD = new Float64Array(k);
  const heapI = new Int32Array(k);
  distanceBlocks(p, (start, rows, d2) => {
    for (let r = 0; r < rows; r++) {
      const i = start + r;
      const row = r * n;
      let size = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const d = d2[row + j];
        if (size < k) {
          // sift up into the max-heap
          let c = size++;
          while (c > 0) {
            const parent = (c - 1) >> 1;
            if (heapD[parent] >= d) break;
            heapD[c] = heapD[parent];
            heapI[c] = heapI[parent];
            c = parent;
          }
          heapD[c] = d;
          heapI[c] = j;
        } else if (d < heapD[0]) {
          // replace the farthest and sift down
          let c = 0;
          for (;;) {
            const l = 2 * c + 1;
            if (l >= k) break;
            const m = l + 1 < k && heapD[l + 1] > heapD[l] ? l + 1 : l;
            if (heapD[m] <= d) break;
            heapD[c] = heapD[m];
            heapI[c] = heapI[m];
            c = m;
          }
          heapD[c] = d;
          heapI[c] = j;
        }
      }
      // heap → ascending order
      const order = Array.from({ length: k }, (_, t) => t).sort((a, b) => heapD[a] - heapD[b] || heapI[a] - heapI[b]);
      for (let t = 0; t < k; t++) {
        indices[i * k + t] = heapI[order[t]];
        distances[i * k + t] = heapD[order[t]];
      }
    }
  });
  return { k, indices, distances };
}
