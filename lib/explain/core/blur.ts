/**
 * Gaussian blur of an image batch, the "blurred" reference of occlusion, Integrated Gradients'
 * blurred baseline (Sturmfels, Lundberg & Lee 2020, "Visualizing the Impact of Feature Attribution
 * Baselines") and the insertion curve's start (Petsiuk, Das & Saenko 2018, RISE).
 *
 * @example
 * ```ts
 * const soft = gaussianBlur(images, 3);   // [n, h, w, c], reflected at the borders
 * ```
 */
import { tf } from '../../engine/tf';

/** Blurs each channel of `images` [n, h, w, c] with a Gaussian of standard deviation `sigma` pixels. */
export function gaussianBlur(images: tf.Tensor, sigma: number): tf.Tensor4D {
  if (!(images instanceof tf.Tensor) || images.rank !== 4) {
    throw new Error(`gaussianBlur: images must be a tf.Tensor [n, height, width, channels]; got ${images instanceof tf.Tensor ? `shape [${images.shape}]` : typeof images}`);
  }
  if (!(typeof sigma === 'number' && sigma >= 0 && Number.isFinite(sigma))) throw new Error(`gaussianBlur: sigma must be a finite number ≥ 0; got ${sigma}`);
  const [, h, w, c] = images.shape;
  if (sigma === 0) return images.clone() as tf.Tensor4D;
  const radius = Math.min(Math.ceil(3 * sigma), h - 1, w - 1);
  if (radius < 1) return images.clone() as tf.Tensor4D;
  const k: number[] = [];
  for (let i = -radius; i <= radius; i++) k.push(Math.exp(-(i * i) / (2 * sigma * sigma)));
  const total = k.reduce((a, b) => a + b, 0);
  const taps = k.map((v) => v / total);
  return tf.tidy(() => {
    const line = tf.tensor1d(taps);
    const kv = line.reshape([2 * radius + 1, 1, 1, 1]).tile([1, 1, c, 1]) as tf.Tensor4D;
    const kh = line.reshape([1, 2 * radius + 1, 1, 1]).tile([1, 1, c, 1]) as tf.Tensor4D;
    const padded = tf.mirrorPad(images as tf.Tensor4D, [[0, 0], [radius, radius], [radius, radius], [0, 0]], 'reflect');
    const v = tf.depthwiseConv2d(padded, kv, 1, 'valid');
    return tf.depthwiseConv2d(v, kh, 1, 'valid');
  });
}
