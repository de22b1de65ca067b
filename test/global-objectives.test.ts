import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { referenceCnn } from '../lib/models';
import {
  datasetExamples, examplePatches, receptiveField, affineSamplingMatrix, blur, channel, classScore, dftMatrices, direction, diversity, fftFrequencies, fitTo, fourier, inverseRealDft,
  l1, l2, neuron, objectiveRunner, type Objective, range, totalVariation,
} from '../lib/explain/global';

/** conv 1×1 with 2 channels: channel 0 = x, channel 1 = relu(−2x + 0.5); then dense 2 → 3 softmax with known weights. */
function handModel(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ name: 'conv', inputShape: [3, 3, 1], filters: 2, kernelSize: 1, activation: 'relu' }));
  m.add(tf.layers.globalAveragePooling2d({ name: 'gap' }));
  m.add(tf.layers.dense({ name: 'out', units: 3, activation: 'softmax' }));
  m.getLayer('conv').setWeights([tf.tensor4d([1, -2], [1, 1, 1, 2]), tf.tensor1d([0, 0.5])]);
  m.getLayer('out').setWeights([tf.tensor2d([[1, 0, -1], [0, 2, 1]]), tf.tensor1d([0.1, 0, -0.2])]);
  return m;
}

const X = [0.1, 0.2, 0.9, 0.4, 0.0, 0.3, 0.8, 0.5, 0.6];
const X2 = X.map((v) => 1 - v);

function valuesOf(model: tf.LayersModel, obj: Objective, images: tf.Tensor4D): number[] {
  const runner = objectiveRunner('test', model, obj, images.shape[0]);
  return tf.tidy(() => Array.from(runner.values(images, images).dataSync()));
}

function close(a: number[], b: number[], tol = 1e-5): void {
  assert.strictEqual(a.length, b.length, `length ${a.length} vs ${b.length}`);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `[${i}] ${v} vs ${b[i]}`));
}

describe('global objectives', () => {
  let model: tf.LayersModel;
  let images: tf.Tensor4D;
  before(() => {
    model = handModel();
    images = tf.keep(tf.tensor4d([...X, ...X2], [2, 3, 3, 1]));
  });
  after(() => images.dispose());

  const c0 = (x: number[]) => x.reduce((a, b) => a + b, 0);
  const c1 = (x: number[]) => x.reduce((a, v) => a + Math.max(0, -2 * v + 0.5), 0);
  const logits = (x: number[]) => {
    const [a, b] = [c0(x) / 9, c1(x) / 9];
    return [a + 0.1, 2 * b, -a + b - 0.2];
  };

  it('channel is the hand sum (or mean) of the feature map; one channel per image in a batch', () => {
    close(valuesOf(model, channel('conv', 0), images), [c0(X), c0(X2)]);
    close(valuesOf(model, channel('conv', 1), images), [c1(X), c1(X2)]);
    close(valuesOf(model, channel('conv', 1, { reduce: 'mean' }), images), [c1(X) / 9, c1(X2) / 9]);
    close(valuesOf(model, channel('conv', [1, 0]), images), [c1(X), c0(X2)]);
  });

  it('neuron reads one position (default the centre)', () => {
    close(valuesOf(model, neuron('conv', 0), images), [X[4], X2[4]]);
    close(valuesOf(model, neuron('conv', 1, { y: 0, x: 2 }), images), [Math.max(0, -2 * X[2] + 0.5), Math.max(0, -2 * X2[2] + 0.5)]);
  });

  it('classScore is the logit by default and the softmax probability on request', () => {
    close(valuesOf(model, classScore(2), images), [logits(X)[2], logits(X2)[2]]);
    const p = (x: number[], k: number) => Math.exp(logits(x)[k]) / logits(x).reduce((a, v) => a + Math.exp(v), 0);
    close(valuesOf(model, classScore([0, 1], { score: 'probability' }), images), [p(X, 0), p(X2, 1)]);
    close(valuesOf(model, classScore([2, 1], { score: 'logProbability' }), images), [Math.log(p(X, 2)), Math.log(p(X2, 1))]);
    assert.throws(() => classScore(1, { score: 'odds' as 'logit' }), /classScore: options\.score must be 'logit', 'probability' or 'logProbability'; got "odds"/);
    // the model's own softmax is restored afterwards
    const out = tf.tidy(() => Array.from((model.predict(images) as tf.Tensor).dataSync()));
    close([out[0] + out[1] + out[2]], [1]);
  });

  it('plus, minus and times compose per image; penalties have their known values', () => {
    const img = tf.tensor4d([0, 1, 2, 3], [1, 2, 2, 1]);
    const m = tf.sequential({ layers: [tf.layers.conv2d({ name: 'c', inputShape: [2, 2, 1], filters: 1, kernelSize: 1, kernelInitializer: 'ones', useBias: false })] });
    close(valuesOf(m, l1(1), img), [6]);
    close(valuesOf(m, l1(0.5, 1), img), [0.5 * (1 + 0 + 1 + 2)]);
    close(valuesOf(m, l2(2), img), [28]);
    close(valuesOf(m, totalVariation(1), img), [6]); // |2−0| + |3−1| + |1−0| + |3−2|
    close(valuesOf(m, channel('c', 0).minus(l1(0.5)), img), [6 - 3]);
    close(valuesOf(m, channel('c', 0).times(l2()).plus(1), img), [6 * 14 + 1]);
    close(valuesOf(m, channel('c', 0).times(3).neg(), img), [-18]);
    const flat = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    close(valuesOf(m, blur(1), flat), [0], 1e-6); // a constant image is its own blur (reflected borders)
    assert.strictEqual(channel('conv2', 5).minus(l1(0.05)).name, 'channel(conv2, 5) − 0.05·l1');
    tf.dispose([img, flat]);
  });

  it('direction is the mean cosine between v and the activation vectors; diversity is −Σ cos(Gram) / n', () => {
    const pos = tf.tensor4d([0.3, 0.6, 0.9, 0.4, 0.5, 0.3, 0.7, 0.8, 0.35], [1, 3, 3, 1]);
    // channels (x, relu(−2x + 0.5)); with all x ≥ 0.25 the second is 0: every vector is along (1, 0)
    close(valuesOf(model, direction('conv', [2, 0]), pos), [1]);
    close(valuesOf(model, direction('conv', [0, 1]), pos), [0]);
    const big = tf.ones([1, 5, 5, 1]) as tf.Tensor4D;
    const fitted = fitTo(big, 3, 3);
    assert.deepStrictEqual(fitted.shape, [1, 3, 3, 1]);
    tf.dispose([big, fitted]);
    const same = tf.tensor4d([...X, ...X], [2, 3, 3, 1]);
    close(valuesOf(model, diversity('conv'), same), [-0.5, -0.5]);
    tf.dispose([pos, same]);
  });

  it('a wrong layer lists the layers; a wrong channel or class names the range', () => {
    assert.throws(() => objectiveRunner('render', model, channel('conv9', 0), 1), /no layer 'conv9'; its layers are 'conv', 'gap', 'out'/);
    assert.throws(() => objectiveRunner('render', model, channel('conv', 2), 1), /channel must be in 0\.\.1 \(layer 'conv' has 2 channels\); got 2/);
    assert.throws(() => objectiveRunner('render', model, classScore(3), 1), /class must be in 0\.\.2 \(the model has 3 classes\); got 3/);
    assert.throws(() => objectiveRunner('render', model, channel('conv', range(2)), 3), /2 channels given \(one per image\) but the batch has 3/);
    assert.throws(() => neuron('conv', 0, { y: 7 }).check({ layers: ['conv'], shapeOf: () => [null, 3, 3, 2], classes: 3 }, 1), /options\.y must be in 0\.\.2/);
    assert.throws(() => l1(-1), /l1: weight must be a finite number ≥ 0; got -1/);
    assert.throws(() => channel('conv', 0).plus(NaN), /must be finite/);
  });

  it('inverse real DFT by matmul equals the direct double sum (numpy irfft2, ortho), odd and even sizes', () => {
    for (const [h, w] of [[5, 6], [7, 7], [28, 28]]) {
      const wr = Math.floor(w / 2) + 1;
      const re = tf.randomNormal([2, h, wr], 0, 1, 'float32', h) as tf.Tensor3D;
      const im = tf.randomNormal([2, h, wr], 0, 1, 'float32', w + 100) as tf.Tensor3D;
      const d = dftMatrices(h, w);
      const got = inverseRealDft(re, im, d);
      const [r, i, g] = [re.dataSync(), im.dataSync(), got.dataSync()];
      let worst = 0;
      for (let b = 0; b < 2; b++) for (let m = 0; m < h; m++) for (let n = 0; n < w; n++) {
        let s = 0;
        for (let k = 0; k < h; k++) for (let l = 0; l < wr; l++) {
          const c = l === 0 || (w % 2 === 0 && l === w / 2) ? 1 : 2;
          const a = 2 * Math.PI * ((k * m) / h + (l * n) / w);
          const o = (b * h + k) * wr + l;
          s += c * (r[o] * Math.cos(a) - i[o] * Math.sin(a));
        }
        worst = Math.max(worst, Math.abs(s / Math.sqrt(h * w) - g[(b * h + m) * w + n]));
      }
      assert.ok(worst < 1e-4, `${h}×${w}: max error ${worst}`);
      tf.dispose([re, im, got, d.cosH, d.sinH, d.cosW, d.sinW]);
    }
    assert.deepStrictEqual(fftFrequencies(4), [0, 0.25, -0.5, -0.25]);
  });

  it('fourier makes images in range without leaking; the sampling matrix is the identity at scale 1, 0°, and rotates 90° exactly', () => {
    const before = tf.memory().numTensors;
    const st = fourier().create([2, 28, 28, 1], 3);
    const img = tf.tidy(() => st.image());
    const v = img.dataSync();
    assert.deepStrictEqual(img.shape, [2, 28, 28, 1]);
    assert.ok(v.every((x) => x > 0 && x < 1));
    img.dispose();
    st.dispose();
    assert.strictEqual(tf.memory().numTensors, before);
    const id = affineSamplingMatrix(3, 3, 1, 0);
    for (let a = 0; a < 9; a++) for (let b = 0; b < 9; b++) assert.ok(Math.abs(id[a * 9 + b] - (a === b ? 1 : 0)) < 1e-6);
    const rot = affineSamplingMatrix(3, 3, 1, 90);
    // output (0, 0) reads input (2, 0): the top-left corner after a 90° turn comes from the bottom-left
    assert.ok(Math.abs(rot[(2 * 3 + 0) * 9 + 0] - 1) < 1e-6, `rot ${rot[(2 * 3) * 9]}`);
  });

  it('dataset examples rank images by the channel sum and by the class logit; receptive fields follow the conv/pool chain', () => {
    const before = tf.memory().numTensors;
    const three = tf.tensor4d([...X, ...X2, ...X.map((v) => v / 2)], [3, 3, 3, 1]);
    const ex = datasetExamples(model, three, { layer: 'conv', top: 2 });
    // channel 0 = x: Σ X2 = 9 − Σ X > Σ X > Σ X/2
    assert.deepStrictEqual(ex.indices[0], [1, 0]);
    close(ex.values[0], [c0(X2), c0(X)]);
    close(ex.values[1], [c1(X.map((v) => v / 2)), c1(X)].sort((a, b) => b - a));
    const byMax = datasetExamples(model, three, { layer: 'conv', top: 1, reduce: 'max' });
    assert.deepStrictEqual(byMax.positions[0][0], [Math.floor(X2.indexOf(Math.max(...X2)) / 3), X2.indexOf(Math.max(...X2)) % 3]);
    const cls = datasetExamples(model, three, { top: 3 });
    assert.strictEqual(cls.layer, 'class');
    close(cls.values[2], [logits(X), logits(X2), logits(X.map((v) => v / 2))].map((l) => l[2]).sort((a, b) => b - a));
    const cnn = referenceCnn({ seed: 1 });
    assert.deepStrictEqual(receptiveField(cnn, 'conv1'), { size: 3, jump: 1, start: 1 });
    assert.deepStrictEqual(receptiveField(cnn, 'conv2'), { size: 8, jump: 2, start: 1.5 });
    const digits = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const ex2 = datasetExamples(cnn, digits, { layer: 'conv2', top: 3 });
    const patches = examplePatches(cnn, digits, ex2, 5);
    assert.deepStrictEqual(patches.shape, [3, 8, 8, 1]);
    assert.throws(() => datasetExamples(cnn, digits, { layer: 'conv3', top: 2 }), /datasetExamples: the model has no layer 'conv3'/);
    assert.throws(() => datasetExamples(cnn, digits, { top: 5 }), /options\.top must be an integer in 1\.\.4/);
    tf.dispose([three, digits, patches]);
    cnn.dispose();
    assert.strictEqual(tf.memory().numTensors, before);
  });
});
