/**
 * What the generator knows and a photo folder does not: each creature's mask and each logo's box,
 * lined up with the files a folder loader returned, so that attributions can be measured on them.
 *
 * @example
 * ```ts
 * const data = await loadImageFolder(ds.dir);
 * const { masks, watermarks } = loadSpriteAnnotations(ds.dir, data.files);  // masks [n, 64, 64, 1]
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../../engine/tf';
import type { PixelBox } from '../pixelBox';
import { readSpriteManifest, SPRITE_MASKS } from './generate';

/** Masks and logo boxes, in the order of the files asked for. */
export interface SpriteAnnotations {
  /** [n, size, size, 1] float32: 1 on the creature, 0 elsewhere. The caller disposes it. */
  masks: tf.Tensor4D;
  /** The logo's box per image, or null when it carries none. */
  watermarks: Array<PixelBox | null>;
}

/**
 * Reads the masks and watermark boxes of `files` (absolute, or relative to `dir`) from the
 * dataset in `dir`.
 * @throws Error naming `dir` when it holds no generated dataset, or the first file it does not list.
 */
export function loadSpriteAnnotations(dir: string, files: readonly string[]): SpriteAnnotations {
  const where = 'loadSpriteAnnotations';
  if (typeof dir !== 'string' || dir.length === 0) throw new Error(`${where}: dir must be a folder path; got ${JSON.stringify(dir)}`);
  if (!Array.isArray(files) || !files.every((f) => typeof f === 'string')) throw new Error(`${where}: files must be an array of file paths (e.g. loadImageFolder(dir).files)`);
  const m = readSpriteManifest(dir);
  const bin = path.join(dir, SPRITE_MASKS);
  if (!m || !fs.existsSync(bin)) throw new Error(`${where}: dir '${dir}' holds no generated sprite dataset (sprites.json and masks.bin); run ensureSprites first`);
  const index = new Map(m.files.map((f, i) => [f.file, i]));
  const bits = fs.readFileSync(bin);
  const hw = m.size * m.size;
  const perMask = Math.ceil(hw / 8);
  const out = new Float32Array(files.length * hw);
  const watermarks: Array<PixelBox | null> = [];
  files.forEach((file, n) => {
    const rel = path.relative(dir, path.resolve(dir, file)).split(path.sep).join('/');
    const i = index.get(rel);
    if (i === undefined) throw new Error(`${where}: files[${n}] '${file}' is not part of the dataset in '${dir}'`);
    const base = i * perMask;
    for (let p = 0; p < hw; p++) out[n * hw + p] = (bits[base + (p >> 3)] >> (p & 7)) & 1;
    watermarks.push(m.files[i].watermark);
  });
  return { masks: tf.tensor4d(out, [files.length, m.size, m.size, 1]), watermarks };
}
