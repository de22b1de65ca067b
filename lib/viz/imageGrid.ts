/**
 * Image grids: a batch of images in rows and columns with captions — digits with their label
 * and prediction, filter visualizations, class maximizations, occlusion sweeps.
 */
import type { Figure } from '../display/figure';
import { NON_FINITE_COLOR } from './colormap';
import { batchShape, toImageBatch, type ImageBatch, type ImageInput } from './images';
import { gridFigureHtml } from './layout';
import { gridPngs } from './raster';
import { checkChoice } from '../checks';
import { checkCaptions, checkRange, defaultScale } from './checks';

/** A caption as facts about the image; shown as "label 3 · predicted 5 (87%)". */
export interface ImageFacts {
  label?: number | string;
  prediction?: number | string;
  /** In [0, 1], shown as a percentage. */
  confidence?: number;
}

/** Options of {@link imageGrid}. */
export interface ImageGridOptions {
  /** One caption per image: text, or {label, prediction, confidence}. */
  captions?: readonly (string | ImageFacts)[];
  /** Names for class indices in {@link ImageFacts} captions. */
  classNames?: readonly string[];
  /** Images per row (default: up to 10). */
  cols?: number;
  /** Upscaling factor, nearest neighbour (default: about 140 px per image, 70 px for more than 8 images). */
  scale?: number;
  /** Title above the grid. */
  title?: string;
  /**
   * 'auto' (default): values in [0, 1] are shown as they are, otherwise each image is stretched
   * to its own min..max; 'none': clamp to [0, 1]; 'image': always stretch per image.
   */
  normalize?: 'auto' | 'none' | 'image';
}

function captionText(c: string | ImageFacts, classNames?: readonly string[]): string {
  if (typeof c === 'string') return c;
  const name = (v: number | string) => (typeof v === 'number' && classNames?.[v] !== undefined ? classNames[v] : String(v));
  const parts: string[] = [];
  if (c.label !== undefined) parts.push(`label ${name(c.label)}`);
  if (c.prediction !== undefined) parts.push(`predicted ${name(c.prediction)}${c.confidence !== undefined ? ` (${Math.round(c.confidence * 100)}%)` : ''}`);
  else if (c.confidence !== undefined) parts.push(`${Math.round(c.confidence * 100)}%`);
  return parts.join(' · ');
}

/** RGB bytes of image `i`, with its value→[0,1] stretch; counts non-finite pixels. */
function imageRgb(b: ImageBatch, i: number, stretch: boolean): { px: Uint8Array; bad: number } {
  const hw = b.h * b.w;
  const base = i * hw * b.c;
  let lo = 0;
  let hi = 1;
  if (stretch) {
    lo = Infinity;
    hi = -Infinity;
    for (let k = 0; k < hw * b.c; k++) {
      const v = b.data[base + k];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (!(hi > lo)) [lo, hi] = [lo === Infinity ? 0 : lo - 0.5, lo === Infinity ? 1 : lo + 0.5];
  }
  const px = new Uint8Array(hw * 3);
  let bad = 0;
  for (let p = 0; p < hw; p++) {
    const s = base + p * b.c;
    const alpha = b.c === 4 ? Math.min(1, Math.max(0, b.data[s + 3])) : 1;
    for (let k = 0; k < 3; k++) {
      const v = b.data[s + (b.c >= 3 ? k : 0)];
      if (!Number.isFinite(v)) {
        bad++;
        px.set(NON_FINITE_COLOR, 3 * p);
        break;
      }
      const t = Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
      px[3 * p + k] = Math.round(255 * (alpha * t + (1 - alpha)));
    }
  }
  return { px, bad };
}

/**
 * A grid of images (NHWC tensor or arrays; grayscale, RGB or RGBA) with captions, upscaled
 * nearest-neighbour so that pixels stay crisp. The notebook keeps the pixels once, in `text/html`;
 * `figure.png` / `figurePng(figure)` is the whole grid as one PNG.
 *
 * @example
 * ```ts
 * const { images, classes } = loadMnist({ count: 12 });
 * show(imageGrid(images, { captions: classes.map((c) => ({ label: c })), cols: 6 }));
 * ```
 */
export function imageGrid(images: ImageInput, options: ImageGridOptions = {}): Figure {
  const batch = toImageBatch(images, 'imageGrid: images');
  const { n, h, w } = batch;
  const normalize = checkChoice('imageGrid', 'options.normalize', options.normalize ?? 'auto', ['auto', 'none', 'image'] as const);
  const rawCaptions = options.captions;
  if (rawCaptions !== undefined) checkCaptions('imageGrid', rawCaptions, n, batchShape(batch));
  const captions = rawCaptions?.map((c) => captionText(c, options.classNames));
  const cols = options.cols ?? Math.min(n, 10);
  checkRange('imageGrid: options.cols', cols, 1, Infinity, 'a positive integer', false, true);
  const scale = options.scale ?? Math.max(1, Math.round(defaultScale(h, w) / (n > 8 ? 2 : 1)));
  checkRange('imageGrid: options.scale', scale, 1, 64, 'an integer from 1 to 64', false, true);

  let inUnit = true;
  for (let k = 0; k < batch.data.length && inUnit; k++) {
    const v = batch.data[k];
    if (Number.isFinite(v) && (v < 0 || v > 1)) inUnit = false;
  }
  const stretch = normalize === 'image' || (normalize === 'auto' && !inUnit);
  const rendered = Array.from({ length: n }, (_, i) => imageRgb(batch, i, stretch));
  const nonFinite = rendered.reduce((s, r) => s + r.bad, 0);
  const { cells: pngs, grid: png } = gridPngs(rendered.map((r) => r.px), h, w, scale, cols);
  const cells = pngs.map((p, i) => ({ png: p, caption: captions ? [captions[i]] : [], width: w * scale }));
  const note = [
    stretch ? 'each image stretched to its own min..max' : 'values in [0, 1] shown as they are',
    ...(nonFinite > 0 ? [`${nonFinite} NaN/Inf pixel${nonFinite === 1 ? '' : 's'} shown in magenta`] : []),
  ].join(' · ');
  const text = `${options.title ? options.title + ': ' : ''}${n} image${n === 1 ? '' : 's'} ${h}×${w}×${batch.c}` + (captions ? ` — ${captions.join(' | ')}` : '') + ` (${note})`;
  return {
    bundle: { 'text/plain': text, 'text/html': gridFigureHtml({ title: options.title, cells, cols, note }) },
    // the pixels are stored once, in the html (lib/display/figure.ts); the whole grid as one PNG for code
    png,
    info: { n, height: h, width: w, channels: batch.c, normalize: stretch ? 'image' : 'none', nonFinite, scale, cols },
  };
}
