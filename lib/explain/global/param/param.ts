/**
 * What a parameterization is (Mordvintsev et al. 2018, "Differentiable Image Parameterizations";
 * Lucent's `param/`): the variables gradient ascent moves, and the image they make.
 *
 * @example
 * ```ts
 * const state = pixels().create([10, 28, 28, 1], 0);
 * const x = tf.tidy(() => state.image());   // [10, 28, 28, 1] in [0, 1]
 * state.dispose();
 * ```
 */
import { tf } from '../../../engine/tf';

/** One parameterization made for a batch: its variables and the image they make. */
export interface ParamState {
  /** What it is, for messages (`pixels (clip)`, `fourier`, `latent`). */
  readonly kind: string;
  /** The variables Adam moves. */
  readonly variables: tf.Variable[];
  /** The image batch [n, h, w, c] (call inside a tidy; differentiable in the variables). */
  image(): tf.Tensor4D;
  /**
   * A per-image penalty [n] on the variables themselves (e.g. a latent prior λ‖z‖²), subtracted from
   * the objective during the ascent (call inside a tidy; differentiable). Not part of the reported values.
   */
  penalty?(): tf.Tensor1D;
  /** Called after each optimizer step (e.g. clipping pixels into their range). */
  afterStep?(): void;
  /** The variable that is the image itself (pixels without a sigmoid), for Yosinski's regularizers. */
  readonly pixelVariable?: tf.Variable;
  /** Frees the variables. */
  dispose(): void;
}

/** A way to make an image batch of a given shape from variables. */
export interface Parameterization {
  /** What it is, for messages. */
  readonly kind: string;
  /** Makes the variables for a batch of `shape` [n, h, w, c], seeded. */
  create(shape: [number, number, number, number], seed: number): ParamState;
}

let counter = 0;
/** A unique variable name (the fused Adam finds variables by name). */
export function variableName(kind: string): string {
  counter += 1;
  return `xai_global_${kind}_${counter}`;
}

/** A trainable variable drawn from N(0, std²) with `seed`, named for the fused Adam. */
export function normalVariable(shape: number[], std: number, seed: number, kind: string): tf.Variable {
  const v = tf.randomNormal(shape, 0, std, 'float32', seed);
  const variable = tf.variable(v, true, variableName(kind));
  v.dispose();
  return variable;
}
