import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { createAttribution, deletionCurve, gradientXInput, insertionCurve, randomizationCheck, saliency, spearman, ssim } from '../lib/explain';
import { assertNoLeak, knownWeights, linearModel, trainedCnn } from './local-fixtures';

describe('faithfulness measures', () => {
  it('spearman: 1 for a monotone relation, −1 reversed, ties share their mean rank', () => {
    assert.strictEqual(spearman([1, 2, 3, 4], [10, 200, 3000, 40000]), 1);
    assert.strictEqual(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
    assert.ok(Math.abs(spearman([1, 1, 2, 3], [1, 2, 3, 4]) - 0.9486832980505138) < 1e-12);
    assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])));
  });

  it('ssim: 1 for identical maps, low for unrelated ones', () => {
    const a = Float32Array.from({ length: 400 }, (_, i) => Math.abs(Math.sin(i / 7)));
    const b = Float32Array.from({ length: 400 }, (_, i) => ((Math.sin(i * 12.9898) * 43758.5453) % 1 + 1) % 1);
    assert.ok(Math.abs(ssim(a, a, 20, 20) - 1) < 1e-9);
    assert.ok(ssim(a, b, 20, 20) < 0.2, `ssim ${ssim(a, b, 20, 20)}`);
  });

  it('deletion AUC of a perfect attribution is lower than of a random one; insertion AUC higher', () => {
    const W = knownWeights(64, 2);
    const { model } = linearModel(W);
    const x = tf.randomUniform([3, 8, 8, 1], 0, 1, 'float32', 8);
    assertNoLeak(() => {
      const perfect = gradientXInput(model, x, { target: 0 });
      const random = tf.randomUniform([3, 8, 8, 1], 0, 1, 'float32', 9);
      const dPerfect = deletionCurve(model, x, perfect, { steps: 16 });
      const dRandom = deletionCurve(model, x, random, { target: 0, steps: 16 });
      const iPerfect = insertionCurve(model, x, perfect, { steps: 16, fill: 0 });
      const iRandom = insertionCurve(model, x, random, { target: 0, steps: 16, fill: 0 });
      assert.deepStrictEqual(dPerfect.fractions, Array.from({ length: 17 }, (_, k) => k / 16));
      dPerfect.auc.forEach((a, e) => assert.ok(a < dRandom.auc[e], `example ${e}: deletion ${a} ≥ random ${dRandom.auc[e]}`));
      iPerfect.auc.forEach((a, e) => assert.ok(a > iRandom.auc[e], `example ${e}: insertion ${a} ≤ random ${iRandom.auc[e]}`));
      // the curve starts at F(x) and ends at F(all removed) = 0 for a linear model and fill 0
      const xv = x.dataSync();
      const fx = Array.from(xv.slice(0, 64)).reduce((s, v, j) => s + v * W[j][0], 0);
      assert.ok(Math.abs(dPerfect.scores[0][0] - fx) < 1e-4);
      assert.ok(Math.abs(dPerfect.scores[0][16]) < 1e-6);
      assert.ok(Math.abs(iPerfect.scores[0][16] - fx) < 1e-4);
      perfect.dispose();
      random.dispose();
    });
    x.dispose();
  });

  it('insertion starts from the blurred image by default', async () => {
    const { model, images } = await trainedCnn();
    const x = images.slice(0, 2);
    assertNoLeak(() => {
      const a = saliency(model, x);
      const ins = insertionCurve(model, x, a, { steps: 10 });
      const del = deletionCurve(model, x, a, { steps: 10 });
      assert.strictEqual(ins.scores.length, 2);
      ins.scores.forEach((s, e) => assert.ok(Math.abs(s[10] - del.scores[e][0]) < 1e-5, 'all inserted = the input'));
      a.dispose();
    });
    x.dispose();
  });

  it('randomization check: saliency of the trained CNN changes a lot; a map of the input alone does not', async () => {
    const { model, images } = await trainedCnn();
    const x = images.slice(0, 4);
    const before = (model.predict(x) as tf.Tensor).dataSync().slice();
    const check = assertNoLeak(() => randomizationCheck(model, x, (m, xs, t) => saliency(m, xs, { target: t })));
    assert.deepStrictEqual(check.layers, ['dense', 'conv2', 'conv1']);
    const last = check.spearman.length - 1;
    assert.ok(check.spearman[last] < 0.5, `ρ after full randomization ${check.spearman}`);
    assert.ok(check.ssim[last] < 0.5, `SSIM after full randomization ${check.ssim}`);
    const edge = randomizationCheck(model, x, (m, xs, t) => createAttribution({ method: 'input', values: xs.clone(), target: t, explained: 'output', score: t.map(() => 1), options: {} }));
    edge.spearman.forEach((r) => assert.strictEqual(r, 1));
    const after = (model.predict(x) as tf.Tensor).dataSync();
    assert.deepStrictEqual(Array.from(after), Array.from(before), 'weights restored');
    x.dispose();
  });

  it('randomization check: a map that turns constant counts as ρ = 0, one that stays constant as ρ = 1', async () => {
    const { model, images } = await trainedCnn();
    const x = images.slice(0, 2);
    let calls = 0;
    const vanishing = randomizationCheck(model, x, (m, xs, t) => createAttribution({ method: 'vanishing', values: calls++ === 0 ? xs.clone() : tf.zerosLike(xs), target: t, explained: 'output', score: t.map(() => 1), options: {} }));
    assert.deepStrictEqual(vanishing.spearman, [0, 0, 0]);
    const flat = randomizationCheck(model, x, (m, xs, t) => createAttribution({ method: 'flat', values: tf.zerosLike(xs), target: t, explained: 'output', score: t.map(() => 1), options: {} }));
    assert.deepStrictEqual(flat.spearman, [1, 1, 1]);
    x.dispose();
  });

  it('randomization check names unknown layers', async () => {
    const { model, images } = await trainedCnn();
    const x = images.slice(0, 1);
    assert.throws(() => randomizationCheck(model, x, (m, xs, t) => saliency(m, xs, { target: t }), { layers: ['pool1'] }), /randomizationCheck: options\.layers has 'pool1', which is not a layer with weights; those are: conv1, conv2, dense/);
    x.dispose();
  });
});
