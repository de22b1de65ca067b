/**
 * An attribution as one 2-D map per example: images [n, h, w, c] → h × w (channels summed), rows
 * [n, d] → 1 × d. What deletion/insertion order features by and what the randomization check
 * compares.
 *
 * @example
 * ```ts
 * const { maps, height, width } = featureMaps(a.values, true);   // |attribution|, channels summed
 * ```
 */
import { tf } from '../../engine/tf';

/** One map per example, `height × width`, row-major. */
export interface FeatureMaps {
  maps: Float32Array[];
  height: number;
  width: number;
}

/** Reads `values` as one map per example (see the module example); `absolute` takes |·| before summing channels. */
export function featureMaps(values: tf.Tensor, absolute = false): FeatureMaps {
  if (values.rank !== 4 && values.rank !== 2) throw new Error(`featureMaps: values must be [n, h, w, c] or [n, d]; got shape [${values.shape}]`);
  const shape = values.shape as number[];
  const n = shape[0];
  const height = values.rank === 4 ? shape[1] : 1;
  const width = values.rank === 4 ? shape[2] : shape[1];
  const flat = tf.tidy(() => {
    const v = absolute ? tf.abs(values) : values;
    return (values.rank === 4 ? v.sum(-1) : v.clone()).reshape([n, height * width]);
  });
  const data = flat.dataSync() as Float32Array;
  flat.dispose();
  const maps = Array.from({ length: n }, (_, e) => data.slice(e * height * width, (e + 1) * height * width));
  return { maps, height, width };
}
