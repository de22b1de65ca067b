/**
 * The self-checks of homework 3 (attention, notebooks/homework/hw3-attention) on the course's tiny BERT:
 * reading one layer's attention, attention rollout (Abnar & Zuidema 2020) against lib/explain/internals'
 * `attentionRollout`, and gradient × input on the token embeddings (the importance Jain & Wallace 2019
 * compare attention with). Fresh inputs: Brown held-out sentences the notebook does not show.
 *
 * @example
 * ```ts
 * await hw3.rollout(myRollout);   // ✓ or ✗ with a hint
 * ```
 */
import { tf } from '../../engine/tf';
import { loadBrown } from '../../data/text';
import { encodeSentences } from '../../models/transformer/maskedLm';
import type { TinyBert } from '../../models/transformer/tinyBert';
import type { Vocabulary } from '../../data/text';
import { attentionRollout } from '../../explain/internals/attention/rollout';
import { checkTensor, type StudentValue } from '../compare';
import type { CheckResult } from '../result';
import { checkAnswer } from '../answers';

/** The id of `[MASK]` in every vocabulary of lib/data/text. */
const MASK = 3;

/**
 * `count` held-out Brown sentences of 6–14 words (from the second half of the test split, picked by
 * `seed`), encoded `[CLS] w₁ … wₙ`, each with one word position to mask (never [CLS]).
 *
 * @example
 * ```ts
 * const s = freshSentences(vocab, 3, 5);   // s[0].ids, s[0].position
 * ```
 */
export function freshSentences(vocab: Vocabulary, count: number, seed: number, maxLength = 64): { ids: number[]; position: number }[] {
  const test = loadBrown({ split: 'test' }).sentences.map((s) => s.words).filter((w) => w.length >= 6 && w.length <= 14);
  const half = test.slice(Math.floor(test.length / 2));
  let s = (seed * 2654435761 + 99) >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  const out: { ids: number[]; position: number }[] = [];
  const used = new Set<number>();
  while (out.length < count) {
    const i = next() % half.length;
    if (used.has(i)) continue;
    used.add(i);
    const ids = encodeSentences(vocab, [half[i]], maxLength).ids[0];
    out.push({ ids, position: 1 + (next() % (ids.length - 1)) });
  }
  return out;
}

const masked = (ids: number[], position: number) => ids.map((v, i) => (i === position ? MASK : v));

/** Layers × [heads, t, t] of one sentence, as nested arrays. */
function attentionOf(bert: TinyBert, ids: number[]): number[][][][] {
  return tf.tidy(() => {
    const x = tf.tensor2d(ids, [1, ids.length], 'int32');
    return bert.forward(x).attention.map((a) => (a.arraySync() as number[][][][])[0]);
  });
}

/** A student's reading of attention: (bert, masked ids, position) → the last layer's row of `position`, mean over heads [t]. */
export type StudentAttentionRow = (bert: TinyBert, ids: number[], position: number) => StudentValue;

/** Self-check: the last layer's attention from the masked position to every token, mean over heads. */
export function checkAttentionRow(bert: TinyBert, vocab: Vocabulary, student: StudentAttentionRow): Promise<CheckResult> {
  const [{ ids, position }] = freshSentences(vocab, 1, 31);
  const x = masked(ids, position);
  const att = attentionOf(bert, x);
  const L = att.length;
  const meanRow = (layer: number, column = false) => x.map((_, j) => att[layer].reduce((s, h) => s + (column ? h[j][position] : h[position][j]), 0) / att[layer].length);
  return checkTensor({
    name: 'Attention of the masked word (last layer, mean of the heads)',
    describe: 'one weight per token',
    student: () => student(bert, x, position),
    expected: () => meanRow(L - 1),
    tolerance: { atol: 1e-5, rtol: 1e-4 },
    mistakes: [
      { hint: 'read the row of the query (the masked position): what it attends to, not what attends to it', value: () => meanRow(L - 1, true) },
      { hint: 'the last layer, not the first', value: () => meanRow(0) },
    ],
  });
}

/** A student's rollout: layers × [heads, t, t] (first layer first) → [t, t]. */
export type StudentRollout = (attention: number[][][][]) => StudentValue;

/** R = Â_1 ⋯ Â_L (the wrong order) with the paper's Â. */
function reversedRollout(att: number[][][][]): number[][] {
  const t = att[0][0].length;
  const hat = att.map((layer) => layer[0].map((_, i) => {
    const row = layer[0][i].map((_, j) => 0.5 * layer.reduce((s, h) => s + h[i][j], 0) / layer.length + (i === j ? 0.5 : 0));
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((v) => v / sum);
  }));
  let r = hat[0];
  for (let l = 1; l < hat.length; l++) r = r.map((row) => Array.from({ length: t }, (_, j) => row.reduce((s, v, k) => s + v * hat[l][k][j], 0)));
  return r;
}

/** Self-check: attention rollout of a fresh sentence against `attentionRollout` (mean heads, residual ½). */
export function checkRollout(bert: TinyBert, vocab: Vocabulary, student: StudentRollout): Promise<CheckResult> {
  const [{ ids, position }] = freshSentences(vocab, 1, 41);
  const att = attentionOf(bert, masked(ids, position));
  return checkTensor({
    name: 'Attention rollout (heads: mean, residual ½)',
    describe: 'one row per token at the top, one column per input token',
    student: () => student(att.map((l) => l.map((h) => h.map((r) => r.slice())))),
    expected: () => attentionRollout(att).weights,
    tolerance: { atol: 1e-5, rtol: 1e-4 },
    mistakes: [
      { hint: 'the residual connection: Â = ½A + ½I, rows renormalized, before multiplying', value: () => attentionRollout(att, { residual: 0 }).weights },
      { hint: 'multiply from the first layer to the last: R = Â_L ⋯ Â_2 · Â_1', value: () => reversedRollout(att) },
      { hint: 'fuse the heads of a layer by their mean', value: () => attentionRollout(att, { heads: 'max' }).weights },
    ],
  });
}

/** A student's importance: (bert, masked ids, position, target word id) → |Σ_d ∂y/∂e_jd · e_jd| per token [t]. */
export type StudentImportance = (bert: TinyBert, ids: number[], position: number, target: number) => StudentValue;

/** Gradient × input on the token embeddings: the target logit at `position`, summed over the width, then `post`. */
function gradientImportance(bert: TinyBert, ids: number[], position: number, target: number, kind: 'abs' | 'signed' | 'gradNorm'): number[] {
  return tf.tidy(() => {
    const x = tf.tensor2d(ids, [1, ids.length], 'int32');
    const row = tf.tensor1d([position], 'int32');
    const e = bert.embed(x);
    const g = tf.grad((emb: tf.Tensor) => bert.logits(x, row, { embeddings: emb as tf.Tensor3D }).gather([target], 1).sum())(e);
    const v = kind === 'gradNorm' ? g.square().sum(-1).sqrt() : kind === 'abs' ? g.mul(e).sum(-1).abs() : g.mul(e).sum(-1);
    return Array.from(v.dataSync());
  });
}

/** Self-check: gradient × input importance of every token for the model's top prediction at the masked position. */
export function checkImportance(bert: TinyBert, vocab: Vocabulary, student: StudentImportance): Promise<CheckResult> {
  const [{ ids, position }] = freshSentences(vocab, 1, 51);
  const x = masked(ids, position);
  const target = tf.tidy(() => bert.logits(tf.tensor2d(x, [1, x.length], 'int32'), tf.tensor1d([position], 'int32')).argMax(1).dataSync()[0]);
  return checkTensor({
    name: 'Gradient × input on the token embeddings',
    describe: 'one number per token',
    student: () => student(bert, x, position, target),
    expected: () => gradientImportance(bert, x, position, target, 'abs'),
    tolerance: { atol: 1e-4, rtol: 1e-3 },
    mistakes: [
      { hint: 'the importance of a token is the absolute value of its sum', value: () => gradientImportance(bert, x, position, target, 'signed') },
      { hint: 'gradient × input: multiply the gradient by the embedding, then sum over the width', value: () => gradientImportance(bert, x, position, target, 'gradNorm') },
    ],
  });
}

/** Hashes of homework 3's short answers (sha256 of "hw3-attention:id:answer"). */
const HW3_ANSWERS: Record<string, string> = {
  q1: '992c1ebd4e26328333440efcdb0f37d5e1667dce26f7030a11151028266d182c',
  q2: '7ae8ff09fb52f463686141560bd3c6f5b728900df99d71e67945c14498e5bc20',
};

/** Checks homework 3's short answers, one ✓/✗ each. */
export function checkHw3Answers(answers: Record<string, unknown>): CheckResult[] {
  return Object.keys(HW3_ANSWERS).map((id) => checkAnswer('hw3-attention', id, answers?.[id], HW3_ANSWERS[id]));
}

/** Homework 3's checks, as the notebook calls them: `await xai.hw3.rollout(bert, vocab, rollout)`. */
export const hw3 = {
  attentionRow: checkAttentionRow,
  rollout: checkRollout,
  importance: checkImportance,
  answers: checkHw3Answers,
};
