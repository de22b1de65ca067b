/**
 * Loads a folder of images, one subfolder per class (`root/pokemon/*.png`, `root/digimon/*.jpg`,
 * as in the Kaggle Pokémon/Digimon sets), into NHWC float32 tensors in [0, 1], decoded by
 * `sharp` (libvips): PNG, JPEG, WebP, GIF, TIFF, AVIF, SVG; greyscale, RGB, RGBA and palette
 * images; any size, resized to one.
 *
 * Transparency is handled the way the lecture's original pipeline did by default: transparent
 * pixels become **black** (the image is composited on black). That is the whole Pokémon/Digimon
 * story: PNGs with transparent backgrounds loaded as black, JPEGs stayed white, and the classifier
 * learned the background. Pass `background: 'white'` (or any colour) to composite every image on
 * the same background instead.
 *
 * Files that cannot be decoded (text, truncated images, `.DS_Store`) are skipped with a warning
 * naming each of them, and counted in `skipped`.
 *
 * @example
 * ```ts
 * const data = await loadImageFolder('data/generated/pokemon-digimon', { size: 64 });
 * data.images;       // [2000, 64, 64, 3]
 * data.classNames;   // ['digimon', 'pokemon']
 * const fair = await loadImageFolder(dir, { background: 'white' });
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { checkChoice } from '../checks';
import { tf } from '../engine/tf';
import type { LabelFormat } from './mnist';

/** A colour: 'black', 'white', or [r, g, b] with channels in [0, 1]. */
export type BackgroundColor = 'black' | 'white' | readonly [number, number, number];

/** Options of {@link loadImageFolder}. */
export interface ImageFolderOptions {
  /** Output side, or [height, width]; default 64. */
  size?: number | readonly [number, number];
  /** What transparent pixels are composited on; default 'black', as the original pipeline did. */
  background?: BackgroundColor;
  /** How to fit other aspect ratios: stretch (`fill`, default), pad with the background (`contain`), crop (`cover`). */
  fit?: 'fill' | 'contain' | 'cover';
  /** Which class folders, in which order (label i is classes[i]); default every subfolder, sorted by name. */
  classes?: readonly string[];
  /** At most this many images per class (the first by file name). */
  limit?: number;
  /** Default 'index'. */
  labels?: LabelFormat;
  /** Where warnings go; default console.warn. */
  onWarning?: (message: string) => void;
  /** Files decoded at a time; default 16. */
  concurrency?: number;
}

/** A file that was skipped, and why. */
export interface SkippedFile {
  file: string;
  reason: string;
}

/** The loaded images. The caller owns (and disposes) both tensors. */
export interface ImageFolderSet {
  /** [n, height, width, 3] float32 in [0, 1]. */
  images: tf.Tensor4D;
  /** [n] int32 class ids, or [n, classes] float32 one-hot. */
  labels: tf.Tensor;
  /** The class id of every image, as plain numbers. */
  classes: number[];
  /** Class folder names; label i is classNames[i]. */
  classNames: string[];
  /** Absolute path of every image, in tensor order (class by class, by file name). */
  files: string[];
  /** Files that could not be decoded. */
  skipped: SkippedFile[];
}

const WHERE = 'loadImageFolder';

function checkSize(size: ImageFolderOptions['size']): [number, number] {
  const hw = typeof size === 'number' ? [size, size] : size;
  if (!Array.isArray(hw) || hw.length !== 2 || hw.some((d) => !Number.isInteger(d) || d < 1 || d > 4096)) {
    throw new Error(`${WHERE}: options.size must be an integer side or [height, width] in 1..4096; got ${JSON.stringify(size)}`);
  }
  return [hw[0], hw[1]];
}

/** The background as sharp wants it: 0–255 channels. */
function backgroundRgb255(background: BackgroundColor, where = WHERE): { r: number; g: number; b: number } {
  if (background === 'black') return { r: 0, g: 0, b: 0 };
  if (background === 'white') return { r: 255, g: 255, b: 255 };
  if (Array.isArray(background) && background.length === 3 && background.every((v) => typeof v === 'number' && v >= 0 && v <= 1)) {
    const [r, g, b] = background.map((v) => Math.round(v * 255));
    return { r, g, b };
  }
  throw new Error(`${where}: options.background must be 'black', 'white' or [r, g, b] with channels in [0, 1]; got ${JSON.stringify(background)}`);
}

function classFolders(root: string, wanted: readonly string[] | undefined): string[] {
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new Error(`${WHERE}: dir '${root}' is not a folder`);
  const found = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  if (wanted === undefined) {
    if (found.length === 0) throw new Error(`${WHERE}: dir '${root}' has no class subfolders (expected one folder of images per class)`);
    return found;
  }
  if (!Array.isArray(wanted) || wanted.length === 0) throw new Error(`${WHERE}: options.classes must be a non-empty array of folder names; got ${JSON.stringify(wanted)}`);
  for (const c of wanted) {
    if (!found.includes(c)) throw new Error(`${WHERE}: options.classes names '${c}', which is not a subfolder of '${root}' (found: ${found.join(', ') || 'none'})`);
  }
  return [...wanted];
}

/** Decodes one file to `height`×`width` 8-bit RGB, or returns why it cannot. */
async function decode(file: string, height: number, width: number, fit: 'fill' | 'contain' | 'cover', background: { r: number; g: number; b: number }): Promise<Uint8Array | string> {
  try {
    const { data, info } = await sharp(file)
      .rotate()
      .flatten({ background })
      .resize(width, height, { fit, background })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.width !== width || info.height !== height) return `decoded to ${info.width}×${info.height}, expected ${width}×${height}`;
    const c = info.channels;
    if (c === 3) return new Uint8Array(data.buffer, data.byteOffset, data.length);
    const out = new Uint8Array(width * height * 3);
    for (let p = 0; p < width * height; p++) {
      for (let k = 0; k < 3; k++) out[3 * p + k] = data[p * c + (c >= 3 ? k : 0)];
    }
    return out;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

/**
 * Loads every image under `dir/<class>/`.
 * @throws Error naming `dir` when it is not a folder or has no class folders; naming a class
 *   folder that holds no (readable) image; naming any option that is out of range.
 */
export async function loadImageFolder(dir: string, options: ImageFolderOptions = {}): Promise<ImageFolderSet> {
  const { fit = 'fill', labels = 'index', limit, concurrency = 16 } = options;
  const warn = options.onWarning ?? ((m: string) => console.warn(m));
  if (typeof dir !== 'string' || dir.length === 0) throw new Error(`${WHERE}: dir must be a folder path; got ${JSON.stringify(dir)}`);
  const [height, width] = checkSize(options.size ?? 64);
  const background = backgroundRgb255(options.background ?? 'black');
  checkChoice(WHERE, 'options.fit', fit, ['fill', 'contain', 'cover'] as const);
  checkChoice(WHERE, 'options.labels', labels, ['index', 'onehot'] as const);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new Error(`${WHERE}: options.limit must be a positive integer; got ${limit}`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`${WHERE}: options.concurrency must be a positive integer; got ${concurrency}`);
  const root = path.resolve(dir);
  const classNames = classFolders(root, options.classes);

  const pixels: Uint8Array[] = [];
  const files: string[] = [];
  const classes: number[] = [];
  const skipped: SkippedFile[] = [];
  for (const [k, name] of classNames.entries()) {
    const folder = path.join(root, name);
    const entries = fs.readdirSync(folder, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(folder, e.name)).sort();
    if (entries.length === 0) throw new Error(`${WHERE}: class folder '${folder}' is empty (expected images of class '${name}')`);
    let loaded = 0;
    for (let lo = 0; lo < entries.length && (limit === undefined || loaded < limit); lo += concurrency) {
      const batch = entries.slice(lo, lo + concurrency);
      const decoded = await Promise.all(batch.map((f) => decode(f, height, width, fit, background)));
      decoded.forEach((d, i) => {
        if (typeof d === 'string') {
          skipped.push({ file: batch[i], reason: d });
          warn(`${WHERE}: skipped '${batch[i]}': ${d}`);
        } else if (limit === undefined || loaded < limit) {
          pixels.push(d);
          files.push(batch[i]);
          classes.push(k);
          loaded += 1;
        }
      });
    }
    if (loaded === 0) throw new Error(`${WHERE}: class folder '${folder}' holds no readable image (${entries.length} file(s) skipped)`);
  }
  if (skipped.length > 0) warn(`${WHERE}: skipped ${skipped.length} unreadable file(s) of ${skipped.length + files.length}`);

  const per = height * width * 3;
  const x = new Float32Array(pixels.length * per);
  pixels.forEach((px, i) => {
    for (let p = 0; p < per; p++) x[i * per + p] = px[p] / 255;
  });
  const images = tf.tensor4d(x, [pixels.length, height, width, 3]);
  const y = labels === 'index' ? tf.tensor1d(classes, 'int32') : tf.tidy(() => tf.oneHot(tf.tensor1d(classes, 'int32'), classNames.length).toFloat());
  return { images, labels: y, classes, classNames, files, skipped };
}
