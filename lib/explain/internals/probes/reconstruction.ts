/**
 * A reconstruction probe (the lecture's third way to ask a layer what it kept: train a decoder —
 * "TTS-like" — from the layer's output back to the input, then listen; the idea of inverting
 * representations of Mahendran & Vedaldi 2015, applied to speech as in the lecture's example of a
 * recognizer whose deeper layers rebuild speech without the speaker or the noise). A small decoder,
 * trained per layer, maps each frame of the layer's sequence (time-interpolated to the input's
 * frame rate, with ±`context` neighbouring frames) through one hidden ReLU layer to the input
 * frame (a log-mel frame). What the layer kept is what the decoder can rebuild: its error is
 * reported beside the error of rebuilding every frame as the mean training frame (a layer that
 * kept nothing), as explained variance 1 − MSE / MSE(mean frame).
 *
 * @example
 * ```ts
 * const r = await reconstructionProbe({ features: layerTrain, targets: melTrain }, { features: layerTest, targets: melTest });
 * r.explainedVariance; r.reconstructions;   // [nTest, T, M], e.g. for Griffin–Lim
 * ```
 */
import { tf } from '../../../engine/tf';
import { checkInteger } from '../../../checks';
import { progress } from '../../../display/progress';
import { pollInterrupt } from '../../../display/interrupt';
import { permutation } from '../../../data/permutation';
import { adam } from '../../../models/adam';

/** A batch of sequences [n, T, d], row-major. */
export interface SequenceBatch {
  data: Float32Array;
  shape: readonly [number, number, number];
}

/** A layer's sequences and the input frames to rebuild from them. */
export interface ReconstructionData {
  features: SequenceBatch;
  targets: SequenceBatch;
}

/** Options of {@link reconstructionProbe}. */
export interface ReconstructionOptions {
  /** Hidden units of the decoder; default 128. */
  hidden?: number;
  /** Neighbouring frames each side given to the decoder; default 2. */
  context?: number;
  /** Default 12. */
  epochs?: number;
  /** Frames per step; default 512. */
  batchSize?: number;
  /** Adam's learning rate; default 2e-3. */
  learningRate?: number;
  /** Train on every `trainStride`-th frame only (neighbouring frames are near copies; 2 halves the time); default 1. */
  trainStride?: number;
  seed?: number;
  quiet?: boolean;
}

/** What {@link reconstructionProbe} returns. */
export interface ReconstructionResult {
  /** Mean squared error per value on each split. */
  mse: { train: number; test: number };
  /** MSE on the test split of the mean training frame (the decoder of a layer that kept nothing). */
  baselineMse: number;
  /** 1 − mse.test / baselineMse. */
  explainedVariance: number;
  /** The rebuilt test frames [nTest, T, M]. */
  reconstructions: SequenceBatch;
  parameters: number;
}

function check(where: string, name: string, d: ReconstructionData, like?: ReconstructionData): void {
  for (const part of ['features', 'targets'] as const) {
    const b = d?.[part];
    if (!b || !(b.data instanceof Float32Array) || b.shape?.length !== 3 || b.data.length !== b.shape[0] * b.shape[1] * b.shape[2]) {
      throw new Error(`${where}: ${name}.${part} must be { data: Float32Array, shape: [n, T, d] } with n·T·d values`);
    }
  }
  if (d.features.shape[0] !== d.targets.shape[0]) throw new Error(`${where}: ${name}.features has ${d.features.shape[0]} sequences but ${name}.targets has ${d.targets.shape[0]}`);
  if (like && (d.features.shape[2] !== like.features.shape[2] || d.targets.shape[1] !== like.targets.shape[1] || d.targets.shape[2] !== like.targets.shape[2])) {
    throw new Error(`${where}: ${name} must have the feature size and target shape of train ([·, ·, ${like.features.shape[2]}] → [·, ${like.targets.shape[1]}, ${like.targets.shape[2]}]); got [·, ·, ${d.features.shape[2]}] → [·, ${d.targets.shape[1]}, ${d.targets.shape[2]}]`);
  }
}

/** Rows [n·T, (2·context + 1)·d]: each target frame's layer vector (linear interpolation in time) with its neighbours. */
export function decoderInputs(features: SequenceBatch, frames: number, context: number): Float32Array {
  const [n, tl, d] = features.shape;
  const width = (2 * context + 1) * d;
  const out = new Float32Array(n * frames * width);
  const at = new Float32Array(d);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < frames; t++) {
      for (let c = -context; c <= context; c++) {
        const u = Math.min(frames - 1, Math.max(0, t + c));
        const pos = frames > 1 ? (u * (tl - 1)) / (frames - 1) : 0;
        const lo = Math.floor(pos);
        const hi = Math.min(tl - 1, lo + 1);
        const w = pos - lo;
        for (let j = 0; j < d; j++) at[j] = (1 - w) * features.data[(i * tl + lo) * d + j] + w * features.data[(i * tl + hi) * d + j];
        out.set(at, (i * frames + t) * width + (c + context) * d);
      }
    }
  }
  return out;
}

/**
 * Trains a decoder from `train.features` to `train.targets` and rebuilds `test.targets` from
 * `test.features`. Interruptible; leaves no tensor behind.
 */
export async function reconstructionProbe(train: ReconstructionData, test: ReconstructionData, options: ReconstructionOptions = {}): Promise<ReconstructionResult> {
  const where = 'reconstructionProbe';
  check(where, 'train', train);
  check(where, 'test', test, train);
  const { hidden = 128, context = 2, epochs = 12, batchSize = 512, learningRate = 2e-3, trainStride = 1, seed = 0, quiet = false } = options;
  checkInteger(where, 'options.hidden', hidden, 1);
  checkInteger(where, 'options.context', context, 0);
  checkInteger(where, 'options.epochs', epochs, 1);
  checkInteger(where, 'options.batchSize', batchSize, 1);
  checkInteger(where, 'options.trainStride', trainStride, 1);
  const [, frames, m] = train.targets.shape;
  const width = (2 * context + 1) * train.features.shape[2];
  const xTrain = decoderInputs(train.features, frames, context);
  const xTest = decoderInputs(test.features, frames, context);
  const rows = train.targets.shape[0] * frames;
  // standardize the inputs per dimension (a layer's scale says nothing about what it kept)
  const mu = new Float32Array(width);
  const sd = new Float32Array(width);
  for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) mu[j] += xTrain[r * width + j] / rows;
  for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) sd[j] += (xTrain[r * width + j] - mu[j]) ** 2 / rows;
  sd.forEach((v, j) => (sd[j] = Math.sqrt(v) || 1));
  for (const x of [xTrain, xTest]) for (let i = 0; i < x.length; i++) x[i] = (x[i] - mu[i % width]) / sd[i % width];
  const meanFrame = new Float32Array(m);
  for (let r = 0; r < rows; r++) for (let j = 0; j < m; j++) meanFrame[j] += train.targets.data[r * m + j] / rows;

  const init = (shape: number[], k: number) => tf.tidy(() => tf.variable(tf.initializers.glorotUniform({ seed: seed * 10 + k }).apply(shape) as tf.Tensor, true));
  const weights = [init([width, hidden], 1), tf.tidy(() => tf.variable(tf.zeros([hidden]), true)), init([hidden, m], 2), tf.tidy(() => tf.variable(tf.tensor1d(meanFrame), true))];
  const forward = (x: tf.Tensor) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, weights[0]), weights[1])), weights[2]), weights[3]);
  const optimizer = adam(learningRate);
  const used = Int32Array.from({ length: Math.ceil(rows / trainStride) }, (_, k) => k * trainStride);
  const steps = Math.ceil(used.length / batchSize);
  const bar = progress({ total: epochs * steps, label: 'reconstruction probe', enabled: !quiet, every: steps });
  const rebuild = (x: Float32Array, count: number): Float32Array => {
    const out = new Float32Array(count * m);
    for (let lo = 0; lo < count; lo += 4096) {
      const size = Math.min(4096, count - lo);
      const y = tf.tidy(() => forward(tf.tensor2d(x.subarray(lo * width, (lo + size) * width), [size, width])));
      out.set(y.dataSync() as Float32Array, lo * m);
      y.dispose();
    }
    return out;
  };
  const mse = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / a.length;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = permutation(used.length, seed * 1000 + epoch).map((k) => used[k]);
      for (let s = 0; s < steps; s++) {
        await pollInterrupt(where);
        const idx = order.subarray(s * batchSize, Math.min(used.length, (s + 1) * batchSize));
        const xb = new Float32Array(idx.length * width);
        const yb = new Float32Array(idx.length * m);
        idx.forEach((r, k) => {
          xb.set(xTrain.subarray(r * width, (r + 1) * width), k * width);
          yb.set(train.targets.data.subarray(r * m, (r + 1) * m), k * m);
        });
        const { value, grads } = tf.tidy(() => {
          const x = tf.tensor2d(xb, [idx.length, width]);
          const y = tf.tensor2d(yb, [idx.length, m]);
          return tf.variableGrads(() => tf.mean(tf.square(tf.sub(forward(x), y))) as tf.Scalar, weights);
        });
        optimizer.applyGradients(grads);
        tf.dispose(Object.values(grads));
        const loss = (await value.data())[0];
        value.dispose();
        bar.tick({ epoch, mse: loss });
      }
    }
    const testRows = test.targets.shape[0] * frames;
    const rebuilt = rebuild(xTest, testRows);
    const trainMse = mse(rebuild(xTrain, rows), train.targets.data);
    const testMse = mse(rebuilt, test.targets.data);
    let base = 0;
    for (let r = 0; r < testRows; r++) for (let j = 0; j < m; j++) base += (test.targets.data[r * m + j] - meanFrame[j]) ** 2;
    base /= testRows * m;
    bar.done({ test: testMse });
    return {
      mse: { train: trainMse, test: testMse },
      baselineMse: base,
      explainedVariance: 1 - testMse / base,
      reconstructions: { data: rebuilt, shape: [test.targets.shape[0], frames, m] },
      parameters: weights.reduce((a, w) => a + w.size, 0),
    };
  } finally {
    optimizer.dispose();
    tf.dispose(weights);
  }
}
