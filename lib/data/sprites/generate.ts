/**
 * Writes the Pokémon/Digimon sprite dataset of the lecture's story to disk, stored exactly as the
 * story goes: class "pokemon" as RGBA PNG with a transparent background, class "digimon" as JPEG
 * on white. A loader that turns transparency into black (as the original pipeline did) hands the
 * classifier a perfect shortcut: black background → pokemon, white → digimon.
 *
 * The `watermark` variant (the "horse" story) stores both classes as JPEG on white and stamps a
 * small logo into the bottom-left corner of most images of one class.
 *
 * Next to the class folders go `sprites.json` (settings, files, watermark boxes) and `masks.bin`
 * (each creature's mask, one bit per pixel), read back by {@link loadSpriteAnnotations}.
 *
 * @example
 * ```ts
 * const ds = await ensureSprites();                      // data/generated/pokemon-digimon, 2×1000
 * const wm = await ensureSprites({ variant: 'watermark' });
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { checkChoice } from '../../checks';
import { generatedDir } from '../../packageRoot';
import { drawCreature } from './creature';
import { sampleGenes, SPRITE_CLASSES, type SpriteClass } from './genes';
import { SpriteRandom } from './random';
import type { PixelBox } from '../pixelBox';
import { stampWatermark, watermarkBox } from './watermark';

/** `story`: PNG-with-alpha vs JPEG-on-white. `watermark`: both JPEG on white, one class mostly stamped. */
export type SpriteVariant = 'story' | 'watermark';

/** Options of {@link generateSprites} and {@link ensureSprites}. */
export interface SpriteOptions {
  /** Output folder; default `data/generated/pokemon-digimon` (`…-watermark` for that variant) in the project. */
  dir?: string;
  /** Images per class; default 1000. */
  perClass?: number;
  /** Side in pixels (≥ 32); default 64. */
  size?: number;
  /** Default 0. Image j of a class depends only on (seed, class, j). */
  seed?: number;
  /** Default `story`. */
  variant?: SpriteVariant;
  /** Watermark variant: the class that carries the logo; default `pokemon`. */
  watermarkClass?: SpriteClass;
  /** Watermark variant: fraction of that class stamped; default 0.9. */
  watermarkFraction?: number;
  /** JPEG quality (1–100); default 92, with full-resolution colour (4:4:4). */
  jpegQuality?: number;
}

/** One image of the dataset. */
export interface SpriteEntry {
  /** Path relative to the dataset folder, e.g. `pokemon/pokemon-0007.png`. */
  file: string;
  class: SpriteClass;
  /** Where the logo is, or null when this image carries none. */
  watermark: PixelBox | null;
}

/** Contents of `sprites.json`. */
export interface SpriteManifest {
  /** {@link SPRITE_GENERATOR_VERSION} of the code that drew the files. */
  version: number;
  variant: SpriteVariant;
  seed: number;
  perClass: number;
  size: number;
  classes: SpriteClass[];
  watermarkClass: SpriteClass | null;
  watermarkFraction: number;
  jpegQuality: number;
  /** All images; entry i's mask is mask i of `masks.bin`. */
  files: SpriteEntry[];
}

/** A dataset on disk. */
export interface SpriteDataset {
  /** Absolute folder; point {@link loadImageFolder} at it. */
  dir: string;
  manifest: SpriteManifest;
  /** Whether this call wrote the files (false: they were already there). */
  generated: boolean;
  /** Time spent, in milliseconds. */
  ms: number;
}

/** File name of the manifest next to the class folders (settings, files, watermark boxes). */
export const SPRITE_MANIFEST = 'sprites.json';
/** Bumped whenever the drawing changes, so that {@link ensureSprites} redraws stale files. */
export const SPRITE_GENERATOR_VERSION = 6;
/** File name of the masks: one bit per pixel, row-major, least significant bit first, image after image. */
export const SPRITE_MASKS = 'masks.bin';

/** Default folder of a variant: `data/generated/pokemon-digimon[-watermark]` in the project (e.g. `defaultSpriteDir('watermark')`). */
export function defaultSpriteDir(variant: SpriteVariant = 'story'): string {
  return path.join(generatedDir(), variant === 'story' ? 'pokemon-digimon' : 'pokemon-digimon-watermark');
}

function settings(options: SpriteOptions): Omit<SpriteManifest, 'files' | 'version'> & { dir: string } {
  const { perClass = 1000, size = 64, seed = 0, variant = 'story', watermarkFraction = 0.9, jpegQuality = 92 } = options;
  const where = 'generateSprites';
  if (variant !== 'story' && variant !== 'watermark') throw new Error(`${where}: options.variant must be 'story' or 'watermark'; got ${JSON.stringify(variant)}`);
  if (!Number.isInteger(perClass) || perClass < 1) throw new Error(`${where}: options.perClass must be a positive integer; got ${perClass}`);
  if (!Number.isInteger(size) || size < 32) throw new Error(`${where}: options.size must be an integer ≥ 32; got ${size}`);
  if (!Number.isInteger(seed)) throw new Error(`${where}: options.seed must be an integer; got ${seed}`);
  if (!(watermarkFraction >= 0 && watermarkFraction <= 1)) throw new Error(`${where}: options.watermarkFraction must be in [0, 1]; got ${watermarkFraction}`);
  if (!Number.isInteger(jpegQuality) || jpegQuality < 1 || jpegQuality > 100) throw new Error(`${where}: options.jpegQuality must be an integer in 1..100; got ${jpegQuality}`);
  const watermarkClass = variant === 'watermark' ? options.watermarkClass ?? 'pokemon' : null;
  if (watermarkClass !== null) checkChoice(where, 'options.watermarkClass', watermarkClass, SPRITE_CLASSES);
  const dir = path.resolve(options.dir ?? defaultSpriteDir(variant));
  return { dir, variant, seed, perClass, size, classes: [...SPRITE_CLASSES], watermarkClass, watermarkFraction: watermarkClass ? watermarkFraction : 0, jpegQuality };
}

const WHITE = [1, 1, 1] as const;

/** Renders, encodes and returns one image with its entry and mask. */
async function oneSprite(s: ReturnType<typeof settings>, cls: SpriteClass, j: number): Promise<{ entry: SpriteEntry; mask: Uint8Array; bytes: Buffer }> {
  const k = s.classes.indexOf(cls);
  const canvas = drawCreature(sampleGenes(new SpriteRandom(s.seed, k, j), cls), s.size);
  const raw = { width: s.size, height: s.size };
  const name = `${cls}-${String(j).padStart(4, '0')}`;
  let watermark: PixelBox | null = null;
  let bytes: Buffer;
  const png = s.variant === 'story' && cls === 'pokemon';
  if (png) {
    bytes = await sharp(canvas.toRgba(), { raw: { ...raw, channels: 4 } }).png().toBuffer();
  } else {
    const rgb = canvas.toRgb(WHITE);
    if (cls === s.watermarkClass && new SpriteRandom(s.seed, k, j, 1).chance(s.watermarkFraction)) {
      watermark = watermarkBox(s.size);
      stampWatermark(rgb, s.size, watermark);
    }
    bytes = await sharp(rgb, { raw: { ...raw, channels: 3 } }).jpeg({ quality: s.jpegQuality, chromaSubsampling: '4:4:4' }).toBuffer();
  }
  return { entry: { file: `${cls}/${name}.${png ? 'png' : 'jpg'}`, class: cls, watermark }, mask: canvas.toMask(), bytes };
}

/** Packs 0/1 bytes into bits, least significant bit first. */
function packBits(mask: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(mask.length / 8));
  for (let p = 0; p < mask.length; p++) if (mask[p]) out[p >> 3] |= 1 << (p & 7);
  return out;
}

/**
 * Generates the dataset into `options.dir`, replacing its class folders, manifest and masks
 * (nothing else there is touched). Deterministic: the same options give the same files.
 */
export async function generateSprites(options: SpriteOptions = {}): Promise<SpriteDataset> {
  const t0 = Date.now();
  const s = settings(options);
  fs.mkdirSync(s.dir, { recursive: true });
  fs.rmSync(path.join(s.dir, SPRITE_MANIFEST), { force: true });
  for (const cls of s.classes) {
    fs.rmSync(path.join(s.dir, cls), { recursive: true, force: true });
    fs.mkdirSync(path.join(s.dir, cls));
  }
  const bitsPerMask = Math.ceil((s.size * s.size) / 8);
  const masks = new Uint8Array(bitsPerMask * s.perClass * s.classes.length);
  const files: SpriteEntry[] = [];
  const jobs: Array<[SpriteClass, number]> = [];
  for (const cls of s.classes) for (let j = 0; j < s.perClass; j++) jobs.push([cls, j]);
  const chunk = 64;
  for (let lo = 0; lo < jobs.length; lo += chunk) {
    const done = await Promise.all(jobs.slice(lo, lo + chunk).map(([cls, j]) => oneSprite(s, cls, j)));
    await Promise.all(done.map((d) => fs.promises.writeFile(path.join(s.dir, d.entry.file), d.bytes)));
    for (const d of done) {
      masks.set(packBits(d.mask), files.length * bitsPerMask);
      files.push(d.entry);
    }
  }
  fs.writeFileSync(path.join(s.dir, SPRITE_MASKS), masks);
  const { dir, ...rest } = s;
  const manifest: SpriteManifest = { version: SPRITE_GENERATOR_VERSION, ...rest, files };
  fs.writeFileSync(path.join(dir, SPRITE_MANIFEST), JSON.stringify(manifest));
  return { dir, manifest, generated: true, ms: Date.now() - t0 };
}

/** Reads `sprites.json` of a dataset folder, or undefined when there is none (e.g. `readSpriteManifest(ds.dir)?.files.length`). */
export function readSpriteManifest(dir: string): SpriteManifest | undefined {
  const file = path.join(dir, SPRITE_MANIFEST);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SpriteManifest;
}

/**
 * The dataset for these options: reused when the folder already holds one generated with the same
 * settings (and all its files), generated otherwise.
 */
export async function ensureSprites(options: SpriteOptions = {}): Promise<SpriteDataset> {
  const t0 = Date.now();
  const s = settings(options);
  const m = readSpriteManifest(s.dir);
  const { dir, ...want } = s;
  const same = m && m.version === SPRITE_GENERATOR_VERSION && (Object.keys(want) as Array<keyof typeof want>).every((k) => JSON.stringify(m[k]) === JSON.stringify(want[k]));
  if (m && same && fs.existsSync(path.join(dir, SPRITE_MASKS)) && m.files.every((f) => fs.existsSync(path.join(dir, f.file)))) {
    return { dir, manifest: m, generated: false, ms: Date.now() - t0 };
  }
  return generateSprites(options);
}
