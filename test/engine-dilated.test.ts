/**
 * Gradients of dilated convolutions (lib/engine/gradients), which tfjs 4.22 refuses on every backend.
 *
 * 1. Central finite differences on the cpu backend: every component of ∂L/∂x, ∂L/∂w (and ∂L/∂b for
 *    the fused op) of L = Σ y ⊙ r, on small shapes, for Conv2D, DepthwiseConv2dNative, and
 *    tf.fused.conv2d / depthwiseConv2d with a bias.
 * 2. wasm against an independent reference on cpu, on 2 × 24 randomized configurations: tfjs's own
 *    dilation-1 gradient of the same convolution with the filter written out densely (zeros between
 *    the taps); ∂L/∂w is every dilation-th tap of the dense filter's gradient. Relative error
 *    max|wasm − cpu| / max(1, max|cpu|) ≤ 1e-4.
 * 3. End to end: a tf.sequential with dilated conv2d and depthwiseConv2d layers: `saliency` equals
 *    finite differences of the target logit, and one step of `train` (Adam) moves every weight of
 *    both dilated kernels by the learning rate against the sign of its finite-difference gradient.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { tf, ready } from '../lib/engine';
import { seededRandom } from '../lib/data/permutation';
import { saliency } from '../lib/explain/local/saliency';
import { train } from '../lib/models/train';

const TOLERANCE = 1e-4;
const CONFIGS = 24;

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
type Shape4 = [number, number, number, number];

/** A seeded generator of small integers in [lo, hi], on the library's seeded generator (as in engine-kernels.test.ts). */
function rng(seed: number): (lo: number, hi: number) => number {
  const next = seededRandom(seed);
  return (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
}

/** max|a − b| / max(1, max|b|). */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return Number.isNaN(diff) ? Infinity : diff / scale;
}

/** Seeded normal values (seed 0 would mean "unseeded" to tfjs, hence the offset). */
const normal = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed + 1000);

/** Runs `f` on the cpu backend and comes back to the backend that was active. */
async function onCpu<T>(f: () => Promise<T> | T): Promise<T> {
  const before = tf.getBackend();
  await tf.setBackend('cpu');
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  try {
    return await f();
  } finally {
    await tf.setBackend(before);
  }
}

/** One dilated convolution: geometry, and whether it is depthwise / fused with a bias. */
interface Case {
  x: number[];
  filter: number[];
  dilations: [number, number];
  pad: Pad;
  depthwise: boolean;
  bias: boolean;
  activation: 'linear' | 'relu';
}

const outChannels = (c: Case) => (c.depthwise ? c.filter[2] * c.filter[3] : c.filter[3]);

/** y = the convolution of the case (fused when it has a bias). */
function forward(c: Case, x: tf.Tensor4D, w: tf.Tensor4D, b?: tf.Tensor): tf.Tensor4D {
  if (c.bias) {
    const args = { x, filter: w, strides: 1, pad: c.pad as 'same', dilations: c.dilations, bias: b, activation: c.activation };
    return c.depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
  }
  const y = c.depthwise ? tf.depthwiseConv2d(x, w, 1, c.pad, 'NHWC', c.dilations) : tf.conv2d(x, w, 1, c.pad, 'NHWC', c.dilations);
  return c.activation === 'relu' ? tf.relu(y) : y;
}

/** The output shape, by tfjs's own shape arithmetic (no kernel runs: wasm would fault on an empty output). */
function outShape(c: Case): number[] {
  const info = tf.backend_util.computeConv2DInfo(c.x as Shape4, c.filter as Shape4, 1, c.dilations, c.pad as 'same', undefined, c.depthwise);
  return info.outShape;
}

/** The inputs of a case, seeded: x, w, b and the weights r of L = Σ y ⊙ r. */
function inputs(c: Case, seed: number) {
  return { x: normal(c.x, seed) as tf.Tensor4D, w: normal(c.filter, seed + 1) as tf.Tensor4D, b: normal([outChannels(c)], seed + 2), r: normal(outShape(c), seed + 3) };
}

/** [∂L/∂x, ∂L/∂w, (∂L/∂b)] of L = Σ forward ⊙ r, flattened and concatenated. */
function gradients(c: Case, seed: number): tf.Tensor {
  return tf.tidy(() => {
    const { x, w, b, r } = inputs(c, seed);
    const args = c.bias ? [x, w, b] : [x, w];
    const g = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(forward(c, a[0] as tf.Tensor4D, a[1] as tf.Tensor4D, a[2]), r)))(args);
    return tf.concat(g.map((t) => t.flatten()));
  });
}

/** The filter of a dilated convolution written out densely: zeros between the taps. */
function denseFilter(w: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  const [fh, fw, c, m] = w.shape;
  const src = w.arraySync();
  const out = tf.buffer([(fh - 1) * dh + 1, (fw - 1) * dw + 1, c, m]);
  for (let i = 0; i < fh; i++) for (let j = 0; j < fw; j++) for (let a = 0; a < c; a++) for (let k = 0; k < m; k++) out.set(src[i][j][a][k], i * dh, j * dw, a, k);
  return out.toTensor() as tf.Tensor4D;
}

/** The same gradients by tfjs's own dilation-1 gradient of the dense filter (∂L/∂w: every dilation-th tap). */
function referenceGradients(c: Case, seed: number): tf.Tensor {
  return tf.tidy(() => {
    const { x, w, b, r } = inputs(c, seed);
    const dense = denseFilter(w, c.dilations);
    const plain: Case = { ...c, dilations: [1, 1] };
    const args = c.bias ? [x, dense, b] : [x, dense];
    const g = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(forward(plain, a[0] as tf.Tensor4D, a[1] as tf.Tensor4D, a[2]), r)))(args);
    g[1] = tf.stridedSlice(g[1], [0, 0, 0, 0], dense.shape, [c.dilations[0], c.dilations[1], 1, 1]);
    return tf.concat(g.map((t) => t.flatten()));
  });
}

/** A random dilated geometry (dilation 2–3 per axis, kernel 2–3) with at least one output position. */
function randomCase(r: ReturnType<typeof rng>, i: number): Case {
  for (;;) {
    const dilations: [number, number] = [r(2, 3), r(2, 3)];
    const k = [r(2, 3), r(2, 3)];
    const kind = r(0, 2);
    const pad: Pad = kind === 0 ? 'same' : kind === 1 ? 'valid' : [[0, 0], [r(0, 2), r(0, 2)], [r(0, 2), r(0, 2)], [0, 0]];
    const depthwise = i % 2 === 1;
    const x = [r(1, 3), r(4, 13), r(4, 13), r(1, 5)];
    const filter = [k[0], k[1], x[3], depthwise ? r(1, 3) : r(1, 6)];
    // the fused ops take 'same' / 'valid' (tfjs's types); explicit padding only for the plain ones
    const bias = i % 4 >= 2 && typeof pad === 'string';
    const c: Case = { x, filter, dilations, pad, depthwise, bias, activation: i % 3 === 0 ? 'relu' : 'linear' };
    const shape = outShape(c);
    if (shape[1] > 0 && shape[2] > 0) return c;
  }
}

describe('gradients of dilated convolutions (tslab-xai, every backend)', function () {
  this.timeout(180000);

  it('are registered by ready(); dilation 1 keeps tfjs’s own gradient (same kernels, no space-to-batch)', async () => {
    await ready({ verbose: false });
    const kernelsOf = (dilation: number) => {
      const seen: string[] = [];
      const engine = tf.engine();
      const run = engine.runKernel.bind(engine);
      engine.runKernel = ((name: string, ins: tf.NamedTensorMap, attrs: never) => (seen.push(name), run(name, ins, attrs))) as typeof engine.runKernel;
      try {
        tf.tidy(() => tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same', 'NHWC', dilation).sum())([normal([1, 7, 7, 2], 1), normal([3, 3, 2, 2], 2)]));
      } finally {
        engine.runKernel = run;
      }
      return seen;
    };
    const plain = kernelsOf(1);
    assert.ok(plain.includes('Conv2DBackpropInput') && plain.includes('Conv2DBackpropFilter'), `dilation 1 ran ${plain}`);
    assert.ok(!plain.includes('Transpose') && !plain.includes('PadV2'), `dilation 1 should not split phases; ran ${plain}`);
    const dilated = kernelsOf(2);
    assert.ok(dilated.includes('Transpose') && dilated.includes('Conv2DBackpropFilter'), `dilation 2 ran ${dilated}`);
  });

  it('are registered by ready() on the cpu backend too (a fresh process that never loads wasm)', () => {
    const engine = path.join(__dirname, '..', 'lib', 'engine');
    const script = `
      const { tf, ready } = require(${JSON.stringify(engine)});
      ready({ backend: 'cpu', verbose: false }).then((info) => {
        const x = tf.ones([1, 5, 5, 1]);
        const w = tf.ones([2, 2, 1, 1]);
        const dx = tf.grad((z) => tf.conv2d(z, w, 1, 'valid', 'NHWC', 2).sum())(x);
        console.log(JSON.stringify({ backend: tf.getBackend(), dx: Array.from(dx.dataSync()) }));
      });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { backend: string; dx: number[] };
    assert.strictEqual(out.backend, 'cpu');
    // y[i,j] = x[i,j] + x[i,j+2] + x[i+2,j] + x[i+2,j+2] over i, j in 0..2: ∂Σy/∂x[r,c] = (#taps on row r)·(#taps on column c)
    const taps = [1, 1, 2, 1, 1];
    assert.deepStrictEqual(out.dx, taps.flatMap((a) => taps.map((b) => a * b)));
  });

  it('equal central finite differences on the cpu backend (conv, depthwise, fused with bias; same / valid / explicit padding)', async () => {
    const cases: Case[] = [
      { x: [2, 7, 6, 2], filter: [3, 2, 2, 3], dilations: [2, 3], pad: 'same', depthwise: false, bias: false, activation: 'linear' },
      { x: [1, 8, 7, 2], filter: [2, 3, 2, 2], dilations: [3, 2], pad: 'valid', depthwise: false, bias: false, activation: 'linear' },
      { x: [1, 6, 7, 3], filter: [2, 2, 3, 2], dilations: [2, 2], pad: [[0, 0], [1, 0], [2, 1], [0, 0]], depthwise: false, bias: false, activation: 'linear' },
      { x: [2, 7, 7, 2], filter: [3, 3, 2, 2], dilations: [2, 2], pad: 'same', depthwise: true, bias: false, activation: 'linear' },
      { x: [1, 8, 6, 3], filter: [2, 2, 3, 1], dilations: [3, 2], pad: 'valid', depthwise: true, bias: false, activation: 'linear' },
      { x: [1, 7, 7, 2], filter: [3, 3, 2, 3], dilations: [2, 2], pad: 'same', depthwise: false, bias: true, activation: 'linear' },
      { x: [1, 7, 6, 2], filter: [2, 3, 2, 2], dilations: [2, 2], pad: 'valid', depthwise: true, bias: true, activation: 'linear' },
    ];
    await onCpu(() => {
      const before = tf.memory().numTensors;
      cases.forEach((c, n) => {
        const { x, w, b, r } = inputs(c, 10 * n);
        const params = c.bias ? [x, w, b] : [x, w];
        const loss = (p: tf.Tensor[]) => tf.tidy(() => tf.sum(tf.mul(forward(c, p[0] as tf.Tensor4D, p[1] as tf.Tensor4D, p[2]), r)).dataSync()[0]);
        const analytic = tf.tidy(() => tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(forward(c, a[0] as tf.Tensor4D, a[1] as tf.Tensor4D, a[2]), r)))(params));
        // L is linear in each of x, w, b: a central difference with a large step has no truncation error
        const h = 0.25;
        params.forEach((p, k) => {
          const values = p.dataSync().slice();
          const got = analytic[k].dataSync();
          const fd = new Float64Array(values.length);
          for (let e = 0; e < values.length; e++) {
            const at = (v: number) => {
              const copy = values.slice();
              copy[e] = v;
              const t = tf.tensor(copy, p.shape);
              const l = loss(params.map((q, j) => (j === k ? t : q)));
              t.dispose();
              return l;
            };
            fd[e] = (at(values[e] + h) - at(values[e] - h)) / (2 * h);
          }
          const err = relativeError(got, fd);
          assert.ok(err <= 1e-4, `case ${n} ${JSON.stringify(c)}: ∂L/∂${['x', 'w', 'b'][k]} differs from finite differences by ${err.toExponential(2)}`);
        });
        tf.dispose([...params, r, ...analytic]);
        if (!c.bias) b.dispose();
      });
      assert.strictEqual(tf.memory().numTensors, before, 'tensors leaked');
    });
  });

  it('with NCHW data (cpu: the wasm backend has no NCHW convolution) equal the NHWC gradients transposed', async () => {
    await onCpu(() => {
      const before = tf.memory().numTensors;
      const err = tf.tidy(() => {
        const x = normal([2, 6, 7, 3], 1) as tf.Tensor4D;
        const w = normal([2, 3, 3, 4], 2) as tf.Tensor4D;
        const f = (format: 'NHWC' | 'NCHW') => (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same', format, [2, 3]).square().sum();
        const [gx, gw] = tf.grads(f('NCHW'))([tf.transpose(x, [0, 3, 1, 2]), w]);
        const [hx, hw] = tf.grads(f('NHWC'))([x, w]);
        return Math.max(relativeError(tf.transpose(gx, [0, 2, 3, 1]).dataSync(), hx.dataSync()), relativeError(gw.dataSync(), hw.dataSync()));
      });
      assert.ok(err <= 1e-5, `NCHW vs NHWC: ${err}`);
      assert.strictEqual(tf.memory().numTensors, before, 'tensors leaked');
    });
  });

  it(`on wasm match tfjs's dense-filter gradient on cpu on ${2 * CONFIGS} random configurations (dilation 2–3, kernel 2–3)`, async () => {
    const info = await ready({ verbose: false });
    const r = rng(31);
    for (let i = 0; i < 2 * CONFIGS; i++) {
      const c = randomCase(r, i);
      const before = tf.memory().numTensors;
      const got = gradients(c, i);
      const values = await got.data();
      got.dispose();
      assert.strictEqual(tf.memory().numTensors, before, `${JSON.stringify(c)}: tensors leaked on ${info.backend}`);
      const want = await onCpu(async () => {
        const t = referenceGradients(c, i);
        const v = await t.data();
        t.dispose();
        return v;
      });
      const err = relativeError(values, want);
      assert.ok(err <= TOLERANCE, `${JSON.stringify(c)}: relative error ${err.toExponential(2)} > ${TOLERANCE}`);
    }
  });

  it('make saliency and training work on a model with dilated conv2d and depthwiseConv2d layers', async () => {
    await ready({ verbose: false });
    const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });
    const model = tf.sequential({
      layers: [
        // tanh: differentiable everywhere, so finite differences are exact up to rounding; no fused
        // activation, so the layer takes tf.fused.conv2d's linear path (the one tfjs refused)
        tf.layers.conv2d({ inputShape: [9, 9, 2], filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'tanh', kernelInitializer: seeded(1), biasInitializer: tf.initializers.randomNormal({ seed: 4 }) }),
        tf.layers.depthwiseConv2d({ kernelSize: 2, dilationRate: 3, depthMultiplier: 2, activation: 'tanh', depthwiseInitializer: seeded(2) }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4, kernelInitializer: seeded(3) }),
      ],
    });
    const images = normal([2, 9, 9, 2], 7);
    const target = [1, 3];
    const before = tf.memory().numTensors;
    const a = saliency(model, images, { target, absolute: false });
    const got = a.values.dataSync().slice();
    a.dispose();
    assert.strictEqual(tf.memory().numTensors, before, 'saliency leaked tensors');

    // finite differences of the target logit, one input component at a time
    const x = images.dataSync().slice() as Float32Array;
    const per = x.length / 2;
    const logit = (values: Float32Array) =>
      tf.tidy(() => {
        const out = (model.predict(tf.tensor(values, images.shape)) as tf.Tensor).arraySync() as number[][];
        return out[0][target[0]] + out[1][target[1]];
      });
    const h = 1e-2;
    const fd = new Float64Array(x.length);
    for (let e = 0; e < x.length; e++) {
      const up = x.slice();
      const down = x.slice();
      up[e] += h;
      down[e] -= h;
      fd[e] = (logit(up) - logit(down)) / (2 * h);
    }
    const err = relativeError(got, fd);
    assert.ok(err <= 2e-3, `saliency differs from finite differences by ${err.toExponential(2)} (over ${per} components per image)`);
    assert.ok(Math.max(...fd.map(Math.abs)) > 1e-2, 'the check is not vacuous: the logits depend on the pixels');

    // one training step of the repo's train() (Adam, cross-entropy of softmax outputs, one batch of
    // 2): Adam's first step moves each weight by −lr·g/(|g| + ε) ≈ −lr·sign(g), so every kernel
    // weight must move by lr against the sign of its finite-difference gradient
    const classifier = tf.sequential({ layers: [...model.layers, tf.layers.softmax()] });
    const labels = tf.tensor1d(target, 'int32');
    const oneHot = tf.oneHot(labels, 4);
    const lossAt = () =>
      tf.tidy(() => {
        const p = classifier.predict(images) as tf.Tensor;
        return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(p, 1e-7, 1))), 1))).dataSync()[0];
      });
    const lr = 1e-2;
    const finiteDifferences = (layer: tf.layers.Layer) => {
      const weights = layer.getWeights();
      const w = weights[0].dataSync().slice() as Float32Array;
      const g = new Float64Array(w.length);
      const setAt = (e: number, v: number) => {
        const copy = w.slice();
        copy[e] = v;
        const t = tf.tensor(copy, weights[0].shape);
        layer.setWeights([t, ...weights.slice(1)]);
        t.dispose();
      };
      for (let e = 0; e < w.length; e++) {
        setAt(e, w[e] + h);
        const up = lossAt();
        setAt(e, w[e] - h);
        g[e] = (up - lossAt()) / (2 * h);
      }
      setAt(0, w[0]);
      return { w, g };
    };
    const layers = [model.layers[0], model.layers[1]];
    const initial = layers.map(finiteDifferences);
    const trainBefore = tf.memory().numTensors;
    const records = await train(classifier, images, labels, { epochs: 1, batchSize: 2, learningRate: lr, quiet: true, shuffle: false });
    assert.strictEqual(tf.memory().numTensors, trainBefore, 'train() left tensors behind');
    assert.ok(Number.isFinite(records[0].loss), `loss ${records[0].loss}`);
    layers.forEach((layer, k) => {
      const { w, g } = initial[k];
      const after = layer.getWeights()[0].dataSync();
      let checked = 0;
      for (let e = 0; e < w.length; e++) {
        if (Math.abs(g[e]) < 1e-3) continue;
        checked++;
        const step = after[e] - w[e];
        assert.ok(Math.abs(step + lr * Math.sign(g[e])) < 1e-3, `${layer.name} weight ${e}: Adam step ${step.toExponential(2)} but ∂loss/∂w ≈ ${g[e].toExponential(2)} (finite differences)`);
      }
      assert.ok(checked > w.length / 2, `${layer.name}: only ${checked} of ${w.length} weights have a gradient to check`);
    });
    oneHot.dispose();
    tf.dispose([labels, images]);
    model.dispose();
  });
});
