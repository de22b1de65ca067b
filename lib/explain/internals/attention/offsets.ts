/**
 * Where each head looks, by position (Clark et al. 2019, "What does BERT look at? An analysis of
 * BERT's attention", arXiv:1906.04341, §3): per layer and head, the average attention a token pays
 * to the previous token (offset −1), the next token (+1), itself, the first token ([CLS]) and the
 * last token ([SEP] when the sentence ends with one). Pooled over every query token of a set of
 * sentences, and reported beside what uniform attention (1/t to each of a sentence's t tokens)
 * would put there for the same sentence lengths.
 */
import { readAttention, type AttentionLayers, type AttentionWeights, type ReadAttentionOptions } from './weights';

/** The positions measured. */
export const OFFSET_TARGETS = ['previous', 'next', 'self', 'first', 'last'] as const;
/** One of {@link OFFSET_TARGETS}: previous (offset −1), next (+1), self, first ([CLS]), last ([SEP]). */
export type OffsetTarget = (typeof OFFSET_TARGETS)[number];

/** Share of attention per [layer][head] for each target. */
export type OffsetShares = Record<OffsetTarget, number[][]>;

/** The strongest head for one target. */
export interface OffsetHead {
  readonly layer: number;
  readonly head: number;
  readonly share: number;
}

/** The result of {@link attentionOffsets}. */
export interface AttentionOffsets {
  /** Mean attention weight at each target, per [layer][head], pooled over query tokens of all sentences. */
  readonly shares: OffsetShares;
  /** What uniform attention would score for the same sentences (one number per target; it does not depend on the head). */
  readonly uniform: Record<OffsetTarget, number>;
  /** The head with the largest share for each target. */
  readonly best: Record<OffsetTarget, OffsetHead>;
  /** Query tokens pooled per target (previous: Σ(t − 1), next: Σ(t − 1), self/first/last: Σ t). */
  readonly queries: Record<OffsetTarget, number>;
  readonly layers: number;
  readonly heads: number;
  readonly sentences: number;
  /** Sentence lengths (tokens). */
  readonly lengths: number[];
}

/** Options of {@link attentionOffsets}. */
export type OffsetOptions = Pick<ReadAttentionOptions, 'tolerance'>;

/** Key position for query i of a t-token sentence, or −1 when the target does not exist. */
function keyOf(target: OffsetTarget, i: number, t: number): number {
  switch (target) {
    case 'previous':
      return i - 1;
    case 'next':
      return i + 1 < t ? i + 1 : -1;
    case 'self':
      return i;
    case 'first':
      return 0;
    case 'last':
      return t - 1;
  }
}

/**
 * Per layer and head, the share of attention at offset −1 (previous token), +1 (next token), to
 * the token itself, to the first token ([CLS]) and to the last ([SEP]) — Clark et al. 2019,
 * arXiv:1906.04341 — pooled over all query tokens of `sentences` (queries without a previous or
 * next token are left out of those two). Beside each, the uniform-attention baseline for the same
 * lengths: `Σ_s (t_s − 1)/t_s / Σ_s (t_s − 1)` at ±1, `Σ_s 1 / S` … (each token gets 1/t).
 * `sentences`: per sentence its attention, one [heads, t, t] (or [1, heads, t, t]) per layer, or
 * what `sentenceAttention(batchAttention, lengths)` returns for a padded batch; lengths may differ,
 * layers and heads may not.
 *
 * @example
 * ```ts
 * const perSentence = batch.map((ids) => bert.forward(ids).attention);   // sentences × layers × [1, h, t, t]
 * const o = attentionOffsets(perSentence);
 * o.shares.previous[1][3];   // layer 1, head 3: mean weight on the previous token
 * o.uniform.previous;        // what 1/t would give for the same sentence lengths
 * o.best.next;               // { layer, head, share } of the strongest next-token head
 * ```
 */
export function attentionOffsets(sentences: readonly (AttentionLayers | AttentionWeights)[], options: OffsetOptions = {}): AttentionOffsets {
  const fn = 'attentionOffsets';
  if (!Array.isArray(sentences) || sentences.length === 0) {
    throw new Error(`${fn}: sentences must be a non-empty array with, per sentence, one attention entry per layer; got ${Array.isArray(sentences) ? 'an empty array' : typeof sentences}`);
  }
  let L = -1;
  let H = -1;
  const sums = {} as Record<OffsetTarget, Float64Array>;
  const queries = {} as Record<OffsetTarget, number>;
  const uniformSum = {} as Record<OffsetTarget, number>;
  const lengths: number[] = [];
  sentences.forEach((s, n) => {
    const w = readAttention(`${fn}: sentences[${n}]`, s, { tolerance: options.tolerance });
    if (L < 0) {
      L = w.layers;
      H = w.heads;
      for (const k of OFFSET_TARGETS) {
        sums[k] = new Float64Array(L * H);
        queries[k] = 0;
        uniformSum[k] = 0;
      }
    } else if (w.layers !== L || w.heads !== H) {
      throw new Error(`${fn}: sentences[${n}] has ${w.layers} layers × ${w.heads} heads but sentences[0] has ${L} × ${H}; every sentence must come from the same model`);
    }
    const T = w.tokens;
    lengths.push(T);
    for (const k of OFFSET_TARGETS) {
      for (let i = 0; i < T; i++) {
        const j = keyOf(k, i, T);
        if (j < 0) continue;
        queries[k]++;
        uniformSum[k] += 1 / T;
        for (let l = 0; l < L; l++) for (let h = 0; h < H; h++) sums[k][l * H + h] += w.data[l][(h * T + i) * T + j];
      }
    }
  });
  const shares = {} as OffsetShares;
  const uniform = {} as Record<OffsetTarget, number>;
  const best = {} as Record<OffsetTarget, OffsetHead>;
  for (const k of OFFSET_TARGETS) {
    const q = queries[k];
    shares[k] = Array.from({ length: L }, (_, l) => Array.from({ length: H }, (_, h) => (q > 0 ? sums[k][l * H + h] / q : NaN)));
    uniform[k] = q > 0 ? uniformSum[k] / q : NaN;
    let b: OffsetHead = { layer: 0, head: 0, share: shares[k][0][0] };
    shares[k].forEach((row, l) => row.forEach((v, h) => v > b.share && (b = { layer: l, head: h, share: v })));
    best[k] = b;
  }
  return { shares, uniform, best, queries, layers: L, heads: H, sentences: sentences.length, lengths };
}
