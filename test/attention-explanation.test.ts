/** Kendall's τ against scipy, and Jain & Wallace's analyses on a small tiny BERT (completeness, bounds, bad input). */
import * as assert from 'assert';
import { tf } from '../lib/engine';
import { seededRandom } from '../lib/data';
import { tinyBert, trainMaskedLm } from '../lib/models';
import { kendallTau } from '../lib/explain/internals/attention/kendallTau';
import { isAttentionExplanation, quartiles, TAU_PAIRS } from '../lib/explain/internals/attention/isAttentionExplanation';

describe('is attention an explanation? (Jain & Wallace 2019)', function () {
  this.timeout(300000);

  it("Kendall's τ-b equals scipy.stats.kendalltau, ties included", () => {
    // values printed by scipy 1.10 (Debian's python3-scipy)
    assert.ok(Math.abs(kendallTau([1, 2, 3, 4], [10, 20, 40, 30]) - 0.6666666666666669) < 1e-12);
    assert.ok(Math.abs(kendallTau([1, 2, 2, 3, 4, 4, 5], [2, 1, 3, 3, 5, 4, 4]) - 0.6842105263157894) < 1e-12);
    assert.ok(Math.abs(kendallTau([0.3, 0.1, 0.1, 0.9, 0.5], [1, 1, 2, 3, 0])) < 1e-12);
    assert.strictEqual(kendallTau([1, 2, 3], [3, 2, 1]), -1);
    assert.ok(Number.isNaN(kendallTau([1, 1, 1], [1, 2, 3])));
    assert.throws(() => kendallTau([1, 2], [1]), /x has 2 values but y has 1/);
  });

  it('measures every sentence: IG complete to a few %, τ in [−1, 1], permutations move the output, no tensor left', async () => {
    const rnd = seededRandom(4);
    // a trained toy model, so attention is not uniform: sentences "a b a b …" with a masked word given by its neighbours
    const ids = Array.from({ length: 300 }, () => {
      const [a, b] = [4 + Math.floor(rnd() * 12), 4 + Math.floor(rnd() * 12)];
      return [2, ...Array.from({ length: 5 + Math.floor(rnd() * 5) }, (_, j) => (j % 2 ? b : a))];
    });
    const bert = tinyBert({ vocab: 16, dModel: 32, heads: 2, layers: 2, ff: 64, maxLength: 16 });
    await trainMaskedLm(bert, ids.slice(0, 250), { steps: 150, learningRate: 3e-3, batchTokens: 512, quiet: true });
    const before = tf.memory().numTensors;
    const report = isAttentionExplanation(bert, ids.slice(250, 280), { seed: 2, igSteps: 32, permutations: 10, layers: [1, 0] });
    assert.strictEqual(tf.memory().numTensors, before, 'analysis left tensors behind');
    assert.strictEqual(report.sentences.length, 30);
    for (const s of report.sentences) {
      assert.strictEqual(s.keys.length, s.ids.length - 2);
      assert.ok(!s.keys.includes(0) && !s.keys.includes(s.position));
      for (const pair of TAU_PAIRS) {
        const v = s.tau[`${pair[0]}Vs${pair[1][0].toUpperCase()}${pair[1].slice(1)}` as keyof typeof s.tau];
        assert.ok(Number.isNaN(v) || (v >= -1 && v <= 1), `τ ${v}`);
      }
      const [p0, p1] = s.permutation;
      assert.deepStrictEqual([p0.layer, p1.layer], [1, 0]);
      for (const p of s.permutation) assert.ok(p.tvd >= 0 && p.tvd <= 1 && p.uniformTvd >= 0 && p.uniformTvd <= 1);
    }
    assert.ok(report.summary.completenessGap.median < 0.05, `IG completeness gap ${report.summary.completenessGap.median}`);
    assert.ok(report.summary.permutation[0].tvd.median > 0.01, `permuting attention moved the output by TVD ${report.summary.permutation[0].tvd.median}`);
    // τ is NaN (left out of the quartiles) only where a method ties every word, as leave-one-out can in "a b a b"
    assert.ok(report.summary.tau.attentionVsLeaveOneOut.n >= 27, `τ defined for ${report.summary.tau.attentionVsLeaveOneOut.n} of 30`);
    assert.throws(() => isAttentionExplanation(bert, [[2, 5]]), /sentences\[0\] must be \[CLS\] and at least 3 word ids; got 2 ids/);
    assert.throws(() => isAttentionExplanation(bert, [[2, 5, 6, 7]], { layers: [2] }), /options.layers must be a non-empty array of layers in 0..1; got \[2\]/);
    assert.throws(() => isAttentionExplanation(bert, [Array(17).fill(5)]), /has 17 ids but the model's maximum length is 16/);
    bert.dispose();
  });

  it('quartiles interpolate and skip NaN', () => {
    const q = quartiles([4, 1, 3, 2, NaN]);
    assert.deepStrictEqual([q.q1, q.median, q.q3, q.mean, q.n], [1.75, 2.5, 3.25, 2.5, 4]);
  });
});
