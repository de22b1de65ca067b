import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { decode, type DecodedPng } from './viz-png';
import { createAttribution } from '../lib/explain/core/attribution';
import { colormap, heatmap, imageGrid, NON_FINITE_COLOR } from '../lib/viz';
import { XSS } from './viz-browser-figures';
import { assertNoLeak } from './local-fixtures';


/** The map grid is `w` × `h` at the top-left of the PNG: white to its right and under it (the colour bar follows lower down). */
function assertGridSize(px: DecodedPng, w: number, h: number) {
  assert.ok(px.width > w && px.height > h, `PNG ${px.width}×${px.height} holds a ${w}×${h} grid and the colour bar`);
  assert.deepStrictEqual(px.at(w, 0), [255, 255, 255], 'right of the grid');
  assert.deepStrictEqual(px.at(0, h), [255, 255, 255], 'under the grid');
}

describe('viz: heatmap', () => {
  it('maps a signed map onto a diverging colormap centred at 0 (0 → midpoint colour)', () => {
    const fig = heatmap([[-1, 0, 1]], { scale: 1, clip: 100 });
    const px = decode(fig);
    const cm = colormap('RdBu_r');
    assertGridSize(px, 3, 1);
    assert.deepStrictEqual(px.at(0, 0), [...cm.at(0)]);
    assert.deepStrictEqual(px.at(1, 0), [...cm.at(0.5)]);
    assert.deepStrictEqual(px.at(2, 0), [...cm.at(1)]);
    assert.strictEqual(fig.info?.sign, 'signed');
    assert.deepStrictEqual(fig.info?.ranges, [[-1, 1]]);
    // the midpoint is the light neutral of RdBu, not a saturated end
    assert.ok(cm.at(0.5).every((c) => c > 200));
  });

  it('keeps the range symmetric: +0.5 is halfway to red even when the minimum is −1', () => {
    const px = decode(heatmap([[-1, 0.5]], { scale: 1, clip: 100 }));
    assert.deepStrictEqual(px.at(1, 0), [...colormap('RdBu_r').at(0.75)]);
  });

  it('shows NaN and ±Inf in the NaN colour and counts them in info', () => {
    const fig = heatmap([[0.2, NaN], [Infinity, 1]], { scale: 1, clip: 100 });
    const px = decode(fig);
    assert.deepStrictEqual(px.at(1, 0), [...NON_FINITE_COLOR]);
    assert.deepStrictEqual(px.at(0, 1), [...NON_FINITE_COLOR]);
    assert.deepStrictEqual(px.at(1, 1), [...colormap('viridis').at(1)]);
    assert.strictEqual(fig.info?.nonFinite, 2);
    assert.match(fig.bundle['text/plain'], /2 NaN\/Inf values shown in magenta/);
    assert.match(String(fig.bundle['text/html']), /2 NaN\/Inf values shown in magenta/);
  });

  it('draws an all-zero map in the colour of zero (no division by zero)', () => {
    const zeros = tf.zeros([4, 4]);
    const mag = assertNoLeak(() => heatmap(zeros, { scale: 1 }));
    zeros.dispose();
    const signed = heatmap([[0, 0], [0, 0]], { scale: 1, sign: 'signed' });
    for (let i = 0; i < 4; i++) assert.deepStrictEqual(decode(mag).at(i % 4, 0), [...colormap('viridis').at(0)]);
    assert.deepStrictEqual(decode(signed).at(1, 1), [...colormap('RdBu_r').at(0.5)]);
    assert.deepStrictEqual(mag.info?.ranges, [[0, 0]]);
    assert.strictEqual(mag.info?.nonFinite, 0);
  });

  it('upscales nearest-neighbour: each value becomes a crisp scale × scale block', () => {
    const px = decode(heatmap([[0, 1], [1, 0]], { scale: 3, clip: 100 }));
    assertGridSize(px, 6, 6);
    const lo = [...colormap('viridis').at(0)];
    const hi = [...colormap('viridis').at(1)];
    for (const [x, y] of [[0, 0], [2, 2], [1, 2], [3, 3], [5, 5]]) assert.deepStrictEqual(px.at(x, y), lo, `(${x},${y})`);
    for (const [x, y] of [[3, 0], [5, 2], [0, 3], [2, 5]]) assert.deepStrictEqual(px.at(x, y), hi, `(${x},${y})`);
  });

  it('overlays on the input image with the given opacity', () => {
    const fig = heatmap([[1, 0]], { image: [[1, 0]], opacity: 0.25, scale: 1, sign: 'absolute', clip: 100 });
    const px = decode(fig);
    const hi = colormap('viridis').at(1);
    const lo = colormap('viridis').at(0);
    assert.deepStrictEqual(px.at(0, 0), hi.map((c) => Math.round(0.75 * 255 + 0.25 * c)));
    assert.deepStrictEqual(px.at(1, 0), lo.map((c) => Math.round(0.25 * c)));
    assert.match(String(fig.bundle['text/html']), /over the input at opacity 0\.25/);
  });

  it('clips at a percentile so that one outlier does not wash the map out', () => {
    const row = Array.from({ length: 100 }, (_, i) => i / 100);
    row[99] = 1000;
    const clipped = heatmap([row], { scale: 1, clip: 98 });
    const raw = heatmap([row], { scale: 1, clip: 100 });
    assert.ok(Math.abs((clipped.info?.ranges as number[][])[0][1] - 0.97) < 1e-6);
    assert.strictEqual((raw.info?.ranges as number[][])[0][1], 1000);
    // with clipping, 0.5 is mid-scale; without, it is indistinguishable from 0
    assert.deepStrictEqual(decode(raw).at(50, 0), [...colormap('viridis').at(0)]);
    assert.notDeepStrictEqual(decode(clipped).at(50, 0), [...colormap('viridis').at(0)]);
    assert.deepStrictEqual(decode(clipped).at(99, 0), [...colormap('viridis').at(1)]);
  });

  it('normalizes per image or shared, and says which on the figure', () => {
    const maps = tf.tensor4d([1, 0.5, 10, 5], [2, 1, 2, 1]);
    const per = assertNoLeak(() => heatmap(maps, { scale: 1, clip: 100, cols: 2 }));
    const shared = assertNoLeak(() => heatmap(maps, { scale: 1, clip: 100, normalize: 'shared', cols: 2 }));
    maps.dispose();
    const a = decode(per);
    const b = decode(shared);
    // grid of 2 cells (2 px wide) with a 2 px gap
    assertGridSize(a, 6, 1);
    assert.deepStrictEqual(a.at(2, 0), [255, 255, 255], 'gap');
    assert.deepStrictEqual(a.at(0, 0), a.at(4, 0), 'per image: both maxima get the end colour');
    assert.notDeepStrictEqual(b.at(0, 0), b.at(4, 0), 'shared: 1 and 10 differ');
    assert.deepStrictEqual(per.info?.ranges, [[0, 1], [0, 10]]);
    assert.deepStrictEqual(shared.info?.ranges, [[0, 10], [0, 10]]);
    assert.match(String(per.bundle['text/html']), /per-image scale/);
    assert.match(String(shared.bundle['text/html']), /shared scale for all maps/);
  });

  it('accepts an Attribution (title = method, captions = targets) and leaks no tensor', () => {
    const values = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 1);
    const a = createAttribution({ method: 'saliency', values: values, target: [3, 7], explained: 'output', score: [3, 7].map(() => 1), options: {} });
    const fig = assertNoLeak(() => heatmap(a));
    a.dispose();
    const html = String(fig.bundle['text/html']);
    assert.match(html, /saliency/);
    assert.match(html, /target 3/);
    assert.match(html, /target 7/);
    assert.match(html, /colour bar/);
    assert.strictEqual(fig.info?.n, 2);
  });

  it('sums channels of an RGB attribution and says so', () => {
    const ones = tf.ones([1, 2, 2, 3]);
    const fig = heatmap(ones, { scale: 1 });
    ones.dispose();
    assert.match(String(fig.bundle['text/html']), /summed over 3 channels/);
    assert.deepStrictEqual(fig.info?.ranges, [[0, 3]]);
  });

  it('escapes captions and titles', () => {
    const fig = heatmap([[1]], { captions: [XSS], title: XSS });
    const html = String(fig.bundle['text/html']);
    assert.ok(!html.includes(XSS), 'no raw markup');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  });

  it('names both shapes when the overlay image does not match', () => {
    tf.tidy(() => {
      assert.throws(() => heatmap(tf.zeros([1, 28, 28, 1]), { image: tf.zeros([1, 27, 28, 1]) }), /options\.image has shape \[1, 27, 28, 1\] but values have shape \[1, 28, 28, 1\]/);
      assert.throws(() => heatmap(tf.zeros([3, 4, 4, 1]), { image: tf.zeros([2, 4, 4, 1]) }), /\[2, 4, 4, 1\].*\[3, 4, 4, 1\]/);
      assert.throws(() => heatmap(tf.zeros([2, 4, 4, 1]), { captions: ['one'] }), /captions has length 1 but the images have shape \[2, 4, 4, 1\]/);
    });
  });

  it('rejects bad options early, naming them', () => {
    assert.throws(() => heatmap([[1]], { clip: 0 }), /options\.clip must be a percentile in \(0, 100\]; got 0/);
    assert.throws(() => heatmap([[1]], { normalize: 'batch' as 'image' }), /heatmap: options\.normalize must be one of image, row, shared; got "batch"/);
    assert.throws(() => heatmap([[1]], { opacity: 2, image: [[1]] }), /options\.opacity must be a number in \[0, 1\]/);
    assert.throws(() => heatmap([[1]], { colormap: 'nope' }), /unknown colormap 'nope'/);
    assert.throws(() => heatmap([[1, 2], [3]]), /ragged array/);
    tf.tidy(() => assert.throws(() => heatmap(tf.zeros([1, 1, 2, 2, 1])), /expected rank 2 \(HW\), 3 \(HWC or NHW\) or 4 \(NHWC\); got shape \[1, 1, 2, 2, 1\]/));
  });
});

describe('viz: imageGrid', () => {
  it('lays out a batch in rows and columns, pixels crisp, captions escaped', () => {
    const images = tf.tensor4d([0, 1, 1, 0, 0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1], [3, 2, 2, 1]);
    const fig = assertNoLeak(() => imageGrid(images, { cols: 2, scale: 2, captions: [{ label: 1, prediction: 2, confidence: 0.87 }, 'b', XSS], classNames: ['zero', 'one', 'two'] }));
    images.dispose();
    const px = decode(fig);
    assert.deepStrictEqual([px.width, px.height], [2 * 4 + 2, 2 * 4 + 2]);
    assert.deepStrictEqual(px.at(0, 0), [0, 0, 0]);
    assert.deepStrictEqual(px.at(3, 1), [255, 255, 255]);
    assert.deepStrictEqual(px.at(6, 0), [128, 128, 128]);
    assert.deepStrictEqual(px.at(1, 7), [255, 255, 255]);
    const html = String(fig.bundle['text/html']);
    assert.match(html, /label one · predicted two \(87%\)/);
    assert.ok(!html.includes(XSS));
    assert.strictEqual((html.match(/<img /g) ?? []).length, 3);
  });

  it('shows RGB as colour and stretches out-of-range values per image (stated)', () => {
    const rgb = imageGrid([[[1, 0, 0], [0, 0, 1]]], { scale: 1 });
    assert.deepStrictEqual(decode(rgb).at(0, 0), [255, 0, 0]);
    assert.deepStrictEqual(decode(rgb).at(1, 0), [0, 0, 255]);
    const filt = imageGrid([[-2, 2]], { scale: 1 });
    assert.deepStrictEqual(decode(filt).at(0, 0), [0, 0, 0]);
    assert.deepStrictEqual(decode(filt).at(1, 0), [255, 255, 255]);
    assert.match(String(filt.bundle['text/html']), /stretched to its own min\.\.max/);
  });
});
