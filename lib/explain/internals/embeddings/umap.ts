/**
 * UMAP (McInnes, Healy & Melville 2018, "UMAP: Uniform Manifold Approximation and Projection for
 * Dimension Reduction") through the `umap-js` package, called like {@link tsne}: points in, an
 * {@link Embedding} out, deterministic from a seed, a progress bar, an `onEpoch` hook for a scatter
 * that moves while it runs, and interruptible. The k nearest neighbours are exact, from the same
 * matrix-product blocks t-SNE uses (umap-js would otherwise run its approximate NN-descent).
 *
 * @example
 * ```ts
 * const e = await umap(acts.conv2, { neighbours: 15, minDist: 0.1 });
 * show(scatter(e.rows(), { labels }));
 * ```
 */
import { UMAP } from 'umap-js';
import { checkInteger } from '../../../checks';
import { seededRandom } from '../../../data/permutation';
import { pollInterrupt } from '../../../display/interrupt';
import { progress } from '../../../display/progress';
import { embedding, type Embedding } from './embedding';
import { nearestNeighbours } from './neighbours';
import { type PointsInput, toPoints } from './points';

/** Options of {@link umap}. */
export interface UmapOptions {
  /** Neighbours per point (UMAP's n_neighbors); default 15. */
  neighbours?: number;
  /** Smallest distance between embedded points (min_dist); default 0.1. */
  minDist?: number;
  /** Scale of the embedded points (spread); default 1. */
  spread?: number;
  /** Optimization epochs; default umap-js's choice (500 below 10,000 points, 200 above). */
  epochs?: number;
  /** Seed of the initialization and the negative sampling; default 0. */
  seed?: number;
  /** Called every `reportEvery` epochs with the current embedding. */
  onEpoch?: (state: { epoch: number; epochs: number; embedding: Embedding }) => void | Promise<void>;
  /** Default 50. */
  reportEvery?: number;
  /** Show a progress bar; default true. */
  progress?: boolean;
}

/** A UMAP embedding: 2-D points and what made them. */
export interface UmapEmbedding extends Embedding {
  readonly neighbours: number;
  readonly minDist: number;
  readonly epochs: number;
}

/** UMAP of `x` to 2-D (see the module example). */
export async function umap(x: PointsInput, options: UmapOptions = {}): Promise<UmapEmbedding> {
  const where = 'umap';
  const points = toPoints(where, 'x', x);
  const n = points.count;
  const k = checkInteger(where, 'options.neighbours', options.neighbours ?? 15, 2);
  if (n < k + 1) throw new Error(`${where}: options.neighbours ${k} needs at least ${k + 1} points; got ${n} points — lower options.neighbours`);
  const minDist = options.minDist ?? 0.1;
  const spread = options.spread ?? 1;
  if (!(spread > 0)) throw new Error(`${where}: options.spread must be > 0; got ${spread}`);
  if (!(minDist >= 0 && minDist <= spread)) throw new Error(`${where}: options.minDist must be in [0, spread = ${spread}]; got ${minDist}`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new Error(`${where}: options.seed must be an integer; got ${seed}`);
  if (options.epochs !== undefined) checkInteger(where, 'options.epochs', options.epochs, 1);
  const reportEvery = checkInteger(where, 'options.reportEvery', options.reportEvery ?? 50, 1);

  // exact neighbours, each point's own row first as umap-js expects (distance 0)
  const nn = nearestNeighbours(points, k - 1);
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = [i];
    const dist = [0];
    for (let j = 0; j < k - 1; j++) {
      row.push(nn.indices[i * (k - 1) + j]);
      dist.push(Math.sqrt(nn.distances[i * (k - 1) + j]));
    }
    indices.push(row);
    distances.push(dist);
  }
  const u = new UMAP({ nComponents: 2, nNeighbors: k, minDist, spread, nEpochs: options.epochs, random: seededRandom(seed) });
  u.setPrecomputedKNN(indices, distances);
  const rows = Array.from({ length: n }, (_, i) => Array.from(points.data.subarray(i * points.dims, (i + 1) * points.dims)));
  const epochs = u.initializeFit(rows);
  const bar = progress({ total: epochs, label: 'umap', enabled: options.progress ?? true });
  const snapshot = () => Float32Array.from(u.getEmbedding().flat());
  for (let epoch = 1; epoch <= epochs; epoch++) {
    u.step();
    if (epoch % reportEvery === 0 || epoch === epochs) {
      bar.tick(undefined, epoch - bar.count);
      if (options.onEpoch) await options.onEpoch({ epoch, epochs, embedding: embedding('umap', snapshot(), n, 2, {}) });
      await pollInterrupt(where);
    }
  }
  bar.done();
  return embedding('umap', snapshot(), n, 2, { neighbours: k, minDist, epochs });
}
