/**
 * The generators' building blocks (shapes, ranges, seeded initialization, the GAN losses against
 * hand-computed values, the classifier score on known probabilities) and the trained DCGAN: its
 * samples are digits to the course CNN — confident, and spread over the ten classes.
 */
import * as assert from 'assert';
import { tf } from '../lib/engine';
import {
  DCGAN_RECIPE, classifierScore, courseDigits, courseModel, dcganDiscriminator, dcganGenerator, discriminatorLoss,
  generatorLoss, generatorSamples, mnistDcgan,
} from '../lib/models';

const near = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) <= tol, `${a} ≠ ${b} (±${tol})`);
const softplus = (x: number) => Math.log1p(Math.exp(x));

describe('generators: DCGAN building blocks', () => {
  it('G maps z [n, 64] to images [n, 28, 28, 1] in [0, 1], D maps them to one logit each; same seed, same weights', () => {
    const before = tf.memory().numTensors;
    const [g, g2, d] = [dcganGenerator(3), dcganGenerator(3), dcganDiscriminator(3)];
    assert.deepStrictEqual(g.inputs[0].shape, [null, DCGAN_RECIPE.latentDim]);
    tf.tidy(() => {
      const x = g.predict(tf.randomNormal([5, DCGAN_RECIPE.latentDim], 0, 3, 'float32', 1)) as tf.Tensor;
      assert.deepStrictEqual(x.shape, [5, 28, 28, 1]);
      assert.ok(x.min().dataSync()[0] >= 0 && x.max().dataSync()[0] <= 1, 'G(z) in [0, 1]');
      assert.deepStrictEqual((d.predict(x) as tf.Tensor).shape, [5, 1]);
      g.getWeights().forEach((w, i) => assert.strictEqual(tf.abs(tf.sub(w, g2.getWeights()[i])).max().dataSync()[0], 0));
    });
    assert.deepStrictEqual(g.layers.map((l) => l.getClassName()).filter((c) => c === 'BatchNormalization').length, 2, 'batch norm in G');
    assert.ok(!d.layers.some((l) => l.getClassName() === 'BatchNormalization'), 'no batch norm in D');
    [g, g2, d].forEach((m) => m.dispose());
    assert.strictEqual(tf.memory().numTensors, before);
  });

  it('D sees the digits in [−1, 1]: its rescaling layer maps 0 → −1 and 1 → 1', () => {
    const d = dcganDiscriminator(1);
    assert.strictEqual(d.layers[0].getClassName(), 'Rescaling');
    const y = tf.tidy(() => Array.from((d.layers[0].apply(tf.tensor4d([0, 0.5, 1, 0.25], [1, 2, 2, 1])) as tf.Tensor).dataSync()));
    assert.deepStrictEqual(y, [-1, 0, 1, -0.5]);
    d.dispose();
  });

  it('the losses equal binary cross-entropy by hand: smoothed real label, non-saturating G loss', () => {
    const [r, f] = [tf.tensor2d([[2], [-1]]), tf.tensor2d([[0.5], [-3]])];
    const t = 0.9;
    const byHand = (t * softplus(-2) + (1 - t) * softplus(2) + t * softplus(1) + (1 - t) * softplus(-1)) / 2 + (softplus(0.5) + softplus(-3)) / 2;
    near(discriminatorLoss(r, f, t).dataSync()[0], byHand);
    near(discriminatorLoss(tf.zeros([1, 1]), tf.zeros([1, 1]), 1).dataSync()[0], 2 * Math.log(2));
    near(generatorLoss(f).dataSync()[0], (softplus(-0.5) + softplus(3)) / 2);
    assert.throws(() => discriminatorLoss(r, f, 0.3), /discriminatorLoss: realLabel must be in \(0\.5, 1\]; got 0\.3/);
    tf.dispose([r, f]);
  });
});

describe('generators: classifierScore', () => {
  it('measures confidence, the class histogram, its entropy and the Inception Score on known probabilities', () => {
    // a "classifier" that returns fixed rows: two sure of class 0, two sure of class 1 → IS = 2, entropy log 2
    const rows = [[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0]];
    const s = classifierScore(() => tf.tensor2d(rows), tf.zeros([4, 2, 2, 1]));
    near(s.meanMaxProb, 1);
    near(s.inceptionScore, 2);
    near(s.classEntropy, Math.log(2));
    near(s.maxEntropy, Math.log(3));
    assert.deepStrictEqual(s.histogram, [2, 2, 0]);
    // uniform predictions: nobody is sure of anything → IS = 1
    const u = classifierScore(() => tf.fill([4, 4], 0.25), tf.zeros([4, 2, 2, 1]));
    near(u.inceptionScore, 1);
    near(u.meanMaxProb, 0.25);
    assert.strictEqual(u.confidentShare, 0);
    assert.throws(() => classifierScore(() => tf.tensor2d([[3, -1]]), tf.zeros([1, 2, 2, 1])), /classifierScore: the classifier must output class probabilities/);
    assert.throws(() => classifierScore(() => tf.tensor2d([[1, 0]]), tf.zeros([2, 2]) as unknown as tf.Tensor4D), /classifierScore: images must be a non-empty batch \[n, h, w, c\]; got \[2,2\]/);
  });

  it('generatorSamples is seeded and checks its arguments', () => {
    const g = dcganGenerator(5);
    const [a, b] = [generatorSamples(g, 300, 4), generatorSamples(g, 300, 4)];
    assert.deepStrictEqual(a.shape, [300, 28, 28, 1]);
    assert.strictEqual(tf.tidy(() => tf.abs(tf.sub(a, b)).max().dataSync()[0]), 0);
    assert.throws(() => generatorSamples(g, 0, 1), /generatorSamples: n must be an integer ≥ 1; got 0/);
    tf.dispose([a, b]);
    g.dispose();
  });
});

describe('generators: the trained DCGAN makes digits', function () {
  this.timeout(1200000);

  // Thresholds: the course CNN reads real digits at mean max-probability 0.99 with entropy log 10 and IS 9.8, the VAE's
  // samples at 0.84 and IS 5.9; the same DCGAN trained at Adam 2e-4 (dotted, '1'-heavy strokes) at 0.65 with entropy 0.77·log 10.
  it('the course CNN reads 1,000 samples as digits: mean confidence ≥ 0.85, class entropy ≥ 0.85·log 10, every class ≥ 0.5%, IS ≥ 5', async () => {
    const { model } = await courseModel({ quiet: true });
    const { generator, discriminator, trained, ms } = await mnistDcgan({ quiet: true });
    assert.deepStrictEqual(discriminator.outputs[0].shape, [null, 1], 'the discriminator is saved beside G: one logit per image');
    const before = tf.memory().numTensors;
    const x = generatorSamples(generator, 1000, 12345);
    const s = classifierScore(model, x);
    const real = courseDigits(1000);
    const r = classifierScore(model, real.images);
    console.log(`      DCGAN (${trained ? `trained in ${ms} ms` : 'cached'}): mean max-p ${s.meanMaxProb.toFixed(3)} (real ${r.meanMaxProb.toFixed(3)}), ` +
      `entropy ${s.classEntropy.toFixed(3)}/${s.maxEntropy.toFixed(3)}, IS ${s.inceptionScore.toFixed(2)} (real ${r.inceptionScore.toFixed(2)}), histogram ${s.histogram}`);
    assert.ok(s.meanMaxProb >= 0.85, `mean max-probability ${s.meanMaxProb}`);
    assert.ok(s.classEntropy >= 0.85 * Math.log(10), `class entropy ${s.classEntropy} (mode collapse): ${s.histogram}`);
    assert.ok(Math.min(...s.histogram) >= 5, `a class below 0.5% (mode collapse): ${s.histogram}`);
    assert.ok(s.inceptionScore >= 5, `Inception Score ${s.inceptionScore}`);
    tf.dispose([x, real.images, real.labels]);
    assert.strictEqual(tf.memory().numTensors, before);
    generator.dispose();
    discriminator.dispose();
    model.dispose();
  });
});
