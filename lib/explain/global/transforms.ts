/**
 * Transformation robustness (Mordvintsev et al. 2015, "Inceptionism"; Olah et al. 2017; Lucent's
 * `transform.py`): each step the image is padded, jittered, scaled and rotated at random before the
 * model sees it, so that gradient ascent cannot rely on one exact pixel pattern. Lucid's standard set
 * is made for 224 px images (pad 12, jitter 8, …); {@link standardTransforms} scales it to the image
 * size — a jitter of 8 px would be a third of a 28 px digit.
 *
 * Scaling and rotation resample bilinearly with a sampling matrix (x_out = x_in·M, M of
 * (hw)² entries, 4 non-zero per column): differentiable with one matmul, and at 28×28 cheap.
 *
 * @example
 * ```ts
 * render(model, classScore(3), { transforms: standardTransforms(28) })
 * render(model, classScore(3), { transforms: [pad(2), jitter(2), randomAffine({ scales: [0.9, 1, 1.1], degrees: [-10, 0, 10] })] })
 * ```
 */
import { tf } from '../../engine/tf';

/** One random transform of an image batch [n, h, w, c]; it may change h and w. */
export interface Transform {
  /** How it prints. */
  readonly name: string;
  /** Applies it with random numbers from `rnd` (uniform in [0, 1)); call inside a tidy. */
  apply(x: tf.Tensor4D, rnd: () => number): tf.Tensor4D;
}

function nonNegInt(where: string, arg: string, v: number): number {
  if (!Number.isInteger(v) || v < 0) throw new Error(`${where}: ${arg} must be an integer ≥ 0; got ${v}`);
  return v;
}

/** Pads each side by `p` pixels of `value` (default 0: the blank background of a digit). */
export function pad(p: number, value = 0): Transform {
  nonNegInt('pad', 'p', p);
  return { name: `pad(${p})`, apply: (x) => (p === 0 ? x : tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]], value)) };
}

/** Crops a random (h − d)×(w − d) window: a shift of up to d pixels (Lucent's `jitter`). */
export function jitter(d: number): Transform {
  nonNegInt('jitter', 'd', d);
  return {
    name: `jitter(${d})`,
    apply(x, rnd) {
      const [n, h, w, c] = x.shape;
      if (d === 0) return x;
      if (d >= Math.min(h, w)) throw new Error(`jitter: d must be smaller than the image (${h}×${w}); got ${d}`);
      const dy = Math.floor(rnd() * (d + 1));
      const dx = Math.floor(rnd() * (d + 1));
      return x.slice([0, dy, dx, 0], [n, h - d, w - d, c]);
    },
  };
}

/**
 * The bilinear sampling matrix [h·w, h·w] of an affine map about the image centre: output pixel p
 * reads the input at centre + R(−θ)(p − centre)/s; samples outside the image read 0.
 */
export function affineSamplingMatrix(h: number, w: number, scale: number, degrees: number): Float32Array {
  const m = new Float32Array(h * w * h * w);
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  const t = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(t), Math.sin(t)];
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
    const y0 = i - cy;
    const x0 = j - cx;
    const sy = (cos * y0 - sin * x0) / scale + cy;
    const sx = (sin * y0 + cos * x0) / scale + cx;
    const fy = Math.floor(sy);
    const fx = Math.floor(sx);
    const out = i * w + j;
    for (const [yy, wy] of [[fy, 1 - (sy - fy)], [fy + 1, sy - fy]]) {
      if (yy < 0 || yy >= h || wy === 0) continue;
      for (const [xx, wx] of [[fx, 1 - (sx - fx)], [fx + 1, sx - fx]]) {
        if (xx < 0 || xx >= w || wx === 0) continue;
        m[(yy * w + xx) * h * w + out] += wy * wx;
      }
    }
  }
  return m;
}

/** Applies the sampling matrix `m` [h·w, h·w] to every channel of x [n, h, w, c]. */
function resample(x: tf.Tensor4D, m: Float32Array): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const mat = tf.tensor2d(m, [h * w, h * w]);
  if (c === 1) return tf.matMul(x.reshape([n, h * w]), mat).reshape([n, h, w, 1]);
  const rows = x.transpose([0, 3, 1, 2]).reshape([n * c, h * w]);
  return tf.matMul(rows, mat).reshape([n, c, h, w]).transpose([0, 2, 3, 1]) as tf.Tensor4D;
}

function choices(where: string, arg: string, v: number[], ok: (x: number) => boolean): number[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number' && ok(x))) throw new Error(`${where}: ${arg} must be a non-empty array of valid numbers; got ${JSON.stringify(v)}`);
  return v;
}

/** Options of {@link randomAffine}. */
export interface AffineOptions {
  /** Scale factors to pick from; default [1]. */
  scales?: number[];
  /** Angles in degrees to pick from; default [0]. */
  degrees?: number[];
}

/** A random scale and rotation about the centre, picked from the lists; one bilinear resampling. */
export function randomAffine(options: AffineOptions = {}): Transform {
  const scales = choices('randomAffine', 'options.scales', options.scales ?? [1], (s) => s > 0 && Number.isFinite(s));
  const degrees = choices('randomAffine', 'options.degrees', options.degrees ?? [0], Number.isFinite);
  return {
    name: `randomAffine(scales ${scales.length}, degrees ${degrees.length})`,
    apply(x, rnd) {
      const [, h, w] = x.shape;
      const s = scales[Math.floor(rnd() * scales.length)];
      const d = degrees[Math.floor(rnd() * degrees.length)];
      if (s === 1 && d === 0) return x;
      return resample(x, affineSamplingMatrix(h, w, s, d));
    },
  };
}

/** A random scale picked from `scales` (Lucent's `random_scale`). */
export function randomScale(scales: number[]): Transform {
  return { ...randomAffine({ scales }), name: `randomScale(${scales.length})` };
}

/** A random rotation picked from `degrees` (Lucent's `random_rotate`). */
export function randomRotate(degrees: number[]): Transform {
  return { ...randomAffine({ degrees }), name: `randomRotate(${degrees.length})` };
}

/**
 * Lucid's standard transforms — pad 12, jitter 8, scale 0.9…1.1, rotate −10…10°, jitter 4 at 224 px —
 * with the pixel amounts scaled to an image of `size` px (at least 1 px each): for 28 px, pad 2,
 * jitter 1, scale, rotate, jitter 1.
 */
export function standardTransforms(size = 224): Transform[] {
  if (!Number.isInteger(size) || size < 8) throw new Error(`standardTransforms: size must be an integer ≥ 8 (pixels); got ${size}`);
  const px = (v: number) => Math.max(1, Math.round((v * size) / 224));
  return [
    pad(px(12)),
    jitter(px(8)),
    randomAffine({ scales: Array.from({ length: 11 }, (_, i) => 1 + (i - 5) / 50), degrees: Array.from({ length: 21 }, (_, i) => i - 10) }),
    jitter(px(4)),
  ];
}

/** Crops (centred) or pads with `value` so that x is h×w again. */
export function fitTo(x: tf.Tensor4D, h: number, w: number, value = 0): tf.Tensor4D {
  const [n, xh, xw, c] = x.shape;
  if (xh === h && xw === w) return x;
  let y = x;
  if (xh < h || xw < w) {
    const ph = Math.max(0, h - xh);
    const pw = Math.max(0, w - xw);
    y = tf.pad(y, [[0, 0], [Math.floor(ph / 2), ph - Math.floor(ph / 2)], [Math.floor(pw / 2), pw - Math.floor(pw / 2)], [0, 0]], value);
  }
  const [, yh, yw] = y.shape;
  return y.slice([0, Math.floor((yh - h) / 2), Math.floor((yw - w) / 2), 0], [n, h, w, c]);
}
