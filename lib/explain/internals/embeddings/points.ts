/**
 * What the embeddings and their metrics accept as a set of points: a tf.Tensor [n, ...] (trailing
 * dimensions flattened), an array of equal-length number arrays, or a captured layer
 * ({@link LayerActivation}: `{ data, shape }`). Read once into a row-major Float32Array; rows with
 * NaN or ±Infinity are refused early, with their count.
 *
 * @example
 * ```ts
 * const p = toPoints('pca', 'x', [[0, 1], [2, 3]]); // { count: 2, dims: 2, data: Float32Array [0, 1, 2, 3] }
 * ```
 */
import { tf } from '../../../engine/tf';

/** Points as a row-major matrix: `count` rows of `dims` values. */
export interface Points {
  readonly count: number;
  readonly dims: number;
  readonly data: Float32Array;
}

/** Anything {@link toPoints} reads: a tensor, rows of numbers, or a captured layer / embedding. */
export type PointsInput = tf.Tensor | readonly (readonly number[])[] | { readonly data: ArrayLike<number>; readonly shape: readonly number[] };

/** Reads `input` as points; `where` and `name` appear in errors. */
export function toPoints(where: string, name: string, input: PointsInput): Points {
  let count: number;
  let dims: number;
  let data: Float32Array;
  if (input instanceof tf.Tensor) {
    if (input.isDisposed) throw new Error(`${where}: ${name} is a disposed tensor`);
    if (input.rank < 2) throw new Error(`${where}: ${name} must have shape [points, ...features]; got a rank-${input.rank} tensor of shape [${input.shape.join(', ')}]`);
    count = input.shape[0];
    dims = input.size / Math.max(count, 1);
    data = Float32Array.from(input.dataSync() as ArrayLike<number>);
  } else if (Array.isArray(input)) {
    count = input.length;
    dims = count > 0 && Array.isArray(input[0]) ? input[0].length : 0;
    data = new Float32Array(count * dims);
    input.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== dims) throw new Error(`${where}: ${name} row ${i} has ${Array.isArray(row) ? `length ${row.length}` : typeof row}; expected every row to have length ${dims} (row 0)`);
      for (let j = 0; j < dims; j++) data[i * dims + j] = row[j];
    });
  } else if (input && typeof input === 'object' && 'data' in input && 'shape' in input && Array.isArray(input.shape)) {
    const shape = input.shape;
    count = shape[0];
    dims = shape.slice(1).reduce((a, b) => a * b, 1);
    if (shape.length < 2 || input.data.length !== count * dims) throw new Error(`${where}: ${name} has shape [${shape.join(', ')}] and ${input.data.length} values; expected [points, ...features] with as many values`);
    data = input.data instanceof Float32Array ? input.data : Float32Array.from(input.data);
  } else {
    throw new Error(`${where}: ${name} must be a tf.Tensor [points, ...], an array of number arrays, or { data, shape }; got ${input === null ? 'null' : typeof input}`);
  }
  if (count < 1 || dims < 1) throw new Error(`${where}: ${name} must hold at least one point with at least one feature; got ${count} points of ${dims} features`);
  let bad = 0;
  for (let i = 0; i < count; i++) {
    for (let j = i * dims, end = j + dims; j < end; j++) {
      if (!Number.isFinite(data[j])) {
        bad++;
        break;
      }
    }
  }
  if (bad > 0) throw new Error(`${where}: ${name} has ${bad} of ${count} rows with NaN or Infinity values; remove or impute them first`);
  return { count, dims, data };
}

/** Checks that `labels` has one entry per point; returns them. */
export function checkLabels(where: string, labels: readonly (number | string)[], count: number): readonly (number | string)[] {
  if (!Array.isArray(labels)) throw new Error(`${where}: labels must be an array with one label per point (${count}); got ${typeof labels}`);
  if (labels.length !== count) throw new Error(`${where}: labels has ${labels.length} entries but there are ${count} points; expected one label per point`);
  return labels;
}

/**
 * The values of the tensor that `make` builds (intermediates freed). Never `tf.tidy(() => t.dataSync())`:
 * tidy walks a returned typed array element by element looking for tensors.
 */
export function valuesOf(make: () => tf.Tensor): Float32Array {
  const t = tf.tidy(make);
  try {
    return t.dataSync() as Float32Array;
  } finally {
    t.dispose();
  }
}
