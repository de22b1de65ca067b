/**
 * A tiny straight-alpha RGBA raster for sprites: fills {@link Shape}s with one pixel of
 * anti-aliasing and composites them front-over-back (Porter & Duff 1984, "over").
 *
 * @example
 * ```ts
 * const c = new SpriteCanvas(64);
 * c.fill(circle(32, 32, 10), [1, 0.8, 0.2]);
 * c.alpha[32 * 64 + 32];   // 1: covered
 * ```
 */
import type { Shape } from './shapes';

/** A colour with channels in [0, 1]. */
export type Rgb = readonly [number, number, number];

/** An RGBA picture being drawn: premultiplied colour and coverage, both float. */
export class SpriteCanvas {
  /** Premultiplied red, green, blue per pixel, row-major. */
  readonly color: Float32Array;
  /** Coverage (alpha) per pixel in [0, 1]. */
  readonly alpha: Float32Array;

  constructor(readonly size: number) {
    this.color = new Float32Array(size * size * 3);
    this.alpha = new Float32Array(size * size);
  }

  /**
   * Paints `shape` in `rgb` over what is there. `clip` (a coverage per pixel, e.g. the body's)
   * limits the paint to where it is positive, as for spots on a body.
   */
  fill(shape: Shape, rgb: Rgb, clip?: Float32Array): void {
    const n = this.size;
    const { x0, y0, x1, y1 } = shape.bounds;
    for (let y = Math.max(0, y0); y < Math.min(n, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(n, x1); x++) {
        const p = y * n + x;
        let a = 0.5 - shape.distance(x + 0.5, y + 0.5);
        if (a <= 0) continue;
        if (a > 1) a = 1;
        if (clip) a *= clip[p];
        if (a <= 0) continue;
        const keep = 1 - a;
        this.color[3 * p] = rgb[0] * a + this.color[3 * p] * keep;
        this.color[3 * p + 1] = rgb[1] * a + this.color[3 * p + 1] * keep;
        this.color[3 * p + 2] = rgb[2] * a + this.color[3 * p + 2] * keep;
        this.alpha[p] = a + this.alpha[p] * keep;
      }
    }
  }

  /** The coverage `shape` alone would have, per pixel (for clipping later paint to it). */
  shapeCoverage(shape: Shape): Float32Array {
    const n = this.size;
    const out = new Float32Array(n * n);
    const { x0, y0, x1, y1 } = shape.bounds;
    for (let y = Math.max(0, y0); y < Math.min(n, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(n, x1); x++) {
        out[y * n + x] = Math.max(0, Math.min(1, 0.5 - shape.distance(x + 0.5, y + 0.5)));
      }
    }
    return out;
  }

  /** 8-bit straight-alpha RGBA (transparent pixels are 0,0,0,0), as a PNG stores it. */
  toRgba(): Uint8Array {
    const n = this.size * this.size;
    const out = new Uint8Array(n * 4);
    for (let p = 0; p < n; p++) {
      const a = this.alpha[p];
      if (a <= 0) continue;
      for (let k = 0; k < 3; k++) out[4 * p + k] = Math.round(Math.min(1, this.color[3 * p + k] / a) * 255);
      out[4 * p + 3] = Math.round(a * 255);
    }
    return out;
  }

  /** 8-bit RGB composited over a solid `background` (a JPEG on white, for instance). */
  toRgb(background: Rgb): Uint8Array {
    const n = this.size * this.size;
    const out = new Uint8Array(n * 3);
    for (let p = 0; p < n; p++) {
      const keep = 1 - this.alpha[p];
      for (let k = 0; k < 3; k++) out[3 * p + k] = Math.round(Math.min(1, this.color[3 * p + k] + background[k] * keep) * 255);
    }
    return out;
  }

  /** The creature's mask: 1 where anything visible was drawn (8-bit alpha > 0), else 0. */
  toMask(): Uint8Array {
    const out = new Uint8Array(this.alpha.length);
    for (let p = 0; p < out.length; p++) out[p] = this.alpha[p] * 255 >= 0.5 ? 1 : 0;
    return out;
  }
}
