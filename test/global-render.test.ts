import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { referenceCnn } from '../lib/models';
import { channel, classScore, fourier, l1, latent, Objective, pixels, range, render, standardTransforms } from '../lib/explain/global';

describe('global render', () => {
  let model: tf.LayersModel;
  before(() => {
    model = referenceCnn({ seed: 1 });
  });

  it('raises the objective: class logits and conv2 filters, with pixels, Fourier and transforms, leaving no tensors', async () => {
    const before = tf.memory().numTensors;
    const r = await render(model, classScore(range(3)), { steps: 30, quiet: true, snapshots: [10, 30] });
    r.values.forEach((v, i) => assert.ok(v > r.history[0][i] + 0.5, `class ${i}: ${r.history[0][i]} → ${v}`));
    assert.deepStrictEqual(r.images.shape, [3, 28, 28, 1]);
    assert.deepStrictEqual(r.snapshots.map((s) => s.step), [10, 30]);
    assert.ok(r.images.dataSync().every((v) => v >= 0 && v <= 1), 'clipped pixels stay in [0, 1]');
    assert.deepStrictEqual(Object.keys(r.activations), []);
    r.dispose();
    const f = await render(model, channel('conv2', [1, 4], { reduce: 'mean' }).minus(l1(0.001)), { steps: 30, quiet: true, param: fourier(), transforms: standardTransforms(28), seed: 2 });
    assert.ok(f.values[0] > f.history[0][0] && f.values[1] > f.history[0][1], `${Array.from(f.history[0])} → ${Array.from(f.values)}`);
    assert.deepStrictEqual(f.activations.conv2.shape, [2, 13, 13, 32]);
    f.dispose();
    const y = await render(model, classScore(2), { steps: 10, quiet: true, yosinski: true });
    assert.ok(y.values[0] > y.history[0][0]);
    y.dispose();
    assert.strictEqual(tf.memory().numTensors, before);
  });

  it('a batch is the same as one image at a time (objective per image, Adam per element)', async () => {
    const opts = { steps: 15, quiet: true, param: pixels({ noise: 0, bound: 'none' as const }) };
    const both = await render(model, channel('conv2', [3, 7]), opts);
    for (const [i, c] of [3, 7].entries()) {
      const one = await render(model, channel('conv2', c), opts);
      const a = one.images.dataSync();
      const b = both.images.slice(i, 1).dataSync();
      let worst = 0;
      a.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - b[k]))));
      assert.ok(worst < 1e-4, `filter ${c}: max difference ${worst}`);
      assert.ok(Math.abs(one.values[0] - both.values[i]) < 1e-3 * Math.max(1, Math.abs(one.values[0])));
      one.dispose();
    }
    both.dispose();
  });

  it('NaN stops the ascent naming the step and returns the last finite images', async () => {
    const before = tf.memory().numTensors;
    // −log(0.6 − mean(X)) grows as the mean rises past 0.5 and is NaN once it passes 0.6
    const toNaN = new Objective('−log(0.6 − mean)', (ctx) => tf.neg(tf.log(tf.sub(0.6, ctx.image.mean([1, 2, 3])))) as tf.Tensor1D);
    const r = await render(model, toNaN, { steps: 50, quiet: true, param: pixels({ bound: 'none' }) });
    assert.ok(r.stopped && /NaN at step \d+ of 50/.test(r.stopped), r.stopped);
    assert.ok(r.steps < 50 && r.steps >= 1);
    assert.ok(r.images.dataSync().every(Number.isFinite));
    assert.strictEqual(r.history.length, r.steps);
    r.dispose();
    assert.strictEqual(tf.memory().numTensors, before);
  });

  it('bad input is named: steps, learning rate, batch, generator shape', async () => {
    const before = tf.memory().numTensors;
    await assert.rejects(render(model, classScore(1), { steps: 0 }), /render: options\.steps must be a positive integer; got 0/);
    await assert.rejects(render(model, classScore(1), { lr: -0.1 }), /render: options\.lr \(learning rate\) must be a positive number; got -0\.1/);
    await assert.rejects(render(model, classScore(range(10)), { batch: 3 }), /options\.batch is 3 but the objective logit\(\[0, 1, 2, … 10\]\) is for 10 images/);
    await assert.rejects(render(model, channel('dense1', 0)), /no layer 'dense1'; its layers are 'conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'dense'/);
    await assert.rejects(render(model, classScore(1), { param: fourier(), yosinski: true, quiet: true }), /yosinski works on pixels/);
    const g = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 32 * 32 }), tf.layers.reshape({ targetShape: [32, 32, 1] })] });
    await assert.rejects(render(model, classScore(1), { param: latent(g), quiet: true }), /latent: the generator makes images \[n,32,32,1\] but the classifier takes \[n, 28, 28, 1\]/);
    g.dispose();
    assert.strictEqual(tf.memory().numTensors, before);
  });
});
