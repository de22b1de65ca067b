import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { gradCam } from '../lib/explain';
import { assertClose, explainWithoutLeak, trainedCnn } from './local-fixtures';

/**
 * x [n,4,4,1] → conv 1×1 with 2 filters (A₀ = x, A₁ = 2x) → global average pool → dense W (no bias).
 * y_t = Σ_k W[k][t] · mean(A_k), so α_k = W[k][t] / 16 and Grad-CAM = relu((W[0][t] + 2 W[1][t]) · x / 16).
 */
function knownModel(W: number[][]): tf.LayersModel {
  const input = tf.input({ shape: [4, 4, 1] });
  const conv = tf.layers.conv2d({ name: 'maps', filters: 2, kernelSize: 1, useBias: false, weights: [tf.tensor4d([1, 2], [1, 1, 1, 2])] });
  const gap = tf.layers.globalAveragePooling2d({ name: 'gap' });
  const dense = tf.layers.dense({ name: 'scores', units: 2, useBias: false, weights: [tf.tensor2d(W)] });
  return tf.model({ inputs: input, outputs: dense.apply(gap.apply(conv.apply(input))) as tf.SymbolicTensor });
}

describe('gradCam', () => {
  it('on a known model is relu((W₀ₜ + 2 W₁ₜ) · x / 16)', () => {
    const W = [
      [0.5, -1],
      [0.25, 0.2],
    ];
    const model = knownModel(W);
    const x = tf.randomUniform([2, 4, 4, 1], 0, 1, 'float32', 9);
    const xv = Array.from(x.dataSync());
    const c0 = (W[0][0] + 2 * W[1][0]) / 16; // 1/16 > 0
    const c1 = (W[0][1] + 2 * W[1][1]) / 16; // −0.6/16 < 0
    explainWithoutLeak(
      () => gradCam(model, x, { target: [0, 1], layer: 'maps' }),
      (a) => {
        assert.deepStrictEqual(a.values.shape, [2, 4, 4, 1]);
        assertClose(a.values.dataSync(), [...xv.slice(0, 16).map((v) => c0 * v), ...xv.slice(16).map(() => 0)], 1e-6);
        assert.strictEqual(a.extras.layer, 'maps');
      },
    );
    explainWithoutLeak(
      () => gradCam(model, x, { target: 1, relu: false }),
      (a) => assertClose(a.values.dataSync(), xv.map((v) => c1 * v), 1e-6),
    );
  });

  it('upsamples the last conv layer of the reference CNN to the input size, or keeps its size', async () => {
    const { model, images } = await trainedCnn();
    const x = images.slice(0, 3);
    explainWithoutLeak(
      () => gradCam(model, x, { layer: 'conv2' }),
      (a) => {
        assert.deepStrictEqual(a.values.shape, [3, 28, 28, 1]);
        assert.deepStrictEqual(a.extras.mapSize, [13, 13]);
        const v = a.values.dataSync();
        assert.ok(Math.min(...v) >= 0 && Math.max(...v) > 0);
      },
    );
    explainWithoutLeak(
      () => gradCam(model, x, { upsample: false }),
      (a) => {
        assert.strictEqual(a.extras.layer, 'conv2', 'default layer: the last with feature maps');
        assert.deepStrictEqual(a.values.shape, [3, 13, 13, 1]);
      },
    );
    x.dispose();
  });

  it('names the layers that exist when options.layer does not, and refuses a layer without feature maps', async () => {
    const { model, images } = await trainedCnn();
    const x = images.slice(0, 1);
    assert.throws(() => gradCam(model, x, { layer: 'conv9' }), /gradCam: options\.layer 'conv9' does not exist; the model's layers are: conv1, pool1, conv2, pool2, flatten, dense/);
    assert.throws(() => gradCam(model, x, { layer: 'dense' }), /gradCam: options\.layer 'dense' must output feature maps/);
    assert.throws(() => gradCam(((z: tf.Tensor) => z) as never, x, {}), /gradCam: model must be a tf\.LayersModel/);
    x.dispose();
  });
});
