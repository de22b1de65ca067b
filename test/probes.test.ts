/** Probes, control tasks, selectivity and the majority baseline, on data whose answer is known. */
import * as assert from 'assert';
import { tf } from '../lib/engine';
import { seededRandom } from '../lib/data';
import { controlTask, majorityBaseline, probe, selectivity } from '../lib/explain/internals/probes';

/** n points in d dimensions around `classes` well-separated centres (labels known). */
function clusters(n: number, d: number, classes: number, seed: number, spread = 0.3): { features: tf.Tensor2D; labels: number[] } {
  const rnd = seededRandom(seed);
  const centres = Array.from({ length: classes }, (_, c) => Array.from({ length: d }, (_, j) => (j % classes === c ? 2 : 0)));
  const labels = Array.from({ length: n }, (_, i) => i % classes);
  const data = labels.flatMap((c) => centres[c].map((v) => v + spread * (rnd() * 2 - 1) * 2));
  return { features: tf.tensor2d(data, [n, d]), labels };
}

describe('probes (Alain & Bengio 2016; Hewitt & Liang 2019)', function () {
  this.timeout(120000);

  it('a linear probe separates separable classes, far above the majority baseline, leaving no tensor', async () => {
    const [tr, dev, te] = [clusters(600, 12, 3, 1), clusters(150, 12, 3, 2), clusters(150, 12, 3, 3)];
    const before = tf.memory().numTensors;
    const r = await probe(tr, dev, te, { quiet: true, epochs: 20 });
    assert.strictEqual(tf.memory().numTensors, before, 'probe left tensors behind');
    assert.ok(r.accuracy.test! >= 0.97, `test accuracy ${r.accuracy.test}`);
    const base = majorityBaseline(tr.labels, te.labels);
    assert.ok(Math.abs(base.accuracy - 1 / 3) < 0.01);
    assert.strictEqual(r.confusion.flat().reduce((a, b) => a + b, 0), 150);
    assert.ok(r.perClassF1.every((f) => f > 0.9), `F1 ${r.perClassF1}`);
    assert.strictEqual(r.parameters, 12 * 3 + 3);
    tf.dispose([tr.features, dev.features, te.features]);
  });

  it('an MLP fits XOR, which no linear probe can (the probe-strength question)', async () => {
    const rnd = seededRandom(5);
    const make = (n: number) => {
      const pts = Array.from({ length: n }, () => [rnd() * 2 - 1, rnd() * 2 - 1]);
      return { features: tf.tensor2d(pts), labels: pts.map(([a, b]) => (a * b > 0 ? 1 : 0)) };
    };
    const [tr, dev] = [make(800), make(200)];
    const lin = await probe(tr, dev, undefined, { quiet: true, epochs: 15 });
    const mlp = await probe(tr, dev, undefined, { kind: 'mlp', hidden: 32, learningRate: 1e-2, epochs: 40, patience: 8, quiet: true });
    assert.ok(lin.accuracy.dev < 0.7, `linear on XOR ${lin.accuracy.dev}`);
    assert.ok(mlp.accuracy.dev > 0.9, `MLP on XOR ${mlp.accuracy.dev}`);
    tf.dispose([tr.features, dev.features]);
  });

  it('a control task gives each word type one tag drawn from the tag distribution', () => {
    const words = ['the', 'cat', 'The', 'sat', 'on', 'the', 'mat', 'cat'];
    const tags = [0, 1, 0, 2, 3, 0, 1, 1];
    const c = controlTask(words, tags, { seed: 4 });
    assert.strictEqual(c[0], c[2]);
    assert.strictEqual(c[0], c[5]);
    assert.strictEqual(c[1], c[7]);
    assert.deepStrictEqual(controlTask(words, tags, { seed: 4 }), c, 'deterministic from the seed');
    // many types: control tags follow the empirical distribution (3:1)
    const many = Array.from({ length: 4000 }, (_, i) => `w${i}`);
    const skewed = many.map((_, i) => (i % 4 === 0 ? 1 : 0));
    const share = controlTask(many, skewed, { seed: 9 }).filter((t) => t === 1).length / many.length;
    assert.ok(Math.abs(share - 0.25) < 0.03, `share of tag 1: ${share}`);
    assert.strictEqual(selectivity(0.97, 0.71), 0.97 - 0.71);
    assert.throws(() => controlTask(['a'], [0, 1]), /controlTask: words has 1 tokens but tags has 2/);
  });

  it('names bad input: lengths, an empty split, a class never seen in training (warning)', async () => {
    const x = tf.zeros([4, 3]) as tf.Tensor2D;
    const empty = tf.zeros([0, 3]) as tf.Tensor2D;
    await assert.rejects(probe({ features: x, labels: [0, 1, 0] }, { features: x, labels: [0, 1, 0, 1] }), /probe: train\.features has 4 rows but train\.labels has 3/);
    await assert.rejects(probe({ features: x, labels: [0, 1, 0, 1] }, { features: empty, labels: [] }), /probe: the dev split has no examples/);
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (m: string) => void warnings.push(m);
    try {
      await probe({ features: x, labels: [0, 1, 0, 1] }, { features: x, labels: [0, 2, 0, 1] }, undefined, { quiet: true, epochs: 1 });
    } finally {
      console.warn = warn;
    }
    assert.deepStrictEqual(warnings, ['probe: class 2 never occurs in training']);
    tf.dispose([x, empty]);
  });
});
