/**
 * layerNorm (lib/engine/ops/layerNorm.ts): the fused wasm kernels (simd/layerNorm.c) against the
 * tfjs composition on the cpu backend, forward and gradients (x, gamma, beta), on randomized shapes;
 * a known answer; the fused path taken on wasm; bad input named.
 */
import * as assert from 'assert';
import { tf, ready, layerNorm } from '../lib/engine';
import { CONFIGS, check, normal, rng } from './engine-seq-check';

describe('layerNorm (fused on wasm)', function () {
  this.timeout(300000);

  before(async () => {
    await ready({ verbose: false });
  });

  it('normalizes a row to mean 0 and variance 1 before scale and shift (known answer)', () => {
    const y = tf.tidy(() => layerNorm(tf.tensor2d([[1, 2, 3, 4], [5, 5, 5, 5]]), tf.tensor1d([1, 2, 1, 1]), tf.tensor1d([0, 0, 0, 1])));
    const s = Math.sqrt(1.25 + 1e-5);
    const want = [-1.5 / s, (2 * -0.5) / s, 0.5 / s, 1.5 / s + 1, 0, 0, 0, 1];
    const got = Array.from(y.dataSync());
    y.dispose();
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-5, `element ${i}: ${v} ≠ ${want[i]}`));
  });

  it(`matches the tfjs composition on cpu, values and gradients of x, gamma and beta, on ${CONFIGS} random shapes`, async () => {
    const r = rng(31);
    for (let i = 0; i < CONFIGS; i++) {
      const d = i < 4 ? [128, 5, 1, 3][i] : r(1, 300);
      const shape = [...Array.from({ length: r(0, 3) }, () => r(1, 9)), d];
      const eps = i % 3 === 0 ? 1e-5 : i % 3 === 1 ? 1e-3 : 0.1;
      // a row far from zero (a large mean) checks the two-pass variance
      const make = () =>
        tf.tidy(() => {
          const x = normal(shape, i, 3).add(i % 4 === 0 ? 100 : 0);
          const gamma = normal([d], i + 1);
          const beta = normal([d], i + 2);
          const w = normal(shape, i + 3);
          const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => layerNorm(a, g, b, eps).mul(w).sum() as tf.Scalar;
          const { value, grads } = tf.valueAndGrads(f)([x, gamma, beta]);
          return [layerNorm(x, gamma, beta, eps), value, ...grads];
        });
      await check(`layerNorm ${JSON.stringify({ shape, eps })}`, make);
    }
  });

  it('takes the fused kernels on wasm (one kernel forward, one backward)', function () {
    if (tf.getKernel('TslabXaiLayerNorm', tf.getBackend()) === undefined) this.skip();
    const x = normal([4, 8, 16], 1);
    const g = tf.ones([16]);
    const b = tf.zeros([16]);
    const names: string[] = [];
    const before = tf.memory().numTensors;
    const grads = tf.grads((a: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => {
      const y = layerNorm(a, gg, bb);
      return y.sum();
    });
    const spy = tf.engine().runKernel.bind(tf.engine());
    tf.engine().runKernel = ((name: string, ...rest: unknown[]) => {
      names.push(name);
      return (spy as (...a: unknown[]) => unknown)(name, ...rest);
    }) as ReturnType<typeof tf.engine>['runKernel'];
    try {
      tf.dispose(grads([x, g, b]));
    } finally {
      tf.engine().runKernel = spy;
    }
    assert.deepStrictEqual(names.filter((n) => n.startsWith('TslabXai')), ['TslabXaiLayerNorm', 'TslabXaiLayerNormGrad']);
    assert.strictEqual(tf.memory().numTensors, before);
    tf.dispose([x, g, b]);
  });

  it('names the argument on bad input', () => {
    const x = tf.zeros([2, 3]);
    const ok = tf.zeros([3]);
    assert.throws(() => layerNorm(x, tf.zeros([4]), ok), /layerNorm: gamma must be a tensor of shape \[3\] \(the last axis of x \[2,3\]\); got \[4\]/);
    assert.throws(() => layerNorm(x, ok, tf.zeros([3, 1])), /layerNorm: beta must be a tensor of shape \[3\]/);
    assert.throws(() => layerNorm(tf.scalar(1), ok, ok), /layerNorm: x must be a tensor of rank ≥ 1; got a scalar/);
    assert.throws(() => layerNorm(x, ok, ok, -1), /layerNorm: epsilon must be a number ≥ 0; got -1/);
    tf.dispose([x, ok]);
  });
});
