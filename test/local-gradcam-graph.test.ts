import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { gradCam } from '../lib/explain';
import { assertClose, explainWithoutLeak } from './local-fixtures';

type Sym = tf.SymbolicTensor;
const apply = (l: tf.layers.Layer, x: Sym | Sym[]) => l.apply(x) as Sym;

/** Grad-CAM from its definition: α = mean_ij ∂y/∂A, Σₖ αₖ Aᵏ (no relu), given A and y(A) as plain ops. */
function camFromDefinition(a: tf.Tensor, score: (z: tf.Tensor) => tf.Scalar): number[] {
  return tf.tidy(() => {
    const g = tf.grad(score)(a);
    return Array.from(tf.sum(tf.mul(g.mean([1, 2], true), a), -1, true).dataSync());
  });
}

/**
 * The references are built from the softmax output, so these tests explain the probability (`explain: 'probability'`).
 * x [n,4,4,1] → A = conv 1×1 (2 filters) → r = relu(A) → B = conv 1×1 of r → add(B, r) → global average pool → dense softmax.
 * Both conv layers and the dense layer have known weights, so y(A) and y(B) can be written with tensor ops.
 */
function skipModel() {
  const wa = [0.8, -0.6];
  const ba = [0.1, 0.3];
  const wb = [
    [0.5, -0.4],
    [0.7, 0.2],
  ];
  const wd = [
    [1.2, -0.3, 0.4],
    [-0.8, 0.9, 0.1],
  ];
  const bd = [0.05, -0.1, 0.2];
  const input = tf.input({ shape: [4, 4, 1] });
  const a = apply(tf.layers.conv2d({ name: 'A', filters: 2, kernelSize: 1, weights: [tf.tensor4d(wa, [1, 1, 1, 2]), tf.tensor1d(ba)] }), input);
  const r = apply(tf.layers.reLU({ name: 'r' }), a);
  const b = apply(tf.layers.conv2d({ name: 'B', filters: 2, kernelSize: 1, useBias: false, weights: [tf.tensor4d(wb.flat(), [1, 1, 2, 2])] }), r);
  const sum = apply(tf.layers.add({ name: 'skip' }), [b, r]);
  const pooled = apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), sum);
  const out = apply(tf.layers.dense({ name: 'scores', units: 3, activation: 'softmax', weights: [tf.tensor2d(wd), tf.tensor1d(bd)] }), pooled);
  const model = tf.model({ inputs: input, outputs: out });
  /** The same model as tensor ops: A(x), B(relu(A)), and the softmax scores from (B, relu(A)). */
  const ops = {
    a: (x: tf.Tensor) => tf.add(tf.mul(x, tf.tensor1d(wa)), tf.tensor1d(ba)),
    b: (r: tf.Tensor) => tf.conv2d(r as tf.Tensor4D, tf.tensor4d(wb.flat(), [1, 1, 2, 2]), 1, 'valid'),
    scores: (b: tf.Tensor, r: tf.Tensor) => tf.softmax(tf.add(tf.matMul(tf.add(b, r).mean([1, 2]) as tf.Tensor2D, tf.tensor2d(wd)), tf.tensor1d(bd))),
  };
  return { model, ops };
}

/** Score of class t[i] in row i, summed over rows. */
function pick(scores: tf.Tensor, t: number[]): tf.Scalar {
  return tf.sum(tf.mul(scores, tf.oneHot(tf.tensor1d(t, 'int32'), scores.shape[1] as number))) as tf.Scalar;
}

/**
 * Inception/ResNet-style graph: stem conv → three branches (1×1 conv, 3×3 conv, 3×3 max pool) → concatenate →
 * 1×1 conv 'mix' → add(mix, stem) → conv 'head' → global average pool → dense softmax. Seeded weights.
 */
function branchyModel() {
  let seed = 11;
  const conv = (name: string, filters: number, kernelSize: number) =>
    tf.layers.conv2d({ name, filters, kernelSize, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }), biasInitializer: 'zeros' });
  const layers = {
    stem: conv('stem', 4, 3),
    b1: conv('b1', 2, 1),
    b2: conv('b2', 2, 3),
    pool: tf.layers.maxPooling2d({ name: 'pool', poolSize: 3, strides: 1, padding: 'same' }),
    cat: tf.layers.concatenate({ name: 'cat' }),
    mix: conv('mix', 4, 1),
    res: tf.layers.add({ name: 'res' }),
    head: conv('head', 3, 3),
    gap: tf.layers.globalAveragePooling2d({ name: 'gap' }),
    dense: tf.layers.dense({ name: 'scores', units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }) }),
  };
  /** Everything after the stem, applied to `s` (the stem's output). */
  const afterStem = (s: Sym) => {
    const cat = apply(layers.cat, [apply(layers.b1, s), apply(layers.b2, s), apply(layers.pool, s)]);
    return apply(layers.dense, apply(layers.gap, apply(layers.head, apply(layers.res, [apply(layers.mix, cat), s]))));
  };
  const input = tf.input({ shape: [8, 8, 1] });
  const model = tf.model({ inputs: input, outputs: afterStem(apply(layers.stem, input)) });
  return { model, layers, afterStem };
}

describe('gradCam on graphs of layers (branches, skip connections)', () => {
  it('on a skip connection equals Σₖ αₖ Aᵏ from the model written as tensor ops, at a layer before and inside the skip', () => {
    const { model, ops } = skipModel();
    const x = tf.randomUniform([3, 4, 4, 1], -1, 1, 'float32', 5);
    const t = [0, 1, 2];
    const [byOps, atA, atB] = tf.tidy(() => {
      const a = ops.a(x);
      const r = tf.relu(a);
      return [
        Array.from(ops.scores(ops.b(r), r).dataSync()),
        camFromDefinition(a, (z) => pick(ops.scores(ops.b(tf.relu(z)), tf.relu(z)), t)),
        // B's gradient flows only through the add; the path r that bypasses B is held fixed.
        camFromDefinition(ops.b(r), (z) => pick(ops.scores(z, r), t)),
      ];
    });
    const predicted = tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync()));
    assertClose(predicted, byOps, 1e-5, 'the tensor-op model reproduces model.predict');
    assert.ok(atA.some((v) => v > 1e-4) && atA.some((v) => v < -1e-4), 'the reference map has both signs (relu: false is tested)');
    explainWithoutLeak(
      () => gradCam(model, x, { target: t, layer: 'A', relu: false, upsample: false, explain: 'probability' }),
      (a) => {
        assert.deepStrictEqual(a.values.shape, [3, 4, 4, 1]);
        assertClose(a.values.dataSync(), atA, 1e-5, 'Grad-CAM at A');
      },
    );
    explainWithoutLeak(
      () => gradCam(model, x, { target: t, layer: 'B', relu: false, upsample: false, explain: 'probability' }),
      (a) => assertClose(a.values.dataSync(), atB, 1e-5, 'Grad-CAM at B'),
    );
    explainWithoutLeak(
      () => gradCam(model, x, { target: t, layer: 'A', upsample: false, explain: 'probability' }),
      (a) => assertClose(a.values.dataSync(), atA.map((v) => Math.max(0, v)), 1e-5, 'Grad-CAM at A with relu'),
    );
    x.dispose();
  });

  it('on a multi-branch model matches a sub-model built from the same layers, at every layer with feature maps, without leaking tensors', () => {
    const { model, layers, afterStem } = branchyModel();
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 3);
    const t = [2, 0];
    const ours = (layer?: string) => {
      let v: number[] = [];
      explainWithoutLeak(
        () => gradCam(model, x, { target: t, layer, relu: false, upsample: false, explain: 'probability' }),
        (a) => {
          assert.deepStrictEqual(a.values.shape.slice(0, 3), [2, 8, 8]);
          v = Array.from(a.values.dataSync());
          assert.ok(v.every(Number.isFinite) && v.some((e) => e !== 0), `Grad-CAM at ${a.extras.layer} is finite and not all zero`);
        },
      );
      return v;
    };
    const before = { stem: ours('stem'), b2: ours('b2'), mix: ours('mix'), head: ours() };
    // Default layer: the last conv layer, 'head'. Reference: A from a sub-model input → head, then gap → dense on A.
    const upToHead = tf.model({ inputs: model.inputs, outputs: layers.head.output as Sym });
    const refHead = tf.tidy(() => camFromDefinition(upToHead.predict(x) as tf.Tensor, (z) => pick(layers.dense.apply(layers.gap.apply(z)) as tf.Tensor, t)));
    assertClose(before.head, refHead, 1e-5, 'Grad-CAM at head (default layer)');
    // Reference at the stem: a second model from a fresh input of the stem's shape through the same (now shared) layers.
    const stemIn = tf.input({ shape: [8, 8, 4] });
    const fromStem = tf.model({ inputs: stemIn, outputs: afterStem(stemIn) });
    const upToStem = tf.model({ inputs: model.inputs, outputs: layers.stem.output as Sym });
    const refStem = tf.tidy(() => camFromDefinition(upToStem.predict(x) as tf.Tensor, (z) => pick(fromStem.apply(z) as tf.Tensor, t)));
    assertClose(before.stem, refStem, 1e-5, 'Grad-CAM at stem');
    // The layers now have two calls each (two models); gradCam still reads the calls of `model`.
    assertClose(ours('stem'), before.stem, 0, 'stem after sharing');
    assertClose(ours('b2'), before.b2, 0, 'b2 after sharing');
    assertClose(ours('mix'), before.mix, 0, 'mix after sharing');
    x.dispose();
  });

  it('refuses models with several inputs or outputs, and a layer applied more than once, naming them', () => {
    const x = tf.zeros([1, 4, 4, 1]);
    const in1 = tf.input({ shape: [4, 4, 1], name: 'left' });
    const in2 = tf.input({ shape: [4, 4, 1], name: 'right' });
    const conv = tf.layers.conv2d({ name: 'c', filters: 2, kernelSize: 1 });
    const gap = tf.layers.globalAveragePooling2d({});
    const twoIn = tf.model({ inputs: [in1, in2], outputs: apply(tf.layers.dense({ units: 2 }), apply(gap, apply(conv, apply(tf.layers.concatenate({}), [in1, in2])))) });
    assert.throws(() => gradCam(twoIn, x, { layer: 'c' }), /gradCam: model must have exactly one input .*; it has 2 inputs: left/);
    const in3 = tf.input({ shape: [4, 4, 1] });
    const pooled = apply(tf.layers.globalAveragePooling2d({}), apply(tf.layers.conv2d({ name: 'c2', filters: 2, kernelSize: 1 }), in3));
    const twoOut = tf.model({ inputs: in3, outputs: [apply(tf.layers.dense({ units: 2 }), pooled), apply(tf.layers.dense({ units: 3 }), pooled)] });
    assert.throws(() => gradCam(twoOut, x, { layer: 'c2' }), /gradCam: model must have exactly one output .*; it has 2 outputs/);
    const in4 = tf.input({ shape: [4, 4, 1] });
    const shared = tf.layers.conv2d({ name: 'shared', filters: 1, kernelSize: 1 });
    const twice = apply(shared, apply(shared, in4));
    const sharedModel = tf.model({ inputs: in4, outputs: apply(tf.layers.dense({ units: 2 }), apply(tf.layers.globalAveragePooling2d({}), twice)) });
    assert.throws(() => gradCam(sharedModel, x, { layer: 'shared' }), /gradCam: options\.layer 'shared' is applied 2 times in the model/);
    x.dispose();
  });
});
