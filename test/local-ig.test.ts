import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { type Baseline, integratedGradients, integrationPoints } from '../lib/explain';
import { assertClose, explainWithoutLeak, knownWeights, linearModel, trainedCnn } from './local-fixtures';

const W = knownWeights(18, 4);

describe('integratedGradients', () => {
  let linear: (x: tf.Tensor) => tf.Tensor;
  let x: tf.Tensor;
  before(() => {
    linear = linearModel(W).model;
    x = tf.keep(tf.randomUniform([3, 3, 3, 2], 0, 1, 'float32', 11));
  });
  const target = [0, 2, 3];
  const expectedFor = (baseline: Float32Array | number[]) => {
    const xv = x.dataSync();
    return Array.from(xv, (v, i) => (v - baseline[i]) * W[i % 18][target[Math.floor(i / 18)]]);
  };

  it('integration rules have weights that sum to 1 at the documented points', () => {
    assert.deepStrictEqual(integrationPoints('left', 4).alphas, [0, 0.25, 0.5, 0.75]);
    assert.deepStrictEqual(integrationPoints('right', 4).alphas, [0.25, 0.5, 0.75, 1]);
    assert.deepStrictEqual(integrationPoints('middle', 2).alphas, [0.25, 0.75]);
    const t = integrationPoints('trapezoid', 5);
    assert.deepStrictEqual(t.alphas, [0, 0.25, 0.5, 0.75, 1]);
    assert.deepStrictEqual(t.weights, [0.125, 0.25, 0.25, 0.25, 0.125]);
  });

  it('is exactly (x − x′) ⊙ w on a linear model, for every rule and any number of steps', () => {
    const zeros = new Array(54).fill(0);
    for (const rule of ['left', 'right', 'middle', 'trapezoid'] as const) {
      for (const steps of rule === 'trapezoid' ? [2, 7] : [1, 3, 20]) {
        explainWithoutLeak(
          () => integratedGradients(linear, x, { target, steps, rule }),
          (a) => {
            assertClose(a.values.dataSync(), expectedFor(zeros), 1e-5, `${rule} ${steps}`);
            (a.extras.delta as number[]).forEach((d) => assert.ok(d < 1e-4, `delta ${d}`));
          },
        );
      }
    }
  });

  it('accepts white, number, uniform, blurred and tensor baselines', () => {
    const one = tf.randomUniform([3, 3, 2], 0, 1, 'float32', 2);
    const cases: [string, Baseline, () => number[]][] = [
      ['white', 'white', () => new Array(54).fill(1)],
      ['0.5', 0.5, () => new Array(54).fill(0.5)],
      ['tensor [3,3,2]', one, () => [...one.dataSync(), ...one.dataSync(), ...one.dataSync()]],
    ];
    for (const [name, baseline, b] of cases) {
      explainWithoutLeak(
        () => integratedGradients(linear, x, { target, steps: 4, baseline }),
        (a) => {
          assertClose(a.values.dataSync(), expectedFor(b()), 1e-5, name);
          assert.strictEqual(a.options.baseline, name.startsWith('tensor') ? 'tensor' : baseline);
        },
      );
    }
    for (const baseline of ['uniform', 'blurred'] as const) {
      explainWithoutLeak(
        () => integratedGradients(linear, x, { target, steps: 4, baseline }),
        (a) => {
          const s = a.extras.sum as number[];
          const want = (a.extras.inputScore as number[]).map((f, e) => f - (a.extras.baselineScore as number[])[e]);
          assertClose(s, want, 1e-4, baseline);
        },
      );
    }
    one.dispose();
  });

  it('completeness: delta ≤ 1% of |F(x) − F(x′)| with 200 trapezoid steps on the trained reference CNN', async () => {
    const { model, images } = await trainedCnn();
    const xs = images.slice(0, 4);
    explainWithoutLeak(
      () => integratedGradients(model, xs, { steps: 200, rule: 'trapezoid', baseline: 'black' }),
      (a) => {
        const delta = a.extras.delta as number[];
        const fx = a.extras.inputScore as number[];
        const fb = a.extras.baselineScore as number[];
        delta.forEach((d, e) => {
          const gap = Math.abs(fx[e] - fb[e]);
          assert.ok(gap > 0.05, `F(x) − F(x′) = ${gap} too small to test`);
          assert.ok(d <= 0.01 * gap, `example ${e}: delta ${d} > 1% of ${gap}`);
        });
        assert.strictEqual(a.nonFinite, 0);
      },
    );
    xs.dispose();
  });

  it('300 steps on a batch of 64 never passes the model more than internalBatchSize rows', () => {
    const big = knownWeights(64, 3);
    const { model: lin } = linearModel(big);
    let largest = 0;
    const spy = (z: tf.Tensor) => {
      largest = Math.max(largest, z.shape[0]);
      return lin(z);
    };
    const xs = tf.randomUniform([64, 8, 8, 1], 0, 1, 'float32', 4);
    explainWithoutLeak(
      () => integratedGradients(spy, xs, { target: 2, steps: 300, internalBatchSize: 50 }),
      (a) => {
        assert.ok(largest <= 50, `largest batch ${largest}`);
        assert.strictEqual(a.extras.largestBatch, 50);
        const xv = xs.dataSync();
        assertClose(a.values.dataSync(), Array.from(xv, (v, i) => v * big[i % 64][2]), 1e-5);
      },
    );
    xs.dispose();
  });
});
