import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { courseBert } from '../lib/models/transformer/courseBert';
import type { TinyBert } from '../lib/models/transformer/tinyBert';
import type { Vocabulary } from '../lib/data/text';
import { setDisplaySink, type DisplaySink } from '../lib/display/sink';
import { hw3, type CheckResult } from '../lib/grader';

const attentionRowSolution = (bert: TinyBert, ids: number[], position: number, layerFromTop = 0, column = false) => tf.tidy(() => {
  const att = bert.forward(tf.tensor2d(ids, [1, ids.length], 'int32')).attention;
  const a = att[att.length - 1 - layerFromTop].squeeze([0]).mean(0) as tf.Tensor2D;   // [t, t]
  return column ? a.transpose().gather([position]).squeeze([0]) : a.gather([position]).squeeze([0]);
});
function rolloutSolution(attention: number[][][][], residual = 0.5): number[][] {
  const t = attention[0][0].length;
  let r: number[][] = Array.from({ length: t }, (_, i) => Array.from({ length: t }, (_, j) => (i === j ? 1 : 0)));
  for (const layer of attention) {
    const hat = layer[0].map((_, i) => {
      const row = layer[0][i].map((_, j) => (1 - residual) * layer.reduce((s, h) => s + h[i][j], 0) / layer.length + (i === j ? residual : 0));
      const sum = row.reduce((a, b) => a + b, 0);
      return row.map((v) => v / sum);
    });
    r = hat.map((row) => Array.from({ length: t }, (_, j) => row.reduce((s, v, k) => s + v * r[k][j], 0)));
  }
  return r;
}
const importanceSolution = (bert: TinyBert, ids: number[], position: number, target: number, abs = true) => tf.tidy(() => {
  const x = tf.tensor2d(ids, [1, ids.length], 'int32');
  const row = tf.tensor1d([position], 'int32');
  const e = bert.embed(x);
  const g = tf.grad((emb: tf.Tensor) => bert.logits(x, row, { embeddings: emb as tf.Tensor3D }).gather([target], 1).sum())(e);
  const s = g.mul(e).sum(-1).squeeze([0]);
  return abs ? s.abs() : s;
});

describe('grader: homework 3 on the course BERT', () => {
  let bert: TinyBert;
  let vocab: Vocabulary;
  let restore: DisplaySink;
  before(async () => {
    ({ bert, vocab } = await courseBert({ quiet: true }));
    restore = setDisplaySink({ live: false, display: () => undefined, update: () => undefined });
  });
  after(() => void setDisplaySink(restore));
  const expectPass = (r: CheckResult) => assert.strictEqual(r.passed, true, `${r.name}: ${r.message}`);
  const expectHint = (r: CheckResult, hint: RegExp) => {
    assert.strictEqual(r.passed, false, `${r.name} passed a wrong answer: ${r.message}`);
    assert.match(r.hint ?? '(no hint)', hint, `${r.name}: ${r.message}`);
  };

  it('attention row, rollout, gradient × input: the solutions ✓, the common mistakes get their hints', async () => {
    const before = tf.memory().numTensors;
    expectPass(await hw3.attentionRow(bert, vocab, (b, ids, p) => attentionRowSolution(b, ids, p)));
    expectHint(await hw3.attentionRow(bert, vocab, (b, ids, p) => attentionRowSolution(b, ids, p, 0, true)), /row of the query/);
    expectPass(await hw3.rollout(bert, vocab, (a) => rolloutSolution(a)));
    expectHint(await hw3.rollout(bert, vocab, (a) => rolloutSolution(a, 0)), /residual/);
    expectPass(await hw3.importance(bert, vocab, (b, ids, p, t) => importanceSolution(b, ids, p, t)));
    expectHint(await hw3.importance(bert, vocab, (b, ids, p, t) => importanceSolution(b, ids, p, t, false)), /absolute value/);
    assert.strictEqual((await hw3.rollout(bert, vocab, () => [[1, 0], [0, 1]])).status, 'shape');
    assert.strictEqual(tf.memory().numTensors, before);
    assert.deepStrictEqual(hw3.answers({ q1: 'a', q2: 'a' }).map((r) => r.passed), [true, false]);
  });
});
