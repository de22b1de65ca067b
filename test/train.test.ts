/**
 * train() on the reference CNN with real MNIST digits: held-out accuracy, no tensor left behind,
 * the fused Adam equal to tf.train.adam, and bad arguments named.
 *
 * Training budget for the accuracy check: the 7,996 `train` digits, 3 epochs at batch 32 and
 * learning rate 3e-3, then 3 epochs at batch 64 and 3e-4 (two calls of train(), model seed 3;
 * seeds 1–3 give 97.65–98.0%);
 * held out: the 2,004 `test` digits. ~8 s on wasm on one core.
 */
import * as assert from 'assert';
import { tf } from '../lib/engine';
import { loadMnist } from '../lib/data';
import { adam } from '../lib/models/adam';
import { evaluate, referenceCnn, train } from '../lib/models';

describe('train (reference CNN, real MNIST)', function () {
  this.timeout(120000);

  it('reaches ≥ 97% held-out accuracy and leaves no tensor behind', async () => {
    const tr = loadMnist({ split: 'train' });
    const te = loadMnist({ split: 'test' });
    const model = referenceCnn({ seed: 3 });
    tf.tidy(() => {
      model.predict(tf.zeros([1, 28, 28, 1])); // builds the weights before counting
    });
    const before = tf.memory().numTensors;
    const t0 = Date.now();
    const first = await train(model, tr.images, tr.labels, { epochs: 3, batchSize: 32, learningRate: 3e-3, quiet: true, shuffle: 100 });
    const second = await train(model, tr.images, tr.labels, { epochs: 3, batchSize: 64, learningRate: 3e-4, quiet: true, shuffle: 100 });
    const ms = Date.now() - t0;
    assert.strictEqual(tf.memory().numTensors, before, 'train() left tensors behind');
    const { accuracy, confusion } = evaluate(model, te.images, te.labels);
    console.log(`      held-out accuracy ${(accuracy * 100).toFixed(2)}% on ${te.classes.length} digits after ${first.length + second.length} epochs (${ms} ms)`);
    assert.ok(accuracy >= 0.97, `held-out accuracy ${accuracy}`);
    assert.strictEqual(confusion.flat().reduce((a, b) => a + b, 0), te.classes.length);
    assert.ok(second[second.length - 1].loss < first[0].loss);
    model.dispose();
    tf.dispose([tr.images, tr.labels, te.images, te.labels]);
  });

  it('its Adam matches tf.train.adam bit for bit', () => {
    const init = [tf.randomNormal([3, 3, 1, 4], 0, 1, 'float32', 1), tf.randomNormal([7], 0, 1, 'float32', 2)];
    const run = (make: (lr: number) => { applyGradients(g: tf.NamedTensorMap): void; dispose(): void }) => {
      const vars = init.map((t, i) => tf.variable(t, true, `adamCheck${i}_${Math.random()}`));
      const opt = make(1e-2);
      for (let step = 0; step < 5; step++) {
        const grads = tf.tidy(() => tf.variableGrads(() => vars.map((v, i) => v.mul(v).mul(i + 1).sin().sum()).reduce((a, b) => a.add(b)) as tf.Scalar, vars).grads);
        opt.applyGradients(grads);
        tf.dispose(Object.values(grads));
      }
      const out = vars.map((v) => Array.from(v.dataSync()));
      opt.dispose();
      tf.dispose(vars);
      return out;
    };
    const before = tf.memory().numTensors;
    const fused = run(adam);
    const reference = run((lr) => {
      const o = tf.train.adam(lr);
      return { applyGradients: (g) => o.applyGradients(g as never), dispose: () => o.dispose() };
    });
    assert.deepStrictEqual(fused, reference);
    assert.strictEqual(tf.memory().numTensors, before);
    tf.dispose(init);
  });

  it('rejects bad arguments, naming them', async () => {
    const model = referenceCnn({ seed: 0 });
    const x = tf.zeros([4, 28, 28, 1]);
    const y = tf.tensor1d([0, 1, 2, 3], 'int32');
    await assert.rejects(train(model, x, y, { epochs: 0 }), /options\.epochs must be a positive integer/);
    await assert.rejects(train(model, x, y, { batchSize: 1.5 }), /options\.batchSize must be a positive integer/);
    await assert.rejects(train(model, x, tf.tensor1d([0, 1], 'int32')), /labels has 2 rows but images has 4/);
    await assert.rejects(train(model, x, y, { learningRate: -1 }), /learningRate must be a positive number/);
    assert.throws(() => adam(0), /adam: learningRate must be a positive number/);
    tf.dispose([x, y]);
    model.dispose();
  });
});
