/**
 * What is explained (logit vs probability), saturation, Gauss–Legendre integration and LIME's
 * per-example bookkeeping, on models whose answers are known by hand.
 */
import * as assert from 'assert';
import { tf } from '../lib/engine';
import { explainedScores, gradCam, integratedGradients, integrationPoints, lime, logits, saliency, smoothGrad } from '../lib/explain';
import { assertClose, explainWithoutLeak } from './local-fixtures';

/** Dense(3) on 4 features with known weights, ending in `activation` (or a separate Softmax layer). */
function denseModel(activation: 'softmax' | 'sigmoid' | 'linear' | 'softmaxLayer', scale = 1): { model: tf.Sequential; w: number[][]; b: number[] } {
  const w = [
    [1, -2, 0.5],
    [0, 1, -1],
    [2, 0.5, 0],
    [-1, 1, 3],
  ].map((r) => r.map((v) => v * scale));
  const b = [0.1, -0.2, 0.3];
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [4], units: 3, activation: activation === 'softmaxLayer' ? 'linear' : activation }));
  if (activation === 'softmaxLayer') model.add(tf.layers.softmax());
  model.layers[0].setWeights([tf.tensor2d(w), tf.tensor1d(b)]);
  return { model, w, b };
}

const x = () => tf.tensor2d([
  [0.5, 1, -0.5, 0.2],
  [1, 0, 0.3, -1],
]);

describe('explain: logit or probability', () => {
  for (const kind of ['softmax', 'softmaxLayer', 'sigmoid'] as const) {
    it(`explains the logit of a model ending in ${kind} by default: gradient = the weight column`, () => {
      const { model, w } = denseModel(kind);
      const inputs = x();
      explainWithoutLeak(
        () => saliency(model, inputs, { target: [1, 2], absolute: false }),
        (a) => {
          assert.strictEqual(a.explained, 'logit');
          assert.strictEqual(a.options.explain, 'logit');
          assertClose(a.values.dataSync(), [...w.map((r) => r[1]), ...w.map((r) => r[2])], 1e-6);
        },
      );
      // the model is untouched afterwards: it still outputs its activation
      const p = model.predict(inputs) as tf.Tensor;
      const rows = p.arraySync() as number[][];
      if (kind !== 'sigmoid') rows.forEach((r) => assert.ok(Math.abs(r.reduce((s, v) => s + v, 0) - 1) < 1e-5));
      else rows.flat().forEach((v) => assert.ok(v > 0 && v < 1));
      tf.dispose([p, inputs]);
      model.dispose();
    });
  }

  it("explains the softmax probability with explain: 'probability' (p_t(δ_tk − p_k) w_k summed)", () => {
    const { model, w } = denseModel('softmax');
    const inputs = x();
    const a = saliency(model, inputs, { target: 0, absolute: false, explain: 'probability' });
    assert.strictEqual(a.explained, 'probability');
    const p = (model.predict(inputs) as tf.Tensor).arraySync() as number[][];
    const expected = p.flatMap((pr) => w.map((row) => row.reduce((s, wk, k) => s + pr[0] * ((k === 0 ? 1 : 0) - pr[k]) * wk, 0)));
    assertClose(a.values.dataSync(), expected, 1e-5);
    a.dispose();
    inputs.dispose();
    model.dispose();
  });

  it("records 'output' for a model with no output activation to strip, and for a function model", () => {
    const { model } = denseModel('linear');
    const inputs = x();
    const a = saliency(model, inputs, { explain: 'logit' });
    assert.strictEqual(a.explained, 'output');
    assert.strictEqual(a.options.explain, 'output');
    const f = (z: tf.Tensor) => model.predict(z) as tf.Tensor;
    const b = saliency(f, inputs);
    assert.strictEqual(b.explained, 'output');
    tf.dispose([a.values, b.values, inputs]);
    model.dispose();
  });

  it("rejects explain: 'logit' on a function model and an unknown choice, naming options.explain", () => {
    const { model } = denseModel('softmax');
    const inputs = x();
    const f = (z: tf.Tensor) => model.predict(z) as tf.Tensor;
    assert.throws(() => saliency(f, inputs, { explain: 'logit' }), /saliency: options\.explain 'logit' needs a tf\.LayersModel/);
    assert.throws(() => integratedGradients(model, inputs, { explain: 'logits' as never }), /integratedGradients: options\.explain must be 'logit' or 'probability'; got "logits"/);
    inputs.dispose();
    model.dispose();
  });

  it('flags a saturated probability (gradients below float resolution) and not its logit', () => {
    const { model } = denseModel('softmax', 1000); // logit gaps of thousands: p = 1.0 in float32
    const inputs = x();
    const prob = saliency(model, inputs, { explain: 'probability' });
    const logit = saliency(model, inputs);
    assert.deepStrictEqual(prob.saturated, [true, true], `probability gradients ${prob.scale}, scores ${prob.score}`);
    assert.ok(prob.scale.every((s) => s < 1e-20), `probability gradients ${prob.scale}`);
    assert.deepStrictEqual(logit.saturated, [false, false]);
    assert.ok(logit.scale.every((s) => s > 10), `logit gradients ${logit.scale}`);
    tf.dispose([prob.values, logit.values, inputs]);
    model.dispose();
  });

  it('Grad-CAM and SmoothGrad explain the logit of a CNN ending in softmax, leaving it intact', () => {
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
    const images = tf.randomUniform([2, 6, 6, 1], 0, 1, 'float32', 3);
    const before = (model.predict(images) as tf.Tensor).dataSync();
    const cam = gradCam(model, images, { target: 1 });
    const sg = smoothGrad(model, images, { target: 1, samples: 4 });
    assert.strictEqual(cam.explained, 'logit');
    assert.strictEqual(sg.explained, 'logit');
    // the logit score, not a probability: softmax outputs are in (0, 1), these are not constrained
    const logits = tf.tidy(() => {
      const dense = model.layers[2] as tf.layers.Layer;
      const h = model.layers[1].apply(model.layers[0].apply(images)) as tf.Tensor;
      const [k, b] = dense.getWeights();
      return tf.add(tf.matMul(h, k), b).arraySync() as number[][];
    });
    assertClose(cam.score, logits.map((r) => r[1]), 1e-5, 'Grad-CAM scores');
    const after = (model.predict(images) as tf.Tensor).dataSync();
    assertClose(after, before, 0, 'model output after');
    tf.dispose([cam.values, sg.values, images]);
    model.dispose();
  });
});

describe('integratedGradients: Gauss–Legendre', () => {
  it('integrates polynomials of degree 2n − 1 exactly on [0, 1] with n points', () => {
    for (const n of [1, 2, 3, 5, 8, 20]) {
      const { alphas, weights } = integrationPoints('gaussLegendre', n);
      assert.strictEqual(alphas.length, n);
      for (let d = 0; d <= 2 * n - 1; d++) {
        const q = alphas.reduce((s, a, i) => s + weights[i] * a ** d, 0);
        assert.ok(Math.abs(q - 1 / (d + 1)) < 1e-12, `n=${n}, degree ${d}: ${q} vs ${1 / (d + 1)}`);
      }
      assert.ok(alphas.every((a, i) => a > 0 && a < 1 && (i === 0 || a > alphas[i - 1])), 'nodes inside (0, 1), increasing');
    }
    // 2 points: 1/2 ∓ 1/(2√3), weights 1/2
    const two = integrationPoints('gaussLegendre', 2);
    assertClose(two.alphas, [0.5 - 0.5 / Math.sqrt(3), 0.5 + 0.5 / Math.sqrt(3)], 1e-14);
    assertClose(two.weights, [0.5, 0.5], 1e-14);
  });

  it('is the default rule, and is exact on a model quadratic in x with 2 points', () => {
    // F(x) = Σ x² ⇒ IG_i = x_i² from a zero baseline, exactly, with a rule exact to degree 1 in α
    const f = (z: tf.Tensor) => z.square().sum(1, true);
    const inputs = tf.tensor2d([[1, -2, 3]]);
    const a = integratedGradients(f, inputs, { steps: 2, baseline: 'black' });
    assert.strictEqual(a.options.rule, 'gaussLegendre');
    assertClose(a.values.dataSync(), [1, 4, 9], 1e-5);
    assert.ok(a.extras.delta[0] < 1e-4, `delta ${a.extras.delta[0]}`);
    a.dispose();
    inputs.dispose();
  });
});

describe('lime: per-example bookkeeping', () => {
  it('flags a flat neighbourhood (a black box that does not move) and reports R² as NaN', () => {
    const f = (z: tf.Tensor) => tf.tidy(() => tf.concat([tf.onesLike(z.slice([0, 0], [-1, 1])), z.slice([0, 0], [-1, 1])], 1));
    const inputs = tf.tensor2d([
      [0.5, 1, 2],
      [1, 2, 3],
    ]);
    const flat = lime(f, inputs, { target: 0, samples: 50 });
    assert.deepStrictEqual(flat.extras.flat, [true, true]);
    assert.ok(flat.extras.r2.every(Number.isNaN));
    assert.ok(flat.extras.scoreStd.every((s) => s === 0));
    const moving = lime(f, inputs, { target: 1, samples: 50 });
    assert.deepStrictEqual(moving.extras.flat, [false, false]);
    assert.ok(moving.extras.scoreStd.every((s) => s > 0.01));
    assert.strictEqual(moving.extras.kernelWidth.length, 2);
    flat.dispose();
    moving.dispose();
    inputs.dispose();
  });

  it('counts non-finite scores per example: one NaN example does not spoil the next', () => {
    // row 0 has a NaN feature: every sample of it scores NaN; row 1 is finite
    const f = (z: tf.Tensor) => z.sum(1, true);
    const inputs = tf.tensor2d([
      [NaN, 1],
      [1, 2],
    ]);
    const a = lime(f, inputs, { target: 0, samples: 40 });
    assert.ok(a.extras.nonFiniteScores[0] > 0);
    assert.strictEqual(a.extras.nonFiniteScores[1], 0);
    assert.ok(Number.isNaN(a.extras.r2[0]));
    assert.ok(a.extras.r2[1] > 0.9, `example 1 R² ${a.extras.r2[1]}`);
    assert.ok(a.nonFinite > 0);
    a.dispose();
    inputs.dispose();
  });
});

describe('explainedScores and logits', () => {
  it('return the pre-softmax scores of a LayersModel (x·W + b), leaving no tensor', () => {
    const { model, w, b } = denseModel('softmax');
    const inputs = x();
    const rows = inputs.arraySync() as number[][];
    const expected = rows.map((r) => [0, 1, 2].map((k) => r.reduce((s, v, j) => s + v * w[j][k], b[k])));
    const before = tf.memory().numTensors;
    const z = logits(model, inputs, 1);
    assertClose(z.dataSync(), expected.flat(), 1e-5, 'logits');
    z.dispose();
    const s = explainedScores(model, inputs, { target: [2, 0] });
    assert.strictEqual(tf.memory().numTensors, before);
    assertClose(s.scores, [expected[0][2], expected[1][0]], 1e-5, 'scores');
    assert.strictEqual(s.explained, 'logit');
    const p = explainedScores(model, inputs, { target: 1, explain: 'probability' });
    assert.ok(p.scores.every((v) => v > 0 && v < 1));
    inputs.dispose();
    model.dispose();
  });
});
