/** Test helper: decodes a figure's `image/png` into a pixel reader. */
import * as assert from 'assert';
import { PNG } from 'pngjs';
import { figurePng, type Figure } from '../lib/display/figure';

/** A decoded RGB picture: `at(x, y)` is [r, g, b]. */
export interface DecodedPng {
  width: number;
  height: number;
  at(x: number, y: number): number[];
}

/** Decodes base64 PNG bytes. */
export function decodePng(base64: string | Buffer): DecodedPng {
  const png = PNG.sync.read(typeof base64 === 'string' ? Buffer.from(base64, 'base64') : base64);
  return { width: png.width, height: png.height, at: (x, y) => Array.from(png.data.subarray(4 * (y * png.width + x), 4 * (y * png.width + x) + 3)) };
}

/** Decoded PNG of a figure. */
export function decode(fig: Figure): DecodedPng {
  const buf = figurePng(fig);
  assert.ok(buf, 'the figure has a PNG');
  return decodePng(buf);
}
