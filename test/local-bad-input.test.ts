import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { referenceCnn } from '../lib/models';
import { type Attribution, deletionCurve, gradCam, gradientXInput, integratedGradients, lime, type ModelLike, occlusion, saliency, smoothGrad } from '../lib/explain';
import { assertNoLeak } from './local-fixtures';

type Method = (model: ModelLike, inputs: tf.Tensor, options: Record<string, unknown>) => Attribution;

/** Every image method with options small enough to run fast. */
const methods: Record<string, Method> = {
  occlusion: (m, x, o) => occlusion(m, x, { patch: 7, stride: 7, ...o }),
  saliency: (m, x, o) => saliency(m, x, o),
  gradientXInput: (m, x, o) => gradientXInput(m, x, o),
  smoothGrad: (m, x, o) => smoothGrad(m, x, { samples: 2, ...o }),
  integratedGradients: (m, x, o) => integratedGradients(m, x, { steps: 3, ...o }),
  gradCam: (m, x, o) => gradCam(m as tf.LayersModel, x, o),
  lime: (m, x, o) => lime(m, x, { samples: 20, segments: 8, ...o }),
};

describe('local methods: bad input fails early, naming the argument', () => {
  let model: tf.LayersModel;
  let x: tf.Tensor;
  before(() => {
    model = referenceCnn({ seed: 2 });
    x = tf.keep(tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 1));
  });

  for (const [name, run] of Object.entries(methods)) {
    it(`${name}: target out of range, wrong target count, wrong rank, a shape the model does not accept, not a model`, () => {
      assertNoLeak(() => {
        assert.throws(() => run(model, x, { target: 10 }), new RegExp(`^Error: ${name}: options\\.target must be a class index in 0\\.\\.9`));
        assert.throws(() => run(model, x, { target: -1 }), /options\.target must be a class index/);
        assert.throws(() => run(model, x, { target: 1.5 }), /options\.target must be a class index/);
        assert.throws(() => run(model, x, { target: [1, 2, 3] }), new RegExp(`${name}: options\\.target has 3 entries but inputs has a batch of 2`));
        const flat = x.reshape([2, 784]);
        assert.throws(() => run(model, flat, { target: 1 }), new RegExp(`${name}: inputs`));
        flat.dispose();
        const small = tf.zeros([2, 20, 20, 1]);
        assert.throws(() => run(model, small, { target: 1 }), new RegExp(`${name}: inputs has shape \\[2,20,20,1\\] but the model accepts \\[n,28,28,1\\]`));
        small.dispose();
        assert.throws(() => run({} as ModelLike, x, { target: 1 }), new RegExp(`${name}: model must be a tf\\.LayersModel`));
        assert.throws(() => run(model, [1, 2] as unknown as tf.Tensor, { target: 1 }), new RegExp(`${name}: inputs must be a tf\\.Tensor`));
      });
    });
  }

  it('a function model that rejects the inputs is reported as an inputs problem', () => {
    const picky = (z: tf.Tensor) => tf.tidy(() => z.reshape([z.shape[0], 100]));
    assert.throws(() => saliency(picky, x, { target: 0 }), /saliency: the model does not accept inputs of shape \[2,28,28,1\]/);
    const badOut = (z: tf.Tensor) => tf.tidy(() => z.clone());
    assert.throws(() => saliency(badOut, x, { target: 0 }), /saliency: model must return scores \[n, classes\] \(or \[n\]\); it returned shape \[1,28,28,1\]/);
  });

  it('integratedGradients: steps ≤ 0, a baseline of another shape, an unknown rule or baseline', () => {
    assertNoLeak(() => {
      assert.throws(() => integratedGradients(model, x, { steps: 0 }), /integratedGradients: options\.steps must be an integer ≥ 1; got 0/);
      assert.throws(() => integratedGradients(model, x, { steps: -3, rule: 'left' }), /options\.steps must be an integer ≥ 1; got -3/);
      assert.throws(() => integratedGradients(model, x, { steps: 1, rule: 'trapezoid' }), /options\.steps must be an integer ≥ 2; got 1/);
      const other = tf.zeros([2, 14, 14, 1]);
      assert.throws(() => integratedGradients(model, x, { baseline: other }), /integratedGradients: options\.baseline has shape \[2,14,14,1\] but inputs has shape \[2,28,28,1\]/);
      other.dispose();
      assert.throws(() => integratedGradients(model, x, { baseline: 'grey' as never }), /options\.baseline must be 'black', 'white', 'blurred', 'uniform', a number or a tf\.Tensor/);
      assert.throws(() => integratedGradients(model, x, { rule: 'simpson' as never }), /options\.rule must be one of left, right, middle, trapezoid, gaussLegendre; got "simpson"/);
      assert.throws(() => integratedGradients(model, x, { internalBatchSize: 0 }), /options\.internalBatchSize must be an integer ≥ 1/);
    });
  });

  it('other options: samples, noise level, patch, fill, layer, kind, reduce, curve steps', () => {
    assertNoLeak(() => {
      assert.throws(() => smoothGrad(model, x, { samples: 0 }), /smoothGrad: options\.samples must be an integer ≥ 1; got 0/);
      assert.throws(() => smoothGrad(model, x, { noiseLevel: -0.1 }), /smoothGrad: options\.noiseLevel must be a finite number ≥ 0/);
      assert.throws(() => occlusion(model, x, { patch: 40 }), /occlusion: options\.patch \[40,40\] must fit in the 28×28 image/);
      assert.throws(() => occlusion(model, x, { stride: 0 }), /occlusion: options\.stride must be an integer ≥ 1; got 0/);
      assert.throws(() => occlusion(model, x, { fill: 'grey' as never }), /occlusion: options\.fill must be a number, 'mean' or 'blur'/);
      assert.throws(() => gradCam(model, x, { layer: 'conv3' }), /gradCam: options\.layer 'conv3' does not exist; the model's layers are: conv1, pool1, conv2, pool2, flatten, dense/);
      assert.throws(() => lime(model, x, { kind: 'tabular' }), /lime: inputs must be rows \[n, d\] for kind 'tabular'; got shape \[2,28,28,1\]/);
      assert.throws(() => lime(model, x, { samples: 1 }), /lime: options\.samples must be an integer ≥ 2; got 1/);
      assert.throws(() => lime(model, x, { kernelWidth: 0 }), /lime: options\.kernelWidth must be a number > 0; got 0/);
      const ids = tf.tensor2d([[1, 2, 3]], [1, 3], 'int32');
      assert.throws(() => lime((z: tf.Tensor) => tf.tidy(() => z.toFloat().sum(1)), ids, { maskToken: -1 }), /lime: options\.maskToken must be an integer ≥ 0; got -1/);
      ids.dispose();
      assert.throws(() => saliency(model, x, { reduce: 'median' as never }), /saliency: options\.reduce must be one of none, max, mean, sum/);
      const a = saliency(model, x);
      assert.throws(() => deletionCurve(model, x, a, { steps: 0 }), /deletionCurve: options\.steps must be an integer ≥ 1; got 0/);
      const wrong = tf.zeros([2, 14, 14, 1]);
      assert.throws(() => deletionCurve(model, x, wrong), /deletionCurve: attribution has shape \[2,14,14,1\] but inputs has shape \[2,28,28,1\]/);
      wrong.dispose();
      a.dispose();
      assert.throws(() => deletionCurve(model, x, a), /deletionCurve: attribution must be an Attribution or a tf\.Tensor \(not disposed\)/);
    });
  });

  it('a model that returns NaN is reported by every method (nonFinite > 0), not hidden', () => {
    const nanModel = referenceCnn({ seed: 3 });
    const dense = nanModel.getLayer('dense');
    const [k, b] = dense.getWeights();
    const nanKernel = tf.fill(k.shape, NaN);
    dense.setWeights([nanKernel, b]);
    nanKernel.dispose();
    for (const [name, run] of Object.entries(methods)) {
      assertNoLeak(() => {
        const a = run(nanModel, x, { target: 1 });
        assert.ok(a.nonFinite > 0, `${name}: nonFinite ${a.nonFinite}`);
        a.dispose();
      });
    }
    const constantNaN = (z: tf.Tensor) => tf.tidy(() => tf.add(tf.mul(z.reshape([z.shape[0], -1]).sum(1, true), 0), tf.fill([z.shape[0], 3], NaN)));
    const s = saliency(constantNaN, x, { target: 0 });
    assert.ok(s.nonFinite >= 2, 'NaN scores with finite gradients are still reported');
    s.dispose();
  });
});
