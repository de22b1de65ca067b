import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { colormap, heatmap, NON_FINITE_COLOR } from '../lib/viz';
import { drawText, GLYPH_HEIGHT, textWidth } from '../lib/viz/bitmapFont';
import { COLOR_BAR_LAYOUT as L } from '../lib/viz/colorBarRaster';
import { createRaster } from '../lib/viz/raster';
import type { Figure } from '../lib/display/figure';
import { decode, decodePng, type DecodedPng } from './viz-png';
import { assertNoLeak } from './local-fixtures';

const WHITE = [255, 255, 255];

/** Where the bar and its labels are in a figure whose grid is `gridH` pixels high. */
function rows(gridH: number) {
  const barY = gridH + L.gap;
  return { barY, labelY: barY + L.barHeight + L.tick + L.labelGap };
}

/** Ink (non-white) pixels in columns [x0, x1) of the label row. */
function ink(px: DecodedPng, labelY: number, x0: number, x1: number): number {
  let n = 0;
  for (let y = labelY; y < labelY + GLYPH_HEIGHT; y++) for (let x = x0; x < x1; x++) if (px.at(x, y).some((c, k) => c !== WHITE[k])) n++;
  return n;
}

/** The bar's width: where its row turns white (or the PNG ends). */
function barWidth(px: DecodedPng, barY: number): number {
  let x = 0;
  while (x < px.width && px.at(x, barY).join() !== WHITE.join()) x++;
  return x;
}

/** The first cell PNG of the HTML form (the map alone). */
function cellPng(fig: Figure): DecodedPng {
  const m = /data:image\/png;base64,([^"]+)"/.exec(String(fig.bundle['text/html']));
  assert.ok(m, 'the HTML has a cell image');
  return decodePng(m[1]);
}

describe('viz: heatmap colour bar in the PNG', () => {
  it('draws a diverging bar from the low end to the high end, the zero colour in its middle, labels min / 0 / max', () => {
    const map = tf.randomNormal([1, 28, 28, 1], 0, 1, 'float32', 3);
    const fig = assertNoLeak(() => heatmap(map, { scale: 5 }));
    map.dispose();
    const px = decode(fig);
    const cm = colormap('RdBu_r');
    const { barY, labelY } = rows(140);
    const w = barWidth(px, barY + 1);
    assert.strictEqual(w, 140, 'as wide as the map');
    for (let y = barY; y < barY + L.barHeight; y++) {
      for (let x = 0; x < w; x++) assert.deepStrictEqual(px.at(x, y), [...cm.at(x / (w - 1))], `bar (${x},${y})`);
    }
    assert.deepStrictEqual(px.at(0, barY), [...cm.at(0)]);
    assert.deepStrictEqual(px.at(w - 1, barY), [...cm.at(1)]);
    assert.deepStrictEqual(px.at(Math.round((w - 1) / 2), barY), [...cm.at(0.5)], 'the middle is the colour of 0');
    assert.deepStrictEqual(px.at(0, barY - 1), WHITE, 'a gap between map and bar');
    assert.ok(ink(px, labelY, 0, 30) > 10, 'min label');
    assert.ok(ink(px, labelY, 60, 80) > 5, '0 label');
    assert.ok(ink(px, labelY, 110, 140) > 10, 'max label');
    assert.strictEqual(px.height, labelY + GLYPH_HEIGHT + L.bottom);
  });

  it('draws a sequential bar 0 / max with no middle label, and the labels follow the range', () => {
    const small = decode(heatmap([[0, 0.5, 1]], { scale: 1, clip: 100 }));
    const large = decode(heatmap([[0, 5000, 98765]], { scale: 1, clip: 100 }));
    const cm = colormap('viridis');
    const { barY, labelY } = rows(1);
    const w = barWidth(small, barY);
    assert.strictEqual(w, L.minWidth, 'a tiny map still gets a readable bar');
    assert.deepStrictEqual(small.at(0, barY), [...cm.at(0)]);
    assert.deepStrictEqual(small.at(w - 1, barY), [...cm.at(1)]);
    assert.ok(ink(small, labelY, 0, 6) > 5, '0 label');
    assert.strictEqual(ink(small, labelY, 10, w - 10), 0, 'no middle label');
    assert.ok(ink(small, labelY, w - 6, w) > 5, 'max label');
    // "9.88e+4" is wider than "1"
    assert.ok(ink(large, labelY, 0, large.width) > ink(small, labelY, 0, small.width));
  });

  it('leaves the map pixels as they are (the grid is at the top-left, pixel for pixel)', () => {
    const d = tf.tidy(() => tf.randomUniform([1, 28, 28, 1], 0, 1, 'float32', 5));
    const map = tf.tidy(() => tf.randomNormal([1, 28, 28, 1], 0, 1, 'float32', 6));
    const fig = heatmap(map, { image: d, opacity: 0.6, scale: 3 });
    tf.dispose([d, map]);
    const px = decode(fig);
    const cell = cellPng(fig);
    assert.deepStrictEqual([cell.width, cell.height], [84, 84]);
    for (let y = 0; y < 84; y++) for (let x = 0; x < 84; x++) assert.deepStrictEqual(px.at(x, y), cell.at(x, y), `(${x},${y})`);
  });

  it('still works with NaN/Inf: magenta pixels, the bar and its labels', () => {
    const fig = heatmap([[0.2, NaN], [Infinity, 1]], { scale: 1, clip: 100 });
    const px = decode(fig);
    assert.deepStrictEqual(px.at(1, 0), [...NON_FINITE_COLOR]);
    assert.deepStrictEqual(px.at(0, 1), [...NON_FINITE_COLOR]);
    const { barY, labelY } = rows(2);
    const w = barWidth(px, barY);
    assert.deepStrictEqual(px.at(0, barY), [...colormap('viridis').at(0)]);
    assert.deepStrictEqual(px.at(w - 1, barY), [...colormap('viridis').at(1)]);
    assert.ok(ink(px, labelY, 0, px.width) > 10);
    assert.strictEqual(fig.info?.nonFinite, 2);
  });

  it('labels a per-image batch −max / 0 / max under one bar spanning the grid', () => {
    const maps = tf.tensor4d([-1, 2, -30, 40], [2, 1, 2, 1]);
    const fig = assertNoLeak(() => heatmap(maps, { scale: 40, cols: 2 }));
    maps.dispose();
    const px = decode(fig);
    const { barY, labelY } = rows(40);
    assert.strictEqual(barWidth(px, barY), 162, 'two 80 px cells and a 2 px gap');
    assert.ok(ink(px, labelY, 0, 25) > 10 && ink(px, labelY, 70, 90) > 5 && ink(px, labelY, 140, 162) > 10);
  });
});

describe('viz: bitmap font', () => {
  it('measures and draws text, unknown characters as ?, clipped at the edges', () => {
    assert.strictEqual(textWidth('0.5'), 14);
    assert.strictEqual(textWidth(''), 0);
    assert.strictEqual(textWidth('Z'), textWidth('?'));
    const r = createRaster(20, 9);
    drawText(r, '-1.2e+3', -3, 4, [0, 0, 0]);
    let dark = 0;
    for (let i = 0; i < r.rgb.length; i += 3) if (r.rgb[i] === 0) dark++;
    assert.ok(dark > 20);
  });
});
