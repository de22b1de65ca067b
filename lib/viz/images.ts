/**
 * What the image-like figures accept: a tf.Tensor (NHWC, HWC or HW), plain nested arrays of the
 * same shapes, or an Attribution (its `values`). Everything is read once into an
 * {@link ImageBatch}; no tensor is created, so nothing needs disposing.
 */
import { tf } from '../engine/tf';
import { type Attribution, isAttribution } from '../explain/core/attribution';

/** Nested number arrays: HW, HWC / NHW, or NHWC. */
export type NumberGrid = number[][] | number[][][] | number[][][][];

/** An image batch as the viz functions accept it. */
export type ImageInput = tf.Tensor | NumberGrid | Float32Array | Attribution;

/** A batch of images as flat float data in NHWC order. */
export interface ImageBatch {
  readonly data: Float32Array;
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
}

/** Shape as text: `[2, 28, 28, 1]`. */
export const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** The ImageBatch's shape as text `[n, h, w, c]`. */
export const batchShape = (b: ImageBatch) => shapeText([b.n, b.h, b.w, b.c]);

/** Shape and flat values of nested arrays; throws on ragged input. */
function flatten(grid: unknown, name: string): { shape: number[]; data: Float32Array } {
  const shape: number[] = [];
  let probe: unknown = grid;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) throw new Error(`${name}: expected a non-empty array; found an empty dimension at depth ${shape.length}`);
    probe = probe[0];
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  let k = 0;
  const walk = (x: unknown, depth: number) => {
    if (depth === shape.length) {
      if (typeof x !== 'number') throw new Error(`${name}: expected numbers in a nested array of shape ${shapeText(shape)}; found ${typeof x}`);
      data[k++] = x;
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) {
      throw new Error(`${name}: ragged array; expected length ${shape[depth]} at depth ${depth + 1} (shape ${shapeText(shape)}), got ${Array.isArray(x) ? x.length : typeof x}`);
    }
    for (const y of x) walk(y, depth + 1);
  };
  walk(grid, 0);
  return { shape, data };
}

/**
 * Shape and flat float values of a tensor or nested number arrays (no tensor is created).
 * @example
 * ```ts
 * readArray([[1, 2], [3, 4]], 'weights') // {shape: [2, 2], data: Float32Array [1, 2, 3, 4]}
 * ```
 */
export function readArray(input: tf.Tensor | NumberGrid, name: string): { shape: number[]; data: Float32Array } {
  if (input instanceof tf.Tensor) {
    if (input.isDisposed) throw new Error(`${name}: the tensor has been disposed`);
    const raw = input.dataSync();
    return { shape: input.shape.slice(), data: raw instanceof Float32Array ? raw : Float32Array.from(raw as ArrayLike<number>) };
  }
  if (Array.isArray(input)) return flatten(input, name);
  throw new Error(`${name}: expected a tf.Tensor or nested number arrays; got ${input === null ? 'null' : typeof input}`);
}

/**
 * Reads images into an {@link ImageBatch}. Rank 4 is NHWC; rank 2 is one HW image; rank 3 is one
 * HWC image when its last dimension is 1, 3 or 4 (RGBA: alpha dropped later), else a batch NHW.
 * @example
 * ```ts
 * toImageBatch(mnist.images, 'images') // {n: 100, h: 28, w: 28, c: 1, data}
 * ```
 */
export function toImageBatch(input: ImageInput, name: string): ImageBatch {
  let shape: number[];
  let data: Float32Array;
  if (isAttribution(input)) return toImageBatch(input.values, name);
  if (input instanceof tf.Tensor || Array.isArray(input)) {
    ({ shape, data } = readArray(input, name));
  } else if (input instanceof Float32Array) {
    const side = Math.round(Math.sqrt(input.length));
    if (side * side !== input.length) throw new Error(`${name}: a flat Float32Array must hold a square image; got length ${input.length}`);
    shape = [side, side];
    data = input;
  } else {
    throw new Error(`${name}: expected a tf.Tensor (NHWC, HWC or HW), nested number arrays or an Attribution; got ${input === null ? 'null' : typeof input}`);
  }
  let n: number, h: number, w: number, c: number;
  if (shape.length === 4) [n, h, w, c] = shape;
  else if (shape.length === 2) [n, h, w, c] = [1, shape[0], shape[1], 1];
  else if (shape.length === 3 && [1, 3, 4].includes(shape[2])) [n, h, w, c] = [1, shape[0], shape[1], shape[2]];
  else if (shape.length === 3) [n, h, w, c] = [shape[0], shape[1], shape[2], 1];
  else throw new Error(`${name}: expected rank 2 (HW), 3 (HWC or NHW) or 4 (NHWC); got shape ${shapeText(shape)}`);
  if (n * h * w * c === 0) throw new Error(`${name}: expected a non-empty image batch; got shape ${shapeText(shape)}`);
  return { data, n, h, w, c };
}
