/**
 * The generator parameterization's options (Nguyen et al. 2016): the latent prior penalty λ‖z‖², the
 * shell ‖z‖ = √d, starting codes, the classifier-chosen starts of latentStarts, and the realism prior
 * log D — on a hand generator whose image shows z in its first pixels, so z can be read off the result.
 */
import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { classScore, latent, latentStarts, realism, render } from '../lib/explain/global';

const D = 4;

/** G(z): a 28×28 image whose first D pixels are z (the rest 0): no bias, identity weights. */
function handGenerator(): tf.LayersModel {
  const g = tf.sequential({ layers: [tf.layers.dense({ inputShape: [D], units: 784, useBias: false }), tf.layers.reshape({ targetShape: [28, 28, 1] })] });
  const w = new Float32Array(D * 784);
  for (let i = 0; i < D; i++) w[i * 784 + i] = 1;
  g.layers[0].setWeights([tf.tensor2d(w, [D, 784])]);
  return g;
}

/** A 2-class softmax classifier: logit 0 = 2·pixel 0, logit 1 = −2·pixel 0. */
function handClassifier(): tf.LayersModel {
  const m = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 2, activation: 'softmax' })] });
  const w = new Float32Array(784 * 2);
  w[0] = 2;
  w[1] = -2;
  m.layers[1].setWeights([tf.tensor2d(w, [784, 2]), tf.zeros([2])]);
  return m;
}

const zOf = (images: tf.Tensor4D): number[][] => tf.tidy(() => images.reshape([images.shape[0], 784]).slice([0, 0], [-1, D]).arraySync() as number[][]);
const norm = (v: number[]) => Math.hypot(...v);

describe('global latent parameterization', () => {
  let g: tf.LayersModel;
  let clf: tf.LayersModel;
  before(() => {
    g = handGenerator();
    clf = handClassifier();
  });
  after(() => [g, clf].forEach((m) => m.dispose()));

  it('the prior λ‖z‖² alone pulls z to 0; without it a zero objective leaves z where it started; shell keeps ‖z‖ = √d', async () => {
    const before = tf.memory().numTensors;
    const zero = classScore([0, 0]).times(0);
    const free = await render(clf, zero, { steps: 60, lr: 0.05, quiet: true, param: latent(g, { maxNorm: Infinity }), seed: 3 });
    const start = tf.tidy(() => tf.randomNormal([2, D], 0, 1, 'float32', 3).arraySync() as number[][]);
    zOf(free.images).forEach((z, i) => z.forEach((v, j) => assert.ok(Math.abs(v - start[i][j]) < 1e-6, `z[${i}][${j}] moved: ${start[i][j]} → ${v}`)));
    free.dispose();
    const pulled = await render(clf, zero, { steps: 60, lr: 0.05, quiet: true, param: latent(g, { maxNorm: Infinity, prior: 0.5 }), seed: 3 });
    zOf(pulled.images).forEach((z, i) => assert.ok(norm(z) < 0.25 * norm(start[i]), `‖z‖ ${norm(start[i])} → ${norm(z)}`));
    pulled.dispose();
    // the logit of class 0 grows with z₀ without bound; the shell keeps ‖z‖ = √4 = 2 while z₀ → 2
    const shell = await render(clf, classScore([0, 0]), { steps: 100, lr: 0.1, quiet: true, param: latent(g, { shell: true }), seed: 3 });
    zOf(shell.images).forEach((z) => {
      assert.ok(Math.abs(norm(z) - 2) < 1e-4, `‖z‖ = ${norm(z)}`);
      assert.ok(z[0] > 1.9, `z₀ = ${z[0]}`);
    });
    shell.dispose();
    assert.strictEqual(tf.memory().numTensors, before);
  });

  it('init sets the starting codes (kept by the caller); a wrong shape is named', async () => {
    const before = tf.memory().numTensors;
    const init = tf.tensor2d([[0.5, -1, 2, 0], [3, 0, 0, 1]]);
    const r = await render(clf, classScore([0, 1]).times(0), { steps: 2, quiet: true, param: latent(g, { init, maxNorm: Infinity }) });
    assert.deepStrictEqual(zOf(r.images), init.arraySync());
    r.dispose();
    assert.ok(!init.isDisposed, 'the caller keeps init');
    await assert.rejects(render(clf, classScore([0, 1, 1]), { quiet: true, param: latent(g, { init }) }), /latent: options\.init must be starting codes \[3, 4\] \(one per image of the batch\); got \[2,4\]/);
    assert.throws(() => latent(g, { prior: -1 }), /latent: options\.prior must be a number ≥ 0; got -1/);
    init.dispose();
    assert.strictEqual(tf.memory().numTensors, before);
  });

  it('latentStarts gives each class the pool codes the classifier rates highest for it, k-th occurrence k-th best', () => {
    const before = tf.memory().numTensors;
    const z = latentStarts(clf, g, [0, 1, 0], { pool: 50, seed: 9 });
    const pool = tf.tidy(() => tf.randomNormal([50, D], 0, 1, 'float32', 9).arraySync() as number[][]);
    const byZ0 = [...pool].sort((a, b) => b[0] - a[0]);   // p(class 0) rises with z₀
    assert.deepStrictEqual(z.arraySync(), [byZ0[0], byZ0[49], byZ0[1]]);
    z.dispose();
    assert.throws(() => latentStarts(clf, g, [0, 2]), /latentStarts: classes must be a non-empty list of class indices in 0\.\.1; got \[0,2\]/);
    assert.throws(() => latentStarts(clf, g, [0, 0, 0], { pool: 2 }), /latentStarts: options\.pool \(2\) must hold at least the 3 starts asked for class 0/);
    assert.strictEqual(tf.memory().numTensors, before);
  });

  it('realism is w·log σ(D(X)) per image; a wrong discriminator is named', async () => {
    const before = tf.memory().numTensors;
    // D(X) = 3·pixel 0 − 1
    const d = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 1 })] });
    const w = new Float32Array(784);
    w[0] = 3;
    tf.tidy(() => d.layers[1].setWeights([tf.tensor2d(w, [784, 1]), tf.tensor1d([-1])]));
    const init = tf.tensor2d([[0.5, 0, 0, 0], [-1, 0, 0, 0]]);
    const r = await render(clf, classScore([0, 0]).times(0).plus(realism(d, 2)), { steps: 1, lr: 1e-9, quiet: true, param: latent(g, { init, maxNorm: Infinity }) });
    const logSigmoid = (s: number) => -Math.log1p(Math.exp(-s));
    [0.5, -1].forEach((z0, i) => assert.ok(Math.abs(r.values[i] - 2 * logSigmoid(3 * z0 - 1)) < 1e-5, `${r.values[i]} vs ${2 * logSigmoid(3 * z0 - 1)}`));
    r.dispose();
    init.dispose();
    assert.throws(() => realism(g), /realism: discriminator must output one logit per image \[n, 1\]; it outputs \[n,28,28,1\]/);
    d.dispose();
    assert.strictEqual(tf.memory().numTensors, before);
  });
});
