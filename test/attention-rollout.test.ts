/** Attention rollout (Abnar & Zuidema 2020) and positional heads (Clark et al. 2019) on synthetic attention with known answers. */
import * as assert from 'assert';
import { tf } from '../lib/engine';
import { seededRandom } from '../lib/data';
import { attentionOffsets, attentionRollout, sentenceAttention } from '../lib/explain/internals/attention';
import { assertNoLeak } from './local-fixtures';

const eye = (t: number) => Array.from({ length: t }, (_, i) => Array.from({ length: t }, (_, j) => (i === j ? 1 : 0)));
/** Every token attends to the previous one; the first to itself. */
const previous = (t: number) => Array.from({ length: t }, (_, i) => Array.from({ length: t }, (_, j) => (j === Math.max(0, i - 1) ? 1 : 0)));
/** Every token attends to the next one; the last to itself. */
const next = (t: number) => Array.from({ length: t }, (_, i) => Array.from({ length: t }, (_, j) => (j === Math.min(t - 1, i + 1) ? 1 : 0)));
const uniform = (t: number) => Array.from({ length: t }, () => Array.from({ length: t }, () => 1 / t));
const toFirst = (t: number) => Array.from({ length: t }, () => Array.from({ length: t }, (_, j) => (j === 0 ? 1 : 0)));
const binom = (n: number, k: number): number => (k < 0 || k > n ? 0 : k === 0 ? 1 : (binom(n - 1, k - 1) * n) / k);

function close(actual: number[][], expected: number[][], tol = 1e-9, what = 'rollout'): void {
  assert.strictEqual(actual.length, expected.length);
  actual.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - expected[i][j]) <= tol, `${what}[${i}][${j}] = ${v}, expected ${expected[i][j]}`)));
}

/** Random softmax attention [heads, t, t]. */
function randomAttention(rand: () => number, heads: number, t: number): number[][][] {
  return Array.from({ length: heads }, () =>
    Array.from({ length: t }, () => {
      const e = Array.from({ length: t }, () => Math.exp(3 * (rand() - 0.5)));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    }),
  );
}

describe('attentionRollout', () => {
  it('identity attention rolls out to the identity (any residual, any depth)', () => {
    for (const residual of [0, 0.5, 0.9]) close(attentionRollout([[eye(5), eye(5)], [eye(5), eye(5)], [eye(5), eye(5)]], { residual }).weights, eye(5));
  });

  it('two layers by hand: R = Â₂·Â₁ with Â = ½A + ½I (order matters)', () => {
    // layer 1: everyone attends to token 0; layer 2: everyone to token 1
    const a1 = [[[1, 0], [1, 0]]];
    const a2 = [[[0, 1], [0, 1]]];
    // Â₁ = [[1, 0], [.5, .5]], Â₂ = [[.5, .5], [0, 1]]; Â₂Â₁ = [[.75, .25], [.5, .5]] (Â₁Â₂ would be [[.5, .5], [.25, .75]])
    const r = attentionRollout([a1, a2]);
    close(r.weights, [[0.75, 0.25], [0.5, 0.5]]);
    assert.deepStrictEqual([r.layers, r.heads, r.residual, r.tokens], [2, 'mean', 0.5, 2]);
    close(attentionRollout([a1, a2], { layers: 1 }).weights, [[1, 0], [0.5, 0.5]]);
  });

  it('a previous-token chain over L layers is a binomial mixture of the L tokens before', () => {
    const t = 9;
    for (const L of [1, 2, 3, 5]) {
      const r = attentionRollout(Array.from({ length: L }, () => [previous(t)])).weights;
      // Â = ½I + ½S: row i of Â^L puts C(L, k)/2^L on token i − k; what would fall before token 0 stays on token 0
      for (let i = 0; i < t; i++) {
        const expected = Array.from({ length: t }, (_, j) => (j > 0 ? binom(L, i - j) / 2 ** L : Array.from({ length: L + 1 }, (_, k) => (i - k <= 0 ? binom(L, k) : 0)).reduce((a, b) => a + b, 0) / 2 ** L));
        close([r[i]], [expected], 1e-12, `L=${L} row ${i}`);
      }
    }
    // e.g. L = 3, row 5: tokens 5, 4, 3, 2 get 1/8, 3/8, 3/8, 1/8
    close([attentionRollout([[previous(8)], [previous(8)], [previous(8)]]).weights[5]], [[0, 0, 1 / 8, 3 / 8, 3 / 8, 1 / 8, 0, 0]]);
  });

  it('fuses heads by mean, max or one chosen head', () => {
    const t = 4;
    const layer = [eye(t), previous(t)];
    // mean: A = ½I + ½S, Â = ¾I + ¼S (token 0: both heads on itself)
    const mean = attentionRollout([layer]).weights;
    close(mean, eye(t).map((row, i) => row.map((v, j) => (i === 0 ? v : 0.75 * v + (j === i - 1 ? 0.25 : 0)))));
    // head 1 alone: ½I + ½S
    close(attentionRollout([layer], { heads: 1 }).weights, eye(t).map((row, i) => row.map((v, j) => (i === 0 ? v : 0.5 * v + (j === i - 1 ? 0.5 : 0)))));
    // max: A = I + S (rows ≥ 1), ½A + ½I renormalized → 2/3 on itself, 1/3 on the previous token
    close(attentionRollout([layer], { heads: 'max' }).weights, eye(t).map((row, i) => row.map((v, j) => (i === 0 ? v : (2 / 3) * v + (j === i - 1 ? 1 / 3 : 0)))), 1e-12);
  });

  it('matches a tfjs reference (mean heads, ½A + ½I, matMul layer by layer) on random softmax attention; rows sum to 1', () => {
    const rand = seededRandom(7);
    const L = 4;
    const H = 3;
    const t = 7;
    const att = Array.from({ length: L }, () => randomAttention(rand, H, t));
    const ref = tf.tidy(() => {
      let R = tf.eye(t);
      for (const a of att) {
        const A = tf.tensor3d(a).mean(0).mul(0.5).add(tf.eye(t).mul(0.5));
        R = tf.matMul(A.div(A.sum(1, true)), R);
      }
      return R.arraySync() as number[][];
    });
    const r = attentionRollout(att).weights;
    close(r, ref, 1e-5);
    r.forEach((row) => assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12));
    // residual 0: the plain product of the head means
    const raw = tf.tidy(() => att.reduce((R, a) => tf.matMul(tf.tensor3d(a).mean(0), R), tf.eye(t) as tf.Tensor2D).arraySync() as number[][]);
    close(attentionRollout(att, { residual: 0 }).weights, raw, 1e-5);
  });

  it("takes the tiny BERT's per-layer [1, heads, t, t] tensors (or one [layers, heads, t, t]) without leaking", () => {
    const rand = seededRandom(3);
    const att = Array.from({ length: 2 }, () => randomAttention(rand, 2, 5));
    const expected = attentionRollout(att).weights;
    const perLayer = att.map((a) => tf.tensor4d([a]));
    const whole = tf.tensor4d(att);
    const batch = tf.concat([perLayer[0], perLayer[0]]);
    try {
      close(assertNoLeak(() => attentionRollout(perLayer)).weights, expected, 1e-6);
      close(assertNoLeak(() => attentionRollout(whole)).weights, expected, 1e-6);
      assert.throws(() => attentionRollout([batch]), /attentionRollout: attention\[0\]: a batch of 2 \(shape \[2, 2, 5, 5\]\); pass options\.example/);
      close(attentionRollout([batch], { example: 1 }).weights, attentionRollout([att[0]]).weights, 1e-6);
    } finally {
      tf.dispose([...perLayer, whole, batch]);
    }
  });

  it('fails early on bad input, naming the argument', () => {
    assert.throws(() => attentionRollout([]), /attentionRollout: attention must be a non-empty array/);
    assert.throws(() => attentionRollout([[eye(3)], [eye(4)]]), /attentionRollout: attention\[1\] has shape \[1, 4, 4\] but attention\[0\] has \[1, 3, 3\]/);
    assert.throws(() => attentionRollout([[[[1, 0, 0], [0, 1, 0]]]]), /expected self-attention weights \[heads, t, t\].*got shape \[1, 2, 3\]/);
    assert.throws(() => attentionRollout([[[[0.5, 0.2], [0, 1]]]]), /every attention row must sum to 1.*layer 0 head 0 query 0 sums to 0\.7/);
    assert.throws(() => attentionRollout([[[[NaN, 1], [0, 1]]]]), /finite and ≥ 0; layer 0 head 0 query 0 key 0 is NaN/);
    assert.throws(() => attentionRollout([[eye(2)]], { heads: 3 }), /options\.heads must be 'mean', 'max' or a head index in 0\.\.0; got 3/);
    assert.throws(() => attentionRollout([[eye(2)]], { heads: 'min' as 'max' }), /options\.heads must be one of mean, max; got "min"/);
    assert.throws(() => attentionRollout([[eye(2)]], { residual: 2 }), /options\.residual must be a number in \[0, 1\]/);
    assert.throws(() => attentionRollout([[eye(2)]], { layers: 2 }), /options\.layers must be an integer in 1\.\.1/);
  });
});

describe('attentionOffsets', () => {
  // layer 0: head 0 previous-token, head 1 uniform; layer 1: head 0 next-token, head 1 all to the first token
  const sentence = (t: number) => [[previous(t), uniform(t)], [next(t), toFirst(t)]];
  const lengths = [3, 5];

  it('measures previous/next/self/first/last shares per head beside the uniform baseline (hand-computed)', () => {
    const o = attentionOffsets(lengths.map(sentence));
    const u = (2 * (1 / 3) + 4 * (1 / 5)) / 6; // uniform at ±1: Σ (t − 1)/t / Σ (t − 1)
    const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);
    near(o.shares.previous[0][0], 1, 'previous head at −1');
    near(o.shares.previous[0][1], u, 'uniform head at −1');
    near(o.uniform.previous, u, 'uniform baseline at −1');
    near(o.uniform.next, u, 'uniform baseline at +1');
    near(o.uniform.self, (3 * (1 / 3) + 5 * (1 / 5)) / 8, 'uniform baseline on itself');
    near(o.shares.self[0][0], 2 / 8, 'previous head: only token 0 attends to itself');
    near(o.shares.first[0][0], 4 / 8, 'previous head: tokens 0 and 1 attend to the first');
    near(o.shares.next[1][0], 1, 'next head at +1');
    near(o.shares.last[1][0], 4 / 8, 'next head: the last two tokens attend to the last');
    near(o.shares.previous[1][0], 0, 'next head at −1');
    near(o.shares.first[1][1], 1, 'first-token head');
    near(o.shares.last[1][1], 0, 'first-token head on the last token');
    assert.deepStrictEqual(o.best.previous, { layer: 0, head: 0, share: 1 });
    assert.deepStrictEqual([o.best.next.layer, o.best.next.head], [1, 0]);
    assert.deepStrictEqual([o.best.first.layer, o.best.first.head], [1, 1]);
    assert.deepStrictEqual(o.queries, { previous: 6, next: 6, self: 8, first: 8, last: 8 });
    assert.deepStrictEqual([o.layers, o.heads, o.sentences, o.lengths], [2, 2, 2, [3, 5]]);
  });

  it('uniform attention scores exactly its baseline everywhere; tensors are read without leaking', () => {
    const ts = [4, 7, 10].map((t) => [tf.tensor4d([[uniform(t), uniform(t)]])]);
    try {
      const o = assertNoLeak(() => attentionOffsets(ts));
      for (const k of ['previous', 'next', 'self', 'first', 'last'] as const) o.shares[k].flat().forEach((v) => assert.ok(Math.abs(v - o.uniform[k]) < 1e-6, `${k}: ${v} vs ${o.uniform[k]}`));
      assert.ok(Math.abs(o.uniform.previous - (3 / 4 + 6 / 7 + 9 / 10) / 18) < 1e-12);
    } finally {
      tf.dispose(ts.flat());
    }
  });

  it('fails early when sentences come from different models', () => {
    assert.throws(() => attentionOffsets([]), /attentionOffsets: sentences must be a non-empty array/);
    assert.throws(() => attentionOffsets([sentence(3), [[eye(3)]]]), /attentionOffsets: sentences\[1\] has 1 layers × 1 heads but sentences\[0\] has 2 × 2/);
    assert.throws(() => attentionOffsets([[[[[0.5, 0.6], [0, 1]]]]]), /attentionOffsets: sentences\[0\]: every attention row must sum to 1/);
  });
});

describe('sentenceAttention (a padded batch) and options.length', () => {
  /** Sentence attention padded to T: keys beyond n get 0 (masked), padding queries attend uniformly to the n tokens. */
  const pad = (a: number[][][][], T: number) =>
    a.map((layer) => layer.map((head) => Array.from({ length: T }, (_, i) => Array.from({ length: T }, (_, j) => (j >= head.length ? 0 : i < head.length ? head[i][j] : 1 / head.length)))));

  it('splits a [b, heads, T, T] batch per layer into sentences cut to their lengths: same offsets and rollout as unpadded', () => {
    const rand = seededRandom(5);
    const a = Array.from({ length: 2 }, () => randomAttention(rand, 3, 6));
    const b = Array.from({ length: 2 }, () => randomAttention(rand, 3, 4));
    const pb = pad(b, 6);
    const batch = [0, 1].map((l) => tf.tensor4d([a[l], pb[l]]));
    try {
      const s = assertNoLeak(() => sentenceAttention(batch, [6, 4]));
      assert.deepStrictEqual(s.map((w) => [w.layers, w.heads, w.tokens]), [[2, 3, 6], [2, 3, 4]]);
      const o = attentionOffsets(s);
      const ref = attentionOffsets([a, b]);
      for (const k of ['previous', 'next', 'self', 'first', 'last'] as const) {
        close(o.shares[k], ref.shares[k], 1e-6, k);
        assert.strictEqual(o.uniform[k], ref.uniform[k]);
      }
      close(attentionRollout(s[1]).weights, attentionRollout(b).weights, 1e-6);
      close(attentionRollout(batch, { example: 1, length: 4 }).weights, attentionRollout(b).weights, 1e-6);
      close(attentionRollout(pb, { length: 4 }).weights, attentionRollout(b).weights, 1e-12);
      assert.throws(() => sentenceAttention(batch, [6]), /sentenceAttention: lengths must have one entry per sentence of the batch \(2\); got 1/);
      assert.throws(() => sentenceAttention(batch, [6, 7]), /sentenceAttention: lengths\[1\]: options\.length must be an integer in 1\.\.6/);
      assert.throws(() => sentenceAttention([a[0]] as never), /sentenceAttention: attention must be a non-empty array of \[batch, heads, t, t\] tensors/);
      assert.throws(() => attentionRollout(pb, { length: 0 }), /attentionRollout: options\.length must be an integer in 1\.\.6/);
    } finally {
      tf.dispose(batch);
    }
  });
});
