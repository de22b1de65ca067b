/**
 * The fused GRU (lib/models/fusedGru.ts with the TslabXaiGruForward/Backward kernels) against tfjs's own
 * `gru` layer on the cpu backend (tfjs 4.22's GRUCell: the reset gate multiplies h before the recurrent product) with the same weights: outputs, input gradients and weight
 * gradients on 24 random configurations (batch, steps, features, units, goBackwards,
 * returnSequences, useBias, inside `bidirectional` or not). Steps ≥ 2: tfjs 4.22's own layer cannot take
 * the input gradient of a one-step sequence (its unstack gradient throws).
 */
import * as assert from 'assert';
import { tf, ready } from '../lib/engine';
import { FusedGru, fusedGru } from '../lib/models/fusedGru';
import { CONFIGS, check, normal, rng } from './engine-seq-check';

interface Case {
  batch: number;
  steps: number;
  features: number;
  units: number;
  goBackwards: boolean;
  returnSequences: boolean;
  bidirectional: boolean;
  useBias: boolean;
}

/** Output, dx and every weight gradient of `layer` on the case's input, with weights drawn from `seed`. */
function run(c: Case, fused: boolean, seed: number): tf.Tensor[] {
  const args = { units: c.units, recurrentActivation: 'sigmoid', goBackwards: c.goBackwards, returnSequences: c.returnSequences, useBias: c.useBias } as const;
  const inner = fused ? fusedGru(args) : tf.layers.gru(args);
  const layer = c.bidirectional ? tf.layers.bidirectional({ layer: inner as unknown as tf.RNN }) : inner;
  const x = normal([c.batch, c.steps, c.features], seed);
  try {
    tf.tidy(() => {
      layer.apply(x);
    });
    const weights = layer.getWeights().map((w, i) => normal(w.shape, seed + 10 + i, 0.5));
    layer.setWeights(weights);
    tf.dispose(weights);
    return tf.tidy(() => {
      const y = layer.apply(x) as tf.Tensor;
      const probe = normal(y.shape, seed + 5);
      const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads } = tf.variableGrads(() => (layer.apply(x) as tf.Tensor).mul(probe).sum() as tf.Scalar, vars);
      const dx = tf.grad((z: tf.Tensor) => (layer.apply(z) as tf.Tensor).mul(probe).sum())(x);
      return [y, dx, ...vars.map((v) => grads[v.name])];
    });
  } finally {
    x.dispose();
    layer.weights.forEach((w) => w.dispose());
  }
}

describe('fused GRU (drop-in for tf.layers.gru)', function () {
  this.timeout(300000);
  before(async function () {
    const info = await ready({ verbose: false });
    if (info.backend !== 'wasm' || !info.simd) this.skip();
  });

  it(`equals tfjs's own gru / bidirectional(gru) on cpu, outputs and gradients, on ${CONFIGS} random configurations`, async () => {
    const r = rng(22);
    for (let i = 0; i < CONFIGS; i++) {
      const c: Case = { batch: r(1, 5), steps: r(2, 7), features: r(1, 9), units: 4 * r(1, 4), goBackwards: r(0, 1) === 1, returnSequences: r(0, 1) === 1, bidirectional: r(0, 1) === 1, useBias: r(0, 3) > 0 };
      await check(`gru ${JSON.stringify(c)}`, () => run(c, true, i * 100), () => run(c, false, i * 100));
    }
  });

  it('takes the fused path on wasm (and the backward copy inside bidirectional is fused too)', () => {
    const bi = tf.layers.bidirectional({ layer: fusedGru({ units: 8, recurrentActivation: 'sigmoid' }) as unknown as tf.RNN });
    const x = normal([2, 3, 5], 1);
    const y = bi.apply(x) as tf.Tensor;
    const inner = bi as unknown as { forwardLayer: unknown; backwardLayer: unknown };
    assert.ok(inner.forwardLayer instanceof FusedGru && inner.backwardLayer instanceof FusedGru);
    const p = tf.profile(() => tf.tidy(() => bi.apply(x) as tf.Tensor));
    return p.then((info) => {
      const names = new Set(info.kernels.map((k) => k.name));
      assert.ok(names.has('TslabXaiGruForward'), [...names].join());
      assert.ok(!names.has('Sigmoid'), 'the gates ran as separate Sigmoid kernels');
      tf.dispose([x, y, info.result as tf.Tensor]);
      bi.weights.forEach((w) => w.dispose());
    });
  });

  it("falls back to tfjs's own code for hardSigmoid gates and units not a multiple of 4", async () => {
    for (const args of [{ units: 4 }, { units: 6, recurrentActivation: 'sigmoid' as const }]) {
      const l = fusedGru(args);
      const x = normal([2, 4, 3], 7);
      const info = await tf.profile(() => l.apply(x) as tf.Tensor);
      const names = new Set(info.kernels.map((k) => k.name));
      assert.ok(!names.has('TslabXaiGruForward') && names.has('Sigmoid') === (args.units === 6), [...names].join());
      assert.deepStrictEqual((info.result as tf.Tensor).shape, [2, args.units]);
      tf.dispose([x, info.result as tf.Tensor]);
      l.weights.forEach((w) => w.dispose());
    }
  });
});
