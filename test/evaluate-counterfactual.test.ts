import * as assert from 'assert';
import { tf } from '../lib/engine';
import { counterfactualImages, counterfactualSwap, regionOcclusion, swapDonors } from '../lib/explain';
import { assertClose, assertNoLeak } from './local-fixtures';

/**
 * 8×8 grey images: class 0 = object 0.3 on a black background, class 1 = object 0.7 on white. The
 * object (its mask) always lies inside the central 4×4, so the 2-pixel ring at the border is always
 * background and the central 2×2 always object.
 */
const S = 8;
const ring = (y: number, x: number) => y < 2 || y >= 6 || x < 2 || x >= 6;
const centre = (y: number, x: number) => y >= 3 && y < 5 && x >= 3 && x < 5;
const square = (r: number) => (y: number, x: number) => y >= 4 - r && y < 4 + r && x >= 4 - r && x < 4 + r;

function picture(inside: (y: number, x: number) => boolean, object: number, background: (y: number, x: number) => number): number[] {
  const out: number[] = [];
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) out.push(inside(y, x) ? object : background(y, x));
  return out;
}

/** Four images (classes 0, 0, 1, 1) with masks of half-size 1, 2, 2, 1, and the data object. */
function fourImages() {
  const halves = [1, 2, 2, 1];
  const classes = [0, 0, 1, 1];
  const images = tf.tensor4d(halves.flatMap((r, i) => picture(square(r), classes[i] ? 0.7 : 0.3, () => (classes[i] ? 1 : 0))), [4, S, S, 1]);
  const masks = tf.tensor4d(halves.flatMap((r) => picture(square(r), 1, () => 0)), [4, S, S, 1]);
  return { images, masks, classes };
}

/** Logits [−s, s] with s = mean of the pixels selected by `where` − 0.5: reads only that part. */
function reader(where: (y: number, x: number) => boolean): (x: tf.Tensor) => tf.Tensor {
  const w = tf.keep(tf.tensor2d(picture(where, 1, () => 0).map((v) => [v]), [S * S, 1]));
  const count = picture(where, 1, () => 0).reduce((a, b) => a + b, 0);
  return (x) => tf.tidy(() => {
    const s = x.reshape([x.shape[0], -1]).matMul(w).div(count).sub(0.5);
    return tf.concat([s.neg(), s], 1);
  });
}
const backgroundReader = reader(ring);
const objectReader = reader(centre);

describe('swapDonors', () => {
  it('pairs the k-th image of a class with the k-th of another class, or the next of its own for the control', () => {
    assert.deepStrictEqual(swapDonors([0, 0, 1, 1]), [2, 3, 0, 1]);
    assert.deepStrictEqual(swapDonors([0, 1, 0, 1, 0]), [1, 0, 3, 2, 1]);
    assert.deepStrictEqual(swapDonors([0, 0, 1, 1], 'same'), [1, 0, 3, 2]);
    assert.throws(() => swapDonors([0, 0, 0]), /swapDonors: donorClass 'other' needs images of at least two classes/);
    assert.throws(() => swapDonors([0, 1, 1], 'same'), /class 0 has one/);
  });
});

describe('counterfactualImages', () => {
  it('puts the object on the donor background, the donor object painted over with its background mean', () => {
    const { images, masks, classes } = fourImages();
    // donor of image 0 (small object 0.3 on black) is image 2 (large object 0.7 on white): all white but the small square.
    assertNoLeak(() => {
      const bg = counterfactualImages({ images, masks, classes }, { swap: 'background' });
      assertClose(bg.dataSync().slice(0, S * S), picture(square(1), 0.3, () => 1), 1e-6, 'background swap of image 0');
      // foreground: image 0's black background with image 2's large object 0.7
      const fg = counterfactualImages({ images, masks, classes }, { swap: 'foreground' });
      assertClose(fg.dataSync().slice(0, S * S), picture(square(2), 0.7, () => 0), 1e-6, 'foreground swap of image 0');
      tf.dispose([bg, fg]);
    });
    // A textured donor: left half 1, right half 0.5 → its object is painted with the mean over its background.
    const donor = tf.tensor4d(picture(square(2), 0.9, (_, x) => (x < 4 ? 1 : 0.5)), [1, S, S, 1]);
    const bgMean = (() => {
      let sum = 0;
      let n = 0;
      for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) if (!square(2)(y, x)) { sum += x < 4 ? 1 : 0.5; n++; }
      return sum / n;
    })();
    const x2 = tf.concat([images.slice(0, 1), donor]);
    const m2 = tf.concat([masks.slice(0, 1), masks.slice(1, 1)]);
    const out = counterfactualImages({ images: x2, masks: m2, classes: [0, 1] }, { swap: 'background' });
    const expected = picture(square(1), 0.3, (y, x) => (square(2)(y, x) ? bgMean : x < 4 ? 1 : 0.5));
    assertClose(out.dataSync().slice(0, S * S), expected, 1e-6, 'textured donor');
    tf.dispose([images, masks, donor, x2, m2, out]);
  });
});

describe('counterfactualSwap', () => {
  it('a model reading only the background flips on every background swap and on no object swap', () => {
    const data = fourImages();
    const [bg, fg, control] = assertNoLeak(() => [
      counterfactualSwap(backgroundReader, data, { swap: 'background' }),
      counterfactualSwap(backgroundReader, data, { swap: 'foreground' }),
      counterfactualSwap(backgroundReader, data, { swap: 'background', donorClass: 'same' }),
    ]);
    assert.deepStrictEqual(bg.predictedBefore, [0, 0, 1, 1]);
    assert.deepStrictEqual(bg.predictedAfter, [1, 1, 0, 0]);
    assert.strictEqual(bg.flipRate, 1);
    assert.deepStrictEqual(bg.flipRateByClass, [1, 1]);
    assert.strictEqual(bg.followDonorRate, 1);
    assert.strictEqual(fg.flipRate, 0);
    assert.strictEqual(control.flipRate, 0);
    // logits before/after: ring mean 0 → s = −0.5 → [0.5, −0.5]; on white → [−0.5, 0.5]
    assertClose(bg.scoresBefore[0], [0.5, -0.5], 1e-6, 'before');
    assertClose(bg.scoresAfter[0], [-0.5, 0.5], 1e-6, 'after');
    assert.strictEqual(bg.explained, 'output');
    tf.dispose([data.images, data.masks]);
  });

  it('a model reading only the object flips on every object swap and on no background swap', () => {
    const data = fourImages();
    const bg = counterfactualSwap(objectReader, data, { swap: 'background' });
    const fg = counterfactualSwap(objectReader, data, { swap: 'foreground', batchSize: 3 });
    assert.strictEqual(bg.flipRate, 0);
    assert.strictEqual(fg.flipRate, 1);
    assert.deepStrictEqual(fg.flipped, [true, true, true, true]);
    assertClose(fg.scoresBefore[0], [0.2, -0.2], 1e-6, 'object 0.3: s = −0.2');
    assertClose(fg.scoresAfter[0], [-0.2, 0.2], 1e-6, 'object 0.7: s = 0.2');
    tf.dispose([data.images, data.masks]);
  });

  it('reports flips per class (NaN for a class with no image) and reads logits of a softmax LayersModel', () => {
    const data = fourImages();
    // Classes 0, 0, 2, 2 (no class 1); image 3 is put on black. Donors [2, 2, 0, 1]: images 0 and 1 move
    // onto white (both flip), image 2 onto black (flips), image 3 from black onto black (does not).
    const mixed = tf.tidy(() => tf.concat([data.images.slice(0, 3), data.images.slice(3, 1).mul(data.masks.slice(3, 1))]));
    const r = counterfactualSwap(backgroundReader, { images: mixed, masks: data.masks, classes: [0, 0, 2, 2] }, { swap: 'background', donors: [2, 2, 0, 1] });
    assert.deepStrictEqual(r.flipped, [true, true, true, false]);
    assert.strictEqual(r.flipRateByClass[0], 1);
    assert.ok(Number.isNaN(r.flipRateByClass[1]));
    assert.strictEqual(r.flipRateByClass[2], 0.5);
    assert.strictEqual(r.flipRate, 0.75);
    assert.deepStrictEqual(r.donors, [2, 2, 0, 1]);
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [S, S, 1] }), tf.layers.dense({ units: 2, activation: 'softmax', useBias: false, kernelInitializer: 'ones' })] });
    const s = counterfactualSwap(model, data, { swap: 'background' });
    assert.strictEqual(s.explained, 'logit');
    const sum = data.images.slice(0, 1).sum().dataSync()[0];
    assertClose(s.scoresBefore[0], [sum, sum], 1e-4, 'logits = Σx, not probabilities 0.5');
    model.dispose();
    tf.dispose([data.images, data.masks, mixed]);
  });

  it('rejects malformed data and options, naming them', () => {
    const data = fourImages();
    const before = tf.memory().numTensors;
    const wrong = tf.ones([4, S, S + 1, 1]);
    const big = tf.fill([4, S, S, 1], 2);
    assert.throws(() => counterfactualSwap(backgroundReader, data, { swap: 'both' as never }), /counterfactualSwap: options.swap must be one of background, foreground; got "both"/);
    assert.throws(() => counterfactualSwap(backgroundReader, { ...data, masks: wrong }, { swap: 'background' }), /counterfactualSwap: data.masks must be a tf.Tensor \[4, 8, 8, 1\].*got shape \[4,8,9,1\]/);
    assert.throws(() => counterfactualSwap(backgroundReader, { ...data, masks: big }, { swap: 'background' }), /data.masks values must be in \[0, 1\]/);
    assert.throws(() => counterfactualSwap(backgroundReader, { ...data, classes: [0, 1] }, { swap: 'background' }), /data.classes must hold one class per image \(4\); got 2/);
    assert.throws(() => counterfactualSwap(backgroundReader, data, { swap: 'background', donors: [0, 1, 2, 4] }), /options.donors\[3\] must be an image index in 0..3; got 4/);
    assert.throws(() => counterfactualSwap(backgroundReader, { ...data, classes: [0, 1, 1, 1] }, { swap: 'foreground', donorClass: 'same' }), /^Error: counterfactualSwap: donorClass 'same' needs at least two images/);
    assert.throws(() => counterfactualImages({ ...data, images: tf.zeros([4, 8]) as never }, { swap: 'background' }), /counterfactualImages: data.images must be a tf.Tensor \[n, height, width, channels\]/);
    tf.dispose([wrong, big]);
    assert.ok(tf.memory().numTensors <= before + 1); // the rank-2 zeros above
    tf.dispose([data.images, data.masks]);
  });
});

describe('regionOcclusion', () => {
  /** F = Σ 2·x inside the central 2×2 + Σ 1·x elsewhere; logits [F, −F]. */
  const weighted = (() => {
    const w = tf.keep(tf.tensor2d(picture(centre, 2, () => 1).map((v) => [v]), [S * S, 1]));
    return (x: tf.Tensor) => tf.tidy(() => {
      const f = x.reshape([x.shape[0], -1]).matMul(w);
      return tf.concat([f, f.neg()], 1);
    });
  })();

  it('measures the drop per covered pixel inside and outside the mask (known answer on a linear model)', () => {
    const images = tf.ones([2, S, S, 1]);
    const masks = tf.tensor4d([...picture(centre, 1, () => 0), ...picture(square(2), 1, () => 0)], [2, S, S, 1]);
    const r = assertNoLeak(() => regionOcclusion(weighted, images, masks, { fill: 0 }));
    assert.deepStrictEqual(r.target, [0, 0]);
    assertClose(r.score, [68, 68], 1e-4, 'F(x) = 2·4 + 60');
    // image 0: inside = the 4 weight-2 pixels: drop 8, 2 per pixel; outside: 60 pixels, 1 each.
    // image 1: inside = 16 pixels (4 of weight 2): drop 20, 1.25 per pixel; outside 48, 1 per pixel.
    assertClose(r.inside.drop, [8, 20], 1e-4, 'inside drop');
    assertClose(r.inside.dropPerPixel, [2, 1.25], 1e-5, 'inside per pixel');
    assertClose(r.outside.dropPerPixel, [1, 1], 1e-5, 'outside per pixel');
    assertClose(r.inside.area, [4 / 64, 16 / 64], 1e-9, 'area');
    assertClose([r.ratio], [1.625], 1e-5, 'ratio of the mean per-pixel drops');
    // a fill of 0.5 halves each drop; 'mean' of an all-ones image is 1: no drop at all
    const half = regionOcclusion(weighted, images, masks, { fill: 0.5 });
    assertClose(half.inside.dropPerPixel, [1, 0.625], 1e-5, 'fill 0.5');
    const same = regionOcclusion(weighted, images, masks, { fill: 'mean' });
    assertClose([...same.inside.drop, ...same.outside.drop], [0, 0, 0, 0], 1e-4, "fill 'mean'");
    tf.dispose([images, masks]);
  });

  it('reads the logit of a softmax LayersModel and rejects bad masks and fills, naming them', () => {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [S, S, 1] }), tf.layers.dense({ units: 2, activation: 'softmax', useBias: false, kernelInitializer: 'ones' })] });
    const images = tf.ones([1, S, S, 1]);
    const masks = tf.tensor3d(picture(centre, 1, () => 0), [1, S, S]);
    const r = regionOcclusion(model, images, masks, { fill: 0, target: 1 });
    assert.strictEqual(r.explained, 'logit');
    assertClose(r.inside.drop, [4], 1e-4, 'a probability would not move (0.5 → 0.5); the logit drops by 4');
    const wrong = tf.ones([1, S, S, 3]);
    assert.throws(() => regionOcclusion(model, images, wrong), /regionOcclusion: masks must be a tf.Tensor \[1, 8, 8, 1\].*got shape \[1,8,8,3\]/);
    assert.throws(() => regionOcclusion(model, images, masks, { fill: 'blur' as never }), /regionOcclusion: options.fill must be a finite number or 'mean'; got "blur"/);
    const neg = tf.fill([1, S, S], -1);
    assert.throws(() => regionOcclusion(model, images, neg), /regionOcclusion: masks values must be in \[0, 1\]/);
    tf.dispose([images, masks, wrong, neg]);
    model.dispose();
  });
});
