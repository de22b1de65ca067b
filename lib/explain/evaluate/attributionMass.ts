/**
 * Where does an attribution lie? The fraction of the total |attribution| of each example that
 * falls inside a mask (the creature) or a box (the watermark): the measure behind the lecture's
 * Pokémon/Digimon story, where the saliency map of a too-accurate classifier sat on the
 * background, and behind the "Clever Hans" horse of Lapuschkin et al. 2019, whose relevance sat on
 * a copyright tag. This is the "attribution mass" of pointing-game style localisation metrics
 * (Zhang et al. 2016, "Top-down neural attention by excitation backprop"; the energy-based
 * pointing game of Wang et al. 2020, "Score-CAM").
 *
 * A share means little without the region's size: a map spread evenly puts 75% of its mass on a
 * background that covers 75% of the pixels. So each result also carries the **concentration**,
 * share ÷ area share: 1 = no preference for the region, 2 = twice the mass per pixel that an even
 * map would give it, 1/a = all the mass in a region of area share a … (for the region, a ≤ 1: the
 * largest possible concentration is 1/a, reached when every bit of mass is inside it).
 *
 * @example
 * ```ts
 * const a = saliency(model, images, { target: 1 });
 * const inCreature = attributionMassInMask(a, masks);            // masks [n, h, w, 1] in {0, 1}
 * console.log(inCreature.mean, 1 - inCreature.mean);             // on creature, on background
 * console.log(inCreature.meanConcentration);                     // > 1: more than its share of the pixels
 * const inLogo = attributionMassInBox(a, { x: 2, y: 50, width: 12, height: 12 });
 * a.dispose();
 * ```
 */
import { tf } from '../../engine/tf';
import type { PixelBox } from '../../data/pixelBox';
import { type Attribution, attributionValues } from '../core/attribution';

/** How much of each example's |attribution| lies in a region. */
export interface AttributionMass {
  /** Σ|a|·mask / Σ|a| per example, in [0, 1]; NaN for an example whose attribution is all zero. */
  perExample: number[];
  /** Mean of `perExample` over the examples that are not NaN. */
  mean: number;
  /** Fraction of the pixels inside the region, per example: what a uniform attribution would score. */
  area: number[];
  /** Mean of `area`. */
  meanArea: number;
  /** Examples whose attribution is all zero (left out of `mean`). */
  zeroTotal: number;
  /**
   * `perExample[i] / area[i]` per example: the share of the mass ÷ the share of the pixels
   * (1 = what a uniform map scores; 1/area = everything inside). NaN when the share is NaN or the
   * region is empty.
   */
  concentration: number[];
  /**
   * The **mean of the per-example ratios** `concentration` (over the examples where it is not
   * NaN) — not `mean / meanArea`, the ratio of the means, which lets large regions outweigh small ones.
   */
  meanConcentration: number;
}

function valuesOf(attribution: Attribution | tf.Tensor, where: string): tf.Tensor {
  const v = attributionValues(where, attribution);
  if (v.rank !== 3 && v.rank !== 4) throw new Error(`${where}: attribution must be [n, height, width] or [n, height, width, channels]; got shape [${v.shape}]`);
  return v;
}

/** The mask as [n or 1, h, w], checked against the attribution's [n, h, w]. */
function maskOf(mask: tf.Tensor, n: number, h: number, w: number, where: string): tf.Tensor3D {
  const expected = `[n, ${h}, ${w}, 1] or [n, ${h}, ${w}] with n = ${n} (or 1 for one mask for all), or [${h}, ${w}]`;
  if (!(mask instanceof tf.Tensor) || mask.isDisposed) throw new Error(`${where}: mask must be a tf.Tensor ${expected}`);
  const s = mask.shape;
  const lead = s.length === 4 ? s[0] : s.length === 3 ? s[0] : 1;
  const hw = s.length === 4 ? s.slice(1, 3) : s.length === 3 ? s.slice(1) : s;
  const ok = (s.length === 2 || s.length === 3 || (s.length === 4 && s[3] === 1)) && (lead === n || lead === 1) && hw[0] === h && hw[1] === w;
  if (!ok) throw new Error(`${where}: mask must be ${expected}; got shape [${s}]`);
  const m = tf.tidy(() => mask.reshape([lead, h, w]).toFloat()) as tf.Tensor3D;
  const [lo, hi] = tf.tidy(() => [m.min().dataSync()[0], m.max().dataSync()[0]]);
  if (!(lo >= 0 && hi <= 1)) {
    m.dispose();
    throw new Error(`${where}: mask values must be in [0, 1] (1 = inside); got values in [${lo}, ${hi}]`);
  }
  return m;
}

/** Sums |a| over channels: [n, h, w]. */
function magnitude(v: tf.Tensor): tf.Tensor3D {
  const a = tf.abs(v.toFloat());
  return (v.rank === 4 ? a.sum(3) : a) as tf.Tensor3D;
}

/** Mean of the values that are not NaN (NaN when none is). */
function meanOf(values: number[]): number {
  const finite = values.filter((v) => !Number.isNaN(v));
  return finite.length ? finite.reduce((s, v) => s + v, 0) / finite.length : NaN;
}

function summarise(inside: ArrayLike<number>, total: ArrayLike<number>, area: ArrayLike<number>, pixels: number): AttributionMass {
  const perExample = Array.from(total, (t, i) => (t > 0 ? Math.min(1, Math.max(0, inside[i] / t)) : NaN));
  const areas = Array.from(area, (a) => a / pixels);
  const concentration = perExample.map((share, i) => (areas[i] > 0 ? share / areas[i] : NaN));
  return {
    perExample,
    mean: meanOf(perExample),
    area: areas,
    meanArea: areas.reduce((s, v) => s + v, 0) / areas.length,
    zeroTotal: perExample.filter((v) => Number.isNaN(v)).length,
    concentration,
    meanConcentration: meanOf(concentration),
  };
}

/** The mass of `v` ([n, h, w(, c)], checked by the caller) inside mask `m` (checked for `where`). */
function massIn(where: string, v: tf.Tensor, mask: tf.Tensor): AttributionMass {
  const [n, h, w] = v.shape;
  const m = maskOf(mask, n, h, w, where);
  const [inside, total, area] = tf.tidy(() => {
    const mag = magnitude(v);
    const full = m.shape[0] === n ? m : tf.tile(m, [n, 1, 1]);
    return [mag.mul(full).sum([1, 2]), mag.sum([1, 2]), full.sum([1, 2])];
  });
  m.dispose();
  const out = summarise(inside.dataSync(), total.dataSync(), area.dataSync(), h * w);
  tf.dispose([inside, total, area]);
  return out;
}

/**
 * Fraction of each example's total |attribution| (summed over channels) that lies inside `mask`.
 *
 * @param attribution - an {@link Attribution} or its values, [n, h, w] or [n, h, w, c].
 * @param mask - 1 inside, 0 outside (soft values in [0, 1] weigh pixels): [n, h, w, 1] or [n, h, w],
 *   or one mask for all examples ([1, h, w, 1], [1, h, w] or [h, w]).
 * @returns per-example fractions, their mean, the mask's area for comparison, and the
 *   concentration (fraction ÷ area) per example and its mean. The fraction outside is `1 − mass`;
 *   to measure the outside, pass `1 − mask`.
 * @throws Error naming `attribution` or `mask` when shapes disagree or mask values leave [0, 1].
 */
export function attributionMassInMask(attribution: Attribution | tf.Tensor, mask: tf.Tensor): AttributionMass {
  return massIn('attributionMassInMask', valuesOf(attribution, 'attributionMassInMask'), mask);
}

/**
 * A [n, height, width, 1] mask that is 1 inside each example's box (one box for all, or one per
 * example; `null` gives an empty mask). Boxes are clipped to the image. The caller disposes it.
 *
 * @example
 * ```ts
 * const m = boxMask(64, 64, [{ x: 2, y: 50, width: 12, height: 12 }, null]);   // [2, 64, 64, 1]
 * ```
 */
export function boxMask(height: number, width: number, boxes: ReadonlyArray<PixelBox | null>): tf.Tensor4D {
  return drawBoxes('boxMask', 'boxes', height, width, boxes);
}

/** {@link boxMask} for function `where`, whose argument holding the boxes is `name`. */
function drawBoxes(where: string, name: string, height: number, width: number, boxes: ReadonlyArray<PixelBox | null>): tf.Tensor4D {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new Error(`${where}: height and width must be positive integers; got ${height}, ${width}`);
  }
  if (!Array.isArray(boxes) || boxes.length === 0) throw new Error(`${where}: ${name} must be a non-empty array of { x, y, width, height } (or null)`);
  const out = new Float32Array(boxes.length * height * width);
  boxes.forEach((b, i) => {
    if (b === null) return;
    if (!b || ![b.x, b.y, b.width, b.height].every(Number.isFinite) || b.width < 0 || b.height < 0) {
      throw new Error(`${where}: ${name}[${i}] must be { x, y, width, height } with finite numbers and width, height ≥ 0; got ${JSON.stringify(b)}`);
    }
    const x0 = Math.max(0, Math.round(b.x));
    const y0 = Math.max(0, Math.round(b.y));
    const x1 = Math.min(width, Math.round(b.x + b.width));
    const y1 = Math.min(height, Math.round(b.y + b.height));
    for (let y = y0; y < y1; y++) out.fill(1, i * height * width + y * width + x0, i * height * width + y * width + Math.max(x0, x1));
  });
  return tf.tensor4d(out, [boxes.length, height, width, 1]);
}

/**
 * Fraction of each example's total |attribution| inside a box: one box for every example, or
 * one per example (e.g. where the watermark was stamped), with the concentration in the box as
 * {@link attributionMassInMask} reports it. Every error names `attributionMassInBox`.
 *
 * @example
 * ```ts
 * const inLogo = attributionMassInBox(saliency(model, stamped), boxes);   // one box per image
 * console.log(inLogo.mean, inLogo.meanArea, inLogo.meanConcentration);    // share, area share, ratio
 * ```
 *
 * @throws Error naming `box` when it is neither a box nor one box per example.
 */
export function attributionMassInBox(attribution: Attribution | tf.Tensor, box: PixelBox | ReadonlyArray<PixelBox>): AttributionMass {
  const v = valuesOf(attribution, 'attributionMassInBox');
  const [n, h, w] = v.shape;
  const boxes = Array.isArray(box) ? box : [box as PixelBox];
  if (boxes.length !== 1 && boxes.length !== n) {
    throw new Error(`attributionMassInBox: box must be one { x, y, width, height } or an array of ${n} (one per example); got ${boxes.length}`);
  }
  const m = drawBoxes('attributionMassInBox', 'box', h, w, boxes);
  try {
    return massIn('attributionMassInBox', v, m);
  } finally {
    m.dispose();
  }
}
