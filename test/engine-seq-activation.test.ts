/**
 * Exp, Sigmoid and Tanh on the wasm SIMD kernels (lib/engine/kernels/activation.ts) against tfjs's
 * cpu backend: 24 random sizes and scales each (tails of 1–3 lanes, arguments up to ±100, i.e.
 * overflow, subnormal results and saturation), special values, and their gradients.
 */
import { tf, ready } from '../lib/engine';
import * as assert from 'assert';
import { CONFIGS, check, normal, onCpu, rng } from './engine-seq-check';

const OPS: [string, (x: tf.Tensor) => tf.Tensor][] = [
  ['exp', tf.exp],
  ['sigmoid', tf.sigmoid],
  ['tanh', tf.tanh],
];

describe('Exp, Sigmoid and Tanh on the wasm SIMD kernels', function () {
  this.timeout(120000);
  before(async function () {
    const info = await ready({ verbose: false });
    if (info.backend !== 'wasm' || !info.simd) this.skip();
  });

  for (const [name, op] of OPS) {
    it(`${name} matches cpu on ${CONFIGS} random sizes and scales, and its gradient`, async () => {
      const r = rng(name.length * 7);
      for (let i = 0; i < CONFIGS; i++) {
        const shape = [r(1, 5), r(1, 67)];
        const scale = [0.01, 1, 5, 30, 100][i % 5];
        const make = () => tf.tidy(() => op(normal(shape, i, scale)));
        await check(`${name} ${shape} ×${scale}`, make);
        if (name === 'exp') {
          // exp spans 1e-45 … 1e38: also element by element, relative to each value in the normal range
          const got = make();
          const a = got.dataSync();
          got.dispose();
          const b = (await onCpu(make)).values[0];
          for (let j = 0; j < b.length; j++) {
            if (Math.abs(b[j]) < 1e-37 || !Number.isFinite(b[j])) assert.ok(Math.abs(a[j] - b[j]) < 1e-37 || a[j] === b[j], `exp ${shape}: element ${j}: ${a[j]} vs ${b[j]}`);
            else assert.ok(Math.abs(a[j] - b[j]) <= 1e-4 * Math.abs(b[j]), `exp ${shape}: element ${j}: ${a[j]} vs ${b[j]}`);
          }
        }
        await check(`${name} gradient ${shape} ×${scale}`, () => tf.tidy(() => tf.grad((x: tf.Tensor) => op(x).mul(normal(shape, i + 3)).sum())(normal(shape, i, Math.min(scale, 5)))));
      }
    });
  }

  it('special values: NaN, ±Inf, ±0, overflow and underflow, as on cpu', async () => {
    const special = [NaN, Infinity, -Infinity, 0, -0, 88.7, 88.8, 89, 1000, -87.3, -103, -104, -1e6, 1e-8, -1e-8, 0.06, -0.07, 20, -20, 1];
    for (const [name, op] of OPS) await check(`${name} special`, () => tf.tidy(() => op(tf.tensor1d(special))));
  });
});
