/**
 * Issue 8, item 11 (and item 1's display part, item 9's row labels): a heatmap shows each map's
 * magnitude, greys a saturated map and says why, and a comparison of methods has one row, one
 * label and one colour scale per method.
 */
import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { createAttribution, type Attribution } from '../lib/explain/core/attribution';
import { colormap, heatmap, imageGrid } from '../lib/viz';
import { SATURATED_COLOR } from '../lib/viz/heatmap';
import { eng } from '../lib/viz/layout';
import { decode } from './viz-png';
import { assertNoLeak } from './local-fixtures';

/** An attribution of one map per example, each map's values given as a flat h × w array. */
function attribution(method: string, maps: number[][], h: number, w: number, score: number[], explained: 'logit' | 'probability' = 'logit'): Attribution {
  const values = tf.tensor4d(maps.flat(), [maps.length, h, w, 1]);
  return createAttribution({ method, values, target: maps.map((_, i) => i), explained, score, options: {} });
}

/** The HTML of a figure's cell captions and row labels, as text. */
function htmlText(html: string): string {
  return html.replace(/<br>/g, '\n').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

describe('viz: magnitudes, saturated maps and method rows in heatmaps', () => {
  it('formats magnitudes in engineering notation (3 significant digits, exponent a multiple of 3)', () => {
    const cases: [number, string][] = [
      [5.28e-26, '52.8e-27'], [2.31e-26, '23.1e-27'], [2e-8, '20.0e-9'], [8e-3, '8.00e-3'], [0.25, '250e-3'],
      [1.5, '1.50'], [999.7, '1.00e3'], [12000, '12.0e3'], [-4.2e-5, '-42.0e-6'], [0, '0'],
    ];
    for (const [v, s] of cases) assert.strictEqual(eng(v), s, String(v));
  });

  it('prints each map’s max |value| under it and in the text form, so 2e-8 and 8e-3 differ at a glance', () => {
    const maps = [[0, 1e-8, 2e-8, -1e-8], [0, 4e-3, -8e-3, 2e-3]];
    const fig = assertNoLeak(() => heatmap(maps.map((m) => [m.slice(0, 2), m.slice(2)]), { scale: 1 }));
    const html = htmlText(String(fig.bundle['text/html']));
    assert.match(html, /max \|v\| 20\.0e-9/);
    assert.match(html, /max \|v\| 8\.00e-3/);
    assert.match(fig.bundle['text/plain'], /max \|v\| 20\.0e-9, 8\.00e-3/);
    assert.deepStrictEqual(fig.info?.maxAbs, [Math.fround(2e-8), Math.fround(8e-3)]);
  });

  it('draws a saturated map grey, says why under it, and keeps it out of the shared range', () => {
    // example 0: |values| 1e-30 against a probability of 1 — below 2^-23 · 1; example 1: a real map
    const a = attribution('saliency', [[1e-30, 0, 0, 1e-30], [0, 0.5, 1, 0]], 2, 2, [1, 0.6], 'probability');
    assert.deepStrictEqual(a.saturated, [true, false]);
    const fig = assertNoLeak(() => heatmap(a, { scale: 1, clip: 100, normalize: 'shared', cols: 2 }));
    a.dispose();
    const px = decode(fig);
    for (const [x, y] of [[0, 0], [1, 0], [0, 1], [1, 1]]) assert.deepStrictEqual(px.at(x, y), [...SATURATED_COLOR], `saturated map pixel (${x},${y})`);
    // the real map is not grey, and its maximum (1) has the end colour: the 1e-30 map did not set the range
    assert.deepStrictEqual(px.at(4 + 0, 1), [...colormap('viridis').at(1)]);
    const html = htmlText(String(fig.bundle['text/html']));
    assert.match(html, /saturated: gradients below float resolution of the score \(p = 1\.000\) — explain the logit/);
    assert.match(html, /max \|v\| 1\.00/);
    assert.match(html, /1 saturated map shown grey/);
    assert.match(fig.bundle['text/plain'], /max \|v\| saturated, 1\.00/);
    assert.deepStrictEqual(fig.info?.saturated, [true, false]);
    assert.deepStrictEqual(fig.info?.ranges, [[0, 1], [0, 1]]);
  });

  it('compares a list of attributions: one row per method, labelled with it, one colour scale per row', () => {
    // row A: maxima 1 and 0.5; row B: maxima 100 and 50 (both non-negative → sequential colormap)
    const a = attribution('saliency', [[1, 0], [0.5, 0]], 1, 2, [3, 3]);
    const b = attribution('integratedGradients', [[100, 0], [50, 0]], 1, 2, [3, 3]);
    const fig = assertNoLeak(() => heatmap([a, b], { scale: 1, clip: 100 }));
    a.dispose();
    b.dispose();
    assert.strictEqual(fig.info?.cols, 2);
    assert.strictEqual(fig.info?.normalize, 'row');
    assert.deepStrictEqual(fig.info?.rowLabels, ['saliency', 'integratedGradients']);
    assert.deepStrictEqual(fig.info?.rowRanges, [[0, 1], [0, 100]]);
    const px = decode(fig);
    const end = [...colormap('viridis').at(1)];
    const half = [...colormap('viridis').at(128 / 255)];
    // grid: 2 cells of 2 × 1 px with a 2 px gap, 2 rows with a 2 px gap
    assert.deepStrictEqual(px.at(0, 0), end, 'A: 1 is the top of its row');
    assert.deepStrictEqual(px.at(4, 0), half, 'A: 0.5 is half of its row (not its own maximum)');
    assert.deepStrictEqual(px.at(0, 3), end, 'B: 100 is the top of its row (not 100 × A)');
    assert.deepStrictEqual(px.at(4, 3), half, 'B: 50 is half of its row');
    const html = String(fig.bundle['text/html']);
    const labels = [...html.matchAll(/class="xai-row-label"[^>]*><b>([^<]*)<\/b><br><span[^>]*>([^<]*)<\/span>/g)].map((m) => [m[1], m[2]]);
    assert.deepStrictEqual(labels, [['saliency', 'scale [0, 1]'], ['integratedGradients', 'scale [0, 100]']]);
    assert.ok(html.indexOf('>saliency<') < html.indexOf('target 0'), 'the label starts its row');
    assert.match(html, /each row has its own range/);
    assert.match(fig.bundle['text/plain'], /in 2 rows \(saliency, integratedGradients\)/);
  });

  it('gives plain values row labels and per-row scales when asked (the notebooks’ concatenated maps)', () => {
    const maps = tf.tensor4d([1, 0, 0.5, 0, 100, 0, 50, 0], [4, 1, 2, 1]);
    const fig = assertNoLeak(() => heatmap(maps, { cols: 2, normalize: 'row', rowLabels: ['saliency', 'SmoothGrad'], scale: 1, clip: 100 }));
    maps.dispose();
    assert.deepStrictEqual(fig.info?.rowRanges, [[0, 1], [0, 100]]);
    assert.match(String(fig.bundle['text/html']), /<b>SmoothGrad<\/b>/);
  });

  it('rejects a comparison whose parts do not fit, naming the argument', () => {
    const a = attribution('saliency', [[1, 0], [0.5, 0]], 1, 2, [3, 3]);
    const b = attribution('occlusion', [[1, 0]], 1, 2, [3]);
    assert.throws(() => heatmap([a, b]), /heatmap: values\[1\] \(occlusion\) has shape \[1, 1, 2, 1\] but values\[0\] \(saliency\) has shape \[2, 1, 2, 1\]/);
    assert.throws(() => heatmap([a, a], { cols: 3 }), /heatmap: options\.cols must be 2 for a list of attributions .*; got 3/);
    assert.throws(() => heatmap([a, a], { rowLabels: ['one'] }), /heatmap: options\.rowLabels has length 1 but the grid has 2 rows \(4 maps, 2 per row\)/);
    a.dispose();
    b.dispose();
  });
});

describe('viz: a raster is stored once per figure', () => {
  it('heatmap and imageGrid keep each PNG once (in text/html), and figure.png is the whole figure', () => {
    const x = tf.randomUniform([3, 8, 8, 1], 0, 1, 'float32', 7);
    const a = createAttribution({ method: 'saliency', values: tf.randomNormal([3, 8, 8, 1], 0, 1, 'float32', 3), target: [1, 2, 3], explained: 'logit', score: [2, 2, 2], options: {} });
    const figs = assertNoLeak(() => [
      { fig: heatmap(a, { image: x }), rasters: 3 + 1 },
      { fig: heatmap([a, a], { image: x }), rasters: 6 + 1 },
      { fig: imageGrid(x), rasters: 3 },
    ]);
    a.dispose();
    x.dispose();
    for (const { fig, rasters } of figs) {
      assert.strictEqual(fig.bundle['image/png'], undefined, 'no image/png beside the html');
      const html = String(fig.bundle['text/html']);
      // base64 PNGs start with iVBORw0KGgo (the PNG signature): every one in the bundle is an <img> of the html
      const inBundle = JSON.stringify(fig.bundle).split('iVBORw0KGgo').length - 1;
      const shown = html.split('<img src="data:image/png;base64,iVBORw0KGgo').length - 1;
      assert.strictEqual(shown, rasters, 'one <img> per cell and one for the colour bar');
      assert.strictEqual(inBundle, shown, 'no PNG stored outside the html');
      assert.ok(typeof fig.png === 'string' && !JSON.stringify(fig.bundle).includes(fig.png), 'figure.png stays out of the bundle');
      assert.ok(decode(fig).width >= 8, 'figurePng() still gives the whole figure');
    }
  });
});
