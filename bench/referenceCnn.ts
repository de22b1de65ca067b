/**
 * The three workloads of `bench/reference/reference_cnn.py` (PyTorch on the CPU), with the same
 * model, data, sizes and repetitions, so that `npm run bench` can be read as ratios against it:
 *
 *   cnn-train    : train() for 2 epochs, batch 64, Adam 1e-3, on 2000 digits (the first 200 of
 *                  each class, in class order), from a freshly built reference CNN
 *   ig-50x20     : Integrated Gradients, 50 steps from a black baseline, one image, softmax score
 *                  of class 3, repeated 20 times (untrained model, as in the reference)
 *   predict-2560 : 10 forward passes of a batch of 256 random images
 *
 * Each is timed best of 3. The model is built inside the timed region for cnn-train, as the
 * reference does. All three run the library's own code: `train()` (quiet), `integratedGradients`
 * (which also returns the completeness check the reference does not compute) and `predict`.
 */
import { tf } from '../lib/engine/tf';
import { mnistDigitsByClass } from '../lib/data';
import { referenceCnn, train } from '../lib/models';
import { integratedGradients } from '../lib/explain/local/integratedGradients';
import type { Workload } from './workload';

const PER_CLASS = 200;

let digits: { images: tf.Tensor4D; labels: tf.Tensor1D } | undefined;

/** The first 200 digits of each class, class after class (like the reference's 0.json … 9.json). */
function referenceDigits(): { images: tf.Tensor4D; labels: tf.Tensor1D } {
  if (!digits) {
    const cls = mnistDigitsByClass();
    const x = new Float32Array(10 * PER_CLASS * 784);
    const y = new Int32Array(10 * PER_CLASS);
    cls.forEach((a, d) => {
      x.set(a.subarray(0, PER_CLASS * 784), d * PER_CLASS * 784);
      y.fill(d, d * PER_CLASS, (d + 1) * PER_CLASS);
    });
    digits = { images: tf.tensor4d(x, [10 * PER_CLASS, 28, 28, 1]), labels: tf.tensor1d(y, 'int32') };
  }
  return digits;
}

let untrained: tf.LayersModel | undefined;
function model(): tf.LayersModel {
  untrained ??= referenceCnn({ seed: 0 });
  return untrained;
}

let lastAccuracy = NaN;
let big: tf.Tensor4D | undefined;

/** cnn-train, ig-50x20, predict-2560. */
export const referenceWorkloads: Workload[] = [
  {
    name: 'cnn-train',
    setup: referenceDigits,
    async run() {
      const { images, labels } = referenceDigits();
      const m = referenceCnn({ seed: 0 });
      const history = await train(m, images, labels, { epochs: 2, batchSize: 64, learningRate: 1e-3, quiet: true });
      lastAccuracy = history[history.length - 1].accuracy;
      m.dispose();
    },
    extra: () => ({ trainAccuracy: Math.round(lastAccuracy * 1000) / 1000 }),
  },
  {
    name: 'ig-50x20',
    setup: () => {
      referenceDigits();
      model();
    },
    run() {
      const image = referenceDigits().images.slice(0, 1);
      for (let r = 0; r < 20; r++) integratedGradients(model(), image, { target: 3, steps: 50, baseline: 'black' }).dispose();
      image.dispose();
    },
  },
  {
    name: 'predict-2560',
    setup: () => {
      big ??= tf.randomUniform([256, 28, 28, 1], 0, 1, 'float32', 0) as tf.Tensor4D;
      model();
    },
    run() {
      for (let r = 0; r < 10; r++) {
        const out = model().predict(big as tf.Tensor4D) as tf.Tensor;
        if (r === 9) out.dataSync();
        out.dispose();
      }
    },
  },
];
