/**
 * Spectrogram pictures: time left to right, frequency (mel band) bottom to top, one colour scale
 * for the whole figure by default so that louder and quieter clips compare (the lecture's
 * spectrograms of what a layer kept). Input: log-mel matrices `{ data, frames, columns }` from
 * lib/data/speech, or a tensor [frames, mels] / [n, frames, mels].
 *
 * @example
 * ```ts
 * show(spectrogram([logMel(a), logMel(b)], { captions: ['clean', 'noisy'] }));
 * ```
 */
import { tf } from '../engine/tf';
import type { Figure } from '../display/figure';
import { colormap, type ColormapName } from './colormap';
import { fmt, gridFigureHtml } from './layout';
import { encodePng, gridRaster, pngBase64 } from './raster';

/** A [frames, columns] matrix, row-major (what logMel returns). */
export interface SpectrogramInput {
  data: Float32Array;
  frames: number;
  columns: number;
}

/** Options of {@link spectrogram}. */
export interface SpectrogramFigureOptions {
  title?: string;
  /** One caption per spectrogram. */
  captions?: readonly string[];
  /** Per row; default up to 4. */
  cols?: number;
  /** Default 'magma'. */
  colormap?: ColormapName;
  /** 'shared' (default): one range for all; 'image': each its own. */
  normalize?: 'shared' | 'image';
  /** Fixed [low, high] of the colour scale (instead of the 1st and 99.5th percentile). */
  range?: readonly [number, number];
  /** Pixels per frame and per band; default 3. */
  scale?: number;
  /** Seconds per frame for the axis note; default 0.01. */
  secondsPerFrame?: number;
}

/** The matrices of `input`, checked. */
export function spectrogramList(where: string, input: SpectrogramInput | readonly SpectrogramInput[] | tf.Tensor): SpectrogramInput[] {
  if (input instanceof tf.Tensor) {
    if (input.isDisposed || (input.rank !== 2 && input.rank !== 3)) throw new Error(`${where}: a tensor input must be live and [frames, mels] or [n, frames, mels]; got ${input.isDisposed ? 'a disposed tensor' : `rank ${input.rank}`}`);
    const [n, frames, columns] = input.rank === 2 ? [1, ...input.shape] : input.shape;
    const all = input.dataSync() as Float32Array;
    return Array.from({ length: n }, (_, i) => ({ data: all.slice(i * frames * columns, (i + 1) * frames * columns), frames, columns }));
  }
  const list = Array.isArray(input) ? input : [input as SpectrogramInput];
  if (!list.length) throw new Error(`${where}: expected at least one spectrogram; got an empty list`);
  list.forEach((s, i) => {
    if (!s || !(s.data instanceof Float32Array) || s.data.length !== s.frames * s.columns || s.frames < 1) throw new Error(`${where}: spectrogram ${i} must be { data: Float32Array, frames, columns } with frames · columns values`);
    if (s.frames !== list[0].frames || s.columns !== list[0].columns) throw new Error(`${where}: every spectrogram must be [${list[0].frames}, ${list[0].columns}] like the first; spectrogram ${i} is [${s.frames}, ${s.columns}]`);
  });
  return list as SpectrogramInput[];
}

function quantile(values: Float32Array[], q: number): number {
  const all = Float32Array.from(values.flatMap((v) => Array.from(v)).filter(Number.isFinite)).sort();
  return all.length ? all[Math.min(all.length - 1, Math.floor(q * all.length))] : 0;
}

/** RGB cells (height = bands, low band at the bottom; width = frames) and the ranges used. */
export function spectrogramCells(list: readonly SpectrogramInput[], options: SpectrogramFigureOptions = {}): { cells: Uint8Array[]; ranges: [number, number][] } {
  const cm = colormap(options.colormap ?? 'magma');
  const shared: [number, number] = options.range ? [options.range[0], options.range[1]] : [quantile(list.map((s) => s.data), 0.01), quantile(list.map((s) => s.data), 0.995)];
  const ranges = list.map((s) => (options.normalize === 'image' && !options.range ? ([quantile([s.data], 0.01), quantile([s.data], 0.995)] as [number, number]) : shared));
  const cells = list.map((s, i) => {
    const [lo, hi] = ranges[i];
    const px = new Uint8Array(s.frames * s.columns * 3);
    for (let y = 0; y < s.columns; y++) {
      const band = s.columns - 1 - y;
      for (let x = 0; x < s.frames; x++) px.set(cm.at((s.data[x * s.columns + band] - lo) / (hi - lo || 1)), 3 * (y * s.frames + x));
    }
    return px;
  });
  return { cells, ranges };
}

/** A figure of one or more spectrograms with captions and the colour range. */
export function spectrogram(input: SpectrogramInput | readonly SpectrogramInput[] | tf.Tensor, options: SpectrogramFigureOptions = {}): Figure {
  const where = 'spectrogram';
  const list = spectrogramList(where, input);
  const scale = options.scale ?? 3;
  if (!(Number.isInteger(scale) && scale >= 1 && scale <= 16)) throw new Error(`${where}: options.scale must be an integer in 1..16; got ${scale}`);
  if (options.captions && options.captions.length !== list.length) throw new Error(`${where}: options.captions must have one caption per spectrogram (${list.length}); got ${options.captions.length}`);
  const { cells, ranges } = spectrogramCells(list, options);
  const { frames, columns } = list[0];
  const cols = options.cols ?? Math.min(4, list.length);
  const secs = (frames * (options.secondsPerFrame ?? 0.01)).toFixed(2);
  const note = `time → (${frames} frames, ${secs} s), mel band ↑ (${columns}); colour ${options.colormap ?? 'magma'} from ${fmt(ranges[0][0])} to ${fmt(ranges[0][1])}${options.normalize === 'image' ? ' (first; each its own range)' : ' (shared)'}`;
  const html = gridFigureHtml({
    title: options.title,
    cells: cells.map((px, i) => ({ png: pngBase64(px, columns, frames, scale), width: frames * scale, caption: options.captions ? [options.captions[i]] : undefined })),
    cols,
    note,
  });
  const png = encodePng(gridRaster(cells, columns, frames, scale, cols)).toString('base64');
  return { bundle: { 'text/plain': `spectrogram: ${list.length} × [${frames} frames, ${columns} bands]; ${note}`, 'text/html': html }, png, info: { count: list.length, frames, bands: columns, ranges } };
}
