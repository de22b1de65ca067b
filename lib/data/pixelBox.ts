/**
 * A rectangle of pixels in an image: where a watermark was stamped (lib/data/sprites), where an
 * attribution is measured (`attributionMassInBox`), what `boxMask` fills.
 *
 * @example
 * ```ts
 * const logo: PixelBox = { x: 0, y: 44, width: 20, height: 20 };   // bottom-left corner of 64 × 64
 * ```
 */

/** A rectangle of pixels: left column `x`, top row `y`, `width` × `height`. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}
