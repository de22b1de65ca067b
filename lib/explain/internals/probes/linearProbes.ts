/**
 * Several linear probes on the same vectors trained in one pass: one weight block per label set
 * (a task, its control task, other tasks), one matrix product per batch for all of them. The
 * blocks share no parameter and the loss is the sum of their cross-entropies, so each block's
 * gradient is its own probe's and Adam's update is per parameter: every head ends exactly where
 * {@link probe} with the same seed would (same initial block, same batch order, its own early
 * stopping on dev) — at a fraction of the kernel launches. Used by `probeLayers` for the task and
 * control probes of a layer.
 *
 * @example
 * ```ts
 * const [task, control] = await linearProbes(
 *   { features: trainX, labels: [posTrain, controlTrain] }, { features: devX, labels: [posDev, controlDev] }, undefined);
 * selectivity(task.accuracy.dev, control.accuracy.dev);
 * ```
 */
import { tf } from '../../../engine/tf';
import { progress } from '../../../display/progress';
import { pollInterrupt } from '../../../display/interrupt';
import { permutation } from '../../../data/permutation';
import { checkInteger } from '../../../checks';
import { adam } from '../../../models/adam';
import { predictionAccuracy, checkProbeData, classScores, type ProbeOptions, type ProbeResult } from './probe';

/** Shared vectors with one label list per probe. The caller owns `features`. */
export interface ProbeHeads {
  features: tf.Tensor2D;
  labels: readonly (readonly number[])[];
}

/** Options of {@link linearProbes}: those of {@link probe} but `kind`, `hidden` and `dropout`; `classes` is one count per head. */
export interface LinearProbesOptions extends Omit<ProbeOptions, 'kind' | 'hidden' | 'dropout' | 'classes' | 'classNames'> {
  classes?: readonly number[];
  classNames?: readonly (readonly string[] | undefined)[];
}

/**
 * Trains one linear probe per label list of `train` (see the module docs), early-stopping each on
 * `dev`, and scores each on `test` (or `dev`). Interruptible; leaves no tensor behind. Each result's
 * `history[].loss` is the summed loss of all heads (they are trained together).
 */
export async function linearProbes(train: ProbeHeads, dev: ProbeHeads, test?: ProbeHeads, options: LinearProbesOptions = {}): Promise<ProbeResult[]> {
  const where = 'linearProbes';
  const { weightDecay = 0, epochs = 30, patience = 3, batchSize = 256, seed = 0, quiet = false, learningRate = 1e-2 } = options;
  if (!train || !Array.isArray(train.labels) || train.labels.length === 0) throw new Error(`${where}: train.labels must be a non-empty array of label lists (one per probe)`);
  const heads = train.labels.length;
  const splits = { train, dev, ...(test ? { test } : {}) } as Record<string, ProbeHeads>;
  for (const [name, s] of Object.entries(splits)) {
    if (!s || !Array.isArray(s.labels) || s.labels.length !== heads) throw new Error(`${where}: ${name}.labels must have ${heads} label lists (as train); got ${Array.isArray(s?.labels) ? s.labels.length : typeof s?.labels}`);
  }
  const d = train.features?.shape?.[1];
  for (let h = 0; h < heads; h++) {
    checkProbeData(where, h === 0 && heads === 1 ? 'train' : `train (probe ${h})`, { features: train.features, labels: train.labels[h] });
    checkProbeData(where, `dev (probe ${h})`, { features: dev.features, labels: dev.labels[h] }, d);
    if (test) checkProbeData(where, `test (probe ${h})`, { features: test.features, labels: test.labels[h] }, d);
  }
  checkInteger(where, 'options.epochs', epochs, 1);
  checkInteger(where, 'options.patience', patience, 1);
  checkInteger(where, 'options.batchSize', batchSize, 1);
  if (!(weightDecay >= 0)) throw new Error(`${where}: options.weightDecay must be a number ≥ 0; got ${weightDecay}`);
  if (!(learningRate > 0)) throw new Error(`${where}: options.learningRate must be > 0; got ${learningRate}`);
  const classes = Array.from({ length: heads }, (_, h) => {
    const seen = Object.values(splits).reduce((m, s) => s.labels[h].reduce((a, b) => Math.max(a, b), m), 0) + 1;
    const c = options.classes?.[h] ?? seen;
    if (!Number.isInteger(c) || c < seen) throw new Error(`${where}: options.classes[${h}] must be an integer ≥ ${seen} (the largest label + 1); got ${c}`);
    return c;
  });
  const unseen = classes.map((c, h) => {
    const inTrain = new Set(train.labels[h]);
    const elsewhere = new Set([...dev.labels[h], ...(test?.labels[h] ?? [])]);
    const u = Array.from({ length: c }, (_, k) => k).filter((k) => !inTrain.has(k) && elsewhere.has(k));
    const names = options.classNames?.[h];
    if (u.length && options.warn !== false) console.warn(`${where}: probe ${h}: class${u.length > 1 ? 'es' : ''} ${u.map((k) => (names?.[k] !== undefined ? `${k} (${names[k]})` : k)).join(', ')} never occur${u.length > 1 ? '' : 's'} in training`);
    return u;
  });
  const offsets = classes.map((_, h) => classes.slice(0, h).reduce((a, b) => a + b, 0));
  const total = offsets[heads - 1] + classes[heads - 1];
  // each block initialised as probe() initialises a linear probe with this seed
  const w = tf.tidy(() => tf.variable(tf.concat(classes.map((c) => tf.initializers.glorotUniform({ seed: seed * 10 + 1 }).apply([d, c]) as tf.Tensor2D), 1), true));
  const b = tf.tidy(() => tf.variable(tf.zeros([total]), true));
  const optimizer = adam(learningRate);
  const n = train.labels[0].length;
  const steps = Math.ceil(n / batchSize);
  const bar = progress({ total: epochs * steps, label: `${heads} linear probes`, enabled: !quiet, every: steps });
  const best = classes.map(() => ({ acc: -1, epoch: 0, w: undefined as tf.Tensor | undefined, b: undefined as tf.Tensor | undefined, stopped: 0 }));
  const history: ProbeResult['history'][] = classes.map(() => []);
  const predictAll = (x: tf.Tensor2D, wt: tf.Tensor, bt: tf.Tensor, hs: number[]): Int32Array[] => {
    const out = hs.map(() => new Int32Array(x.shape[0]));
    for (let lo = 0; lo < x.shape[0]; lo += 8192) {
      const size = Math.min(8192, x.shape[0] - lo);
      const logits = tf.tidy(() => tf.add(tf.matMul(x.slice([lo, 0], [size, -1]), wt), bt));
      const v = logits.dataSync();
      logits.dispose();
      const width = logits.shape[1]!;
      hs.forEach((h, k) => {
        const off = hs.length === 1 ? 0 : offsets[h];
        for (let r = 0; r < size; r++) {
          let arg = 0;
          for (let c = 1; c < classes[h]; c++) if (v[r * width + off + c] > v[r * width + off + arg]) arg = c;
          out[k][lo + r] = arg;
        }
      });
    }
    return out;
  };
  const all = classes.map((_, h) => h);
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = permutation(n, seed * 1000 + epoch);
      let epochLoss: tf.Tensor = tf.scalar(0);
      let lossSum = 0;
      for (let s = 0; s < steps; s++) {
        await pollInterrupt(where);
        const idx = Array.from(order.subarray(s * batchSize, Math.min(n, (s + 1) * batchSize)));
        const y = new Float32Array(idx.length * total);
        idx.forEach((i, r) => train.labels.forEach((ls, h) => (y[r * total + offsets[h] + ls[i]] = 1)));
        const { value: loss, grads } = tf.tidy(() => {
          const xb = tf.gather(train.features, idx) as tf.Tensor2D;
          const yb = tf.tensor2d(y, [idx.length, total]);
          return tf.variableGrads(() => {
            const logits = tf.add(tf.matMul(xb, w), b) as tf.Tensor2D;
            const logp = heads === 1 ? tf.logSoftmax(logits) : tf.concat(tf.split(logits, classes as number[], 1).map((l) => tf.logSoftmax(l)), 1);
            // the sum over heads of each head's mean cross-entropy
            const ce = tf.div(tf.neg(tf.sum(tf.mul(yb, logp))), idx.length) as tf.Scalar;
            return weightDecay === 0 ? ce : (tf.add(ce, tf.mul(weightDecay, tf.sum(tf.square(w)))) as tf.Scalar);
          }, [w, b]);
        });
        optimizer.applyGradients(grads);
        tf.dispose(Object.values(grads));
        // the epoch's loss is summed on the backend and read once
        const sum = tf.tidy(() => tf.add(epochLoss, tf.mul(loss, idx.length)));
        tf.dispose([epochLoss, loss]);
        epochLoss = sum;
        bar.tick({ epoch });
      }
      lossSum = epochLoss.dataSync()[0];
      epochLoss.dispose();
      const running = all.filter((h) => !best[h].stopped);
      const preds = predictAll(dev.features, w, b, all);
      for (const h of running) {
        const acc = predictionAccuracy(preds[h], dev.labels[h]);
        history[h].push({ epoch, loss: lossSum / n, devAccuracy: acc });
        if (acc > best[h].acc) {
          tf.dispose([best[h].w!, best[h].b!].filter(Boolean));
          best[h] = { acc, epoch, w: tf.slice(w, [0, offsets[h]], [d, classes[h]]), b: tf.slice(b, [offsets[h]], [classes[h]]), stopped: 0 };
        } else if (epoch - best[h].epoch >= patience) best[h].stopped = epoch;
      }
      if (all.every((h) => best[h].stopped)) break;
    }
    bar.done();
    // every head's best weights side by side: one product per split scores them all
    const [wBest, bBest] = tf.tidy(() => [tf.concat(best.map((x) => x.w!), 1), tf.concat(best.map((x) => x.b!))]);
    const predicted = { train: predictAll(train.features, wBest, bBest, all), dev: predictAll(dev.features, wBest, bBest, all), test: test ? predictAll(test.features, wBest, bBest, all) : undefined };
    tf.dispose([wBest, bBest]);
    return all.map((h) => {
      const evalSet = test ?? dev;
      const evalPred = (predicted.test ?? predicted.dev)[h];
      const accuracy: ProbeResult['accuracy'] = {
        train: predictionAccuracy(predicted.train[h], train.labels[h]),
        dev: predictionAccuracy(predicted.dev[h], dev.labels[h]),
      };
      if (test) accuracy.test = predictionAccuracy(evalPred, test.labels[h]);
      return {
        kind: 'linear' as const,
        accuracy,
        ...classScores(evalPred, evalSet.labels[h], classes[h]),
        bestEpoch: best[h].epoch,
        epochs: history[h].length,
        history: history[h],
        unseenClasses: unseen[h],
        classes: classes[h],
        parameters: (d + 1) * classes[h],
      };
    });
  } finally {
    optimizer.dispose();
    tf.dispose([w, b, ...best.flatMap((x) => [x.w, x.b]).filter((t): t is tf.Tensor => t !== undefined)]);
  }
}
