/**
 * The creatures alone, rendered in memory on one background for both classes: no file format, no
 * shortcut. A classifier trained on these measures how separable the *creatures* are.
 *
 * @example
 * ```ts
 * const s = renderSprites({ perClass: 500, background: [1, 1, 1] });
 * s.images;   // [1000, 64, 64, 3], classes interleaved: digimon, pokemon, digimon, …
 * tf.dispose([s.images, s.labels, s.masks]);
 * ```
 */
import { tf } from '../../engine/tf';
import { type Rgb } from './canvas';
import { drawCreature } from './creature';
import { sampleGenes, SPRITE_CLASSES } from './genes';
import { SpriteRandom } from './random';

/** Options of {@link renderSprites}. */
export interface RenderSpritesOptions {
  /** Images per class; default 500. */
  perClass?: number;
  /** Side in pixels; default 64. */
  size?: number;
  /** Default 0; the same seed as the files gives the same creatures. */
  seed?: number;
  /** The one background of every image, RGB in [0, 1]; default white. */
  background?: Rgb;
  /** Start at this image index of each class (to draw a disjoint test set); default 0. */
  offset?: number;
}

/** Rendered creatures; the caller disposes the tensors. */
export interface RenderedSprites {
  /** [n, size, size, 3] float32 in [0, 1]. */
  images: tf.Tensor4D;
  /** [n] int32 index into {@link SPRITE_CLASSES}. */
  labels: tf.Tensor1D;
  /** [n, size, size, 1] float32, 1 on the creature. */
  masks: tf.Tensor4D;
  /** The labels as plain numbers. */
  classes: number[];
}

/** Renders `perClass` creatures of each class, interleaved by class, on `background`. */
export function renderSprites(options: RenderSpritesOptions = {}): RenderedSprites {
  const { perClass = 500, size = 64, seed = 0, background = [1, 1, 1], offset = 0 } = options;
  if (!Number.isInteger(perClass) || perClass < 1) throw new Error(`renderSprites: options.perClass must be a positive integer; got ${perClass}`);
  if (!Number.isInteger(size) || size < 32) throw new Error(`renderSprites: options.size must be an integer ≥ 32; got ${size}`);
  if (!Number.isInteger(offset) || offset < 0) throw new Error(`renderSprites: options.offset must be an integer ≥ 0; got ${offset}`);
  if (!Array.isArray(background) || background.length !== 3 || background.some((v) => !(v >= 0 && v <= 1))) {
    throw new Error(`renderSprites: options.background must be [r, g, b] in [0, 1]; got ${JSON.stringify(background)}`);
  }
  const hw = size * size;
  const n = perClass * SPRITE_CLASSES.length;
  const x = new Float32Array(n * hw * 3);
  const m = new Float32Array(n * hw);
  const classes: number[] = [];
  for (let j = 0; j < perClass; j++) {
    SPRITE_CLASSES.forEach((cls, k) => {
      const i = classes.length;
      const c = drawCreature(sampleGenes(new SpriteRandom(seed, k, offset + j), cls), size);
      const rgb = c.toRgb(background);
      for (let p = 0; p < hw * 3; p++) x[i * hw * 3 + p] = rgb[p] / 255;
      m.set(c.toMask(), i * hw);
      classes.push(k);
    });
  }
  return {
    images: tf.tensor4d(x, [n, size, size, 3]),
    labels: tf.tensor1d(classes, 'int32'),
    masks: tf.tensor4d(m, [n, size, size, 1]),
    classes,
  };
}
