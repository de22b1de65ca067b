/**
 * Heatmaps of attributions (saliency, SmoothGrad, integrated gradients, occlusion …), as in the
 * lecture's "which pixels mattered" pictures (Simonyan et al. 2014, arXiv:1312.6034). Each map says
 * its magnitude under it (max |value|, engineering notation), because colours alone hide it: with
 * a range per map, a map of 2e-8 looks as strong as one of 8e-3. A map that is saturated (its
 * attribution is below the float resolution of the explained score, Attribution.saturated) is drawn
 * grey with that said under it, instead of float noise. A list of attributions compares methods:
 * one row per method, labelled with it, one colour scale per row.
 */
import type { Figure } from '../display/figure';
import { type Attribution, isAttribution } from '../explain/core/attribution';
import { heatmapMaps, isAttributionList, magnitudeText, maxAbs, saturatedText } from './heatmapMaps';
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
  /**
   * 'image': each map has its own range (default for values and one attribution); 'row': one range
   * per row of the grid (default for a list of attributions: one scale per method); 'shared': one
   * range for the batch.
   */
  normalize?: 'image' | 'row' | 'shared';
  /**
   * One label per row of the grid, shown at its left (default for a list of attributions: each
   * one's `method`). With values, say e.g. `{ cols: 4, rowLabels: ['saliency', 'SmoothGrad'] }`.
   */
  rowLabels?: readonly string[];
  /** Fixed end value (instead of the percentile): ±range for signed maps, [0, range] otherwise. */
  range?: number;
  /** Title above the grid (default: the attribution's method). */
  title?: string;
  /** One caption per map (default: the attribution's target class). */
  captions?: readonly string[];
  /** Maps per row (default: up to 8; a list of attributions: its number of examples, one row per attribution). */
  cols?: number;
  /** Upscaling factor, nearest neighbour (default: about 140 px per map). */
  scale?: number;
}

/** RGB bytes of image `i` of an underlay batch (values clamped to [0, 1]). */
function underlayRgb(b: ImageBatch, i: number): Uint8Array {
  const hw = b.h * b.w;
  const out = new Uint8Array(hw * 3);
  const idx = i % b.n;
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
 * The grey of a saturated map (drawn instead of its float noise; Attribution.saturated).
 * @example
 * ```ts
 * decode(heatmap(saturatedAttribution)).at(0, 0) // [204, 204, 204]
 * ```
 */
export const SATURATED_COLOR: readonly [number, number, number] = [204, 204, 204];

/**
 * A heatmap of attribution values, optionally over the input image: diverging and centred at 0
 * for signed values, sequential for magnitudes, with a colour bar, percentile clipping, each map's
 * magnitude (max |value|) under it, and a note saying how it was normalized. A saturated map
 * (`Attribution.saturated`) is drawn grey with "saturated: …" under it. NaN/±Inf pixels are
 * magenta and counted in `figure.info.nonFinite`; an all-zero map is drawn in the colour of 0.
 * A batch becomes a grid; a list of attributions becomes one row per attribution, labelled with
 * its method, one colour scale per row (`normalize: 'row'`).
 *
 * The notebook keeps the pixels once, in `text/html` (see lib/display/figure.ts); `figure.png`
 * (and `figurePng(figure)`) is the grid of maps at the top-left, pixel for pixel, with the colour
 * bar and its value labels under it.
 *
 * @example
 * ```ts
 * const a = saliency(model, images, { target: 3 });
 * show(heatmap(a, { image: images, opacity: 0.6 }));
 * // a comparison of methods: one row and one colour scale per method
 * show(heatmap([saliency(model, x), integratedGradients(model, x)], { image: x }));
 * ```
 */
export function heatmap(values: ImageInput | Attribution | readonly Attribution<object>[], options: HeatmapOptions = {}): Figure {
  const list = isAttributionList(values);
  const g = heatmapMaps(values);
  const { n, h, w, maps } = g;
  const shape = batchShape({ n, h, w, c: g.c, data: new Float32Array(0) });
  const clip = options.clip ?? 99;
  checkRange('heatmap: options.clip', clip, 0, 100, 'a percentile in (0, 100]', true);
  const normalize = checkChoice('heatmap', 'options.normalize', options.normalize ?? (list ? 'row' : 'image'), ['image', 'row', 'shared'] as const);
  const signOpt = checkChoice('heatmap', 'options.sign', options.sign ?? 'auto', ['auto', 'signed', 'absolute', 'positive'] as const);
  if (options.range !== undefined && !(Number.isFinite(options.range) && options.range > 0)) {
    throw new Error(`heatmap: options.range must be a positive finite number; got ${options.range}`);
  }
  const targetCaptions = g.target.every((t) => t !== undefined) ? g.target.map((t) => `target ${t}`) : undefined;
  const captions = checkCaptions('heatmap', options.captions, n, shape) ?? targetCaptions;
  const scale = options.scale ?? defaultScale(h, w);
  checkRange('heatmap: options.scale', scale, 1, 64, 'an integer from 1 to 64', false, true);
  if (list && options.cols !== undefined && options.cols !== g.perRow) {
    throw new Error(`heatmap: options.cols must be ${g.perRow} for a list of attributions (one row per method, one column per example); got ${options.cols}`);
  }
  const cols = g.perRow ?? options.cols ?? Math.min(n, 8);
  checkRange('heatmap: options.cols', cols, 1, Infinity, 'a positive integer', false, true);
  const rows = Math.ceil(n / cols);
  const rowLabels = options.rowLabels ?? g.methods;
  if (rowLabels !== undefined && (!Array.isArray(rowLabels) || rowLabels.length !== rows)) {
    throw new Error(`heatmap: options.rowLabels has ${Array.isArray(rowLabels) ? `length ${rowLabels.length}` : typeof rowLabels} but the grid has ${rows} row${rows === 1 ? '' : 's'} (${n} maps, ${cols} per row); expected one label per row`);
  }

  let under: ImageBatch | undefined;
  if (options.image !== undefined) {
    under = toImageBatch(options.image, 'heatmap: options.image');
    const okN = under.n === 1 || under.n === n || (list && under.n === cols);
    if (under.h !== h || under.w !== w || !okN) {
      throw new Error(`heatmap: options.image has shape ${batchShape(under)} but values have shape ${shape}; expected the same height and width and 1${list ? `, ${cols} (one per example)` : ''} or ${n} images`);
    }
  }
  const opacity = under ? options.opacity ?? 0.5 : 1;
  checkRange('heatmap: options.opacity', opacity, 0, 1, 'a number in [0, 1]');

  const sat = g.saturated;
  const drawn = maps.filter((_, i) => !sat[i]);
  const sign: Exclude<SignMode, 'auto'> = signOpt === 'auto' ? (hasNegative(drawn) ? 'signed' : 'absolute') : signOpt;
  const cmapName = options.colormap ?? (sign === 'signed' ? DIVERGING_DEFAULT : SEQUENTIAL_DEFAULT);
  const cmap = colormap(cmapName);
  // saturated maps are float noise: they take no part in a shared or per-row range
  const scaleOf = (idx: number[]) => valueScale(idx.filter((i) => !sat[i]).map((i) => maps[i]), sign, clip, options.range);
  const shared = normalize === 'shared' ? scaleOf(maps.map((_, i) => i)) : undefined;
  const rowScales = normalize === 'row' ? Array.from({ length: rows }, (_, r) => scaleOf(Array.from({ length: Math.min(cols, n - r * cols) }, (_, k) => r * cols + k))) : undefined;
  const scales: ValueScale[] = maps.map((m, i) => shared ?? rowScales?.[Math.floor(i / cols)] ?? valueScale([m], sign, clip, options.range));
  const magnitudes = maps.map(maxAbs);

  const { lut } = cmap;
  const a = opacity;
  const nonFinitePerImage: number[] = [];
  const pixels = maps.map((m, i) => {
    if (sat[i]) {
      nonFinitePerImage.push(0);
      const px = new Uint8Array(h * w * 3);
      for (let p = 0; p < h * w; p++) px.set(SATURATED_COLOR, 3 * p);
      return px;
    }
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
  const saturatedCount = sat.filter(Boolean).length;

  const cellPngs = pixels.map((px) => pngBase64(px, h, w, scale));
  const rangeText = (s: ValueScale) => (s.sign === 'signed' ? `±${fmt(s.hi)}` : `[0, ${fmt(s.hi)}]`);
  const cells = cellPngs.map((p, i) => {
    const lines = [...(captions ? [captions[i]] : [])];
    lines.push(sat[i] ? saturatedText(g.explained[i], g.score[i]) : magnitudeText(magnitudes[i]));
    if (nonFinitePerImage[i] > 0) lines.push(`${nonFinitePerImage[i]} NaN/Inf`);
    return { png: p, caption: lines, width: w * scale };
  });
  const ref = shared ?? rowScales?.[0] ?? scales.find((_, i) => !sat[i]) ?? scales[0];
  const severalRanges = !shared && (rowScales ? rows > 1 : n > 1);
  const colorBar: ColorBar = {
    png: colorBarPng(cmap.name, lut),
    labels: severalRanges
      ? [ref.sign === 'signed' ? '−max' : '0', ref.sign === 'signed' ? '0' : '', 'max']
      : [fmt(ref.lo), ref.sign === 'signed' ? '0' : fmt((ref.lo + ref.hi) / 2), fmt(ref.hi)],
    label: !severalRanges ? 'value' : rowScales ? 'value (each row has its own range: see the row labels)' : 'value (each map has its own range; max |v| under each map)',
  };
  // the PNG form carries the bar too: min / 0 / max for signed maps, 0 / max for magnitudes
  const [lo, mid, hi] = colorBar.labels;
  const png = encodePng(withColorBar(gridRaster(pixels, h, w, scale, cols), lut, [lo, ref.sign === 'signed' ? mid : '', hi])).toString('base64');
  const signText = sign === 'signed' ? 'signed, diverging centred at 0' : sign === 'absolute' ? '|value|' : 'positive part';
  const normText = normalize === 'shared' ? 'shared scale for all maps' : normalize === 'row' ? 'one scale per row' : 'per-image scale';
  const scaleText = options.range !== undefined ? `fixed range ${rangeText(ref)}` : `${normText}, clipped at the ${clip}th percentile of |value|`;
  const note = [
    signText,
    `colormap ${cmap.name}`,
    scaleText,
    ...(g.c > 1 ? [`summed over ${g.c} channels`] : []),
    ...(under ? [`over the input at opacity ${opacity}`] : []),
    ...(nonFinite > 0 ? [`${nonFinite} NaN/Inf value${nonFinite === 1 ? '' : 's'} shown in magenta`] : []),
    ...(saturatedCount > 0 ? [`${saturatedCount} saturated map${saturatedCount === 1 ? '' : 's'} shown grey`] : []),
  ].join(' · ');
  const title = options.title ?? (isAttribution(values) ? values.method : undefined);
  const ranges = scales.map((s) => [s.lo, s.hi] as [number, number]);
  const rowLines = rowLabels?.map((l, r) => [String(l), ...(rowScales ? [`scale ${rangeText(rowScales[r])}`] : [])]);
  const text =
    `${title ? title + ': ' : ''}heatmap of ${n} map${n === 1 ? '' : 's'} ${h}×${w}` +
    (rowLabels ? ` in ${rows} rows (${rowLabels.join(', ')})` : '') +
    `; ${note}; ` +
    (shared || n === 1 ? `range ${rangeText(ref)}` : rowScales ? `row ranges ${rowScales.map(rangeText).join(', ')}` : `ranges ${scales.map(rangeText).join(', ')}`) +
    `; max |v| ${magnitudes.map((m, i) => (sat[i] ? 'saturated' : magnitudeText(m).slice(8))).join(', ')}`;
  return {
    bundle: {
      'text/plain': text,
      'text/html': gridFigureHtml({ title, cells, cols, colorBar, note, rowLabels: rowLines }),
    },
    png,
    info: {
      n, height: h, width: w, channels: g.c, sign, colormap: cmap.name, normalize, clip, ranges, nonFinite, nonFinitePerImage, opacity, scale, cols,
      maxAbs: magnitudes, saturated: sat.slice(), ...(rowLabels ? { rowLabels: rowLabels.slice(), rowRanges: rowScales?.map((s) => [s.lo, s.hi]) } : {}),
    },
  };
}
