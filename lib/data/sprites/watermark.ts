/**
 * The "horse" story (Lapuschkin et al. 2019, "Unmasking Clever Hans predictors and assessing what
 * machines really learn"): most horse photos of PASCAL VOC carried a copyright tag in a corner,
 * and the classifier learned the tag. Here a small ©-like logo is stamped into the bottom-left
 * corner of an image, and its box is returned so that attributions can be measured inside it.
 *
 * @example
 * ```ts
 * const box = watermarkBox(64);            // { x: 0, y: 44, width: 20, height: 20 }
 * stampWatermark(rgb, 64, box);             // rgb: Uint8Array [64·64·3], changed in place
 * ```
 */
import type { PixelBox } from '../pixelBox';
import { type Rgb, SpriteCanvas } from './canvas';
import { circle } from './shapes';

/** Where the logo goes on a `size`×`size` image: a square of side 20/64 of the image, in the bottom-left corner. */
export function watermarkBox(size: number): PixelBox {
  if (!Number.isInteger(size) || size < 4) throw new Error(`watermarkBox: size must be an integer ≥ 4; got ${size}`);
  const side = Math.round((size * 20) / 64);
  return { x: 0, y: size - side, width: side, height: side };
}

/** Paints the logo into `rgb` (8-bit RGB, `size`×`size`, row-major) inside `box`, in place. */
export function stampWatermark(rgb: Uint8Array, size: number, box: PixelBox): void {
  if (rgb.length !== size * size * 3) throw new Error(`stampWatermark: rgb must hold ${size}×${size}×3 bytes; got ${rgb.length}`);
  const inside = box && [box.x, box.y, box.width, box.height].every(Number.isFinite) && box.x >= 0 && box.y >= 0 && box.width > 0 && box.height > 0 && box.x + box.width <= size && box.y + box.height <= size;
  if (!inside) throw new Error(`stampWatermark: box must be { x, y, width, height } inside the ${size}×${size} image; got ${JSON.stringify(box)}`);
  const logo = new SpriteCanvas(size);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const r = Math.min(box.width, box.height) / 2;
  const dark: Rgb = [0.15, 0.15, 0.18];
  const light: Rgb = [1, 0.85, 0.2];
  logo.fill(circle(cx, cy, r), dark);
  logo.fill(circle(cx, cy, r * 0.7), light);
  logo.fill(circle(cx, cy, r * 0.48), dark);
  logo.fill(circle(cx + r * 0.3, cy, r * 0.32), light);
  for (let p = 0; p < size * size; p++) {
    const a = logo.alpha[p];
    if (a <= 0) continue;
    for (let k = 0; k < 3; k++) rgb[3 * p + k] = Math.round(logo.color[3 * p + k] * 255 + rgb[3 * p + k] * (1 - a));
  }
}
