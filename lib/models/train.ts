/**
 * Train and evaluate a classifier with live progress (epoch, loss, accuracy): an in-place bar in a
 * notebook, a line per epoch in a terminal, nothing when `quiet`.
 *
 * @example
 * ```ts
 * const history = await train(model, train.images, train.labels, { epochs: 3 });
 * const { accuracy } = evaluate(model, test.images, test.labels);
 * ```
 */
import { tf } from '../engine/tf';
import { permutation } from '../data/permutation';
import { progress } from '../display/progress';
import { pollInterrupt } from '../display/interrupt';
import { adam } from './adam';

/** Options of {@link train}. */
export interface TrainOptions {
  /** Default 3. */
  epochs?: number;
  /** Default 64. */
  batchSize?: number;
  /** Adam learning rate (Kingma & Ba 2015); default 1e-3. */
  learningRate?: number;
  /** Shuffle each epoch with this seed (deterministic); default 0. `false` keeps the order. */
  shuffle?: number | false;
  /** No progress output. */
  quiet?: boolean;
  /** Held-out images and labels to report accuracy on after each epoch. */
  validation?: [tf.Tensor, tf.Tensor];
}

/** One row per epoch. */
export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  valAccuracy?: number;
  ms: number;
}

function indexLabels(labels: tf.Tensor, n: number, where: string): tf.Tensor1D {
  if (labels.shape[0] !== n) throw new Error(`${where}: labels has ${labels.shape[0]} rows but images has ${n}`);
  if (labels.rank === 1) return labels.toInt() as tf.Tensor1D;
  if (labels.rank === 2) return labels.argMax(1) as tf.Tensor1D;
  throw new Error(`${where}: labels must be [n] class indices or [n, classes] one-hot; got shape [${labels.shape}]`);
}


/** Rows `order[lo..lo+size)` of a row-major array with `rowSize` values per row, as one array. */
function gatherRows<T extends Float32Array | Int32Array>(src: T, order: Int32Array | null, lo: number, size: number, rowSize: number): T {
  const out = new (src.constructor as new (n: number) => T)(size * rowSize);
  for (let r = 0; r < size; r++) {
    const i = order ? order[lo + r] : lo + r;
    out.set(src.subarray(i * rowSize, (i + 1) * rowSize), r * rowSize);
  }
  return out;
}

/** One-hot float rows for labels `order[lo..lo+size)`. */
function oneHotRows(labels: Int32Array, order: Int32Array | null, lo: number, size: number, classes: number): Float32Array {
  const out = new Float32Array(size * classes);
  for (let r = 0; r < size; r++) {
    const c = labels[order ? order[lo + r] : lo + r];
    if (c >= 0 && c < classes) out[r * classes + c] = 1;
  }
  return out;
}

/**
 * Mean cross-entropy −Σ y·log p of softmax outputs p (clipped to [1e-7, 1]). Its gradient with
 * respect to the logits before the softmax is p − y, as for softmax cross-entropy on logits.
 */
function crossEntropy(oneHot: tf.Tensor, p: tf.Tensor): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(p, 1e-7, 1))), 1))) as tf.Scalar;
}

/**
 * Trains `model` (softmax outputs) with Adam on cross-entropy. The model is trained in place;
 * the returned history has one record per epoch. No tensor outlives the call. Kernel › Interrupt
 * (or `requestInterrupt()` from lib/display) stops it at the next step with `train: interrupted`.
 *
 * Batches are cut on the host (one read of `images` per call) rather than with a `gather` per
 * step, and Adam is {@link adam}: one fused kernel per variable where the engine has it.
 */
export async function train(model: tf.LayersModel, images: tf.Tensor, labels: tf.Tensor, options: TrainOptions = {}): Promise<EpochRecord[]> {
  const { epochs = 3, batchSize = 64, learningRate = 1e-3, shuffle = 0, quiet = false, validation } = options;
  if (!(images instanceof tf.Tensor)) throw new Error('train: images must be a tf.Tensor');
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`train: options.epochs must be a positive integer; got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`train: options.batchSize must be a positive integer; got ${batchSize}`);
  const n = images.shape[0];
  const y = indexLabels(labels, n, 'train');
  const classes = (model.outputs[0].shape[1] as number) ?? 10;
  const hostImages = images.dtype === 'float32' ? (images.dataSync() as Float32Array) : Float32Array.from(images.dataSync());
  const hostLabels = y.dataSync() as Int32Array;
  y.dispose();
  const rowShape = images.shape.slice(1);
  const rowSize = hostImages.length / Math.max(1, n);
  const optimizer = adam(learningRate);
  const steps = Math.ceil(n / batchSize);
  const bar = progress({ total: epochs * steps, label: 'train', enabled: !quiet, every: steps });
  const history: EpochRecord[] = [];
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const t0 = Date.now();
      const order = shuffle === false ? null : permutation(n, shuffle + epoch);
      let lossSum = 0;
      let correct = 0;
      for (let s = 0; s < steps; s++) {
        await pollInterrupt('train'); // Kernel › Interrupt: stop between steps (nothing is held here)
        const lo = s * batchSize;
        const size = Math.min(batchSize, n - lo);
        const xb = tf.tensor(gatherRows(hostImages, order, lo, size, rowSize), [size, ...rowShape], 'float32');
        const yb = tf.tensor1d(gatherRows(hostLabels, order, lo, size, 1), 'int32');
        const oh = tf.tensor2d(oneHotRows(hostLabels, order, lo, size, classes), [size, classes]);
        let step: { loss: tf.Scalar; hits: tf.Scalar } | undefined;
        try {
          const { loss, hits, grads } = tf.tidy(() => {
            let h: tf.Scalar | undefined;
            const { value, grads: g } = tf.variableGrads(() => {
              const p = model.apply(xb, { training: true }) as tf.Tensor;
              h = tf.keep(p.argMax(1).equal(yb).sum()) as tf.Scalar;
              return crossEntropy(oh, p);
            });
            return { loss: value, hits: h as tf.Scalar, grads: g };
          });
          step = { loss, hits };
          optimizer.applyGradients(grads);
          tf.dispose(Object.values(grads));
        } finally {
          tf.dispose([xb, yb, oh]);
        }
        const [lv, cv] = [(await step.loss.data())[0], (await step.hits.data())[0]];
        tf.dispose([step.loss, step.hits]);
        lossSum += lv * size;
        correct += cv;
        bar.tick({ epoch, loss: lossSum / (lo + size), acc: correct / (lo + size) });
      }
      const rec: EpochRecord = { epoch, loss: lossSum / n, accuracy: correct / n, ms: Date.now() - t0 };
      if (validation) rec.valAccuracy = evaluate(model, validation[0], validation[1]).accuracy;
      history.push(rec);
    }
  } finally {
    optimizer.dispose();
  }
  const lastRec = history[history.length - 1];
  bar.done(lastRec.valAccuracy !== undefined ? { valAcc: lastRec.valAccuracy } : undefined);
  return history;
}

/** Result of {@link evaluate}. */
export interface Evaluation {
  accuracy: number;
  /** Predicted class per example. */
  predictions: number[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
}

/** Accuracy, predictions and confusion matrix of `model` on `images`, in batches of 256. */
export function evaluate(model: tf.LayersModel | ((x: tf.Tensor) => tf.Tensor), images: tf.Tensor, labels: tf.Tensor, batchSize = 256): Evaluation {
  const n = images.shape[0];
  const y = tf.tidy(() => indexLabels(labels, n, 'evaluate'));
  const truth = Array.from(y.dataSync());
  y.dispose();
  const predictions: number[] = [];
  for (let lo = 0; lo < n; lo += batchSize) {
    const p = tf.tidy(() => {
      const xb = images.slice(lo, Math.min(batchSize, n - lo));
      const out = typeof model === 'function' ? model(xb) : (model.predict(xb) as tf.Tensor);
      return out.argMax(1);
    });
    predictions.push(...Array.from(p.dataSync()));
    p.dispose();
  }
  const k = Math.max(...truth, ...predictions) + 1;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let hit = 0;
  truth.forEach((t, i) => {
    confusion[t][predictions[i]] += 1;
    if (t === predictions[i]) hit += 1;
  });
  return { accuracy: hit / n, predictions, confusion };
}
