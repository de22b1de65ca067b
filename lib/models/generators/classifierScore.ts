/**
 * Does a generator make digits? Its samples judged by a classifier, with numbers rather than by
 * eye: the classifier's mean confidence (max probability), the share it is sure of (p ≥ 0.9), the
 * histogram of the classes it sees (mode collapse shows as one class dominating; its entropy
 * beside log K), and the Inception Score exp E_x KL(p(y|x) ‖ p(y)) of Salimans et al. 2016
 * ("Improved techniques for training GANs", §4), here with an MNIST classifier in place of
 * Inception: 1 for a generator the classifier cannot read or that makes one class only, K for
 * sure, evenly spread classes.
 *
 * @example
 * ```ts
 * const { generator, latentDim } = await mnistDcgan();
 * const x = generatorSamples(generator, 1000, 1);
 * const s = classifierScore((await courseModel()).model, x);   // s.meanMaxProb, s.histogram, s.inceptionScore
 * x.dispose();
 * ```
 */
import { tf } from '../../engine/tf';
import { checkInteger } from '../../checks';

/** What {@link classifierScore} measures on a set of images. */
export interface ClassifierScore {
  /** Images scored. */
  n: number;
  /** Mean over images of the largest class probability. */
  meanMaxProb: number;
  /** Share of images whose largest class probability is ≥ 0.9. */
  confidentShare: number;
  /** Images per predicted class (argmax), K entries. */
  histogram: number[];
  /** Entropy (nats) of the predicted-class histogram; {@link ClassifierScore.maxEntropy} when every class is equally frequent. */
  classEntropy: number;
  /** log K, the entropy of K equally frequent classes. */
  maxEntropy: number;
  /** exp(mean KL(p(y|x) ‖ p(y))), in [1, K] (Salimans et al. 2016). */
  inceptionScore: number;
  /** The predicted class of every image. */
  classes: number[];
}

/**
 * `n` samples G(z) of `generator` (z [n, d] → images), z ~ N(0, I) drawn from `seed`, made in
 * batches of 250 with the generator in inference mode (batch norm on its moving statistics).
 * The caller disposes the result.
 *
 * @example
 * ```ts
 * const x = generatorSamples((await mnistVae()).decoder, 100, 7);   // [100, 28, 28, 1]
 * ```
 */
export function generatorSamples(generator: tf.LayersModel, n: number, seed: number): tf.Tensor4D {
  checkInteger('generatorSamples', 'n', n, 1);
  checkInteger('generatorSamples', 'seed', seed, 0);
  const zShape = generator.inputs[0].shape;
  if (zShape.length !== 2 || typeof zShape[1] !== 'number') throw new Error(`generatorSamples: the generator's input must be z [n, d]; it is [${zShape.map((x) => x ?? 'n')}]`);
  const d = zShape[1];
  return tf.tidy(() => {
    const z = tf.randomNormal([n, d], 0, 1, 'float32', seed);
    const parts: tf.Tensor[] = [];
    for (let lo = 0; lo < n; lo += 250) parts.push(generator.apply(z.slice([lo, 0], [Math.min(250, n - lo), d]), { training: false }) as tf.Tensor);
    const x = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
    if (x.rank !== 4) throw new Error(`generatorSamples: the generator must make images [n, h, w, c]; it made [${x.shape}]`);
    return x as tf.Tensor4D;
  });
}

/**
 * How `classifier` (images → class probabilities [n, K], e.g. the course CNN's softmax) sees
 * `images`: confidence, class histogram and its entropy, Inception Score. Fails, naming the rows,
 * when the classifier's outputs are not probabilities.
 *
 * @example
 * ```ts
 * const real = courseDigits(1000);
 * classifierScore(model, real.images);   // baseline: meanMaxProb ≈ 0.99, classEntropy ≈ log 10
 * ```
 */
export function classifierScore(classifier: tf.LayersModel | ((x: tf.Tensor) => tf.Tensor), images: tf.Tensor4D): ClassifierScore {
  if (!(images instanceof tf.Tensor) || images.rank !== 4 || images.shape[0] < 1) {
    throw new Error(`classifierScore: images must be a non-empty batch [n, h, w, c]; got ${images instanceof tf.Tensor ? `[${images.shape}]` : typeof images}`);
  }
  const apply = classifier instanceof tf.LayersModel ? (x: tf.Tensor) => classifier.predict(x) as tf.Tensor : classifier;
  const probs = tf.tidy(() => {
    const n = images.shape[0];
    const parts: tf.Tensor[] = [];
    for (let lo = 0; lo < n; lo += 250) parts.push(apply(images.slice([lo, 0, 0, 0], [Math.min(250, n - lo), -1, -1, -1])));
    return (parts.length === 1 ? parts[0] : tf.concat(parts, 0)).arraySync() as number[][];
  });
  const n = probs.length;
  const k = probs[0]?.length ?? 0;
  const bad = probs.findIndex((row) => Math.abs(row.reduce((s, v) => s + v, 0) - 1) > 1e-3 || row.some((v) => !(v >= 0)));
  if (k < 2 || bad >= 0) throw new Error(`classifierScore: the classifier must output class probabilities [n, K ≥ 2] (a softmax); row ${bad} is [${probs[Math.max(0, bad)]?.slice(0, 4).map((v) => v.toFixed(3))}…]`);
  const histogram = new Array<number>(k).fill(0);
  const marginal = new Array<number>(k).fill(0);
  const classes: number[] = [];
  let sumMax = 0;
  let sure = 0;
  for (const row of probs) {
    let c = 0;
    for (let j = 1; j < k; j++) if (row[j] > row[c]) c = j;
    classes.push(c);
    histogram[c]++;
    sumMax += row[c];
    if (row[c] >= 0.9) sure++;
    for (let j = 0; j < k; j++) marginal[j] += row[j] / n;
  }
  let kl = 0;
  for (const row of probs) for (let j = 0; j < k; j++) if (row[j] > 0) kl += (row[j] * Math.log(row[j] / marginal[j])) / n;
  const classEntropy = -histogram.reduce((s, h) => s + (h > 0 ? (h / n) * Math.log(h / n) : 0), 0);
  return { n, meanMaxProb: sumMax / n, confidentShare: sure / n, histogram, classEntropy, maxEntropy: Math.log(k), inceptionScore: Math.exp(kl), classes };
}
