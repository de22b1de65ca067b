/**
 * Starting codes for class maximization under a generator prior, chosen by the classifier itself:
 * draw a pool of z ~ N(0, I), let the classifier read every G(z), and start the ascent for class c
 * from the codes whose image it already finds most like a c (a best-of-pool restart, the
 * initialization-by-sampling of Nguyen et al. 2016, "Synthesizing the preferred inputs for neurons
 * in neural networks via deep generator networks", who start from codes of real images). Gradient
 * ascent from a random z can get stuck on a poor local optimum — a 7 that never turns into a 1 and
 * ends as strokes the classifier alone calls 1; from a pool it starts among the generator's own 1s.
 * Only the classifier under study chooses, never an outside judge.
 *
 * @example
 * ```ts
 * const z0 = latentStarts(model, generator, [0, 1, 2], { pool: 1024 });   // [3, d]
 * const r = await render(model, classScore([0, 1, 2]), { param: latent(generator, { init: z0 }) });
 * z0.dispose();
 * ```
 */
import { tf } from '../../../engine/tf';

/** Options of {@link latentStarts}. */
export interface LatentStartsOptions {
  /** Codes drawn; default 1024. */
  pool?: number;
  /** Seed of the pool; default 0. */
  seed?: number;
}

/**
 * For each entry c of `classes`, a starting code z [classes.length, d]: the pool's code whose image
 * G(z) the classifier gives the highest output for c (its probability, or its logit for a model
 * without softmax); the k-th occurrence of a class gets its k-th best code, so repeated classes start
 * apart. The caller disposes the result.
 */
export function latentStarts(classifier: tf.LayersModel, generator: tf.LayersModel, classes: number[], options: LatentStartsOptions = {}): tf.Tensor2D {
  const where = 'latentStarts';
  if (!(classifier instanceof tf.LayersModel)) throw new Error(`${where}: classifier must be a tf.LayersModel`);
  if (!(generator instanceof tf.LayersModel)) throw new Error(`${where}: generator must be a tf.LayersModel from z [n, d] to images`);
  const zShape = generator.inputs[0].shape;
  if (zShape.length !== 2 || typeof zShape[1] !== 'number') throw new Error(`${where}: the generator's input must be z [n, d]; it is [${zShape.map((x) => x ?? 'n')}]`);
  const d = zShape[1];
  const { pool = 1024, seed = 0 } = options;
  if (!Number.isInteger(pool) || pool < 1) throw new Error(`${where}: options.pool must be a positive integer; got ${pool}`);
  if (!Number.isInteger(seed)) throw new Error(`${where}: options.seed must be an integer; got ${seed}`);
  const out = classifier.outputs[0].shape;
  const k = out[out.length - 1] as number;
  if (!Array.isArray(classes) || classes.length < 1 || classes.some((c) => !Number.isInteger(c) || c < 0 || c >= k)) {
    throw new Error(`${where}: classes must be a non-empty list of class indices in 0..${k - 1}; got ${JSON.stringify(classes)?.slice(0, 80)}`);
  }
  const counts = new Map<number, number>();
  for (const c of classes) counts.set(c, (counts.get(c) ?? 0) + 1);
  for (const [c, m] of counts) if (m > pool) throw new Error(`${where}: options.pool (${pool}) must hold at least the ${m} starts asked for class ${c}`);
  return tf.tidy(() => {
    const z = tf.randomNormal([pool, d], 0, 1, 'float32', seed);
    const scores: number[][] = [];
    for (let lo = 0; lo < pool; lo += 256) {
      const zb = z.slice([lo, 0], [Math.min(256, pool - lo), d]);
      const x = generator.apply(zb, { training: false }) as tf.Tensor;
      scores.push(...((classifier.apply(x, { training: false }) as tf.Tensor).arraySync() as number[][]));
    }
    const ranked = new Map<number, number[]>();
    for (const c of counts.keys()) ranked.set(c, Array.from({ length: pool }, (_, i) => i).sort((a, b) => scores[b][c] - scores[a][c]));
    const used = new Map<number, number>();
    const rows = classes.map((c) => {
      const j = used.get(c) ?? 0;
      used.set(c, j + 1);
      return ranked.get(c)![j];
    });
    return tf.gather(z, rows) as tf.Tensor2D;
  });
}
