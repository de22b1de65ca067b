/**
 * The `_FusedMatMul` replacement (lib/engine/kernels/fusedMatMul.ts: linear dense products on the
 * SIMD kernel) against the cpu backend: tf.fused.matMul with and without bias, transposes, linear
 * and relu (the latter the backend's own path) on 24 random shapes, and a dense layer's output and
 * gradients. tfjs-wasm 4.22's own kernel is wrong with a transposed operand and any activation but
 * linear; the replacement computes those as product, bias, then the activation's kernel.
 */
import * as assert from 'assert';
import { tf, ready } from '../lib/engine';
import { CONFIGS, check, normal, rng } from './engine-seq-check';

describe('_FusedMatMul on the SIMD product (wasm)', function () {
  this.timeout(300000);
  before(async function () {
    const info = await ready({ verbose: false });
    if (info.backend !== 'wasm' || !info.simd) this.skip();
  });

  it(`equals the cpu backend on ${CONFIGS} random shapes (bias or not, transposes, every activation)`, async () => {
    const r = rng(41);
    for (let i = 0; i < CONFIGS; i++) {
      const [m, k, n] = [r(1, 90), r(1, 70), r(1, 90)];
      const [tA, tB, withBias] = [r(0, 1) === 1, r(0, 1) === 1, r(0, 3) > 0];
      const activation = (['linear', 'linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const)[r(0, 7)];
      const make = () =>
        tf.tidy(() => {
          const a = normal(tA ? [k, m] : [m, k], i);
          const b = normal(tB ? [n, k] : [k, n], i + 50);
          const bias = withBias ? normal([n], i + 99) : undefined;
          const preluActivationWeights = activation === 'prelu' ? normal([n], i + 7, 0.3) : undefined;
          return tf.fused.matMul({ a, b, transposeA: tA, transposeB: tB, bias, activation, preluActivationWeights, leakyreluAlpha: 0.3 });
        });
      await check(`fused matMul m=${m} k=${k} n=${n} tA=${tA} tB=${tB} bias=${withBias} ${activation}`, make);
    }
  });

  it("a dense layer's output and gradients equal the cpu backend's, and run on the replacement", async () => {
    const layer = tf.layers.dense({ units: 300, inputShape: [40] });
    const x = normal([70, 40], 7);
    layer.apply(x);
    const run = () =>
      tf.tidy(() => {
        const y = layer.apply(x) as tf.Tensor;
        const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
        const { grads } = tf.variableGrads(() => (layer.apply(x) as tf.Tensor).square().sum() as tf.Scalar, vars);
        return [y, ...vars.map((v) => grads[v.name])];
      });
    await check('dense 70×40 → 300', run);
    const p = await tf.profile(() => layer.apply(x) as tf.Tensor);
    assert.ok(p.kernels.some((k) => k.name === '_FusedMatMul'));
    tf.dispose([x, p.result as tf.Tensor]);
    layer.dispose();
  });
});
