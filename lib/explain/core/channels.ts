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

/** Checks `options.reduce` (or the argument `name`) for method `where` (only rank-4 image batches have channels to reduce). */
export function checkReduction(where: string, reduce: unknown, rank: number, name = 'options.reduce'): ChannelReduction {
  const r = checkChoice(where, name, reduce, REDUCTIONS);
  if (r !== 'none' && rank !== 4) throw new Error(`${where}: ${name} '${r}' needs images [n, h, w, c]; the input has rank ${rank}`);
  return r;
}

/** Reduces the last axis of a rank-4 tensor, keeping it as size 1; `none` returns `t` itself. */
export function reduceChannels(t: tf.Tensor, reduce: ChannelReduction): tf.Tensor {
  checkReduction('reduceChannels', reduce, t.rank, 'reduce');
  if (reduce === 'none') return t;
  return tf.tidy(() => (reduce === 'max' ? t.max(-1, true) : reduce === 'mean' ? t.mean(-1, true) : t.sum(-1, true)));
}
