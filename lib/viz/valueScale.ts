/**
 * How attribution values become colours: signed maps are diverging and symmetric around 0,
 * magnitudes are sequential from 0, and the range is the `clip` percentile of |value| so that a
 * few outliers do not wash out the map (Captum's `visualize_image_attr` does the same with
 * `outlier_perc`; Kokhlikyan et al. 2020, arXiv:2009.07896).
 */

/** How signs are shown. */
export type SignMode = 'auto' | 'signed' | 'absolute' | 'positive';

/** A resolved value → t ∈ [0, 1] mapping. */
export interface ValueScale {
  /** 'signed' (diverging, 0 ↦ 0.5) or a sequential mode. */
  readonly sign: Exclude<SignMode, 'auto'>;
  /** Value at t = 0 and t = 1. */
  readonly lo: number;
  readonly hi: number;
  /** t of a finite value (clamped to [0, 1]); an all-zero range maps everything to the colour of 0. */
  t(v: number): number;
}

/**
 * The `p`-th percentile (nearest rank, p ∈ (0, 100]) of |v| over the finite entries of the given
 * arrays; 0 when there are none.
 */
export function absPercentile(arrays: readonly Float32Array[], p: number): number {
  let count = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) count++;
  if (count === 0) return 0;
  const abs = new Float32Array(count);
  let k = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) abs[k++] = Math.abs(a[i]);
  if (p >= 100) return abs.reduce((m, x) => (x > m ? x : m), 0);
  abs.sort();
  return abs[Math.max(0, Math.ceil((p / 100) * count) - 1)];
}

/** Whether any finite entry is negative. */
export function hasNegative(arrays: readonly Float32Array[]): boolean {
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (a[i] < 0) return true;
  return false;
}

/**
 * The scale for `arrays` (one image, or all images when the normalization is shared).
 * `range` overrides the percentile: the value that gets the end colour.
 */
export function valueScale(arrays: readonly Float32Array[], sign: Exclude<SignMode, 'auto'>, clip: number, range?: number): ValueScale {
  const m = range ?? absPercentile(sign === 'positive' ? arrays.map((a) => a.map((v) => Math.max(0, v))) : arrays, clip);
  if (sign === 'signed') {
    return { sign, lo: -m, hi: m, t: (v) => (m > 0 ? Math.min(1, Math.max(0, 0.5 + (0.5 * v) / m)) : 0.5) };
  }
  const pos = sign === 'positive';
  return { sign, lo: 0, hi: m, t: (v) => (m > 0 ? Math.min(1, Math.max(0, (pos ? Math.max(0, v) : Math.abs(v)) / m)) : 0) };
}
