/** The head view, the rollout matrix and the grid's large-input form (lib/viz/attention*.ts), on synthetic attention. */
import * as assert from 'assert';
import { tf } from '../lib/engine';
import { attentionOffsets, attentionRollout } from '../lib/explain/internals/attention';
import { attentionGrid, attentionHeadView, attentionOffsetsTable, rolloutMatrix } from '../lib/viz';
import { assertNoLeak } from './local-fixtures';
import { syntheticAttention, syntheticTokens, XSS } from './viz-browser-figures';

const eye = (t: number) => Array.from({ length: t }, (_, i) => Array.from({ length: t }, (_, j) => (i === j ? 1 : 0)));
const previous = (t: number) => Array.from({ length: t }, (_, i) => Array.from({ length: t }, (_, j) => (j === Math.max(0, i - 1) ? 1 : 0)));
const html = (f: { bundle: Record<string, unknown> }) => String(f.bundle['text/html']);
/** Line segments `M x y L x y` in a piece of SVG. */
const segments = (s: string) => (s.match(/M[\d.]+ [\d.]+L[\d.]+ [\d.]+/g) ?? []).length;

describe('attentionHeadView', () => {
  it('draws one line per weight ≥ threshold for the first layer, all heads, in its static SVG', () => {
    // layer 0: head 0 one-hot on the previous token (5 lines), head 1 split 0.6/0.39/0.01 (2 lines above 0.02); layer 1: identity
    const split = Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => (j === i ? 0.6 : j === (i + 1) % 5 ? 0.39 : j === (i + 2) % 5 ? 0.01 : 0)));
    const f = attentionHeadView([[previous(5), split], [eye(5), eye(5)]], { tokens: ['a', 'b', 'c', 'd', 'e'] });
    assert.strictEqual(segments(String(f.svg)), 5 + 10);
    assert.deepStrictEqual([f.info?.staticLines, f.info?.lines], [15, 15 + 10]);
    // mass drawn: all but the 0.01s (5 × 0.01 of 4 heads × 5 rows)
    assert.ok(Math.abs(Number(f.info?.drawnMass) - (1 - 0.05 / 20)) < 1e-12);
    // opacity = weight, in 32 levels: 0.6 → 19/32, 0.39 → 12/32, 1 → 1
    const svg = String(f.svg);
    for (const o of ['0.594', '0.375', '1.000']) assert.ok(svg.includes(`stroke-opacity="${o}"`), `opacity ${o}`);
    // the other layer and the hover data go to the script: base64 (i, j, w·255) entries, 5 bytes each
    const data = JSON.parse(/var D = (\{.*\});/.exec(html(f))![1]);
    assert.deepStrictEqual(data.entries.map((hs: string[]) => hs.map((b) => Buffer.from(b, 'base64').length / 5)), [[5, 10], [5, 5]]);
    assert.deepStrictEqual([...Buffer.from(data.entries[0][1], 'base64').subarray(0, 10)], [0, 0, 0, 0, 153, 0, 0, 0, 1, 99]);
    assert.strictEqual(attentionHeadView([[previous(5), split]], { tokens: ['a', 'b', 'c', 'd', 'e'], threshold: 0 }).info?.staticLines, 15 + 5);
  });

  it('selects the initial layer and heads; accepts the model’s [1, heads, t, t] tensors and a rollout without leaking', () => {
    const att = syntheticAttention(6, 3, 2);
    const tensors = att.map((a) => tf.tensor4d([a]));
    try {
      const f = assertNoLeak(() => attentionHeadView(tensors, { tokens: syntheticTokens(6), layer: 2, heads: [1], layerNames: ['a', 'b', 'c'] }));
      assert.match(html(f), /layer c · head 1 · \d+ lines/);
      const lines = att[2][1].flat().filter((v) => v >= 0.02).length;
      assert.strictEqual(f.info?.staticLines, lines);
      const r = attentionRollout(tensors);
      const g = attentionHeadView(r, { tokens: syntheticTokens(6) });
      assert.match(html(g), /attention rollout \(Abnar &amp; Zuidema 2020\): 3 layers, heads mean, residual 0\.5/);
      assert.strictEqual(g.info?.staticLines, r.weights.flat().filter((v) => v >= 0.02).length);
    } finally {
      tf.dispose(tensors);
    }
  });

  it('escapes tokens and layer names (also inside the script) and gives every figure its own id', () => {
    const tokens = ['a', XSS, '</script><script>alert(1)</script>'];
    const a = attentionHeadView([[eye(3)]], { tokens, layerNames: ['</script>' + XSS], title: XSS });
    const b = attentionHeadView([[eye(3)]], { tokens });
    for (const f of [a, b]) {
      assert.ok(!html(f).includes(XSS) && !html(f).includes('<script>alert'));
      assert.strictEqual(html(f).split('</script>').length - 1, 1, 'one script, closed once');
    }
    assert.ok(html(a).includes('&lt;img src=x onerror=alert(1)&gt;'));
    const id = (f: typeof a) => /id="(xai-hv-[0-9a-f-]+)"/.exec(html(f))![1];
    assert.notStrictEqual(id(a), id(b));
    assert.ok(html(a).includes(`"id":"${id(a)}"`), 'the script looks up its own figure');
  });

  it('names both counts when the tokens do not match the attention, and other bad options', () => {
    const att = [[eye(4), eye(4)]];
    assert.throws(() => attentionHeadView(att, { tokens: ['a', 'b', 'c'] }), /attentionHeadView: options\.tokens has 3 tokens but the attention has shape \[1 layers, 2 heads, 4, 4\]; expected one token per position \(4\)/);
    // a padded sentence: cut to its tokens with options.length (padding keys masked, so rows still sum to 1)
    const padded = [[[[1, 0, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0]]]];
    assert.strictEqual(attentionHeadView(padded, { tokens: ['a', 'b'], length: 2 }).info?.staticLines, 2);
    assert.throws(() => attentionHeadView(att, {} as { tokens: string[] }), /options\.tokens has no tokens/);
    assert.throws(() => attentionHeadView(att, { tokens: ['a', 'b', 'c', 'd'], layerNames: ['x', 'y'] }), /options\.layerNames has 2 names .* one per layer \(1\)/);
    assert.throws(() => attentionHeadView(att, { tokens: ['a', 'b', 'c', 'd'], heads: [2] }), /options\.heads must list head indices in 0\.\.1; got 2/);
    assert.throws(() => attentionHeadView(att, { tokens: ['a', 'b', 'c', 'd'], layer: 1 }), /options\.layer must be a layer index in 0\.\.0; got 1/);
    assert.throws(() => attentionHeadView(att, { tokens: ['a', 'b', 'c', 'd'], threshold: 1 }), /options\.threshold must be a number in \[0, 1\)/);
    assert.throws(() => attentionHeadView([[[[0.5, 0.4], [0, 1]]]], { tokens: ['a', 'b'] }), /attentionHeadView: every attention row must sum to 1/);
  });

  it('a 256-token sentence (2 layers × 4 heads) stays small: thresholded lines, not t² elements', () => {
    const f = attentionHeadView(syntheticAttention(256), { tokens: syntheticTokens(256) });
    assert.ok(Number(f.info?.htmlBytes) < 400e3, `${f.info?.htmlBytes} bytes`);
    // lines ≤ what can be ≥ 0.02 (50 per row), far below 2 · 4 · 256²
    assert.ok(Number(f.info?.lines) <= 2 * 4 * 256 * 50);
    assert.ok((html(f).match(/<path /g) ?? []).length <= 4 * 32, 'one path per head and opacity level');
  });
});

describe('rolloutMatrix and the grid of long sentences', () => {
  it('rolloutMatrix shows attentionRollout’s numbers with its settings in the title', () => {
    const att = syntheticAttention(5, 2, 2);
    const f = rolloutMatrix(att, { tokens: ['a', 'b', 'c', 'd', 'e'] });
    const r = attentionRollout(att).weights;
    const svg = String(f.bundle['image/svg+xml']);
    assert.match(svg, /attention rollout \(Abnar &amp; Zuidema 2020\): 2 layers, heads mean, residual 0\.5/);
    assert.strictEqual((svg.match(/<title>[a-e] → [a-e]: /g) ?? []).length, 25);
    assert.ok(Math.abs(Number(f.info?.max) - Math.max(...r.flat())) < 1e-12);
    assert.match(String(rolloutMatrix(attentionRollout(att, { heads: 'max' }), {}).bundle['text/plain']), /heads max/);
  });

  it('rolloutMatrix of a 256-token sentence: one PNG of 4-px cells (1024 px), every 3rd token labelled', () => {
    const f = rolloutMatrix(syntheticAttention(256), { tokens: syntheticTokens(256) });
    const svg = String(f.bundle['image/svg+xml']);
    assert.strictEqual(f.info?.raster, true);
    assert.strictEqual((svg.match(/<image [^>]*width="1024" height="1024"/g) ?? []).length, 1);
    assert.strictEqual((svg.match(/<title>\d+: /g) ?? []).length, 2 * Math.ceil(256 / 3));
    assert.match(svg, /every 3rd token labelled/);
    assert.ok(svg.length < 300e3, `${svg.length} bytes`);
  });

  it('the grid of a 64-token sentence draws each matrix as one PNG (73 kB, not 3.8 MB of rects); small grids keep per-cell hover', () => {
    const f = attentionGrid(syntheticAttention(64), { tokens: syntheticTokens(64) });
    const svg = String(f.bundle['image/svg+xml']);
    assert.strictEqual((svg.match(/<image /g) ?? []).length, 8);
    assert.strictEqual((svg.match(/<rect /g) ?? []).length, 2, 'background and colour bar only');
    assert.ok(svg.length < 300e3, `${svg.length} bytes`);
    assert.strictEqual(f.info?.raster, true);
    const small = attentionGrid(syntheticAttention(8), { tokens: syntheticTokens(8) });
    assert.strictEqual((String(small.bundle['image/svg+xml']).match(/<title>/g) ?? []).length, 2 * 4 * 64);
    assert.ok(!String(small.bundle['image/svg+xml']).includes(XSS));
  });
});

describe('attentionGrid of per-layer tensors, attentionOffsetsTable', () => {
  it("takes the tiny BERT's per-layer [1, heads, t, t] tensors like one [layers, heads, t, t] array, without leaking", () => {
    const att = syntheticAttention(5, 3, 2);
    const tensors = att.map((a) => tf.tensor4d([a]));
    try {
      const f = assertNoLeak(() => attentionGrid(tensors, { tokens: ['a', 'b', 'c', 'd', 'e'] }));
      const noIds = (x: unknown) => String(x).replace(/id="g[a-z0-9]+"|url\(#g[a-z0-9]+\)/g, '');
      assert.strictEqual(noIds(f.bundle['image/svg+xml']), noIds(attentionGrid(att, { tokens: ['a', 'b', 'c', 'd', 'e'] }).bundle['image/svg+xml']), 'same picture');
      assert.deepStrictEqual([f.info?.layers, f.info?.heads, f.info?.queries], [3, 2, 5]);
      const batch = tf.tensor4d([att[0], att[0]]);
      assert.throws(() => attentionGrid([batch]), /attentionGrid: weights\[0\] must be one layer's \[heads, queries, keys\] or \[1, heads, queries, keys\] \(one sentence: slice a batch first\); got shape \[2, 2, 5, 5\]/);
      batch.dispose();
    } finally {
      tf.dispose(tensors);
    }
  });

  it('attentionOffsetsTable: one row per layer × head, the uniform baseline last', () => {
    const o = attentionOffsets([syntheticAttention(6, 2, 4), syntheticAttention(9, 2, 4)]);
    const f = attentionOffsetsTable(o, { layerNames: ['first', XSS] });
    assert.strictEqual(f.info?.rows, 2 * 4 + 1);
    const text = String(f.bundle['text/plain']);
    assert.match(text, /2 sentences of 6–9 tokens/);
    assert.match(text, /uniform attention \(baseline\)/);
    assert.ok(text.includes(o.uniform.previous.toFixed(3)));
    assert.ok(text.includes(o.shares.previous[1][0].toFixed(3)));
    assert.ok(!String(f.bundle['text/html']).includes(XSS));
    assert.throws(() => attentionOffsetsTable(o, { layerNames: ['x'] }), /attentionOffsetsTable: options\.layerNames has 1 names but the offsets have 2 layers/);
  });
});
