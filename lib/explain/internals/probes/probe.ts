/**
 * A probe (the lecture's second tool for "what does this layer know?"; Alain & Bengio 2016,
 * "Understanding intermediate layers using linear classifier probes"): a classifier trained on a
 * layer's vectors to predict a property (a part-of-speech tag, an entity, a speaker). High accuracy
 * means the layer carries the property — if the probe was trained well (the lecture's warning) and is
 * not so strong that it memorizes (Hewitt & Liang 2019: compare with a control task).
 *
 * Linear (softmax regression) or MLP (one hidden ReLU layer with dropout), L2 weight decay, Adam,
 * early stopping on the dev split (the best dev epoch's weights are kept), accuracy per split,
 * per-class F1 and the confusion matrix on the evaluation split.
 *
 * @example
 * ```ts
 * const r = await probe({ features: trainX, labels: trainY }, { features: devX, labels: devY }, { kind: 'linear' });
 * r.accuracy.dev;   // e.g. 0.93
 * ```
 */
import { tf } from '../../../engine/tf';
import { checkChoice, checkInteger } from '../../../checks';
import { progress } from '../../../display/progress';
import { pollInterrupt } from '../../../display/interrupt';
import { permutation } from '../../../data/permutation';
import { adam } from '../../../models/adam';

/** Vectors and their class labels. The caller owns `features`. */
export interface ProbeData {
  /** [n, d] vectors (a layer's representations). */
  features: tf.Tensor2D;
  /** n class indices. */
  labels: readonly number[];
}

/** Options of {@link probe}. */
export interface ProbeOptions {
  /** `linear` (default) or `mlp`. */
  kind?: 'linear' | 'mlp';
  /** Hidden units of the MLP; default 256. */
  hidden?: number;
  /** L2 penalty on the weights (not biases); default 0. */
  weightDecay?: number;
  /** Dropout rate on the MLP's hidden layer; default 0. */
  dropout?: number;
  /** Most epochs; default 30. */
  epochs?: number;
  /** Stop after this many epochs without a better dev accuracy; default 3. */
  patience?: number;
  /** Default 256. */
  batchSize?: number;
  /** Adam's learning rate; default 1e-3 (MLP) or 1e-2 (linear). */
  learningRate?: number;
  /** Number of classes; default the largest label + 1 over all splits. */
  classes?: number;
  /** Seed of the weights and the batch order; default 0. */
  seed?: number;
  /** Hide the progress bar; default false. */
  quiet?: boolean;
  /** Class names, for the warning about classes never seen in training; default the indices. */
  classNames?: readonly string[];
  /** Warn (console.warn) about classes never seen in training; default true. They are listed in `unseenClasses` either way. */
  warn?: boolean;
}

/** What {@link probe} returns. */
export interface ProbeResult {
  kind: 'linear' | 'mlp';
  /** Accuracy on each split (the evaluation split `test` when given). */
  accuracy: { train: number; dev: number; test?: number };
  /** F1 per class on the evaluation split (test when given, else dev); NaN for a class absent from it and never predicted. */
  perClassF1: number[];
  /** Macro-average of the finite `perClassF1`. */
  macroF1: number;
  /** confusion[true][predicted] on the evaluation split. */
  confusion: number[][];
  /** Epoch whose weights were kept (best dev accuracy), and epochs run. */
  bestEpoch: number;
  epochs: number;
  /** Per epoch: mean training loss and dev accuracy. */
  history: { epoch: number; loss: number; devAccuracy: number }[];
  /** Classes that never occur in training (a warning names them). */
  unseenClasses: number[];
  classes: number;
  /** Trainable parameters of the probe. */
  parameters: number;
}

export function checkProbeData(where: string, name: string, d: ProbeData | undefined, dim?: number): void {
  if (!d || !(d.features instanceof tf.Tensor) || d.features.isDisposed || d.features.rank !== 2) {
    throw new Error(`${where}: ${name}.features must be a tf.Tensor2D [n, d] (not disposed)`);
  }
  if (!Array.isArray(d.labels)) throw new Error(`${where}: ${name}.labels must be an array of class indices`);
  if (d.features.shape[0] === 0 || d.labels.length === 0) throw new Error(`${where}: the ${name} split has no examples`);
  if (d.features.shape[0] !== d.labels.length) throw new Error(`${where}: ${name}.features has ${d.features.shape[0]} rows but ${name}.labels has ${d.labels.length}`);
  if (dim !== undefined && d.features.shape[1] !== dim) throw new Error(`${where}: ${name}.features has ${d.features.shape[1]} dimensions but train.features has ${dim}`);
  d.labels.forEach((l, i) => {
    if (!Number.isInteger(l) || l < 0) throw new Error(`${where}: ${name}.labels[${i}] must be a class index ≥ 0; got ${l}`);
  });
}

/** Predicted class of every row, in batches. */
function predict(forward: (x: tf.Tensor2D, training: boolean) => tf.Tensor2D, x: tf.Tensor2D, trainBatch: number): Int32Array {
  const batchSize = Math.max(trainBatch, 8192);
  const out = new Int32Array(x.shape[0]);
  for (let lo = 0; lo < x.shape[0]; lo += batchSize) {
    const size = Math.min(batchSize, x.shape[0] - lo);
    const p = tf.tidy(() => forward(x.slice([lo, 0], [size, -1]), false).argMax(1));
    out.set(p.dataSync() as Int32Array, lo);
    p.dispose();
  }
  return out;
}

/** Confusion matrix (confusion[true][predicted]), F1 per class (NaN: absent and never predicted) and the macro mean of the finite F1s. */
export function classScores(pred: ArrayLike<number>, labels: readonly number[], classes: number): { confusion: number[][]; perClassF1: number[]; macroF1: number } {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  labels.forEach((l, i) => confusion[l][pred[i]]++);
  const perClassF1 = confusion.map((row, c) => {
    const tp = row[c];
    const actual = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, r) => a + r[c], 0);
    return actual + predicted === 0 ? NaN : (2 * tp) / (actual + predicted);
  });
  const finite = perClassF1.filter(Number.isFinite);
  return { confusion, perClassF1, macroF1: finite.reduce((a, b) => a + b, 0) / Math.max(1, finite.length) };
}

/** Share of `pred` equal to `labels`. */
export function predictionAccuracy(pred: Int32Array, labels: readonly number[]): number {
  let hit = 0;
  labels.forEach((l, i) => (hit += pred[i] === l ? 1 : 0));
  return hit / labels.length;
}

/**
 * Trains a probe on `train`, stops early on `dev`, and reports accuracy on every split and per-class
 * F1 and the confusion matrix on `test` (or `dev`). Interruptible; leaves no tensor behind.
 */
export async function probe(train: ProbeData, dev: ProbeData, test?: ProbeData, options: ProbeOptions = {}): Promise<ProbeResult> {
  const where = 'probe';
  const { kind = 'linear', hidden = 256, weightDecay = 0, dropout = 0, epochs = 30, patience = 3, batchSize = 256, seed = 0, quiet = false } = options;
  checkChoice(where, 'options.kind', kind, ['linear', 'mlp'] as const);
  checkProbeData(where, 'train', train);
  const d = train.features.shape[1];
  checkProbeData(where, 'dev', dev, d);
  if (test !== undefined) checkProbeData(where, 'test', test, d);
  checkInteger(where, 'options.hidden', hidden, 1);
  checkInteger(where, 'options.epochs', epochs, 1);
  checkInteger(where, 'options.patience', patience, 1);
  checkInteger(where, 'options.batchSize', batchSize, 1);
  if (!(weightDecay >= 0)) throw new Error(`${where}: options.weightDecay must be a number ≥ 0; got ${weightDecay}`);
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`${where}: options.dropout must be in [0, 1); got ${dropout}`);
  const learningRate = options.learningRate ?? (kind === 'linear' ? 1e-2 : 1e-3);
  if (!(learningRate > 0)) throw new Error(`${where}: options.learningRate must be > 0; got ${learningRate}`);
  const seen = [train.labels, dev.labels, test?.labels ?? []].reduce((m, ls) => ls.reduce((a, b) => Math.max(a, b), m), 0) + 1;
  const classes = options.classes ?? seen;
  if (!Number.isInteger(classes) || classes < seen) throw new Error(`${where}: options.classes must be an integer ≥ ${seen} (the largest label + 1); got ${options.classes}`);
  const inTrain = new Set(train.labels);
  const unseenClasses = Array.from({ length: classes }, (_, c) => c).filter((c) => !inTrain.has(c) && (dev.labels.includes(c) || test?.labels.includes(c)));
  const named = unseenClasses.map((c) => (options.classNames?.[c] !== undefined ? `${c} (${options.classNames[c]})` : String(c)));
  if (unseenClasses.length && options.warn !== false) console.warn(`${where}: class${unseenClasses.length > 1 ? 'es' : ''} ${named.join(', ')} never occur${unseenClasses.length > 1 ? '' : 's'} in training`);

  const init = (shape: number[], k: number) => tf.tidy(() => tf.variable(tf.initializers.glorotUniform({ seed: seed * 10 + k }).apply(shape) as tf.Tensor, true));
  const zeros = (size: number) => tf.tidy(() => tf.variable(tf.zeros([size]), true));
  const weights: tf.Variable[] = kind === 'linear' ? [init([d, classes], 1), zeros(classes)] : [init([d, hidden], 1), zeros(hidden), init([hidden, classes], 2), zeros(classes)];
  const forward = (x: tf.Tensor2D, training: boolean): tf.Tensor2D => {
    if (kind === 'linear') return tf.add(tf.matMul(x, weights[0]), weights[1]) as tf.Tensor2D;
    let h = tf.relu(tf.add(tf.matMul(x, weights[0]), weights[1]));
    if (training && dropout > 0) h = tf.dropout(h, dropout);
    return tf.add(tf.matMul(h, weights[2]), weights[3]) as tf.Tensor2D;
  };
  const optimizer = adam(learningRate);
  const n = train.labels.length;
  const steps = Math.ceil(n / batchSize);
  const bar = progress({ total: epochs * steps, label: `${kind} probe`, enabled: !quiet, every: steps });
  const history: ProbeResult['history'] = [];
  let best = { acc: -1, epoch: 0, weights: [] as tf.Tensor[] };
  const labels = Int32Array.from(train.labels);
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = permutation(n, seed * 1000 + epoch);
      let lossSum = 0;
      for (let s = 0; s < steps; s++) {
        await pollInterrupt(where);
        const idx = Array.from(order.subarray(s * batchSize, Math.min(n, (s + 1) * batchSize)));
        const { value: loss, grads } = tf.tidy(() => {
          const xb = tf.gather(train.features, idx) as tf.Tensor2D;
          const yb = tf.oneHot(tf.tensor1d(idx.map((i) => labels[i]), 'int32'), classes).toFloat();
          return tf.variableGrads(() => {
            // mean cross-entropy, written out (fewer kernels per step than tf.losses.softmaxCrossEntropy)
            const ce = tf.neg(tf.mean(tf.sum(tf.mul(yb, tf.logSoftmax(forward(xb, true))), 1))) as tf.Scalar;
            if (weightDecay === 0) return ce;
            const l2 = weights.filter((w) => w.rank === 2).map((w) => tf.sum(tf.square(w)));
            return tf.add(ce, tf.mul(weightDecay, tf.addN(l2))) as tf.Scalar;
          }, weights);
        });
        // the optimizer's moments must outlive the step: applied outside the tidy, as train() does
        optimizer.applyGradients(grads);
        tf.dispose(Object.values(grads));
        lossSum += (await loss.data())[0] * idx.length;
        loss.dispose();
        bar.tick({ epoch, loss: lossSum / Math.min(n, (s + 1) * batchSize) });
      }
      const devAcc = predictionAccuracy(predict(forward, dev.features, batchSize), dev.labels);
      history.push({ epoch, loss: lossSum / n, devAccuracy: devAcc });
      if (devAcc > best.acc) {
        tf.dispose(best.weights);
        best = { acc: devAcc, epoch, weights: weights.map((w) => w.clone()) };
      } else if (epoch - best.epoch >= patience) break;
    }
    weights.forEach((w, i) => w.assign(best.weights[i]));
    const evalSet = test ?? dev;
    const evalPred = predict(forward, evalSet.features, batchSize);
    const { confusion, perClassF1, macroF1 } = classScores(evalPred, evalSet.labels, classes);
    const accuracy: ProbeResult['accuracy'] = {
      train: predictionAccuracy(predict(forward, train.features, batchSize), train.labels),
      dev: predictionAccuracy(test ? predict(forward, dev.features, batchSize) : evalPred, dev.labels),
    };
    if (test) accuracy.test = predictionAccuracy(evalPred, test.labels);
    bar.done({ dev: accuracy.dev });
    return {
      kind,
      accuracy,
      perClassF1,
      macroF1,
      confusion,
      bestEpoch: best.epoch,
      epochs: history.length,
      history,
      unseenClasses,
      classes,
      parameters: weights.reduce((a, w) => a + w.size, 0),
    };
  } finally {
    optimizer.dispose();
    tf.dispose(best.weights);
    tf.dispose(weights);
  }
}
