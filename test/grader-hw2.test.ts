import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { courseModel } from '../lib/models/courseModel';
import { setDisplaySink, type DisplaySink } from '../lib/display/sink';
import { hw2, type CheckResult } from '../lib/grader';

type M = tf.LayersModel;
const upTo = (model: M, layer: string) => tf.model({ inputs: model.inputs, outputs: model.getLayer(layer).output as tf.SymbolicTensor });

/** Gradient ascent on the pixels with Adam, clipped to [0, 1]; `sign` −1 descends, `useL1` false drops the prior. */
function filterSolution(model: M, layer: string, k: number, steps: number, lambda: number, sign = 1, useL1 = true): tf.Tensor {
  const part = upTo(model, layer);
  const start = tf.tidy(() => tf.fill([1, 28, 28, 1], 0.5).add(tf.randomNormal([1, 28, 28, 1], 0, 0.01, 'float32', 0)));
  const x = tf.variable(start);
  start.dispose();
  const opt = tf.train.adam(0.05);
  for (let i = 0; i < steps; i++) {
    opt.minimize(() => {
      const act = (part.apply(x) as tf.Tensor).gather([k], 3).mean();
      const j = useL1 ? act.sub(x.abs().sum().mul(lambda)) : act;
      return j.mul(-sign) as tf.Scalar;
    }, false, [x]);
    tf.tidy(() => x.assign(x.clipByValue(0, 1)));
  }
  const out = x.clone();
  x.dispose();
  opt.dispose();
  return out;
}
const featuresSolution = (model: M, x: tf.Tensor, layer: string) => tf.tidy(() => (upTo(model, layer).predict(x) as tf.Tensor).reshape([x.shape[0], -1]));
async function probeSolution(trainX: tf.Tensor2D, trainY: number[], testX: tf.Tensor2D, epochs = 30): Promise<number[]> {
  const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [trainX.shape[1]], units: 10, activation: 'softmax' })] });
  const optimizer = tf.train.adam(0.01);
  m.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const y = tf.oneHot(trainY, 10);
  if (epochs > 0) await m.fit(trainX, y, { epochs, batchSize: 64, verbose: 0 });
  const pred = tf.tidy(() => (m.predict(testX) as tf.Tensor).argMax(1));
  const out = Array.from(pred.dataSync());
  tf.dispose([pred, y]);
  m.dispose();
  optimizer.dispose();
  return out;
}
function componentSolution(features: tf.Tensor2D, center = true): tf.Tensor {
  return tf.tidy(() => {
    const c = center ? features.sub(features.mean(0)) : features;
    const cov = tf.matMul(c, c, true, false).div(features.shape[0] - 1);
    let v = tf.randomNormal([features.shape[1], 1], 0, 1, 'float32', 0) as tf.Tensor;
    for (let i = 0; i < 200; i++) { const w = cov.matMul(v); v = w.div(tf.norm(w)); }
    return v.reshape([-1]);
  });
}

describe('grader: homework 2 on the course model', () => {
  let model: M;
  let restore: DisplaySink;
  before(async () => {
    model = (await courseModel()).model;
    restore = setDisplaySink({ live: false, display: () => undefined, update: () => undefined });
  });
  after(() => void setDisplaySink(restore));
  const expectPass = (r: CheckResult) => assert.strictEqual(r.passed, true, `${r.name}: ${r.message}`);
  const expectHint = (r: CheckResult, hint: RegExp) => {
    assert.strictEqual(r.passed, false, `${r.name} passed a wrong answer: ${r.message}`);
    assert.match(r.hint ?? '(no hint)', hint, `${r.name}: ${r.message}`);
  };

  it('filter visualization: ascent with the L1 prior ✓; descent, no clipping → their hints', async () => {
    const r = await hw2.filter(model, (m, l, k, s, lam) => filterSolution(m, l, k, s, lam));
    expectPass(r);
    expectHint(await hw2.filter(model, (m, l, k, s, lam) => filterSolution(m, l, k, s, lam, -1)), /ascent/);
    expectHint(await hw2.filter(model, (m, l, k, s, lam) => filterSolution(m, l, k, s, lam, 1, false)), /L1 prior/);
    expectHint(await hw2.filter(model, () => tf.fill([1, 28, 28, 1], 2)), /\[0, 1\]/);
  });

  it('features, probe, first component: the solutions ✓; an untrained probe, an uncentered component → their hints', async () => {
    const before = tf.memory().numTensors;
    expectPass(await hw2.features(model, featuresSolution));
    assert.strictEqual((await hw2.features(model, (m, x) => tf.tidy(() => (m.predict(x) as tf.Tensor)))).status, 'shape');
    const p = await hw2.probe(model, (a, b, c) => probeSolution(a, b, c));
    expectPass(p);
    expectHint(await hw2.probe(model, (a, b, c) => probeSolution(a, b, c, 0)), /train/);
    const c = await hw2.firstComponent(model, (f) => componentSolution(f));
    expectPass(c);
    expectHint(await hw2.firstComponent(model, (f) => componentSolution(f, false)), /center/);
    assert.strictEqual(tf.memory().numTensors, before);
  });
});
