/**
 * Attention rollout (Abnar & Zuidema 2020, "Quantifying attention flow in transformers",
 * arXiv:2005.00928). Raw attention of one layer mixes *hidden states*, not input tokens, and the
 * residual connection carries half of each state past the attention. Rollout follows the mixing
 * down to the inputs: per layer the heads are fused (mean, max, or one head), the residual is
 * added as the identity, `Â = rownorm((1 − r)·A + r·I)` (r = 0.5 in the paper), and the layers
 * are multiplied from the first to the last, `R = Â_L · … · Â_2 · Â_1`. Row i of R is how much
 * token i at the top layer draws from each input token; every row sums to 1.
 */
import { checkChoice } from '../../../checks';
import { readAttention, type AttentionLayers, type AttentionWeights, type ReadAttentionOptions } from './weights';

/** How the heads of a layer are fused: their mean (the paper), their elementwise max, or one head. */
export type HeadFusion = 'mean' | 'max' | number;

/** Options of {@link attentionRollout}. */
export interface RolloutOptions extends ReadAttentionOptions {
  /** Head fusion per layer (default 'mean'). 'max' rows are renormalized after the identity is added. */
  heads?: HeadFusion;
  /** Weight r of the identity for the residual connection, in [0, 1] (default 0.5). 0 = raw attention products. */
  residual?: number;
  /** Roll out the first `layers` layers only (default all). */
  layers?: number;
}

/** The result of {@link attentionRollout}. */
export interface AttentionRollout {
  /** [t, t] rollout: row i (query at the top) over input tokens j; every row sums to 1. */
  readonly weights: number[][];
  /** Layers multiplied. */
  readonly layers: number;
  readonly heads: HeadFusion;
  readonly residual: number;
  readonly tokens: number;
}

/** Fused, residual-augmented, row-normalized attention of one layer: Â (t × t, row-major). */
function augmented(data: Float64Array, H: number, T: number, fusion: HeadFusion, r: number): Float64Array {
  const a = new Float64Array(T * T);
  if (typeof fusion === 'number') a.set(data.subarray(fusion * T * T, (fusion + 1) * T * T));
  else if (fusion === 'mean') {
    for (let h = 0; h < H; h++) for (let k = 0; k < T * T; k++) a[k] += data[h * T * T + k] / H;
  } else {
    a.fill(-Infinity);
    for (let h = 0; h < H; h++) for (let k = 0; k < T * T; k++) a[k] = Math.max(a[k], data[h * T * T + k]);
  }
  for (let i = 0; i < T; i++) {
    let s = 0;
    for (let j = 0; j < T; j++) {
      const v = (1 - r) * a[i * T + j] + (i === j ? r : 0);
      a[i * T + j] = v;
      s += v;
    }
    for (let j = 0; j < T; j++) a[i * T + j] /= s;
  }
  return a;
}

/** C = A·B for t × t row-major matrices. */
function matmul(A: Float64Array, B: Float64Array, T: number): Float64Array {
  const C = new Float64Array(T * T);
  for (let i = 0; i < T; i++) {
    for (let k = 0; k < T; k++) {
      const aik = A[i * T + k];
      if (aik === 0) continue;
      const bo = k * T;
      const co = i * T;
      for (let j = 0; j < T; j++) C[co + j] += aik * B[bo + j];
    }
  }
  return C;
}

/**
 * Attention rollout of one sentence (Abnar & Zuidema 2020, arXiv:2005.00928): heads fused per
 * layer, the residual added as the identity (`Â = rownorm((1 − r)·A + r·I)`), layers multiplied
 * from the first to the last (`R = Â_L ⋯ Â_1`). Input: one [heads, t, t] (or [1, heads, t, t])
 * block per layer, first layer first, as tensors or nested arrays — what the tiny BERT's
 * `forward(ids).attention` returns. Works on plain arrays: no tensor is created.
 *
 * @example
 * ```ts
 * const { attention } = bert.forward(ids);            // layers × [1, heads, t, t]
 * const r = attentionRollout(attention);              // r.weights: [t, t], rows sum to 1
 * const fromCls = r.weights[0];                       // what [CLS] at the top draws from each input token
 * ```
 */
export function attentionRollout(attention: AttentionLayers | AttentionWeights, options: RolloutOptions = {}): AttentionRollout {
  const fn = 'attentionRollout';
  const w = readAttention(fn, attention, options);
  const fusion = options.heads ?? 'mean';
  if (typeof fusion === 'number') {
    if (!Number.isInteger(fusion) || fusion < 0 || fusion >= w.heads) throw new Error(`${fn}: options.heads must be 'mean', 'max' or a head index in 0..${w.heads - 1}; got ${fusion}`);
  } else checkChoice(fn, 'options.heads', fusion, ['mean', 'max']);
  const r = options.residual ?? 0.5;
  if (typeof r !== 'number' || !(r >= 0 && r <= 1)) throw new Error(`${fn}: options.residual must be a number in [0, 1] (the identity's weight); got ${String(r)}`);
  const L = options.layers ?? w.layers;
  if (!Number.isInteger(L) || L < 1 || L > w.layers) throw new Error(`${fn}: options.layers must be an integer in 1..${w.layers} (the attention has ${w.layers} layers); got ${String(L)}`);
  const T = w.tokens;
  let R = augmented(w.data[0], w.heads, T, fusion, r);
  for (let l = 1; l < L; l++) R = matmul(augmented(w.data[l], w.heads, T, fusion, r), R, T);
  const weights = Array.from({ length: T }, (_, i) => Array.from(R.subarray(i * T, (i + 1) * T)));
  return { weights, layers: L, heads: fusion, residual: r, tokens: T };
}
