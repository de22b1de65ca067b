/**
 * sparseSoftmaxCrossEntropy (lib/engine/ops, fused TslabXaiSoftmaxXent/Grad kernels on wasm) against
 * tfjs's `tf.losses.softmaxCrossEntropy(tf.oneHot(labels, V), logits)` on the cpu backend: the mean
 * loss and the gradient w.r.t. the logits on 24 random shapes (V not a multiple of 4 included,
 * logits up to ±60), bad labels and shapes rejected with a message.
 */
import * as assert from 'assert';
import { tf, ready, sparseSoftmaxCrossEntropy } from '../lib/engine';
import { CONFIGS, check, normal, rng, thrown } from './engine-seq-check';

describe('sparseSoftmaxCrossEntropy (fused on wasm)', function () {
  this.timeout(300000);
  before(async function () {
    const info = await ready({ verbose: false });
    if (info.backend !== 'wasm' || !info.simd) this.skip();
  });

  it(`equals tfjs's softmaxCrossEntropy of one-hot labels on cpu, loss and gradient, on ${CONFIGS} random shapes`, async () => {
    const r = rng(31);
    for (let i = 0; i < CONFIGS; i++) {
      const [n, v, scale] = [r(1, 40), r(1, 300), [1, 5, 60][r(0, 2)]];
      const labels = Array.from({ length: n }, () => r(0, v - 1));
      const run = (fused: boolean) => () =>
        tf.tidy(() => {
          const z = normal([n, v], i, scale);
          const y = tf.tensor1d(labels, 'int32');
          const f = (x: tf.Tensor) => (fused ? sparseSoftmaxCrossEntropy(x, y) : (tf.losses.softmaxCrossEntropy(tf.oneHot(y, v), x) as tf.Scalar));
          const { value, grad } = tf.valueAndGrad(f)(z);
          const probe = tf.grad((x: tf.Tensor) => f(x).mul(3))(z); // dy ≠ 1
          return [value, grad, probe];
        });
      await check(`xent n=${n} v=${v} scale=${scale}`, run(true), run(false));
    }
  });

  it('runs as the fused kernels on wasm', async () => {
    const z = normal([6, 50], 1);
    const y = tf.tensor1d([0, 49, 3, 3, 7, 20], 'int32');
    const info = await tf.profile(() => tf.grad((x: tf.Tensor) => sparseSoftmaxCrossEntropy(x, y))(z));
    const names = new Set(info.kernels.map((k) => k.name));
    assert.ok(names.has('TslabXaiSoftmaxXent') && names.has('TslabXaiSoftmaxXentGrad') && !names.has('Exp'), [...names].join());
    tf.dispose([z, y, info.result as tf.Tensor]);
  });

  it('rejects labels out of range and mismatched shapes, naming the argument', () => {
    const z = normal([3, 5], 2);
    const before = tf.memory().numTensors;
    assert.match(thrown(() => sparseSoftmaxCrossEntropy(z, tf.tensor1d([0, 5, 1], 'int32'))) ?? '', /sparseSoftmaxCrossEntropy: labels must be class indices in 0..4; got 5 at 1/);
    assert.match(thrown(() => sparseSoftmaxCrossEntropy(z, tf.tensor1d([0, 1], 'int32'))) ?? '', /labels must be an int32 tensor \[3\] .*; got int32 \[2\]/);
    assert.match(thrown(() => sparseSoftmaxCrossEntropy(z, tf.tensor1d([0, 1, 2], 'float32'))) ?? '', /labels must be an int32 tensor \[3\]/);
    assert.match(thrown(() => sparseSoftmaxCrossEntropy(z.reshape([15]), tf.tensor1d([0], 'int32'))) ?? '', /logits must be a 2-D float32 tensor \[N, V\]; got float32 \[15\]/);
    assert.strictEqual(tf.memory().numTensors, before);
    z.dispose();
  });
});
