/**
 * "Is attention an explanation?" measured on a masked language model, as Jain & Wallace (2019,
 * "Attention is not Explanation", arXiv:1902.10186) measured it on classifiers and Wiegreffe &
 * Pinter (2019, "Attention is not not Explanation", arXiv:1908.04626) questioned it.
 *
 * For each sentence one word is masked and the model's top prediction there is explained:
 * - importance of every other word by **attention** (the last layer's weights from the masked
 *   position, averaged over heads), by **attention rollout** (Abnar & Zuidema 2020,
 *   arXiv:2005.00928), by **gradient × input** and **Integrated Gradients** (Sundararajan et al.
 *   2017, arXiv:1703.01365; zero embeddings as the baseline, midpoint rule) on the token
 *   embeddings, and by **leave-one-out** (the word hidden from every attention layer as padding,
 *   so no position shifts; the target logit's drop);
 * - Kendall's τ between attention and each of the others, and among the others themselves
 *   (how well explanation methods agree when attention is not involved);
 * - the **permutation test**: a layer's attention weights are shuffled (each head and query row
 *   independently) and the total variation distance (TVD) of the output distribution from the
 *   original is measured (median over permutations), beside a **uniform-attention** baseline (all
 *   weights equal) and the share of sentences whose top prediction survives each.
 * [CLS] and the masked position itself are left out of the rankings.
 *
 * @example
 * ```ts
 * const { bert, vocab } = await courseBert();
 * const ids = encodeSentences(vocab, heldOut, 64).ids.slice(0, 200);
 * const report = isAttentionExplanation(bert, ids, { seed: 1 });
 * report.summary.tau.attentionVsLeaveOneOut.median; report.summary.permutation[0].tvd.median;
 * ```
 */
import { tf } from '../../../engine/tf';
import { seededRandom } from '../../../data/permutation';
import { throwIfInterrupted } from '../../../display/interrupt';
import type { TinyBert } from '../../../models/transformer/tinyBert';
import { kendallTau } from './kendallTau';
import { attentionRollout } from './rollout';

/** The importance methods compared. */
export const IMPORTANCE_METHODS = ['attention', 'rollout', 'gradientXInput', 'integratedGradients', 'leaveOneOut'] as const;
export type ImportanceMethod = (typeof IMPORTANCE_METHODS)[number];

/** The pairs of methods whose Kendall τ is reported: attention against the others, then the others among themselves. */
export const TAU_PAIRS = [
  ['attention', 'gradientXInput'],
  ['attention', 'integratedGradients'],
  ['attention', 'leaveOneOut'],
  ['rollout', 'gradientXInput'],
  ['rollout', 'integratedGradients'],
  ['rollout', 'leaveOneOut'],
  ['gradientXInput', 'integratedGradients'],
  ['gradientXInput', 'leaveOneOut'],
  ['integratedGradients', 'leaveOneOut'],
] as const satisfies readonly (readonly [ImportanceMethod, ImportanceMethod])[];

/** Name of a pair: `attentionVsLeaveOneOut`. */
export type TauPair = `${(typeof TAU_PAIRS)[number][0]}Vs${Capitalize<(typeof TAU_PAIRS)[number][1]>}`;

const pairName = ([a, b]: readonly [string, string]) => `${a}Vs${b[0].toUpperCase()}${b.slice(1)}` as TauPair;

/** One sentence's measurements. */
export interface SentenceImportance {
  /** The encoded sentence ([CLS] first) before masking. */
  ids: number[];
  /** The masked position. */
  position: number;
  /** The model's top prediction there (what is explained), and its probability. */
  target: number;
  probability: number;
  /** The positions ranked (every word but the masked one). */
  keys: number[];
  /** Importance of each key by each method. */
  importance: Record<ImportanceMethod, number[]>;
  tau: Record<TauPair, number>;
  /** Integrated Gradients' completeness gap: |Σ IG − (f(x) − f(baseline))| / |f(x) − f(baseline)|. */
  completenessGap: number;
  /** Largest head-averaged attention weight from the masked position (Jain & Wallace bin by it). */
  maxAttention: number;
  /** The permutation test, one entry per layer of `options.layers`. */
  permutation: LayerPermutation[];
}

/** The permutation test at one layer for one sentence. */
export interface LayerPermutation {
  /** The layer (0-based) whose attention weights were replaced. */
  layer: number;
  /** Median TVD of the output distribution over the permutations, and the share of permutations keeping the top prediction. */
  tvd: number;
  keepsTop: number;
  /** TVD with the layer's attention made uniform, and whether the top prediction survived. */
  uniformTvd: number;
  uniformKeepsTop: boolean;
}

/** Quartiles of a distribution. */
export interface Quartiles {
  q1: number;
  median: number;
  q3: number;
  mean: number;
  n: number;
}

/** What {@link isAttentionExplanation} returns. */
export interface AttentionExplanationReport {
  sentences: SentenceImportance[];
  summary: {
    tau: Record<TauPair, Quartiles>;
    /** Per permuted layer: the distribution of the per-sentence median TVD and the mean share keeping the top prediction; the same for uniform attention. */
    permutation: { layer: number; tvd: Quartiles; keepsTop: number; uniformTvd: Quartiles; uniformKeepsTop: number }[];
    completenessGap: Quartiles;
  };
}

/** Options of {@link isAttentionExplanation}. */
export interface AttentionExplanationOptions {
  /** Picks the masked position of each sentence; default 1. */
  seed?: number;
  /** Integrated Gradients steps, on a partition of the path denser near the baseline (edges (k/steps)³); default 16. */
  igSteps?: number;
  /** Permutations per sentence; default 20. */
  permutations?: number;
  /** Layers whose attention is permuted or made uniform, one at a time (0-based); default the last. */
  layers?: number[];
  /** Called after each sentence (progress). */
  onSentence?: (done: number, total: number) => void;
}

/** Quartiles and mean of the finite values of `xs`. */
export function quartiles(xs: readonly number[]): Quartiles {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  const at = (q: number) => {
    if (v.length === 0) return NaN;
    const i = q * (v.length - 1);
    const lo = Math.floor(i);
    return v[lo] + (v[Math.min(lo + 1, v.length - 1)] - v[lo]) * (i - lo);
  };
  return { q1: at(0.25), median: at(0.5), q3: at(0.75), mean: v.length ? v.reduce((s, x) => s + x, 0) / v.length : NaN, n: v.length };
}

const tvd = (p: ArrayLike<number>, q: ArrayLike<number>, offset = 0) => {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += Math.abs(p[i] - q[offset + i]);
  return s / 2;
};

const argmax = (a: ArrayLike<number>, offset = 0, n = a.length) => {
  let best = 0;
  for (let i = 1; i < n; i++) if (a[offset + i] > a[offset + best]) best = i;
  return best;
};

/** Shuffles, per batch item, head and query row, the weights over the keys (Fisher–Yates with `rnd`). */
function permuteRows(p: tf.Tensor4D, rnd: () => number): tf.Tensor4D {
  const [b, h, t, t2] = p.shape;
  const src = p.dataSync();
  const out = new Float32Array(src.length);
  const idx = new Int32Array(t2);
  for (let r = 0; r < b * h * t; r++) {
    for (let i = 0; i < t2; i++) idx[i] = i;
    for (let i = t2 - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      const x = idx[i];
      idx[i] = idx[j];
      idx[j] = x;
    }
    for (let i = 0; i < t2; i++) out[r * t2 + i] = src[r * t2 + idx[i]];
  }
  return tf.tensor4d(out, [b, h, t, t2]);
}

/** Measures one sentence (see the module description). */
function measureSentence(bert: TinyBert, ids: number[], position: number, o: { igSteps: number; permutations: number; layers: number[] }, rnd: () => number): SentenceImportance {
  const t = ids.length;
  const { vocab, layers } = bert.config;
  const masked = ids.slice();
  masked[position] = 3;
  const keys = ids.map((_, j) => j).filter((j) => j !== 0 && j !== position);
  const x = tf.tensor2d(masked, [1, t], 'int32');
  const row = tf.tensor1d([position], 'int32');
  try {
    // the prediction, attention and rollout
    const fwd = tf.tidy(() => {
      const { attention } = bert.forward(x);
      const probs = tf.softmax(bert.logits(x, row)).dataSync();
      return { probs, attention: attention.map((a) => a.arraySync()[0]) };
    });
    const target = argmax(fwd.probs);
    const last = fwd.attention[layers - 1];
    const attnRow = last[0][position].map((_, j) => last.reduce((s, head) => s + head[position][j], 0) / last.length);
    const roll = attentionRollout(fwd.attention).weights[position];
    // gradient × input and Integrated Gradients on the token embeddings (target logit)
    const targetLogit = (e: tf.Tensor3D, idsB: tf.Tensor2D, rows: tf.Tensor1D) => tf.tidy(() => bert.logits(idsB, rows, { embeddings: e }).gather([target], 1).sum());
    const { gxi, ig, fx, f0 } = tf.tidy(() => {
      const e = bert.embed(x);
      const g = tf.grad((emb: tf.Tensor) => targetLogit(emb as tf.Tensor3D, x, row))(e);
      const gxi = g.mul(e).sum(-1).abs().dataSync();
      const s = o.igSteps;
      // a Riemann sum on a partition denser near the baseline (u_k = (k/s)³): along α·e the token embeddings take over
      // from the position embeddings at small α, where LayerNorm makes the path steep; midpoints, weighted by width
      const edges = Array.from({ length: s + 1 }, (_, k) => (k / s) ** 3);
      const alphas = tf.tensor1d(Array.from({ length: s }, (_, k) => (edges[k] + edges[k + 1]) / 2)).reshape([s, 1, 1]);
      const widths = tf.tensor1d(Array.from({ length: s }, (_, k) => edges[k + 1] - edges[k])).reshape([s, 1, 1]);
      const xs = tf.tile(x, [s, 1]) as tf.Tensor2D;
      const rows = tf.tensor1d(Array.from({ length: s }, (_, k) => k * t + position), 'int32');
      const gs = tf.grad((emb: tf.Tensor) => targetLogit(emb as tf.Tensor3D, xs, rows))(e.mul(alphas));
      const igVec = gs.mul(widths).sum(0).mul(e.squeeze([0])).sum(-1);
      const fx = targetLogit(e, x, row).dataSync()[0];
      const f0 = targetLogit(tf.zerosLike(e), x, row).dataSync()[0];
      return { gxi, ig: igVec.dataSync(), fx, f0, igSum: igVec.sum().dataSync()[0] };
    });
    const igTotal = Array.from(ig).reduce((s, v) => s + v, 0);
    // leave-one-out: each key hidden as padding (no query attends to it in any layer; positions stay), the target logit's drop
    const loo = tf.tidy(() => {
      const rowsLoo = keys.map((j) => masked.map((id, i) => (i === j ? 0 : id)));
      const xs = tf.tensor2d(rowsLoo.flat(), [keys.length, t], 'int32');
      const rows = tf.tensor1d(keys.map((_, b) => b * t + position), 'int32');
      const l = bert.logits(xs, rows).gather([target], 1).dataSync();
      return keys.map((_, b) => fx - l[b]);
    });
    // permutation test and uniform attention, one layer at a time
    const permutation = o.layers.map((layer) => tf.tidy(() => {
      const xs = tf.tile(x, [o.permutations, 1]) as tf.Tensor2D;
      const rows = tf.tensor1d(Array.from({ length: o.permutations }, (_, b) => b * t + position), 'int32');
      const pp = tf.softmax(bert.logits(xs, rows, { replaceAttention: { layer, replace: (p) => permuteRows(p, rnd) } })).dataSync();
      const pu = tf.softmax(bert.logits(x, row, { replaceAttention: { layer, replace: (p) => tf.onesLike(p).div(t) as tf.Tensor4D } })).dataSync();
      const tvds = Array.from({ length: o.permutations }, (_, b) => tvd(fwd.probs, pp, b * vocab));
      const keeps = Array.from({ length: o.permutations }, (_, b) => argmax(pp, b * vocab, vocab) === target).filter(Boolean).length / o.permutations;
      return { layer, tvd: quartiles(tvds).median, keepsTop: keeps, uniformTvd: tvd(fwd.probs, pu), uniformKeepsTop: argmax(pu) === target };
    }));
    const importance: Record<ImportanceMethod, number[]> = {
      attention: keys.map((j) => attnRow[j]),
      rollout: keys.map((j) => roll[j]),
      gradientXInput: keys.map((j) => gxi[j]),
      integratedGradients: keys.map((j) => Math.abs(ig[j])),
      leaveOneOut: loo,
    };
    const tau = Object.fromEntries(TAU_PAIRS.map((pair) => [pairName(pair), keys.length >= 2 ? kendallTau(importance[pair[0]], importance[pair[1]]) : NaN])) as Record<TauPair, number>;
    return {
      ids,
      position,
      target,
      probability: fwd.probs[target],
      keys,
      importance,
      tau,
      completenessGap: Math.abs(igTotal - (fx - f0)) / Math.max(1e-9, Math.abs(fx - f0)),
      maxAttention: Math.max(...keys.map((j) => attnRow[j])),
      permutation,
    };
  } finally {
    tf.dispose([x, row]);
  }
}

/**
 * Jain & Wallace's analyses on `bert` over encoded sentences (`[CLS] w₁ … wₙ`, at least 3 words
 * each, as {@link encodeSentences} makes them); one masked word per sentence, chosen with `seed`.
 */
export function isAttentionExplanation(bert: TinyBert, sentences: readonly number[][], options: AttentionExplanationOptions = {}): AttentionExplanationReport {
  const { seed = 1, igSteps = 16, permutations = 20, layers = [bert?.config?.layers - 1], onSentence } = options;
  if (!bert || typeof bert.forward !== 'function') throw new Error('isAttentionExplanation: bert must be a TinyBert (tinyBert, courseBert)');
  if (!Array.isArray(sentences) || sentences.length === 0) throw new Error('isAttentionExplanation: sentences must be a non-empty array of encoded sentences');
  sentences.forEach((s, i) => {
    if (!Array.isArray(s) || s.length < 4) throw new Error(`isAttentionExplanation: sentences[${i}] must be [CLS] and at least 3 word ids; got ${Array.isArray(s) ? s.length : typeof s} ids`);
    if (s.length > bert.config.maxLength) throw new Error(`isAttentionExplanation: sentences[${i}] has ${s.length} ids but the model's maximum length is ${bert.config.maxLength}; truncate it`);
  });
  if (!Number.isInteger(igSteps) || igSteps < 1) throw new Error(`isAttentionExplanation: options.igSteps must be a positive integer; got ${igSteps}`);
  if (!Number.isInteger(permutations) || permutations < 1) throw new Error(`isAttentionExplanation: options.permutations must be a positive integer; got ${permutations}`);
  if (!Array.isArray(layers) || layers.length === 0 || layers.some((l) => !Number.isInteger(l) || l < 0 || l >= bert.config.layers)) {
    throw new Error(`isAttentionExplanation: options.layers must be a non-empty array of layers in 0..${bert.config.layers - 1}; got ${JSON.stringify(layers)}`);
  }
  const rnd = seededRandom(seed);
  const out: SentenceImportance[] = [];
  for (const ids of sentences) {
    throwIfInterrupted('isAttentionExplanation');
    const position = 1 + Math.floor(rnd() * (ids.length - 1));
    out.push(measureSentence(bert, ids, position, { igSteps, permutations, layers }, rnd));
    onSentence?.(out.length, sentences.length);
  }
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  return {
    sentences: out,
    summary: {
      tau: Object.fromEntries(TAU_PAIRS.map((pair) => [pairName(pair), quartiles(out.map((s) => s.tau[pairName(pair)]))])) as Record<TauPair, Quartiles>,
      permutation: layers.map((layer, k) => ({
        layer,
        tvd: quartiles(out.map((s) => s.permutation[k].tvd)),
        keepsTop: mean(out.map((s) => s.permutation[k].keepsTop)),
        uniformTvd: quartiles(out.map((s) => s.permutation[k].uniformTvd)),
        uniformKeepsTop: mean(out.map((s) => (s.permutation[k].uniformKeepsTop ? 1 : 0))),
      })),
      completenessGap: quartiles(out.map((s) => s.completenessGap)),
    },
  };
}
