/**
 * The colour bar of a PNG figure: the map grid on top and, under it, a gradient strip from the
 * colormap's low end (left) to its high end (right) with its value labels in the bitmap font —
 * the same bar and labels the HTML form shows, for renderers that only show `image/png`.
 */
import { drawText, GLYPH_HEIGHT, textWidth } from './bitmapFont';
import type { Rgb } from './colormap';
import { createRaster, type Raster } from './raster';

/** Pixel geometry of the strip under the grid (exported for tests). */
export const COLOR_BAR_LAYOUT = { gap: 4, barHeight: 8, tick: 2, labelGap: 1, bottom: 2, minWidth: 64, maxWidth: 256 } as const;

const INK: Rgb = [34, 34, 34];

/**
 * A new raster: `grid` at the top-left (its pixels unchanged), then a colour bar of `lut`
 * (256 RGB entries, t = i / 255) with `labels` under its left end, middle and right end (an
 * empty label and its tick are left out). The bar is as wide as the grid, at least wide enough
 * for the labels and `COLOR_BAR_LAYOUT.minWidth`, at most `maxWidth` unless the labels need more.
 * @example
 * ```ts
 * const png = encodePng(withColorBar(gridRaster(cells, 28, 28, 5, 1), colormap('RdBu_r').lut, ['-0.8', '0', '0.8']));
 * ```
 */
export function withColorBar(grid: Raster, lut: Uint8Array, labels: readonly [string, string, string]): Raster {
  const L = COLOR_BAR_LAYOUT;
  const [left, mid, right] = labels;
  const need = textWidth(left) + textWidth(right) + (mid ? textWidth(mid) + 8 : 4);
  const barW = Math.max(Math.min(grid.width, L.maxWidth), L.minWidth, need);
  const width = Math.max(grid.width, barW);
  const barY = grid.height + L.gap;
  const labelY = barY + L.barHeight + L.tick + L.labelGap;
  const r = createRaster(width, labelY + GLYPH_HEIGHT + L.bottom);
  const rowBytes = grid.width * 3;
  for (let y = 0; y < grid.height; y++) r.rgb.set(grid.rgb.subarray(y * rowBytes, (y + 1) * rowBytes), y * width * 3);

  const row = new Uint8Array(barW * 3);
  for (let x = 0; x < barW; x++) {
    const i = 3 * Math.round((255 * x) / (barW - 1));
    row[3 * x] = lut[i];
    row[3 * x + 1] = lut[i + 1];
    row[3 * x + 2] = lut[i + 2];
  }
  for (let y = barY; y < barY + L.barHeight; y++) r.rgb.set(row, y * width * 3);

  const midX = Math.round((barW - 1) / 2);
  const ticks = [0, ...(mid ? [midX] : []), barW - 1];
  for (const x of ticks) for (let y = barY + L.barHeight; y < barY + L.barHeight + L.tick; y++) r.rgb.set(INK, 3 * (y * width + x));
  drawText(r, left, 0, labelY, INK);
  if (mid) drawText(r, mid, Math.min(Math.max(0, midX - Math.floor(textWidth(mid) / 2)), barW - textWidth(mid)), labelY, INK);
  drawText(r, right, barW - textWidth(right), labelY, INK);
  return r;
}
