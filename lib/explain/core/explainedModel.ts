/**
 * The model side of every explanation method: turns a {@link ModelLike} into a function batch →
 * scores [n, classes], checks the inputs against it, resolves the target (one class index or one
 * per example; by default the predicted class), and reads target scores in bounded batches.
 *
 * What is explained: for a `tf.LayersModel` whose output layer ends in a softmax or sigmoid, the
 * score *before* it (the logit) by default — Simonyan et al. 2014 explain the unnormalised class
 * score, and a saturated probability (p = 1.0 in float32) has gradients of 1e-26 that draw float
 * noise. `explain: 'probability'` explains the output as it is.
 *
 * @example
 * ```ts
 * const m = explainedModel('saliency', model, images, { target: 3 });   // m.target: [3, 3, …]
 * m.explained                                                           // 'logit'
 * const s = m.scores(images, m.target);                                 // Float32Array, one score per row
 * ```
 */
import { tf } from '../../engine/tf';
import type { ModelLike, Target } from './attribution';

/**
 * What a method explains: the `logit` (the score before the output layer's softmax/sigmoid) or the
 * `probability` (the model's output as it is).
 */
export type ExplainScore = 'logit' | 'probability';

/**
 * What was explained, as recorded in an attribution's options: `logit` (the output activation was
 * stripped), `probability` (the softmax/sigmoid output as it is), or `output` (a model with no output
 * activation to strip, or a function model: its output as it is).
 */
export type ExplainedScore = ExplainScore | 'output';

/** A model ready to be explained on one batch of inputs. */
export interface ExplainedModel {
  /** The method name, for error messages. */
  readonly where: string;
  /** batch → scores [rows, classes] (a model returning [rows] is read as one class). */
  readonly forward: (x: tf.Tensor) => tf.Tensor2D;
  /** Number of examples in the inputs. */
  readonly n: number;
  /** Number of output classes. */
  readonly classes: number;
  /** The class explained, per example. */
  readonly target: number[];
  /** Whether the outputs look like probabilities (rows ≥ 0 summing to 1), e.g. a softmax layer. */
  readonly probabilities: boolean;
  /** What is explained: the logit, the probability, or the output as it is. */
  readonly explained: ExplainedScore;
  /**
   * Runs `body` with the model's output activation stripped when logits are explained (for code
   * that runs the model's layers itself, e.g. Grad-CAM's split at a layer); otherwise just `body()`.
   */
  /** The output activation stripped to explain logits (`softmax` or `sigmoid`), or undefined when none was. */
  readonly stripped?: 'softmax' | 'sigmoid';
  within<T>(body: () => T): T;
  /** Target score of each row of `x` (`rowTargets[r]` is row r's class), in batches of `batchSize`. */
  scores(x: tf.Tensor, rowTargets: number[], batchSize?: number): Float32Array;
}

/** How an inputs tensor must look for one method. */
export interface InputRule {
  /** Ranks the method accepts, e.g. [4] for images [n, h, w, c]. */
  ranks: number[];
  /** Words for the message, e.g. 'images [n, height, width, channels]'. */
  expected: string;
}

/** Calls `body(lo, hi)` for consecutive ranges [lo, hi) of at most `size` rows covering 0..total. */
export function inBatches(total: number, size: number, body: (lo: number, hi: number) => void): void {
  for (let lo = 0; lo < total; lo += size) body(lo, Math.min(total, lo + size));
}

/** The activation object tfjs layers apply (`Dense.activation`, `Conv2D.activation`, …). */
interface LayerActivation {
  getClassName(): string;
  apply(x: tf.Tensor, axis?: number): tf.Tensor;
}

let linear: LayerActivation | undefined;
/** tfjs's own linear activation (identity), taken from an Activation layer once. */
function linearActivation(): LayerActivation {
  linear ??= (tf.layers.activation({ activation: 'linear' }) as unknown as { activation: LayerActivation }).activation;
  return linear;
}

/**
 * How to strip the output layer's softmax/sigmoid for the duration of a call, or undefined when it
 * has none: a layer with an `activation` (Dense, Conv, Activation) gets tfjs's linear activation; a
 * `Softmax` layer passes its input through.
 */
function outputActivationSwap(model: tf.LayersModel): { name: 'softmax' | 'sigmoid'; swap(): () => void } | undefined {
  const layer = model.outputs[0].sourceLayer as unknown as { activation?: LayerActivation; softmax?: unknown; getClassName(): string };
  if (layer.getClassName() === 'Softmax' && typeof layer.softmax === 'function') {
    return {
      name: 'softmax',
      swap() {
        const own = layer.softmax;
        layer.softmax = (x: tf.Tensor) => x;
        return () => void (layer.softmax = own);
      },
    };
  }
  const act = layer.activation;
  const name = act && typeof act.getClassName === 'function' ? act.getClassName().toLowerCase() : '';
  if (name !== 'softmax' && name !== 'sigmoid') return undefined;
  return {
    name,
    swap() {
      layer.activation = linearActivation();
      return () => void (layer.activation = act);
    },
  };
}

interface Forward {
  forward: (x: tf.Tensor) => tf.Tensor2D;
  explained: ExplainedScore;
  stripped?: 'softmax' | 'sigmoid';
  within<T>(body: () => T): T;
}

function asForward(where: string, model: ModelLike, explain: ExplainScore | undefined): Forward {
  if (explain !== undefined && explain !== 'logit' && explain !== 'probability') {
    throw new Error(`${where}: options.explain must be 'logit' or 'probability'; got ${JSON.stringify(explain)}`);
  }
  if (model instanceof tf.LayersModel) {
    if (model.outputs.length !== 1) throw new Error(`${where}: model must have one output; it has ${model.outputs.length}`);
    const strip = explain === 'probability' ? undefined : outputActivationSwap(model);
    const within = <T>(body: () => T): T => {
      if (!strip) return body();
      const restore = strip.swap();
      try {
        return body();
      } finally {
        restore();
      }
    };
    const explained: ExplainedScore = strip ? 'logit' : explain === 'probability' ? 'probability' : 'output';
    return { forward: (x) => within(() => toRows(where, model.apply(x, { training: false }) as tf.Tensor)), explained, stripped: strip?.name, within };
  }
  if (typeof model === 'function') {
    if (explain === 'logit') {
      throw new Error(`${where}: options.explain 'logit' needs a tf.LayersModel whose output layer ends in softmax or sigmoid; a function model is explained as it is (leave options.explain out, or pass a function that returns logits)`);
    }
    return { forward: (x) => toRows(where, model(x)), explained: explain === 'probability' ? 'probability' : 'output', within: (body) => body() };
  }
  throw new Error(`${where}: model must be a tf.LayersModel or a function from a batch tensor to scores [n, classes]`);
}

function toRows(where: string, y: unknown): tf.Tensor2D {
  if (!(y instanceof tf.Tensor)) throw new Error(`${where}: model must return a tf.Tensor of scores [n, classes]`);
  if (y.rank === 2) return y as tf.Tensor2D;
  if (y.rank === 1) return y.reshape([-1, 1]) as tf.Tensor2D;
  throw new Error(`${where}: model must return scores [n, classes] (or [n]); it returned shape [${y.shape}]`);
}

function checkInputs(where: string, model: ModelLike, inputs: unknown, rule: InputRule): tf.Tensor {
  if (!(inputs instanceof tf.Tensor) || inputs.isDisposed) throw new Error(`${where}: inputs must be a tf.Tensor (${rule.expected})`);
  if (!rule.ranks.includes(inputs.rank)) {
    throw new Error(`${where}: inputs must be ${rule.expected} (rank ${rule.ranks.join(' or ')}); got shape [${inputs.shape}]`);
  }
  if (inputs.shape[0] < 1) throw new Error(`${where}: inputs must hold at least one example; got shape [${inputs.shape}]`);
  if (model instanceof tf.LayersModel && model.inputs.length === 1) {
    const want = model.inputs[0].shape;
    const ok = want.length === inputs.rank && want.every((d, i) => i === 0 || d == null || d === inputs.shape[i]);
    if (!ok) throw new Error(`${where}: inputs has shape [${inputs.shape}] but the model accepts [${want.map((d) => d ?? 'n')}]`);
  }
  return inputs;
}

function resolveTarget(where: string, target: Target | undefined, n: number, classes: number, predicted: () => number[]): number[] {
  const check = (t: unknown) => {
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t >= classes) {
      throw new Error(`${where}: options.target must be a class index in 0..${classes - 1} (the model has ${classes} output${classes > 1 ? 's' : ''}); got ${String(t)}`);
    }
    return t;
  };
  if (target === undefined) return predicted();
  if (Array.isArray(target)) {
    if (target.length !== n) throw new Error(`${where}: options.target has ${target.length} entries but inputs has a batch of ${n}`);
    return target.map(check);
  }
  return new Array<number>(n).fill(check(target));
}

/** What {@link explainedModel} needs besides the model and inputs. */
export interface ExplainedModelOptions {
  /** Class index, or one per example; default: the predicted class. */
  target?: Target;
  /** Ranks and words for the inputs check; default any batch of rank 2–5. */
  rule?: InputRule;
  /** `logit` (default for a LayersModel ending in softmax/sigmoid) or `probability`. */
  explain?: ExplainScore;
}

/**
 * Checks `model`, `inputs`, `target` and `explain` for method `where` and returns the model ready
 * to be explained. One forward pass on the first example learns the number of classes (and catches
 * an input shape the model does not accept); without a target, a forward pass over all inputs finds
 * the predicted class of each example.
 */
export function explainedModel(where: string, model: ModelLike, inputs: unknown, options: ExplainedModelOptions = {}): ExplainedModel {
  const { target, rule = { ranks: [2, 3, 4, 5], expected: 'a batch [n, …]' }, explain } = options;
  const { forward, explained, stripped, within } = asForward(where, model, explain);
  const x = checkInputs(where, model, inputs, rule);
  const n = x.shape[0];
  let probe: Float32Array;
  let classes: number;
  try {
    const out = tf.tidy(() => forward(x.slice(0, 1)));
    classes = out.shape[1];
    probe = out.dataSync() as Float32Array;
    out.dispose();
  } catch (e) {
    if ((e as Error).message.startsWith(where)) throw e;
    throw new Error(`${where}: the model does not accept inputs of shape [${x.shape}]: ${(e as Error).message}`);
  }
  const sum = probe.reduce((a, b) => a + b, 0);
  const probabilities = classes > 1 && probe.every((p) => p >= 0) && Math.abs(sum - 1) < 1e-3;
  const scores = (z: tf.Tensor, rowTargets: number[], batchSize = 256): Float32Array => {
    const out = new Float32Array(z.shape[0]);
    inBatches(z.shape[0], batchSize, (lo, hi) => {
      const s = tf.tidy(() => targetScore(forward(z.slice(lo, hi - lo)), rowTargets.slice(lo, hi)));
      out.set(s.dataSync(), lo);
      s.dispose();
    });
    return out;
  };
  const predicted = () => {
    const p: number[] = [];
    inBatches(n, 256, (lo, hi) => {
      const a = tf.tidy(() => forward(x.slice(lo, hi - lo)).argMax(1));
      p.push(...Array.from(a.dataSync()));
      a.dispose();
    });
    return p;
  };
  const t = resolveTarget(where, target, n, classes, predicted);
  return { where, forward, n, classes, target: t, probabilities, explained, stripped, within, scores };
}

/** Row r's score for class `rowTargets[r]`: Σ_k out[r, k]·onehot(rowTargets[r])_k (differentiable). */
export function targetScore(out: tf.Tensor2D, rowTargets: number[]): tf.Tensor1D {
  if (out.shape[1] === 1) return out.reshape([-1]) as tf.Tensor1D;
  return tf.tidy(() => {
    const oh = tf.oneHot(tf.tensor1d(rowTargets, 'int32'), out.shape[1]).toFloat();
    return tf.sum(tf.mul(out, oh), 1) as tf.Tensor1D;
  });
}

/** Number of entries of `a` that are NaN or ±Infinity. */
export function countNonFinite(a: ArrayLike<number>): number {
  let c = 0;
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) c++;
  return c;
}

/** Options of {@link explainedScores}. */
export interface ExplainedScoresOptions {
  /** Class index, or one per example; default: the predicted class. */
  target?: Target;
  /** `logit` (default for a LayersModel ending in softmax/sigmoid) or `probability`. */
  explain?: ExplainScore;
  /** Rows per forward call; default 256. */
  batchSize?: number;
}

/**
 * The score an explanation method would explain, per example: the target's logit (or probability),
 * e.g. to report "the logit of 3 fell from 9.1 to 2.4" beside an occlusion map.
 *
 * @example
 * ```ts
 * const { scores, target, explained } = explainedScores(model, images);   // logits of the predicted classes
 * ```
 */
export function explainedScores(model: ModelLike, inputs: tf.Tensor, options: ExplainedScoresOptions = {}): { scores: number[]; target: number[]; explained: ExplainedScore } {
  const m = explainedModel('explainedScores', model, inputs, { target: options.target, explain: options.explain });
  return { scores: Array.from(m.scores(inputs, m.target, options.batchSize ?? 256)), target: m.target, explained: m.explained };
}

/**
 * Every class's score before the output softmax/sigmoid of a `tf.LayersModel` ([n, classes]; the
 * output as it is when the model has no such activation). The caller disposes the result.
 *
 * @example
 * ```ts
 * const z = logits(model, images);   // [n, 10]
 * z.dispose();
 * ```
 */
export function logits(model: tf.LayersModel, inputs: tf.Tensor, batchSize = 256): tf.Tensor2D {
  if (!(model instanceof tf.LayersModel)) throw new Error('logits: model must be a tf.LayersModel (a function model returns what it returns)');
  const m = explainedModel('logits', model, inputs, { target: 0, explain: 'logit' });
  const parts: tf.Tensor[] = [];
  inBatches(m.n, batchSize, (lo, hi) => parts.push(tf.tidy(() => m.forward(inputs.slice(lo, hi - lo)))));
  const out = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
  if (parts.length > 1) tf.dispose(parts);
  return out as tf.Tensor2D;
}
