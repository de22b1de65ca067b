/**
 * A tiny built-in 5×7 bitmap font for the value labels painted into PNG figures (colour bar
 * ends), so that a renderer without HTML — or a user who writes the PNG to a file — still reads
 * the value range. Covers what `fmt` in layout.ts produces: digits, `.`, `-`/`−`, `+`, `e`, `±`, `×`,
 * and the letters of `max`; any other character is drawn as `?`.
 */
import type { Raster } from './raster';
import type { Rgb } from './colormap';

/** Glyph rows, top to bottom; `#` is ink. The glyph's width is its row length. */
const GLYPHS: Record<string, readonly string[]> = {
  '0': ['.###.', '#...#', '#..##', '#.#.#', '##..#', '#...#', '.###.'],
  '1': ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  '2': ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
  '3': ['#####', '...#.', '..#..', '...#.', '....#', '#...#', '.###.'],
  '4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  '5': ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  '6': ['..##.', '.#...', '#....', '####.', '#...#', '#...#', '.###.'],
  '7': ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  '8': ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
  '9': ['.###.', '#...#', '#...#', '.####', '....#', '...#.', '.##..'],
  '.': ['..', '..', '..', '..', '..', '##', '##'],
  '-': ['....', '....', '....', '####', '....', '....', '....'],
  '−': ['....', '....', '....', '####', '....', '....', '....'],
  '+': ['.....', '..#..', '..#..', '#####', '..#..', '..#..', '.....'],
  e: ['.....', '.....', '.###.', '#...#', '#####', '#....', '.###.'],
  '±': ['..#..', '..#..', '#####', '..#..', '..#..', '.....', '#####'],
  '×': ['.....', '#...#', '.#.#.', '..#..', '.#.#.', '#...#', '.....'],
  m: ['.....', '.....', '##.#.', '#.#.#', '#.#.#', '#.#.#', '#.#.#'],
  a: ['.....', '.....', '.###.', '....#', '.####', '#...#', '.####'],
  x: ['.....', '.....', '#...#', '.#.#.', '..#..', '.#.#.', '#...#'],
  ' ': ['...', '...', '...', '...', '...', '...', '...'],
  '?': ['.###.', '#...#', '....#', '...#.', '..#..', '.....', '..#..'],
};

/** Height of a line of text in pixels. */
export const GLYPH_HEIGHT = 7;

function glyph(ch: string): readonly string[] {
  return GLYPHS[ch] ?? GLYPHS['?'];
}

/**
 * Width in pixels of `text` in the bitmap font (1 px between characters).
 * @example
 * ```ts
 * textWidth('0.5') // 5 + 1 + 2 + 1 + 5 = 14
 * ```
 */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += glyph(ch)[0].length + 1;
  return Math.max(0, w - 1);
}

/**
 * Paints `text` into `target` with its top-left corner at (x0, y0), clipped to the raster.
 * @example
 * ```ts
 * drawText(raster, '1.23e-5', 0, 20, [34, 34, 34]);
 * ```
 */
export function drawText(target: Raster, text: string, x0: number, y0: number, color: Rgb): void {
  const { width, height, rgb } = target;
  let x = x0;
  for (const ch of text) {
    const g = glyph(ch);
    for (let r = 0; r < g.length; r++) {
      const y = y0 + r;
      if (y < 0 || y >= height) continue;
      const row = g[r];
      for (let c = 0; c < row.length; c++) {
        const xx = x + c;
        if (row[c] !== '#' || xx < 0 || xx >= width) continue;
        const o = 3 * (y * width + xx);
        rgb[o] = color[0];
        rgb[o + 1] = color[1];
        rgb[o + 2] = color[2];
      }
    }
    x += g[0].length + 1;
  }
}
