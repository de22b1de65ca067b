/**
 * The softmax gradient (lib/engine/kernels/softmaxGrad.ts): the fused wasm kernel against tfjs's
 * composition on the cpu backend on randomized shapes (attention-sized ones included), NaN
 * propagation, and the fused path taken on wasm.
 */
import * as assert from 'assert';
import { tf, ready } from '../lib/engine';
import { CONFIGS, check, normal, rng } from './engine-seq-check';

describe('softmax gradient (fused on wasm)', function () {
  this.timeout(300000);

  before(async () => {
    await ready({ verbose: false });
  });

  it(`matches tfjs's composition on cpu on ${CONFIGS} random shapes`, async () => {
    const r = rng(41);
    for (let i = 0; i < CONFIGS; i++) {
      const shape = i === 0 ? [2, 4, 64, 64] : [...Array.from({ length: r(0, 3) }, () => r(1, 7)), r(1, 130)];
      const make = () =>
        tf.tidy(() => {
          const x = normal(shape, i, 1 + (i % 5));
          const w = normal(shape, i + 1);
          return tf.grad((z: tf.Tensor) => tf.softmax(z).mul(w).sum())(x);
        });
      await check(`softmax gradient ${JSON.stringify(shape)}`, make);
    }
  });

  it('propagates NaN as on cpu', async () => {
    const make = () =>
      tf.tidy(() => {
        const x = tf.tensor2d([[1, 2, 3, 4, 5], [1, NaN, 0, 0, 0], [0, 0, 0, 0, 1]]);
        const w = tf.tensor2d([[1, 0, 0, 0, 2], [1, 1, 1, 1, 1], [NaN, 0, 0, 0, 0]]);
        return tf.grad((z: tf.Tensor) => tf.softmax(z).mul(w).sum())(x);
      });
    await check('softmax gradient with NaN', make);
  });

  it('is one TslabXaiSoftmaxGrad kernel on wasm', function () {
    if (tf.getKernel('TslabXaiSoftmaxGrad', tf.getBackend()) === undefined) this.skip();
    const x = normal([3, 17], 1);
    const w = normal([3, 17], 2);
    const before = tf.memory().numTensors;
    const names: string[] = [];
    const spy = tf.engine().runKernel.bind(tf.engine());
    tf.engine().runKernel = ((name: string, ...rest: unknown[]) => {
      names.push(name);
      return (spy as (...a: unknown[]) => unknown)(name, ...rest);
    }) as ReturnType<typeof tf.engine>['runKernel'];
    try {
      tf.grad((z: tf.Tensor) => tf.softmax(z).mul(w).sum())(x).dispose();
    } finally {
      tf.engine().runKernel = spy;
    }
    assert.ok(names.includes('TslabXaiSoftmaxGrad'), `kernels run: ${names.join(', ')}`);
    assert.strictEqual(tf.memory().numTensors, before);
    tf.dispose([x, w]);
  });
});
