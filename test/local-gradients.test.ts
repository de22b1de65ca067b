import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { gradientXInput, saliency, smoothGrad } from '../lib/explain';
import { assertClose, explainWithoutLeak, knownWeights, linearModel, trainedCnn } from './local-fixtures';

/** Images [n, 3, 3, 2] → 18 features, 4 classes. */
const W = knownWeights(18, 4);
const column = (k: number) => W.map((row) => row[k]);

describe('saliency, gradient × input, SmoothGrad', () => {
  let linear: (x: tf.Tensor) => tf.Tensor;
  let x: tf.Tensor;
  before(() => {
    linear = linearModel(W).model;
    x = tf.keep(tf.randomUniform([2, 3, 3, 2], -1, 1, 'float32', 7));
  });
  const target = [1, 3];

  it('saliency of a linear model is its weights (signed), and |weights| by default', () => {
    const expected = [...column(1), ...column(3)];
    explainWithoutLeak(
      () => saliency(linear, x, { target, absolute: false }),
      (a) => {
        assert.strictEqual(a.method, 'saliency');
        assert.deepStrictEqual(a.values.shape, [2, 3, 3, 2]);
        assertClose(a.values.dataSync(), expected, 1e-6);
      },
    );
    explainWithoutLeak(
      () => saliency(linear, x, { target }),
      (a) => assertClose(a.values.dataSync(), expected.map(Math.abs), 1e-6),
    );
  });

  it("saliency reduces channels with 'max' like Simonyan et al.", () => {
    const abs = [...column(1), ...column(3)].map(Math.abs);
    const expected = Array.from({ length: 18 }, (_, p) => Math.max(abs[2 * p], abs[2 * p + 1]));
    explainWithoutLeak(
      () => saliency(linear, x, { target, reduce: 'max' }),
      (a) => {
        assert.deepStrictEqual(a.values.shape, [2, 3, 3, 1]);
        assertClose(a.values.dataSync(), expected, 1e-6);
      },
    );
  });

  it("saliency of the loss e = −log p_t of a softmax model is −(w_t − Σ_k p_k w_k)", () => {
    const soft = (z: tf.Tensor) => tf.tidy(() => tf.softmax(linear(z)));
    const logits = linear(x);
    const p = tf.softmax(logits).arraySync() as number[][];
    logits.dispose();
    const expected: number[] = [];
    target.forEach((t, e) => {
      for (let j = 0; j < 18; j++) expected.push(-(W[j][t] - p[e].reduce((s, pk, k) => s + pk * W[j][k], 0)));
    });
    explainWithoutLeak(
      () => saliency(soft, x, { target, of: 'loss', absolute: false }),
      (a) => assertClose(a.values.dataSync(), expected, 1e-5),
    );
  });

  it('gradient × input of a linear model is x ⊙ w', () => {
    const xv = x.dataSync();
    const w = [...column(1), ...column(3)];
    explainWithoutLeak(
      () => gradientXInput(linear, x, { target }),
      (a) => assertClose(a.values.dataSync(), Array.from(xv, (v, i) => v * w[i]), 1e-6),
    );
  });

  it('SmoothGrad of a linear model is |w|, SmoothGrad² is w², VarGrad is 0, at any noise level', () => {
    const w = [...column(1), ...column(3)];
    const cases: [string, number[]][] = [
      ['smoothGrad', w.map(Math.abs)],
      ['smoothGradSquared', w.map((v) => v * v)],
      ['varGrad', w.map(() => 0)],
    ];
    for (const [variant, expected] of cases) {
      explainWithoutLeak(
        () => smoothGrad(linear, x, { target, variant: variant as 'smoothGrad', samples: 7, noiseLevel: 0.5, batchSize: 5 }),
        (a) => {
          assert.strictEqual(a.method, variant);
          assertClose(a.values.dataSync(), expected, 1e-5, variant);
        },
      );
    }
  });

  it('SmoothGrad with σ → 0 equals saliency on a smooth model (tanh layer)', () => {
    const hidden = tf.keep(tf.randomNormal([18, 5], 0, 1, 'float32', 3));
    const smooth = (z: tf.Tensor) => tf.tidy(() => tf.tanh(z.reshape([z.shape[0], -1]).matMul(hidden)));
    const s = saliency(smooth, x, { target: [4, 0] });
    const sv = s.values.dataSync();
    s.dispose();
    for (const noiseLevel of [0, 1e-4]) {
      explainWithoutLeak(
        () => smoothGrad(smooth, x, { target: [4, 0], noiseLevel, samples: 5 }),
        (a) => assertClose(a.values.dataSync(), sv, noiseLevel === 0 ? 1e-6 : 1e-3, `σ = ${noiseLevel}`),
      );
    }
    hidden.dispose();
  });

  it('SmoothGrad with σ = 0 equals saliency on the reference CNN', async () => {
    const { model, images } = await trainedCnn();
    const xs = images.slice(0, 3);
    const s = saliency(model, xs, {});
    const sv = s.values.dataSync();
    explainWithoutLeak(
      () => smoothGrad(model, xs, { noiseLevel: 0, samples: 3 }),
      (a) => {
        assert.deepStrictEqual(a.target, s.target);
        assertClose(a.values.dataSync(), sv, 1e-6, 'σ = 0');
      },
    );
    s.dispose();
    xs.dispose();
  });

  it('SmoothGrad is deterministic for a seed and reports σ = noiseLevel · (max − min) per example', async () => {
    const { model, images } = await trainedCnn();
    const xs = images.slice(3, 2);
    const a = smoothGrad(model, xs, { samples: 20, seed: 5 });
    const b = smoothGrad(model, xs, { samples: 20, seed: 5 });
    assert.deepStrictEqual(Array.from(a.values.dataSync()), Array.from(b.values.dataSync()));
    const sigma = a.extras.sigma as number[];
    assert.strictEqual(sigma.length, 2);
    assert.ok(sigma.every((v) => v > 0.1 && v <= 0.15 + 1e-6), `σ ${sigma}`);
    a.dispose();
    b.dispose();
    xs.dispose();
  });
});
