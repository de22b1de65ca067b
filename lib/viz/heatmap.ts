/**
 * Heatmaps of attributions (saliency, SmoothGrad, integrated gradients, occlusion …), as in the
 * lecture's "which pixels mattered" pictures (Simonyan et al. 2014, arXiv:1312.6034).
 */
import type { Figure } from '../display/figure';
import { type Attribution, isAttribution } from '../explain/core/attribution';
import { colormap, DIVERGING_DEFAULT, NON_FINITE_COLOR, SEQUENTIAL_DEFAULT, type ColormapName } from './colormap';
import { batchShape, toImageBatch, type ImageBatch, type ImageInput } from './images';
import { fmt, gridFigureHtml, type ColorBar } from './layout';
import { createRaster, encodePng, gridRaster, pngBase64 } from './raster';
import { withColorBar } from './colorBarRaster';
import { hasNegative, valueScale, type SignMode, type ValueScale } from './valueScale';
import { checkChoice } from '../checks';
import { checkCaptions, checkRange, defaultScale } from './checks';

/** Options of {@link heatmap}. */
export interface HeatmapOptions {
  /** Input image(s) to draw under the map: same height × width; one image or one per map. */
  image?: ImageInput;
  /** Opacity of the map over `image` (default 0.5; ignored without an image). */
  opacity?: number;
  /** Colormap (default 'RdBu_r' for signed maps, 'viridis' for magnitudes). */
  colormap?: ColormapName;
  /** 'auto' (default): signed when any value is negative; 'absolute': |value|; 'positive': negatives as 0. */
  sign?: SignMode;
  /** Percentile of |value| that gets the end colour (default 99; 100 = the maximum). */
  clip?: number;
  /** 'image' (default): each map has its own range; 'shared': one range for the batch. */
  normalize?: 'image' | 'shared';
  /** Fixed end value (instead of the percentile): ±range for signed maps, [0, range] otherwise. */
  range?: number;
  /** Title above the grid (default: the attribution's method). */
  title?: string;
  /** One caption per map (default: the attribution's target class). */
  captions?: readonly string[];
  /** Maps per row (default: up to 8). */
  cols?: number;
  /** Upscaling factor, nearest neighbour (default: about 140 px per map). */
  scale?: number;
}

/** Sums channels: one h × w map per image. */
function channelSums(b: ImageBatch): Float32Array[] {
  const hw = b.h * b.w;
  return Array.from({ length: b.n }, (_, i) => {
    const out = new Float32Array(hw);
    const base = i * hw * b.c;
    for (let p = 0; p < hw; p++) {
      let s = 0;
      for (let k = 0; k < b.c; k++) s += b.data[base + p * b.c + k];
      out[p] = s;
    }
    return out;
  });
}

/** RGB bytes of image `i` of an underlay batch (values clamped to [0, 1]). */
function underlayRgb(b: ImageBatch, i: number): Uint8Array {
  const hw = b.h * b.w;
  const out = new Uint8Array(hw * 3);
  const idx = b.n === 1 ? 0 : i;
  for (let p = 0; p < hw; p++) {
    const s = (idx * hw + p) * b.c;
    for (let k = 0; k < 3; k++) {
      const v = b.data[s + (b.c >= 3 ? k : 0)];
      out[3 * p + k] = Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)));
    }
  }
  return out;
}

const barCache = new Map<string, string>();
function colorBarPng(name: string, lut: Uint8Array): string {
  if (barCache.has(name)) return barCache.get(name)!;
  const r = createRaster(256, 10);
  for (let y = 0; y < 10; y++) r.rgb.set(lut, y * 256 * 3);
  const png = encodePng(r).toString('base64');
  if (name !== 'custom') barCache.set(name, png);
  return png;
}

/**
 * A heatmap of attribution values, optionally over the input image: diverging and centred at 0
 * for signed values, sequential for magnitudes, with a colour bar, percentile clipping and a
 * note saying how it was normalized. The `image/png` form is the grid of maps (at the top-left,
 * pixel for pixel) with the colour bar and its value labels under it. NaN/±Inf pixels are magenta and counted in
 * `figure.info.nonFinite`; an all-zero map is drawn in the colour of 0. A batch becomes a grid.
 *
 * @example
 * ```ts
 * const a = saliency(model, images, { target: 3 });
 * show(heatmap(a, { image: images, opacity: 0.6 }));
 * ```
 */
export function heatmap(values: ImageInput | Attribution, options: HeatmapOptions = {}): Figure {
  const batch = toImageBatch(values, 'heatmap: values');
  const { n, h, w } = batch;
  const clip = options.clip ?? 99;
  checkRange('heatmap: options.clip', clip, 0, 100, 'a percentile in (0, 100]', true);
  const normalize = checkChoice('heatmap', 'options.normalize', options.normalize ?? 'image', ['image', 'shared'] as const);
  const signOpt = checkChoice('heatmap', 'options.sign', options.sign ?? 'auto', ['auto', 'signed', 'absolute', 'positive'] as const);
  if (options.range !== undefined && !(Number.isFinite(options.range) && options.range > 0)) {
    throw new Error(`heatmap: options.range must be a positive finite number; got ${options.range}`);
  }
  const captions = checkCaptions('heatmap', options.captions, n, batchShape(batch)) ?? (isAttribution(values) ? values.target.map((t) => `target ${t}`) : undefined);
  const scale = options.scale ?? defaultScale(h, w);
  checkRange('heatmap: options.scale', scale, 1, 64, 'an integer from 1 to 64', false, true);
  const cols = options.cols ?? Math.min(n, 8);
  checkRange('heatmap: options.cols', cols, 1, Infinity, 'a positive integer', false, true);

  let under: ImageBatch | undefined;
  if (options.image !== undefined) {
    under = toImageBatch(options.image, 'heatmap: options.image');
    if (under.h !== h || under.w !== w || (under.n !== 1 && under.n !== n)) {
      throw new Error(`heatmap: options.image has shape ${batchShape(under)} but values have shape ${batchShape(batch)}; expected the same height and width and 1 or ${n} images`);
    }
  }
  const opacity = under ? options.opacity ?? 0.5 : 1;
  checkRange('heatmap: options.opacity', opacity, 0, 1, 'a number in [0, 1]');

  const maps = channelSums(batch);
  const sign: Exclude<SignMode, 'auto'> = signOpt === 'auto' ? (hasNegative(maps) ? 'signed' : 'absolute') : signOpt;
  const cmapName = options.colormap ?? (sign === 'signed' ? DIVERGING_DEFAULT : SEQUENTIAL_DEFAULT);
  const cmap = colormap(cmapName);
  const shared = normalize === 'shared' ? valueScale(maps, sign, clip, options.range) : undefined;
  const scales: ValueScale[] = maps.map((m) => shared ?? valueScale([m], sign, clip, options.range));

  const { lut } = cmap;
  const a = opacity;
  const nonFinitePerImage: number[] = [];
  const pixels = maps.map((m, i) => {
    const px = under ? underlayRgb(under, i) : new Uint8Array(h * w * 3);
    const sc = scales[i];
    let bad = 0;
    for (let p = 0; p < m.length; p++) {
      const v = m[p];
      const o = 3 * p;
      if (!Number.isFinite(v)) {
        bad++;
        px[o] = NON_FINITE_COLOR[0];
        px[o + 1] = NON_FINITE_COLOR[1];
        px[o + 2] = NON_FINITE_COLOR[2];
        continue;
      }
      const li = 3 * Math.round(255 * sc.t(v));
      if (under) {
        px[o] = Math.round((1 - a) * px[o] + a * lut[li]);
        px[o + 1] = Math.round((1 - a) * px[o + 1] + a * lut[li + 1]);
        px[o + 2] = Math.round((1 - a) * px[o + 2] + a * lut[li + 2]);
      } else {
        px[o] = lut[li];
        px[o + 1] = lut[li + 1];
        px[o + 2] = lut[li + 2];
      }
    }
    nonFinitePerImage.push(bad);
    return px;
  });
  const nonFinite = nonFinitePerImage.reduce((s, x) => s + x, 0);

  const cellPngs = pixels.map((px) => pngBase64(px, h, w, scale));
  const rangeText = (s: ValueScale) => (s.sign === 'signed' ? `±${fmt(s.hi)}` : `[0, ${fmt(s.hi)}]`);
  const cells = cellPngs.map((p, i) => {
    const lines = [...(captions ? [captions[i]] : [])];
    if (!shared && n > 1) lines.push(rangeText(scales[i]));
    if (nonFinitePerImage[i] > 0) lines.push(`${nonFinitePerImage[i]} NaN/Inf`);
    return { png: p, caption: lines, width: w * scale };
  });
  const ref = shared ?? scales[0];
  const perImageBatch = !shared && n > 1;
  const colorBar: ColorBar = {
    png: colorBarPng(cmap.name, lut),
    labels: perImageBatch
      ? [ref.sign === 'signed' ? '−max' : '0', ref.sign === 'signed' ? '0' : '', 'max']
      : [fmt(ref.lo), ref.sign === 'signed' ? '0' : fmt((ref.lo + ref.hi) / 2), fmt(ref.hi)],
    label: perImageBatch ? 'value (each map has its own range; see captions)' : 'value',
  };
  // the PNG form carries the bar too: min / 0 / max for signed maps, 0 / max for magnitudes
  const [lo, mid, hi] = colorBar.labels;
  const png = encodePng(withColorBar(gridRaster(pixels, h, w, scale, cols), lut, [lo, ref.sign === 'signed' ? mid : '', hi])).toString('base64');
  const signText = sign === 'signed' ? 'signed, diverging centred at 0' : sign === 'absolute' ? '|value|' : 'positive part';
  const scaleText = options.range !== undefined ? `fixed range ${rangeText(ref)}` : `${normalize === 'shared' ? 'shared scale for all maps' : 'per-image scale'}, clipped at the ${clip}th percentile of |value|`;
  const note = [
    signText,
    `colormap ${cmap.name}`,
    scaleText,
    ...(batch.c > 1 ? [`summed over ${batch.c} channels`] : []),
    ...(under ? [`over the input at opacity ${opacity}`] : []),
    ...(nonFinite > 0 ? [`${nonFinite} NaN/Inf value${nonFinite === 1 ? '' : 's'} shown in magenta`] : []),
  ].join(' · ');
  const title = options.title ?? (isAttribution(values) ? values.method : undefined);
  const ranges = scales.map((s) => [s.lo, s.hi] as [number, number]);
  const text =
    `${title ? title + ': ' : ''}heatmap of ${n} map${n === 1 ? '' : 's'} ${h}×${w}; ${note}; ` +
    (shared || n === 1 ? `range ${rangeText(ref)}` : `ranges ${scales.map(rangeText).join(', ')}`);
  return {
    bundle: {
      'text/plain': text,
      'text/html': gridFigureHtml({ title, cells, cols, colorBar, note }),
      'image/png': png,
    },
    info: { n, height: h, width: w, channels: batch.c, sign, colormap: cmap.name, normalize, clip, ranges, nonFinite, nonFinitePerImage, opacity, scale },
  };
}
