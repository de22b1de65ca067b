/**
 * Counterfactual swaps: does the model answer for the object or for what is around it? Move each
 * object (creature, animal, tumour…) onto the background of an image of another class, or keep the
 * background and put another class's object on it, and count how often the prediction flips. A
 * model that looks at the object flips when the object changes and not when the background does; a
 * "Clever Hans" model (Lapuschkin et al. 2019, "Unmasking Clever Hans predictors and assessing what
 * machines really learn") does the opposite. This is the background-swap test of Xiao et al. 2021
 * ("Noise or Signal: The Role of Image Backgrounds in Object Recognition", the "Mixed-Rand" /
 * "Mixed-Next" images) and the copy-paste counterfactual of Beery et al. 2018 ("Recognition in
 * Terra Incognita"): no gradients, only the model's answers, so it holds when maps are ambiguous.
 *
 * A composite takes the object of image `c` (its mask `m_c`) and the background of image `b`:
 *
 *   x' = m_c · x_c + (1 − m_c) · fill(x_b),   fill(x_b) = (1 − m_b) · x_b + m_b · mean_bg(x_b)
 *
 * where `mean_bg(x_b)` is the mean colour (per channel) of b's own background: b's object is painted
 * over with its background's mean colour before c's object goes on it, so nothing of b's object is
 * left where c's object does not cover it. For plain backgrounds (a studio backdrop, the black and
 * white of the Pokémon/Digimon story) this is exact; for textured ones it is a flat patch.
 *
 * @example
 * ```ts
 * const data = { images, masks, classes };                        // masks [n, h, w, 1], 1 on the object
 * const bg = counterfactualSwap(model, data, { swap: 'background' });
 * const fg = counterfactualSwap(model, data, { swap: 'foreground' });
 * console.log(bg.flipRate, fg.flipRate);                          // Clever Hans: high, low
 * const control = counterfactualSwap(model, data, { swap: 'background', donorClass: 'same' });
 * ```
 */
import { tf } from '../../engine/tf';
import { throwIfInterrupted } from '../../display/interrupt';
import type { ModelLike } from '../core/attribution';
import { explainedModel, inBatches, type ExplainedScore, type ExplainScore } from '../core/explainedModel';
import { checkChoice, checkInteger } from '../../checks';

/** Images with a mask of their object (1 on it, 0 on the background) and their true class. */
export interface MaskedImages {
  /** [n, height, width, channels]. */
  images: tf.Tensor;
  /** [n, height, width, 1] or [n, height, width], values in [0, 1]. */
  masks: tf.Tensor;
  /** The true class of each image (integers ≥ 0), e.g. to choose donors of another class. */
  classes: readonly number[];
}

/** Which part comes from the donor: its `background` (the object stays) or its `foreground` object (the background stays). */
export type SwapPart = 'background' | 'foreground';

/** Options of {@link counterfactualImages}. */
export interface SwapImagesOptions {
  /** What is taken from the donor image. */
  swap: SwapPart;
  /**
   * The donor of each image, an index into the same batch. Default: {@link swapDonors}`(classes, donorClass)`.
   */
  donors?: readonly number[];
  /** Default donors of an `other` class (the experiment) or of the `same` class (the control); default 'other'. */
  donorClass?: 'other' | 'same';
}

/** Options of {@link counterfactualSwap}. */
export interface CounterfactualOptions extends SwapImagesOptions {
  /** Read the `logit` (default for a model ending in softmax/sigmoid) or the `probability`. */
  explain?: ExplainScore;
  /** Images per forward call; default 128. */
  batchSize?: number;
}

/** What {@link counterfactualSwap} measured. */
export interface CounterfactualSwap {
  /** The part that was swapped. */
  swap: SwapPart;
  /** The donor of each image (index into the batch). */
  donors: number[];
  /** What the scores are: logits, probabilities, or the output as it is. */
  explained: ExplainedScore;
  /** The model's scores [n][classes] on the original images. */
  scoresBefore: number[][];
  /** The model's scores [n][classes] on the composites. */
  scoresAfter: number[][];
  /** Predicted class (arg max) before and after the swap. */
  predictedBefore: number[];
  predictedAfter: number[];
  /** Per image: the prediction changed. */
  flipped: boolean[];
  /** Fraction of images whose prediction changed. */
  flipRate: number;
  /** Flip rate per true class (index = class; NaN for a class with no image). */
  flipRateByClass: number[];
  /**
   * Per image: after the swap the model predicts the class of the image the swapped part came from
   * (the donor's class) — for a two-class problem with donors of the other class, the same as `flipped`.
   */
  followsDonor: boolean[];
  /** Fraction of `followsDonor`. */
  followDonorRate: number;
}

/**
 * The default donors: image i (the k-th image of its class) takes the (k mod m)-th image of the
 * pool, where the pool is every image of another class (`other`) or, for the control, the other
 * images of its own class (`same`, the next one of its class: never itself). Deterministic.
 *
 * @example
 * ```ts
 * swapDonors([0, 0, 1, 1]);          // [2, 3, 0, 1]
 * swapDonors([0, 0, 1, 1], 'same');  // [1, 0, 3, 2]
 * ```
 */
export function swapDonors(classes: readonly number[], donorClass: 'other' | 'same' = 'other'): number[] {
  const where = 'swapDonors';
  checkChoice(where, 'donorClass', donorClass, ['other', 'same'] as const);
  if (!Array.isArray(classes) || classes.length === 0) throw new Error(`${where}: classes must be a non-empty array of class indices`);
  classes.forEach((c, i) => checkInteger(where, `classes[${i}]`, c, 0));
  const rank = new Map<number, number>();
  const members = new Map<number, number[]>();
  const kOf = classes.map((c, i) => {
    const k = rank.get(c) ?? 0;
    rank.set(c, k + 1);
    members.set(c, [...(members.get(c) ?? []), i]);
    return k;
  });
  return classes.map((c, i) => {
    if (donorClass === 'same') {
      const own = members.get(c)!;
      if (own.length < 2) throw new Error(`${where}: donorClass 'same' needs at least two images of each class; class ${c} has one (image ${i})`);
      return own[(kOf[i] + 1) % own.length];
    }
    const pool = classes.map((d, j) => (d !== c ? j : -1)).filter((j) => j >= 0);
    if (pool.length === 0) throw new Error(`${where}: donorClass 'other' needs images of at least two classes; all are class ${c}`);
    return pool[kOf[i] % pool.length];
  });
}

/** Checks images, masks and classes; returns the masks as [n, h, w, 1] float (a new tensor). */
function checkData(where: string, data: MaskedImages): tf.Tensor4D {
  if (!data || typeof data !== 'object') throw new Error(`${where}: data must be { images, masks, classes }`);
  const { images, masks, classes } = data;
  if (!(images instanceof tf.Tensor) || images.isDisposed || images.rank !== 4) {
    throw new Error(`${where}: data.images must be a tf.Tensor [n, height, width, channels]; got ${images instanceof tf.Tensor ? `shape [${images.shape}]` : typeof images}`);
  }
  const [n, h, w] = images.shape;
  const ok = masks instanceof tf.Tensor && !masks.isDisposed && masks.shape[0] === n && masks.shape[1] === h && masks.shape[2] === w && (masks.rank === 3 || (masks.rank === 4 && masks.shape[3] === 1));
  if (!ok) throw new Error(`${where}: data.masks must be a tf.Tensor [${n}, ${h}, ${w}, 1] or [${n}, ${h}, ${w}] (one mask per image); got ${masks instanceof tf.Tensor ? `shape [${masks.shape}]` : typeof masks}`);
  if (!Array.isArray(classes) || classes.length !== n) throw new Error(`${where}: data.classes must hold one class per image (${n}); got ${Array.isArray(classes) ? classes.length : typeof classes}`);
  classes.forEach((c, i) => checkInteger(where, `data.classes[${i}]`, c, 0));
  const m = tf.tidy(() => masks.reshape([n, h, w, 1]).toFloat()) as tf.Tensor4D;
  const [lo, hi] = tf.tidy(() => [m.min().dataSync()[0], m.max().dataSync()[0]]);
  if (!(lo >= 0 && hi <= 1)) {
    m.dispose();
    throw new Error(`${where}: data.masks values must be in [0, 1] (1 = object); got values in [${lo}, ${hi}]`);
  }
  return m;
}

function resolveDonors(where: string, data: MaskedImages, options: SwapImagesOptions): number[] {
  const n = data.classes.length;
  if (options.donors === undefined) {
    try {
      return swapDonors(data.classes, options.donorClass ?? 'other');
    } catch (e) {
      throw new Error((e as Error).message.replace(/^swapDonors/, where));
    }
  }
  const d = options.donors;
  if (!Array.isArray(d) || d.length !== n) throw new Error(`${where}: options.donors must hold one image index per image (${n}); got ${Array.isArray(d) ? d.length : typeof d}`);
  d.forEach((j, i) => {
    if (!Number.isInteger(j) || j < 0 || j >= n) throw new Error(`${where}: options.donors[${i}] must be an image index in 0..${n - 1}; got ${String(j)}`);
  });
  return [...d];
}

/** `fill(x)` of the module doc: each image's object painted over with its background's mean colour. */
function paintOverObject(x: tf.Tensor4D, m: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const bg = tf.sub(1, m);
    const count = tf.maximum(bg.sum([1, 2], true), 1e-6);
    const mean = tf.div(tf.mul(x, bg).sum([1, 2], true), count); // [n, 1, 1, c]
    return tf.add(tf.mul(x, bg), tf.mul(m, mean)) as tf.Tensor4D;
  });
}

function composites(x: tf.Tensor4D, m: tf.Tensor4D, swap: SwapPart, donors: number[]): tf.Tensor4D {
  return tf.tidy(() => {
    const idx = tf.tensor1d(donors, 'int32');
    const xd = tf.gather(x, idx) as tf.Tensor4D;
    const md = tf.gather(m, idx) as tf.Tensor4D;
    const [objX, objM, bgX, bgM] = swap === 'background' ? [x, m, xd, md] : [xd, md, x, m];
    return tf.add(tf.mul(objM, objX), tf.mul(tf.sub(1, objM), paintOverObject(bgX, bgM))) as tf.Tensor4D;
  });
}

/**
 * The composites of a counterfactual swap, [n, height, width, channels] like the images: for
 * `swap: 'background'`, image i's object on the background of its donor; for `'foreground'`, the
 * donor's object on image i's background (see the module doc for the formula). The caller disposes it.
 *
 * @example
 * ```ts
 * const moved = counterfactualImages({ images, masks, classes }, { swap: 'background' });
 * show(imageGrid(moved));
 * moved.dispose();
 * ```
 */
export function counterfactualImages(data: MaskedImages, options: SwapImagesOptions): tf.Tensor4D {
  const where = 'counterfactualImages';
  checkChoice(where, 'options.swap', options?.swap, ['background', 'foreground'] as const);
  const m = checkData(where, data);
  try {
    const donors = resolveDonors(where, data, options);
    return composites(data.images as tf.Tensor4D, m, options.swap, donors);
  } finally {
    m.dispose();
  }
}

/** Scores [n][classes] of `x` in batches. */
function scoresOf(forward: (x: tf.Tensor) => tf.Tensor2D, x: tf.Tensor, batchSize: number): number[][] {
  const rows: number[][] = [];
  inBatches(x.shape[0], batchSize, (lo, hi) => {
    throwIfInterrupted('counterfactualSwap');
    const s = tf.tidy(() => forward(x.slice(lo, hi - lo)));
    const [r, k] = s.shape;
    const d = s.dataSync();
    for (let i = 0; i < r; i++) rows.push(Array.from(d.subarray(i * k, (i + 1) * k)));
    s.dispose();
  });
  return rows;
}

const argMax = (row: number[]) => row.reduce((best, v, k) => (v > row[best] ? k : best), 0);

/**
 * Runs a counterfactual swap (see the module doc): builds the composites of
 * {@link counterfactualImages}, asks the model about the originals and the composites, and reports
 * how often the prediction flips, overall and per true class, with the scores (logits by default)
 * before and after. Compare with `donorClass: 'same'` (a swap that should change nothing): its flip
 * rate is what the compositing itself costs.
 *
 * @param model - a tf.LayersModel or a function batch → scores [n, classes].
 * @param data - images [n, h, w, c], their object masks and true classes.
 * @param options - `swap` ('background' | 'foreground'), optional `donors` or `donorClass`, `explain`, `batchSize`.
 * @throws Error naming the argument when images, masks, classes, donors or swap are malformed.
 *
 * @example
 * ```ts
 * const r = counterfactualSwap(model, { images, masks, classes }, { swap: 'background' });
 * r.flipRate; r.flipRateByClass; r.scoresBefore[0]; r.scoresAfter[0];
 * ```
 */
export function counterfactualSwap(model: ModelLike, data: MaskedImages, options: CounterfactualOptions): CounterfactualSwap {
  const where = 'counterfactualSwap';
  const swap = checkChoice(where, 'options.swap', options?.swap, ['background', 'foreground'] as const);
  const batchSize = checkInteger(where, 'options.batchSize', options.batchSize ?? 128, 1);
  const m = checkData(where, data);
  let donors: number[];
  let after: tf.Tensor4D;
  try {
    donors = resolveDonors(where, data, options);
    after = composites(data.images as tf.Tensor4D, m, swap, donors);
  } finally {
    m.dispose();
  }
  try {
    const em = explainedModel(where, model, data.images, { target: 0, explain: options.explain, rule: { ranks: [4], expected: 'images [n, height, width, channels]' } });
    const scoresBefore = scoresOf(em.forward, data.images, batchSize);
    const scoresAfter = scoresOf(em.forward, after, batchSize);
    const predictedBefore = scoresBefore.map(argMax);
    const predictedAfter = scoresAfter.map(argMax);
    const flipped = predictedBefore.map((p, i) => p !== predictedAfter[i]);
    const donorClassOf = donors.map((d) => data.classes[d]);
    const followsDonor = predictedAfter.map((p, i) => p === donorClassOf[i]);
    const rate = (b: boolean[]) => b.filter(Boolean).length / b.length;
    const classCount = Math.max(...data.classes) + 1;
    const flipRateByClass = Array.from({ length: classCount }, (_, c) => {
      const mine = flipped.filter((_, i) => data.classes[i] === c);
      return mine.length ? rate(mine) : NaN;
    });
    return { swap, donors, explained: em.explained, scoresBefore, scoresAfter, predictedBefore, predictedAfter, flipped, flipRate: rate(flipped), flipRateByClass, followsDonor, followDonorRate: rate(followsDonor) };
  } finally {
    after.dispose();
  }
}
