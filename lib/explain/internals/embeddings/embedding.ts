/**
 * The typed result every embedding returns (PCA, t-SNE): low-dimensional points as a row-major
 * Float32Array with their shape — readable by the metrics ({@link trustworthiness},
 * {@link silhouette}) and drawable by `lib/viz`'s `scatter` through {@link Embedding.rows}.
 *
 * @example
 * ```ts
 * const e = pca(x, { components: 2 });
 * show(scatter(e.rows(), { labels }));
 * ```
 */

/** Low-dimensional points made by an embedding method. */
export interface Embedding {
  /** 'pca' or 'tsne'. */
  readonly method: string;
  /** [points, dimensions]. */
  readonly shape: [number, number];
  /** Row-major coordinates. */
  readonly data: Float32Array;
  /** The points as arrays (for `scatter`). */
  rows(): number[][];
}

/** Builds an {@link Embedding} around `data`. */
export function embedding<T extends object>(method: string, data: Float32Array, count: number, dims: number, extra: T): Embedding & T {
  return {
    method,
    shape: [count, dims],
    data,
    rows: () => Array.from({ length: count }, (_, i) => Array.from(data.subarray(i * dims, (i + 1) * dims))),
    ...extra,
  };
}
