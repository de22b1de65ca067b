/**
 * Channel reduction of an image attribution [n, h, w, c] → [n, h, w, 1], as Simonyan et al. 2014
 * take the maximum of |gradient| over the colour channels of each pixel.
 *
 * @example
 * ```ts
 * const map = reduceChannels(grads.abs(), 'max');   // [n, h, w, 1]
 * ```
 */
import { tf } from '../../engine/tf';
import { checkChoice } from '../../checks';

/** `none` keeps the channels; `max` / `mean` / `sum` reduce them to one. */
export type ChannelReduction = 'none' | 'max' | 'mean' | 'sum';
const REDUCTIONS: readonly ChannelReduction[] = ['none', 'max', 'mean', 'sum'];

/** Checks `options.reduce` for method `where` (only rank-4 image batches have channels to reduce). */
export function checkReduction(where: string, reduce: unknown, rank: number): ChannelReduction {
  const r = checkChoice(where, 'options.reduce', reduce, REDUCTIONS);
  if (r !== 'none' && rank !== 4) throw new Error(`${where}: options.reduce '${r}' needs images [n, h, w, c]; inputs has rank ${rank}`);
  return r;
}

/** Reduces the last axis of a rank-4 tensor, keeping it as size 1; `none` returns `t` itself. */
export function reduceChannels(t: tf.Tensor, reduce: ChannelReduction): tf.Tensor {
  if (reduce === 'none') return t;
  return tf.tidy(() => (reduce === 'max' ? t.max(-1, true) : reduce === 'mean' ? t.mean(-1, true) : t.sum(-1, true)));
}
