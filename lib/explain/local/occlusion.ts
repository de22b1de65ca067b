/**
 * Occlusion (Zeiler & Fergus 2014, "Visualizing and Understanding Convolutional Networks"): cover
 * one part of the image with a patch, watch how much the target score drops; the parts whose
 * covering hurts most are the critical components. A pixel's attribution is the mean drop over all
 * patch positions that cover it.
 *
 * All patch positions of one image go through the model in a few batched calls (a 28×28 image
 * with a 4×4 patch and stride 2 is 169 occluded copies: one forward call).
 *
 * @example
 * ```ts
 * const a = occlusion(model, images, { target: 3, patch: 4, stride: 2, fill: 0 });
 * a.values          // [n, 28, 28, 1]: drop of p(3) when each region is covered
 * a.dispose();
 * ```
 */
import { tf } from '../../engine/tf';
import { type Attribution, createAttribution, type ModelLike, type Target } from '../core/attribution';
import { gaussianBlur } from '../core/blur';
import { checkInteger } from '../../checks';
import { explainedModel, type ExplainScore } from '../core/explainedModel';
import { throwIfInterrupted } from '../../display/interrupt';

/** What covers the patch: a constant value, the image's per-channel `mean`, or its `blur`. */
export type OcclusionFill = number | 'mean' | 'blur';

/** Options of {@link occlusion}. */
export interface OcclusionOptions {
  /** Class index, or one per example; default: the predicted class. */
  target?: Target;
  /** Patch size in pixels, `size` or `[height, width]`; default 4. */
  patch?: number | [number, number];
  /** Step between patch positions; default half the patch (at least 1). The last position always touches the border. */
  stride?: number | [number, number];
  /** What the patch shows; default 0 (black). */
  fill?: OcclusionFill;
  /** Standard deviation in pixels for `fill: 'blur'`; default 2. */
  blurSigma?: number;
  /** Occluded copies per forward call; default 256. */
  batchSize?: number;
  /** Explain the `logit` (default for a model ending in softmax/sigmoid) or the `probability`. */
  explain?: ExplainScore;
}

function pair(where: string, name: string, v: number | [number, number]): [number, number] {
  const p: unknown[] = Array.isArray(v) ? v : [v, v];
  if (p.length !== 2) throw new Error(`${where}: ${name} must be a number or [height, width]; got ${JSON.stringify(v)}`);
  return [checkInteger(where, name, p[0], 1), checkInteger(where, name, p[1], 1)];
}

/** Start offsets of a window of `size` sliding by `stride` over `length`, the last one flush with the end. */
function offsets(length: number, size: number, stride: number): number[] {
  const o: number[] = [];
  for (let s = 0; s + size <= length; s += stride) o.push(s);
  if (o[o.length - 1] !== length - size) o.push(length - size);
  return o;
}

/** Patch masks [positions, h·w] (1 inside the patch) and how many patches cover each pixel. */
function patchMasks(h: number, w: number, patch: [number, number], stride: [number, number]): { masks: Float32Array; count: number; cover: Float32Array } {
  const tops = offsets(h, patch[0], stride[0]);
  const lefts = offsets(w, patch[1], stride[1]);
  const count = tops.length * lefts.length;
  const masks = new Float32Array(count * h * w);
  const cover = new Float32Array(h * w);
  let p = 0;
  for (const t of tops) {
    for (const l of lefts) {
      for (let i = t; i < t + patch[0]; i++) {
        for (let j = l; j < l + patch[1]; j++) {
          masks[p * h * w + i * w + j] = 1;
          cover[i * w + j] += 1;
        }
      }
      p++;
    }
  }
  return { masks, count, cover };
}

function fillImage(x: tf.Tensor, fill: OcclusionFill, blurSigma: number): tf.Tensor {
  if (fill === 'blur') return gaussianBlur(x, blurSigma);
  if (fill === 'mean') return tf.tidy(() => x.mean([1, 2], true));
  return tf.scalar(fill);
}

/** Method-specific results of {@link occlusion}. */
export interface OcclusionExtras {
  /** F(x) per example. */
  inputScore: number[];
  /** Patch positions per image. */
  positions: number;
}

/**
 * Slides a patch over each image and attributes to every pixel the mean drop of the target score
 * over the patch positions covering it: F(x) − F(x with the patch covered).
 *
 * @returns an {@link Attribution} with `values` [n, h, w, c] (the same drop in every channel) and
 *   `extras.inputScore` (F(x) per example) and `extras.positions` (patch positions per image).
 */
export function occlusion(model: ModelLike, inputs: tf.Tensor, options: OcclusionOptions = {}): Attribution<OcclusionExtras> {
  const where = 'occlusion';
  const { fill = 0, blurSigma = 2, batchSize = 256 } = options;
  const m = explainedModel(where, model, inputs, { target: options.target, explain: options.explain, rule: { ranks: [4], expected: 'images [n, height, width, channels]' } });
  const [n, h, w, c] = inputs.shape as [number, number, number, number];
  const patch = pair(where, 'options.patch', options.patch ?? 4);
  const stride = pair(where, 'options.stride', options.stride ?? [Math.max(1, Math.floor(patch[0] / 2)), Math.max(1, Math.floor(patch[1] / 2))]);
  if (patch[0] > h || patch[1] > w) throw new Error(`${where}: options.patch [${patch}] must fit in the ${h}×${w} image`);
  checkInteger(where, 'options.batchSize', batchSize, 1);
  if (!(typeof blurSigma === 'number' && blurSigma >= 0)) throw new Error(`${where}: options.blurSigma must be a number ≥ 0; got ${blurSigma}`);
  if (!(fill === 'mean' || fill === 'blur' || (typeof fill === 'number' && Number.isFinite(fill)))) {
    throw new Error(`${where}: options.fill must be a number, 'mean' or 'blur'; got ${JSON.stringify(fill)}`);
  }

  const { masks, count, cover } = patchMasks(h, w, patch, stride);
  const inputScore = Array.from(m.scores(inputs, m.target, batchSize));
  const values = new Float32Array(n * h * w * c);
  const drops = new Float32Array(count);
  for (let e = 0; e < n; e++) {
    throwIfInterrupted('occlusion'); // interrupt: between images, nothing held
    const x = inputs.slice(e, 1);
    const f = fillImage(x, fill, blurSigma);
    for (let lo = 0; lo < count; lo += batchSize) {
      const size = Math.min(batchSize, count - lo);
      const occluded = tf.tidy(() => {
        const mk = tf.tensor4d(masks.subarray(lo * h * w, (lo + size) * h * w), [size, h, w, 1]);
        return tf.add(tf.mul(x, tf.sub(1, mk)), tf.mul(f, mk));
      });
      const s = m.scores(occluded, new Array<number>(size).fill(m.target[e]), batchSize);
      occluded.dispose();
      for (let p = 0; p < size; p++) drops[lo + p] = inputScore[e] - s[p];
    }
    tf.dispose([x, f]);
    const base = e * h * w * c;
    for (let pix = 0; pix < h * w; pix++) {
      let sum = 0;
      for (let p = 0; p < count; p++) {
        const mv = masks[p * h * w + pix];
        if (mv) sum += drops[p];
      }
      const v = sum / cover[pix];
      for (let ch = 0; ch < c; ch++) values[base + pix * c + ch] = v;
    }
  }
  return createAttribution({
    method: 'occlusion',
    values: tf.tensor4d(values, [n, h, w, c]),
    target: m.target,
    explained: m.explained,
    score: inputScore,
    options: { patch, stride, fill, blurSigma, batchSize },
    extras: { inputScore, positions: count },
  });
}
