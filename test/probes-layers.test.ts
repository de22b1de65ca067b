/** Per-layer probing: joint linear probes, probing tasks with control tasks, layer representations, probeLayers, the table, the BiLSTM LM. */
import * as assert from 'assert';
import { tf } from '../lib/engine';
import { seededRandom } from '../lib/data';
import { buildVocabulary } from '../lib/data/text';
import { biLstmLm, sameLengthBatches, tinyBert, trainBiLstmLm } from '../lib/models';
import { wordIdentityBaseline, bertLayers, biLstmLayers, layerRepresentations, linearProbes, probe, probeLayers, probingTask, type LayerRepresentations, type Splits } from '../lib/explain/internals/probes';
import { probeTable } from '../lib/viz';

/** Tokens of `types` word types; type w has tag w % 4. Three layers: word identity (a random 64-d vector per type: any labelling of the types is linearly separable), the tag (one-hot + noise), noise. */
function synthetic(n: number, seed: number, types = 60): { words: string[]; tags: string[]; reps: LayerRepresentations } {
  const rnd = seededRandom(seed);
  const idRnd = seededRandom(99);
  const identity = Array.from({ length: types }, () => Array.from({ length: 64 }, () => idRnd() * 2 - 1));
  const ids = Array.from({ length: n }, () => Math.floor(rnd() * types));
  const layer = (f: (w: number) => number[]) => Float32Array.from(ids.flatMap(f));
  const features = [
    layer((w) => identity[w]),
    layer((w) => Array.from({ length: 16 }, (_, j) => (j === w % 4 ? 1 : 0) + 0.3 * (rnd() * 2 - 1))),
    layer(() => Array.from({ length: 16 }, () => rnd() * 2 - 1)),
  ];
  return { words: ids.map((w) => `w${w}`), tags: ids.map((w) => `t${w % 4}`), reps: { model: 'toy', layers: ['identity', 'tag', 'noise'], dims: [64, 16, 16], tokens: n, features } };
}

describe('per-layer probing (Hewitt & Liang 2019; Tenney et al. 2019)', function () {
  this.timeout(300000);

  it('linearProbes trains several linear probes at once, each exactly as probe() would, leaving no tensor', async () => {
    const rnd = seededRandom(3);
    const make = (n: number) => {
      const v = Array.from({ length: n }, () => Array.from({ length: 6 }, () => rnd() * 2 - 1));
      return { features: tf.tensor2d(v), a: v.map((r) => (r[0] > 0 ? 1 : 0) + (r[2] > 0 ? 2 : 0)), b: v.map((r) => (r[3] > 0 ? 1 : 0)) };
    };
    const [tr, dv, te] = [make(1200), make(300), make(300)];
    const before = tf.memory().numTensors;
    const o = { quiet: true, epochs: 12, patience: 2, batchSize: 100 };
    const joint = await linearProbes({ features: tr.features, labels: [tr.a, tr.b] }, { features: dv.features, labels: [dv.a, dv.b] }, { features: te.features, labels: [te.a, te.b] }, o);
    const alone = [
      await probe({ features: tr.features, labels: tr.a }, { features: dv.features, labels: dv.a }, { features: te.features, labels: te.a }, o),
      await probe({ features: tr.features, labels: tr.b }, { features: dv.features, labels: dv.b }, { features: te.features, labels: te.b }, o),
    ];
    assert.strictEqual(tf.memory().numTensors, before, 'linearProbes/probe left tensors behind');
    joint.forEach((r, h) => {
      assert.deepStrictEqual(r.accuracy, alone[h].accuracy, `head ${h}`);
      assert.strictEqual(r.bestEpoch, alone[h].bestEpoch);
      assert.deepStrictEqual(r.confusion, alone[h].confusion);
    });
    assert.ok(joint[0].accuracy.test! > 0.9 && joint[1].accuracy.test! > 0.95, JSON.stringify(joint.map((r) => r.accuracy)));
    await assert.rejects(linearProbes({ features: tr.features, labels: [tr.a] }, { features: dv.features, labels: [dv.a, dv.b] }), /linearProbes: dev\.labels must have 1 label lists \(as train\); got 2/);
    tf.dispose([tr.features, dv.features, te.features]);
  });

  it('probingTask: classes by training frequency, one control tag per word type across splits, drawn from the tag distribution', () => {
    const words = { train: ['a', 'b', 'A', 'c', 'a'], dev: ['b', 'd'], test: ['a', 'e'] };
    const tags = { train: ['X', 'Y', 'X', 'Y', 'Y'], dev: ['Y', 'Z'], test: ['X', 'X'] };
    const t = probingTask('toy', words, tags, { seed: 2 });
    assert.deepStrictEqual(t.classes, ['Y', 'X', 'Z'], 'train frequency, then the class seen only in dev');
    assert.deepStrictEqual(t.labels.train, [1, 0, 1, 0, 0]);
    assert.deepStrictEqual(t.labels.dev, [0, 2]);
    const c = t.control;
    assert.strictEqual(c.train[0], c.train[2], "'a' and 'A' share a type");
    assert.strictEqual(c.train[0], c.train[4]);
    assert.strictEqual(c.train[0], c.test[0], 'the same type keeps its tag in test');
    assert.strictEqual(c.train[1], c.dev[0]);
    // many types, tags 3:1 → control tags 3:1
    const many = Array.from({ length: 6000 }, (_, i) => `w${i}`);
    const skew = many.map((_, i) => (i % 4 === 0 ? 'rare' : 'common'));
    const big = probingTask('skew', { train: many.slice(0, 4000), dev: many.slice(4000, 5000), test: many.slice(5000) }, { train: skew.slice(0, 4000), dev: skew.slice(4000, 5000), test: skew.slice(5000) }, { seed: 1 });
    const rare = [...big.control.train, ...big.control.dev, ...big.control.test].filter((x) => x === big.classes.indexOf('rare')).length / 6000;
    assert.ok(Math.abs(rare - 0.25) < 0.03, `share of the rare control tag ${rare}`);
    assert.throws(() => probingTask('toy', { ...words, dev: ['b'] }, tags), /probingTask: words\.dev has 1 tokens but tags\.dev has 2/);
    assert.throws(() => probingTask('toy', { ...words, test: [] }, { ...tags, test: [] }), /probingTask: the test split has no tokens/);
  });

  it('wordIdentityBaseline: the most frequent training tag of each word type, the majority tag for unseen words', () => {
    const r = wordIdentityBaseline(['The', 'dog', 'the', 'run', 'run', 'run'], [1, 0, 1, 2, 2, 0], ['the', 'run', 'cat', 'dog'], [1, 0, 2, 0]);
    // the → 1 ✓, run → 2 ✗, cat unseen → the majority tag (0, 1 and 2 tie: the smallest, 0) ✗, dog → 0 ✓
    assert.deepStrictEqual(r, { accuracy: 0.5, unseen: 1 });
    assert.throws(() => wordIdentityBaseline(['a'], [0, 1], ['a'], [0]), /wordIdentityBaseline: trainWords has 1 tokens but trainTags has 2/);
  });

  it('layerRepresentations: word j is position j + 1 of its own sentence, in order, whatever the batch; no tensor left', () => {
    const sentences = [['the', 'cat', 'sat'], ['a', 'dog'], ['the', 'dog', 'sat'], ['cat']];
    const vocab = buildVocabulary(sentences, { maxSize: 20 });
    const bert = tinyBert({ vocab: 20, dModel: 16, heads: 2, layers: 2, ff: 32, maxLength: 8 });
    const before = tf.memory().numTensors;
    const reps = layerRepresentations(bertLayers(bert, vocab), sentences, { batchTokens: 4 });
    assert.strictEqual(tf.memory().numTensors, before, 'layerRepresentations left tensors behind');
    assert.deepStrictEqual(reps.layers, ['embedding', 'layer 1', 'layer 2']);
    assert.strictEqual(reps.tokens, 9);
    // sentence 2 alone, through the model: its rows are 5..7 of every layer
    const ids = tf.tensor2d([[vocab.cls, ...vocab.encode(sentences[2]).ids]], undefined, 'int32');
    const { hidden, attention } = bert.forward(ids);
    hidden.forEach((h, l) => {
      const alone = h.slice([0, 1, 0], [1, 3, 16]).dataSync();
      const rows = reps.features[l].subarray(5 * 16, 8 * 16);
      alone.forEach((v, k) => assert.ok(Math.abs(v - rows[k]) < 1e-5, `layer ${l} value ${k}: ${v} vs ${rows[k]}`));
    });
    tf.dispose([ids, ...hidden, ...attention]);
    assert.throws(() => layerRepresentations(bertLayers(bert, vocab), [['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']]), /layerRepresentations: sentences\[0\] has 8 words but tiny BERT reads at most 7/);
    bert.dispose();
  });

  it('probeLayers: the tag layer is best and selective, word identity memorizes the control task, noise sits at the majority baseline', async () => {
    const [tr, dv, te] = [synthetic(3000, 1), synthetic(800, 2), synthetic(800, 3)];
    const task = probingTask('tag', { train: tr.words, dev: dv.words, test: te.words }, { train: tr.tags, dev: dv.tags, test: te.tags }, { seed: 5 });
    const reps: Splits<LayerRepresentations> = { train: tr.reps, dev: dv.reps, test: te.reps };
    const before = tf.memory().numTensors;
    const t = await probeLayers(reps, [task], { quiet: true, epochs: 20, patience: 3 });
    assert.strictEqual(tf.memory().numTensors, before, 'probeLayers left tensors behind');
    const cell = (l: string) => t.cells[l].tag;
    assert.ok(cell('tag').accuracy > 0.97, `tag layer ${cell('tag').accuracy}`);
    assert.ok(cell('identity').accuracy > 0.9, `identity layer ${cell('identity').accuracy}`);
    assert.ok(Math.abs(cell('noise').accuracy - t.majority.tag) < 0.08, `noise ${cell('noise').accuracy} vs majority ${t.majority.tag}`);
    assert.ok(cell('identity').control! > 0.7, `a word-identity layer memorizes the control task: ${cell('identity').control}`);
    assert.ok(cell('tag').control! < 0.5, `the tag layer cannot: ${cell('tag').control}`);
    assert.ok(cell('tag').selectivity! > cell('identity').selectivity! + 0.3, 'the tag layer is the selective one');
    assert.notStrictEqual(t.best.tag, 'noise');
    assert.ok(Math.abs(t.majority.tag - 0.25) < 0.05);
    // the table: best layer highlighted, control and selectivity columns, majority row
    const fig = probeTable([t, { ...t, model: 'copy' }]);
    const text = String(fig.bundle['text/plain']);
    assert.match(text, /toy · tag\s+[01]\.\d{3}\s+0\.[0-4]\d\d\s+0\.[5-9]\d\d/);
    assert.match(text, /majority class\s+0\.2\d\d/);
    const html = String(fig.bundle['text/html']);
    assert.ok((html.match(/title="best layer for tag"/g) ?? []).length >= 2, 'a best layer in each model');
    assert.match(html, /background:#e6eefa;font-weight:700" title="most selective layer for tag">0\.[5-9]\d\d</);
    assert.strictEqual((html.match(/title="most selective layer for tag"/g) ?? []).length, 2, 'the tag layer of each model');
    // bad input: a split whose tokens and labels differ, a layer that does not exist
    await assert.rejects(probeLayers({ ...reps, dev: te.reps }, [{ ...task, labels: { ...task.labels, dev: task.labels.dev.slice(1) } }]), /probeLayers: reps\.dev has 800 tokens but task 'tag' has 799 dev labels/);
    await assert.rejects(probeLayers(reps, [task], { layers: ['nope'] }), /probeLayers: options\.layers has 'nope', not a layer of toy/);
  });

  it('names what is wrong: an empty split, and a class never seen in training by its name', async () => {
    const x = tf.zeros([4, 3]) as tf.Tensor2D;
    const empty = tf.zeros([0, 3]) as tf.Tensor2D;
    await assert.rejects(probe({ features: x, labels: [0, 1, 0, 1] }, { features: x, labels: [0, 1, 0, 1] }, { features: empty, labels: [] }), /probe: the test split has no examples/);
    await assert.rejects(probe({ features: x, labels: [0, 1] }, { features: x, labels: [0, 1, 0, 1] }), /probe: train\.features has 4 rows but train\.labels has 2/);
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (m: string) => void warnings.push(m);
    try {
      await probe({ features: x, labels: [0, 1, 0, 1] }, { features: x, labels: [0, 2, 0, 1] }, undefined, { quiet: true, epochs: 1, classNames: ['NOUN', 'VERB', 'X'] });
    } finally {
      console.warn = warn;
    }
    assert.deepStrictEqual(warnings, ['probe: class 2 (X) never occurs in training']);
    tf.dispose([x, empty]);
  });

  it('the BiLSTM LM: layers [b,t,e] and [b,t,2u], exact-length batches, masked-word training lowers the loss', async () => {
    assert.deepStrictEqual(sameLengthBatches([[1, 2], [3, 4, 5], [6, 7], [8, 9]], 4), [[0, 2], [3], [1]]);
    const lm = biLstmLm({ vocab: 24, embedding: 8, units: 8 });
    const ids = tf.tensor2d([[2, 5, 6, 7]], undefined, 'int32');
    const states = lm.forward(ids);
    assert.deepStrictEqual(states.map((s) => s.shape), [[1, 4, 8], [1, 4, 16], [1, 4, 16]]);
    tf.dispose([ids, ...states]);
    // a corpus with a fixed pattern: w(i+1) = w(i) + 1, so a masked word is known from its neighbours
    const rnd = seededRandom(4);
    const corpus = Array.from({ length: 200 }, () => {
      const s = 4 + Math.floor(rnd() * 10);
      return [2, ...Array.from({ length: 8 }, (_, j) => s + j)];
    });
    const before = tf.memory().numTensors;
    const r = await trainBiLstmLm(lm, corpus, 24, { steps: 60, learningRate: 1e-2, batchTokens: 180, quiet: true });
    assert.strictEqual(tf.memory().numTensors, before, 'training left tensors behind');
    assert.ok(r.lastLoss < r.firstLoss - 1, `loss ${r.firstLoss} → ${r.lastLoss}`);
    const reps = layerRepresentations(biLstmLayers(lm, buildVocabulary([['a']])), [['a', 'b'], ['a']]);
    assert.deepStrictEqual(reps.dims, [8, 16, 16]);
    lm.dispose();
  });
});
