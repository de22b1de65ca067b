/**
 * ∂(target score)/∂(input) for a batch of rows, the building block of saliency, gradient × input,
 * SmoothGrad and Integrated Gradients. With `of: 'loss'` it is the gradient of the cross-entropy
 * e = −log p_target instead, as the lecture writes the saliency map |∂e/∂xₙ|.
 *
 * @example
 * ```ts
 * const { grads, scores } = rowGradients(m, rows, rowTargets, 'score');   // grads: like rows
 * ```
 */
import { tf } from '../../engine/tf';
import { countNonFinite, type ExplainedModel, inBatches, targetScore } from './explainedModel';
import { interruptRequested, throwIfInterrupted } from '../../display/interrupt';

/** What is differentiated: the target class score, or the loss e = −log p_target. */
export type GradientOf = 'score' | 'loss';

/** The objective of each row: its target score, or its cross-entropy loss. */
function objective(m: ExplainedModel, x: tf.Tensor, rowTargets: number[], of: GradientOf): tf.Tensor1D {
  const out = m.forward(x);
  if (of === 'score') return targetScore(out, rowTargets);
  const logp = m.probabilities ? tf.log(tf.clipByValue(out, 1e-12, 1)) : tf.logSoftmax(out);
  return tf.neg(targetScore(logp as tf.Tensor2D, rowTargets));
}

/**
 * The objective of every row of `x` (its target score, or its loss), in batches of `batchSize`,
 * without gradients: what an attribution of `of` explains, e.g. for its saturation check.
 */
export function objectiveValues(m: ExplainedModel, x: tf.Tensor, rowTargets: number[], of: GradientOf, batchSize = 256): Float32Array {
  if (of === 'score') return m.scores(x, rowTargets, batchSize);
  const out = new Float32Array(x.shape[0]);
  inBatches(x.shape[0], batchSize, (lo, hi) => {
    const v = tf.tidy(() => objective(m, x.slice(lo, hi - lo), rowTargets.slice(lo, hi), of));
    out.set(v.dataSync(), lo);
    v.dispose();
  });
  return out;
}

/**
 * Gradients of each row's objective with respect to that row (rows are independent for a model
 * without cross-example layers), and the objective values (used to report a model returning NaN).
 * The caller owns `grads`.
 */
export function rowGradients(m: ExplainedModel, rows: tf.Tensor, rowTargets: number[], of: GradientOf = 'score'): { grads: tf.Tensor; scores: Float32Array } {
  let kept: tf.Tensor | undefined;
  const { value, grad } = tf.valueAndGrad((z: tf.Tensor) => {
    const s = objective(m, z, rowTargets, of);
    kept = tf.keep(s.clone());
    return s.sum() as tf.Scalar;
  })(rows);
  value.dispose();
  const scores = (kept as tf.Tensor).dataSync() as Float32Array;
  (kept as tf.Tensor).dispose();
  return { grads: grad, scores };
}

/**
 * Gradients of all inputs in batches of `batchSize` rows, concatenated back to the inputs' shape,
 * with the number of non-finite objective values met on the way.
 */
export function inputGradients(m: ExplainedModel, inputs: tf.Tensor, batchSize: number, of: GradientOf): { grads: tf.Tensor; nonFiniteScores: number; scores: Float32Array } {
  const parts: tf.Tensor[] = [];
  let nonFiniteScores = 0;
  const all = new Float32Array(m.n);
  inBatches(m.n, batchSize, (lo, hi) => {
    if (interruptRequested()) tf.dispose(parts); // interrupt: stop between batches, freeing what was made
    throwIfInterrupted('inputGradients');
    const rows = inputs.slice(lo, hi - lo);
    const { grads, scores } = rowGradients(m, rows, m.target.slice(lo, hi), of);
    rows.dispose();
    parts.push(grads);
    all.set(scores, lo);
    nonFiniteScores += countNonFinite(scores);
  });
  const grads = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
  if (parts.length > 1) tf.dispose(parts);
  return { grads, nonFiniteScores, scores: all };
}

/** One batch of rows of a {@link gradientSweep}: row r belongs to `examples[r]` and is copy `copies[r]` of it. */
export interface SweepBatch {
  /** Index of the batch (0, 1, …), e.g. to vary a noise seed. */
  index: number;
  examples: number[];
  copies: number[];
}

/**
 * Gradients at `copies` rows per example (noisy copies for SmoothGrad, path points for IG), built by
 * `makeRows` in batches of at most `batchSize` rows, handed to `consume` as plain numbers with the rows'
 * objective values (row r's gradient is `grads[r·size … (r+1)·size)`). Returns the non-finite scores met and the largest batch.
 */
export function gradientSweep(
  m: ExplainedModel,
  copies: number,
  batchSize: number,
  of: GradientOf,
  makeRows: (batch: SweepBatch) => tf.Tensor,
  consume: (grads: Float32Array, batch: SweepBatch, scores: Float32Array) => void,
): { nonFiniteScores: number; largestBatch: number } {
  let nonFiniteScores = 0;
  let largestBatch = 0;
  const total = m.n * copies;
  for (let lo = 0, index = 0; lo < total; lo += batchSize, index++) {
    throwIfInterrupted('gradientSweep'); // interrupt: nothing is held between batches
    const b = Math.min(batchSize, total - lo);
    largestBatch = Math.max(largestBatch, b);
    const batch: SweepBatch = {
      index,
      examples: Array.from({ length: b }, (_, r) => Math.floor((lo + r) / copies)),
      copies: Array.from({ length: b }, (_, r) => (lo + r) % copies),
    };
    const rows = makeRows(batch);
    const { grads, scores } = rowGradients(m, rows, batch.examples.map((e) => m.target[e]), of);
    rows.dispose();
    nonFiniteScores += countNonFinite(scores);
    const g = grads.dataSync() as Float32Array;
    grads.dispose();
    consume(g, batch, scores);
  }
  return { nonFiniteScores, largestBatch };
}
