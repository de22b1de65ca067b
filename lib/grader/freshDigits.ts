/**
 * Fresh inputs for a self-check: held-out digits the notebooks never show (the notebooks use the
 * first digits of `courseDigits`; these come from the last 1,000 held-out digits), picked by a seed,
 * so that a hard-coded answer for the notebook's digits cannot pass.
 *
 * @example
 * ```ts
 * const fresh = freshDigits(4, 11);   // fresh.images [4, 28, 28, 1], fresh.classes
 * fresh.images.dispose();
 * ```
 */
import { tf } from '../engine/tf';
import { loadMnist, mnistSize } from '../data/mnist';
import { checkInteger } from '../checks';

/** `count` held-out digits chosen by `seed` among the last 1,000 of the held-out split. */
export function freshDigits(count: number, seed: number): { images: tf.Tensor4D; classes: number[] } {
  checkInteger('freshDigits', 'count', count, 1);
  if (count > 1000) throw new Error(`freshDigits: count must be at most 1000; got ${count}`);
  if (!Number.isInteger(seed)) throw new Error(`freshDigits: seed must be an integer; got ${seed}`);
  const total = mnistSize('test');
  const first = total - 1000;
  // a small LCG: the same seed picks the same digits everywhere
  let s = (seed * 2654435761 + 12345) >>> 0;
  const picked = new Set<number>();
  while (picked.size < count) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    picked.add(first + (s % 1000));
  }
  const idx = [...picked];
  const all = loadMnist({ split: 'test', count: total });
  const images = tf.tidy(() => tf.gather(all.images, tf.tensor1d(idx, 'int32'))) as tf.Tensor4D;
  const classes = idx.map((i) => all.classes[i]);
  tf.dispose([all.images, all.labels]);
  return { images, classes };
}
