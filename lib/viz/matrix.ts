/**
 * What the matrix-like figures accept (scatter points, attention weights, confusion matrices):
 * a rank-2 tf.Tensor or an array of equal-length number arrays. Read once, no tensor created.
 */
import { tf } from '../engine/tf';
import { shapeText } from './images';

/** A rank-2 input. */
export type MatrixInput = tf.Tensor | readonly (readonly number[])[];

/** Row-major values of a rows × cols matrix. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
  /** Row `i` as numbers. */
  row(i: number): Float64Array;
}

/**
 * Reads a matrix; `name` appears in errors. A rank-3 tensor with a leading 1 (one head) is
 * accepted and squeezed.
 * @example
 * ```ts
 * toMatrix([[1, 2], [3, 4]], 'confusionMatrix: matrix').rows // 2
 * ```
 */
export function toMatrix(input: MatrixInput, name: string): Matrix {
  let rows: number;
  let cols: number;
  let data: Float64Array;
  if (input instanceof tf.Tensor) {
    if (input.isDisposed) throw new Error(`${name}: the tensor has been disposed`);
    const shape = input.shape.length === 3 && input.shape[0] === 1 ? input.shape.slice(1) : input.shape;
    if (shape.length !== 2) throw new Error(`${name}: expected a rank-2 tensor [rows, cols]; got shape ${shapeText(input.shape)}`);
    [rows, cols] = shape;
    data = Float64Array.from(input.dataSync() as ArrayLike<number>);
  } else if (Array.isArray(input)) {
    rows = input.length;
    cols = rows > 0 && Array.isArray(input[0]) ? input[0].length : -1;
    if (cols < 0) throw new Error(`${name}: expected an array of number arrays (rows × cols); got ${rows === 0 ? 'an empty array' : typeof input[0]}`);
    data = new Float64Array(rows * cols);
    input.forEach((r, i) => {
      if (!Array.isArray(r) || r.length !== cols) {
        throw new Error(`${name}: row ${i} has ${Array.isArray(r) ? `length ${r.length}` : typeof r}; expected every row to have length ${cols} (row 0)`);
      }
      for (let j = 0; j < cols; j++) data[i * cols + j] = Number(r[j]);
    });
  } else {
    throw new Error(`${name}: expected a rank-2 tf.Tensor or an array of number arrays; got ${input === null ? 'null' : typeof input}`);
  }
  if (rows === 0 || cols === 0) throw new Error(`${name}: expected a non-empty matrix; got shape [${rows}, ${cols}]`);
  return { rows, cols, data, row: (i) => data.subarray(i * cols, (i + 1) * cols) };
}
