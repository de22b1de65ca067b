/**
 * Objectives on a model's units (Olah, Mordvintsev & Schubert 2017, "Feature Visualization";
 * Lucent's `objectives.py`): a channel (filter) — the lecture's X* = argmax Σᵢⱼ aᵢⱼ —, a neuron at
 * one position, a class score (Simonyan, Vedaldi & Zisserman 2014: the logit by default), a
 * direction in a layer's activation space, and diversity across the batch (Gram-matrix similarity,
 * Olah et al. 2017). Each gives one value per image; pass an array (one channel or class per image)
 * to visualize many units in one batch.
 *
 * @example
 * ```ts
 * channel('conv2', 5)                          // Σᵢⱼ a₅ᵢⱼ of conv2's map
 * channel('conv2', range(32), { reduce: 'mean' })   // image b maximizes filter b
 * classScore(3).minus(l1(0.05))                 // the lecture's class maximization with R(X)
 * ```
 */
import { tf } from '../../engine/tf';
import { type ClassScore, fmt, type ModelShapes, Objective } from './objective';

/** How a channel's map is summed up: Σᵢⱼ aᵢⱼ (the lecture) or its mean (Lucent). */
export type MapReduce = 'sum' | 'mean';

/** Options of {@link channel}. */
export interface ChannelOptions {
  /** `sum` (default, the lecture's Σᵢⱼ aᵢⱼ) or `mean`. */
  reduce?: MapReduce;
}

/** Throws naming the layers when `layer` is not one of the model's. Returns its output shape. */
export function checkLayer(where: string, model: ModelShapes, layer: string): (number | null)[] {
  const shape = model.shapeOf(layer);
  if (!shape) throw new Error(`${where}: the model has no layer '${layer}'; its layers are ${model.layers.map((l) => `'${l}'`).join(', ')}`);
  return shape;
}

function units(where: string, arg: string, v: number | number[]): number[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) throw new Error(`${where}: ${arg} must be an index or a non-empty array of indices; got []`);
  for (const c of list) if (!Number.isInteger(c) || c < 0) throw new Error(`${where}: ${arg} must be non-negative integers; got ${JSON.stringify(v)}`);
  return list;
}

function checkUnits(where: string, arg: string, list: number[], count: number, what: string, n: number): void {
  for (const c of list) if (c >= count) throw new Error(`${where}: ${arg} must be in 0..${count - 1} (${what}); got ${c}`);
  if (list.length > 1 && list.length !== n) throw new Error(`${where}: ${list.length} ${arg}s given (one per image) but the batch has ${n} images`);
}

/** Per-image pick of column `list[b]` (or `list[0]` for all) from rows [n, k]. */
function pick(rows: tf.Tensor2D, list: number[]): tf.Tensor1D {
  const n = rows.shape[0];
  if (list.length === 1) return rows.slice([0, list[0]], [n, 1]).reshape([n]) as tf.Tensor1D;
  const idx = list.length === 1 ? new Array<number>(n).fill(list[0]) : list;
  const oh = tf.oneHot(tf.tensor1d(idx, 'int32'), rows.shape[1]).toFloat();
  return tf.sum(tf.mul(rows, oh), 1) as tf.Tensor1D;
}

function label(v: number | number[]): string {
  return Array.isArray(v) ? (v.length > 4 ? `[${v.slice(0, 3).join(', ')}, … ${v.length}]` : `[${v.join(', ')}]`) : String(v);
}

/**
 * A channel (filter) of a layer: Σᵢⱼ aᵢⱼ (or the mean) of its feature map; for a dense layer, the unit.
 * `c` is one channel for every image, or one per image.
 */
export function channel(layer: string, c: number | number[], options: ChannelOptions = {}): Objective {
  const where = 'channel';
  const { reduce = 'sum' } = options;
  if (reduce !== 'sum' && reduce !== 'mean') throw new Error(`${where}: options.reduce must be 'sum' or 'mean'; got ${JSON.stringify(reduce)}`);
  const list = units(where, 'channel', c);
  return new Objective(
    `channel(${layer}, ${label(c)}${reduce === 'mean' ? ', mean' : ''})`,
    (ctx) => {
      const a = ctx.layer(layer);
      const k = a.shape[a.rank - 1];
      const flat = a.reshape([a.shape[0], -1, k]);
      const m = reduce === 'sum' ? flat.sum(1) : flat.mean(1);
      return pick(m as tf.Tensor2D, list);
    },
    { layers: [layer], classes: false },
    (model, n) => {
      const shape = checkLayer(where, model, layer);
      checkUnits(where, 'channel', list, shape[shape.length - 1] as number, `layer '${layer}' has ${shape[shape.length - 1]} channels`, n);
    },
    list.length > 1 ? list.length : undefined,
  );
}

/** Options of {@link neuron}. */
export interface NeuronOptions {
  /** Row of the feature map; default its centre. */
  y?: number;
  /** Column of the feature map; default its centre. */
  x?: number;
}

/** One neuron: channel `c` of a conv layer at position (y, x) (default the centre of the map). */
export function neuron(layer: string, c: number | number[], options: NeuronOptions = {}): Objective {
  const where = 'neuron';
  const list = units(where, 'channel', c);
  const at = (shape: (number | null)[]): { y: number; x: number } => ({ y: options.y ?? Math.floor((shape[1] as number) / 2), x: options.x ?? Math.floor((shape[2] as number) / 2) });
  return new Objective(
    `neuron(${layer}, ${label(c)}${options.y !== undefined || options.x !== undefined ? `, y ${options.y ?? 'centre'}, x ${options.x ?? 'centre'}` : ''})`,
    (ctx) => {
      const a = ctx.layer(layer);
      const { y, x } = at(a.shape);
      const k = a.shape[3] as number;
      return pick(a.slice([0, y, x, 0], [-1, 1, 1, k]).reshape([a.shape[0], k]) as tf.Tensor2D, list);
    },
    { layers: [layer], classes: false },
    (model, n) => {
      const shape = checkLayer(where, model, layer);
      if (shape.length !== 4) throw new Error(`${where}: layer '${layer}' must have a feature map [n, h, w, c]; its output is [${shape.map((d) => d ?? 'n')}] (use channel for a dense unit)`);
      const { y, x } = at(shape);
      const [h, w] = [shape[1] as number, shape[2] as number];
      if (!Number.isInteger(y) || y < 0 || y >= h) throw new Error(`${where}: options.y must be in 0..${h - 1} (layer '${layer}' is ${h}×${w}); got ${y}`);
      if (!Number.isInteger(x) || x < 0 || x >= w) throw new Error(`${where}: options.x must be in 0..${w - 1} (layer '${layer}' is ${h}×${w}); got ${x}`);
      checkUnits(where, 'channel', list, shape[3] as number, `layer '${layer}' has ${shape[3]} channels`, n);
    },
    list.length > 1 ? list.length : undefined,
  );
}

/** Options of {@link classScore}. */
export interface ClassScoreOptions {
  /**
   * `logit` (default: the score before the output softmax, which does not saturate), `probability`,
   * or `logProbability` (log-softmax: its push fades once the class is certain — under a generator prior
   * that stopped on strokes only the maximized model reads, see `latent`).
   */
  score?: ClassScore;
}

/** The score of class `k` (one class for all images, or one per image): the logit by default. */
export function classScore(k: number | number[], options: ClassScoreOptions = {}): Objective {
  const where = 'classScore';
  const { score = 'logit' } = options;
  if (score !== 'logit' && score !== 'probability' && score !== 'logProbability') throw new Error(`${where}: options.score must be 'logit', 'probability' or 'logProbability'; got ${JSON.stringify(score)}`);
  const list = units(where, 'class', k);
  return new Objective(
    `${score === 'logit' ? 'logit' : score === 'probability' ? 'p' : 'log p'}(${label(k)})`,
    (ctx) => pick(ctx.classScores(score), list),
    { layers: [], classes: true },
    (model, n) => checkUnits(where, 'class', list, model.classes, `the model has ${model.classes} classes`, n),
    list.length > 1 ? list.length : undefined,
  );
}

/**
 * A direction v in a layer's activation space: the cosine similarity between v and the activation
 * vector at each position, averaged over positions (Lucent's `direction`; Kim et al. 2018's concept
 * vectors are such directions).
 */
export function direction(layer: string, v: number[] | Float32Array): Objective {
  const where = 'direction';
  const vec = Array.from(v);
  if (vec.length === 0 || vec.some((x) => !Number.isFinite(x))) throw new Error(`${where}: the direction must be a non-empty vector of finite numbers`);
  const norm = Math.hypot(...vec);
  if (norm === 0) throw new Error(`${where}: the direction must not be the zero vector`);
  return new Objective(
    `direction(${layer}, ‖v‖ ${fmt(norm)})`,
    (ctx) => {
      const a = ctx.layer(layer);
      const k = a.shape[a.rank - 1];
      const flat = a.reshape([-1, k]);
      const dots = tf.matMul(flat, tf.tensor2d(vec.map((x) => x / norm), [k, 1]));
      const cos = tf.div(dots.reshape([-1]), tf.add(tf.norm(flat, 2, 1), 1e-8));
      return cos.reshape([a.shape[0], -1]).mean(1) as tf.Tensor1D;
    },
    { layers: [layer], classes: false },
    (model) => {
      const shape = checkLayer(where, model, layer);
      const k = shape[shape.length - 1];
      if (k !== vec.length) throw new Error(`${where}: layer '${layer}' has ${k} channels but the direction has ${vec.length} entries`);
    },
  );
}

/**
 * Diversity across the batch (Olah et al. 2017; Lucent's `diversity`): each image's Gram matrix
 * G_b = A_bᵀA_b of the layer (channels × channels, normalized to unit Frobenius norm) and value_b =
 * −Σ_{b'≠b} ⟨G_b, G_b'⟩ / n: the more alike the styles of two images, the lower. Add it with a weight
 * to an objective over a batch.
 */
export function diversity(layer: string): Objective {
  const where = 'diversity';
  return new Objective(
    `diversity(${layer})`,
    (ctx) => {
      const a = ctx.layer(layer);
      const n = a.shape[0];
      const k = a.shape[a.rank - 1];
      const flat = a.reshape([n, -1, k]);
      const gram = tf.matMul(flat, flat, true, false).reshape([n, k * k]);
      const unit = tf.div(gram, tf.add(tf.norm(gram, 2, 1, true), 1e-8));
      const sim = tf.matMul(unit, unit, false, true); // [n, n]
      const offDiag = tf.sub(sim.sum(1), tf.sum(tf.mul(sim, tf.eye(n)), 1));
      return tf.div(tf.neg(offDiag), n) as tf.Tensor1D;
    },
    { layers: [layer], classes: false },
    (model) => void checkLayer(where, model, layer),
  );
}

/** 0, 1, …, n−1: one unit per image (`channel('conv2', range(32))`). */
export function range(n: number): number[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`range: n must be a positive integer; got ${n}`);
  return Array.from({ length: n }, (_, i) => i);
}
