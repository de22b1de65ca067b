import * as assert from 'assert';
import { tf } from '../lib/engine';
import { attributionMassInBox, attributionMassInMask, boxMask, createAttribution } from '../lib/explain';

const close = (a: number, b: number, eps = 1e-6) => assert.ok(Math.abs(a - b) < eps, `${a} ≠ ${b}`);

describe('attributionMassInMask', () => {
  it('is Σ|a|·mask / Σ|a| per example, summing |a| over channels, with the mask area beside it', () => {
    const before = tf.memory().numTensors;
    // Example 0: |a| = 1 everywhere on a 2×2 image, mask covers 1 pixel → 1/4.
    // Example 1: all |a| (one channel +3, the other −1 → 4) on the masked pixel → 1.
    const a = tf.tensor4d([
      [[[1, 0], [0, -1]], [[0.5, -0.5], [1, 0]]],
      [[[3, -1], [0, 0]], [[0, 0], [0, 0]]],
    ]);
    const mask = tf.tensor4d([[[[1], [0]], [[0], [0]]], [[[1], [0]], [[0], [0]]]]);
    const m = attributionMassInMask(a, mask);
    close(m.perExample[0], 0.25);
    close(m.perExample[1], 1);
    close(m.mean, 0.625);
    assert.deepStrictEqual(m.area, [0.25, 0.25]);
    close(m.meanArea, 0.25);
    assert.strictEqual(m.zeroTotal, 0);
    tf.dispose([a, mask]);
    assert.strictEqual(tf.memory().numTensors, before);
  });

  it('takes an Attribution, a rank-3 attribution, and one shared mask [h, w] or [1, h, w, 1]', () => {
    const before = tf.memory().numTensors;
    const v = tf.tensor3d([[[1, 1], [2, 0]], [[0, 0], [0, 4]]]);
    const attribution = createAttribution({ method: 'saliency', values: v.clone(), target: [0, 0], explained: 'output', score: [0, 0].map(() => 1), options: {} });
    const shared = tf.tensor2d([[0, 0], [1, 1]]);
    const a = attributionMassInMask(attribution, shared);
    close(a.perExample[0], 0.5);
    close(a.perExample[1], 1);
    const shared4 = tf.tensor4d([[[[0], [0]], [[1], [1]]]]);
    assert.deepStrictEqual(attributionMassInMask(v, shared4).perExample, a.perExample);
    attribution.dispose();
    tf.dispose([v, shared, shared4]);
    assert.strictEqual(tf.memory().numTensors, before);
  });

  it('weighs pixels by a soft mask and reports an all-zero attribution as NaN, left out of the mean', () => {
    const a = tf.tensor3d([[[2, 2]], [[0, 0]]]);
    const soft = tf.tensor3d([[[0.5, 0]], [[1, 1]]]);
    const m = attributionMassInMask(a, soft);
    close(m.perExample[0], 0.25);
    assert.ok(Number.isNaN(m.perExample[1]));
    close(m.mean, 0.25);
    assert.strictEqual(m.zeroTotal, 1);
    tf.dispose([a, soft]);
  });

  it('rejects a mask of the wrong shape or with values outside [0, 1], naming it', () => {
    const before = tf.memory().numTensors;
    const a = tf.zeros([2, 4, 4, 3]);
    const wrong = tf.ones([2, 4, 5, 1]);
    const big = tf.fill([2, 4, 4, 1], 2);
    const three = tf.ones([3, 4, 4]);
    assert.throws(() => attributionMassInMask(a, wrong), /attributionMassInMask: mask must be \[n, 4, 4, 1\].*got shape \[2,4,5,1\]/);
    assert.throws(() => attributionMassInMask(a, three), /mask must be .*n = 2/);
    assert.throws(() => attributionMassInMask(a, big), /mask values must be in \[0, 1\].*\[2, 2\]/);
    const flat = tf.zeros([4]);
    assert.throws(() => attributionMassInMask(flat, wrong), /attribution must be \[n, height, width\]/);
    assert.throws(() => attributionMassInMask({} as never, wrong), /attribution must be an Attribution or a tf.Tensor/);
    tf.dispose([a, wrong, big, three, flat]);
    assert.strictEqual(tf.memory().numTensors, before);
  });
});

describe('concentration: share ÷ area share', () => {
  it('is 1 for a uniform map and 1/a for all the mass in a region of area a, per example and as the mean of the ratios', () => {
    const before = tf.memory().numTensors;
    // 4×4 images. Example 0: uniform |a| → share = area → concentration 1.
    // Example 1: all mass on the 2 masked pixels of 16 (area 1/8) → 8.
    // Example 2: mask of 4 pixels (area 1/4), half the mass inside → 0.5 / 0.25 = 2.
    const uniform = new Array(16).fill(-3);
    const inside = Array.from({ length: 16 }, (_, p) => (p < 2 ? 5 : 0));
    const half = Array.from({ length: 16 }, (_, p) => (p < 4 ? 3 : 1));
    const a = tf.tensor3d([...uniform, ...inside, ...half], [3, 4, 4]);
    const maskRows = [
      Array.from({ length: 16 }, (_, p) => (p >= 10 ? 1 : 0)),
      Array.from({ length: 16 }, (_, p) => (p < 2 ? 1 : 0)),
      Array.from({ length: 16 }, (_, p) => (p < 4 ? 1 : 0)),
    ];
    const mask = tf.tensor3d(maskRows.flat(), [3, 4, 4]);
    const m = attributionMassInMask(a, mask);
    close(m.concentration[0], 1);
    close(m.concentration[1], 8);
    close(m.concentration[2], 2, 1e-5);
    close(m.meanConcentration, (1 + 8 + 2) / 3, 1e-5);
    // the mean of the ratios, not the ratio of the means
    assert.ok(Math.abs(m.meanConcentration - m.mean / m.meanArea) > 0.5);
    tf.dispose([a, mask]);
    assert.strictEqual(tf.memory().numTensors, before);
  });

  it('leaves NaN ratios (all-zero attribution, empty region) out of the mean', () => {
    const a = tf.tensor3d([[[1, 1]], [[0, 0]], [[2, 0]]]);
    const mask = tf.tensor3d([[[1, 0]], [[1, 0]], [[0, 0]]]);
    const m = attributionMassInMask(a, mask);
    close(m.concentration[0], 1);
    assert.ok(Number.isNaN(m.concentration[1]), 'all-zero attribution');
    assert.ok(Number.isNaN(m.concentration[2]), 'empty region');
    close(m.meanConcentration, 1);
    tf.dispose([a, mask]);
  });

  it('in a box: a uniform map scores 1, a map inside a 2×2 box of an 8×8 image scores 16', () => {
    const before = tf.memory().numTensors;
    const a = tf.tidy(() => tf.stack([tf.ones([8, 8]), tf.pad(tf.ones([2, 2]), [[5, 1], [0, 6]])]));
    const m = attributionMassInBox(a, { x: 0, y: 5, width: 2, height: 2 });
    close(m.concentration[0], 1);
    close(m.concentration[1], 16);
    close(m.meanConcentration, 8.5);
    a.dispose();
    assert.strictEqual(tf.memory().numTensors, before);
  });
});

describe('boxMask and attributionMassInBox', () => {
  it('draws boxes clipped to the image, null for none', () => {
    const m = boxMask(4, 5, [{ x: 3, y: 2, width: 4, height: 9 }, null]);
    assert.deepStrictEqual(m.shape, [2, 4, 5, 1]);
    const d = m.dataSync();
    const ones = Array.from(d.slice(0, 20)).map((v, p) => (v ? p : -1)).filter((p) => p >= 0);
    assert.deepStrictEqual(ones, [13, 14, 18, 19]);
    assert.strictEqual(Array.from(d.slice(20)).reduce((s, v) => s + v, 0), 0);
    m.dispose();
    assert.throws(() => boxMask(4, 4, [{ x: 0, y: 0, width: -1, height: 1 }]), /boxes\[0\] must be \{ x, y, width, height \}/);
  });

  it('measures the mass inside one box for all, or one box per example', () => {
    const before = tf.memory().numTensors;
    const a = tf.tensor4d([
      [[[4], [0]], [[0], [4]]],
      [[[1], [1]], [[1], [1]]],
    ]);
    const one = attributionMassInBox(a, { x: 0, y: 0, width: 1, height: 1 });
    close(one.perExample[0], 0.5);
    close(one.perExample[1], 0.25);
    const each = attributionMassInBox(a, [
      { x: 1, y: 1, width: 1, height: 1 },
      { x: 0, y: 0, width: 2, height: 1 },
    ]);
    close(each.perExample[0], 0.5);
    close(each.perExample[1], 0.5);
    assert.throws(() => attributionMassInBox(a, [{ x: 0, y: 0, width: 1, height: 1 }, { x: 0, y: 0, width: 1, height: 1 }, { x: 0, y: 0, width: 1, height: 1 }]), /box must be one .* or an array of 2/);
    // every error names attributionMassInBox, not the helpers it calls
    assert.throws(() => attributionMassInBox(a, { x: 0, y: 0, width: -2, height: 1 }), /^Error: attributionMassInBox: box\[0\] must be \{ x, y, width, height \}/);
    const flat = tf.zeros([4]);
    assert.throws(() => attributionMassInBox(flat, { x: 0, y: 0, width: 1, height: 1 }), /^Error: attributionMassInBox: attribution must be \[n, height, width\]/);
    flat.dispose();
    assert.throws(() => attributionMassInBox(a, [{ x: 0, y: 0, width: 1, height: 1 }, { x: 0, y: 0, width: 1, height: NaN }]), /^Error: attributionMassInBox: box\[1\]/);
    a.dispose();
    assert.strictEqual(tf.memory().numTensors, before);
  });
});
