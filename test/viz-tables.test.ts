import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { attentionGrid, attentionMatrix, confusionMatrix, probeTable, table, tokenImportance } from '../lib/viz';
import { assertNoLeak } from './local-fixtures';
import { XSS } from './viz-browser-figures';


describe('viz: tables', () => {
  it('table: records → HTML table and aligned text, cells escaped', () => {
    const f = table([{ method: 'saliency', deletion: 0.2134 }, { method: XSS, deletion: 0.1, steps: 50 }], { title: 'methods' });
    const html = String(f.bundle['text/html']);
    assert.ok(!html.includes(XSS));
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.strictEqual((html.match(/<tr>/g) ?? []).length, 3);
    assert.deepStrictEqual(f.info?.columns, ['method', 'deletion', 'steps']);
    assert.strictEqual(
      f.bundle['text/plain'],
      ['methods', 'method                        deletion  steps', '----------------------------  --------  -----', 'saliency                         0.213       ', `${XSS}     0.100     50`].join('\n'),
    );
    assert.throws(() => table([{ a: 1 }, 5 as unknown as Record<string, unknown>]), /records\[1\] must be an object \(one row\); got number/);
    assert.throws(() => table([{ a: 1.5 }], { digits: -1 }), /table: options\.digits must be an integer ≥ 0; got -1/);
    assert.throws(() => probeTable({ conv1: { digit: 1 } }, { digits: 1.5 }), /probeTable: options\.digits must be an integer ≥ 0; got 1\.5/);
  });

  it('probeTable: best layer per task highlighted, selectivity against the control task, baseline row', () => {
    const f = probeTable(
      { conv1: { digit: 0.71, parity: 0.9 }, conv2: { digit: 0.88, parity: 0.8 }, dense: { digit: 0.97, parity: 0.85 } },
      { control: { conv1: { digit: 0.5, parity: 0.6 }, conv2: { digit: 0.4, parity: 0.6 }, dense: { digit: 0.6, parity: 0.7 } }, baseline: { digit: 0.1, parity: 0.5 }, baselineLabel: 'chance' },
    );
    assert.deepStrictEqual(f.info?.best, { digit: 'dense', parity: 'conv1' });
    const html = String(f.bundle['text/html']);
    assert.strictEqual((html.match(/title="best layer for/g) ?? []).length, 2);
    assert.match(html, /background:#d9f2d9;font-weight:700" title="best layer for digit">0\.970</);
    assert.match(f.bundle['text/plain'], /dense\s+0\.970\s+0\.600\s+0\.370/);
    assert.match(f.bundle['text/plain'], /chance\s+0\.100/);
    assert.throws(() => probeTable({ conv1: { digit: 1 } }, { control: {} }), /options\.control has no entry for layer 'conv1'/);
  });

  it('confusionMatrix: counts, recall, accuracy; class names escaped; shape checked', () => {
    const f = confusionMatrix([[8, 2], [1, 9]], { classNames: ['cat', XSS] });
    assert.strictEqual(f.info?.accuracy, 17 / 20);
    assert.match(f.bundle['text/plain'], /accuracy 85\.0% of 20/);
    assert.match(f.bundle['text/plain'], /cat\s+8\s+2\s+0\.80/);
    assert.ok(!String(f.bundle['text/html']).includes(XSS));
    const t = tf.tensor2d([[1, 0], [0, 1]]);
    assert.strictEqual(confusionMatrix(t).info?.total, 2);
    t.dispose();
    assert.throws(() => confusionMatrix([[1, 2, 3], [4, 5, 6]]), /must be square .*got shape \[2, 3\]/);
    assert.throws(() => confusionMatrix([[1, 0], [0, 1]], { classNames: ['a'] }), /classNames has 1 names but the matrix has shape \[2, 2\]/);
  });
});

describe('viz: attention', () => {
  const w = [
    [1, 0, 0],
    [0.5, 0.5, 0],
    [0.2, 0.3, 0.5],
  ];

  it('attentionMatrix: tokens on both axes, a hover value per cell, escaped tokens', () => {
    const f = attentionMatrix(w, { tokens: ['the', 'cat', XSS], layer: 2, head: 5 });
    const svg = String(f.bundle['image/svg+xml']);
    assert.strictEqual((svg.match(/<rect x="[\d.]+" y="[\d.]+" width="\d+" height="\d+" fill="#[0-9a-f]{6}"><title>/g) ?? []).length, 9);
    assert.ok(svg.includes('<title>layer 2 · head 5: cat → the: 0.5</title>'));
    assert.match(svg, /attention, layer 2 · head 5/);
    assert.ok(!svg.includes(XSS) && !String(f.bundle['text/html']).includes(XSS));
    assert.ok(svg.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.strictEqual(f.info?.max, 1);
  });

  it('names both shapes when the tokens do not match the matrix', () => {
    assert.throws(() => attentionMatrix(w, { tokens: ['a', 'b'] }), /options\.queryTokens has 2 tokens but the weights have shape \[3, 3\]; expected one token per row \(query\) \(3\)/);
    assert.throws(() => attentionMatrix(w, { queryTokens: ['a', 'b', 'c'], keyTokens: ['x'] }), /options\.keyTokens has 1 tokens but the weights have shape \[3, 3\]/);
  });

  it('attentionGrid: layers × heads, one shared scale, NaN counted; accepts a tensor without leaking', () => {
    const t = tf.tensor4d([...w.flat(), ...w.flat(), ...w.flat(), ...w.flat().map((v, i) => (i === 4 ? NaN : v))], [2, 2, 3, 3]);
    const f = assertNoLeak(() => attentionGrid(t, { tokens: ['a', 'b', 'c'], layerNames: ['first', 'second'] }));
    t.dispose();
    const svg = String(f.bundle['image/svg+xml']);
    assert.strictEqual((svg.match(/<title>/g) ?? []).length, 36);
    assert.ok(svg.includes('<title>layer second head 1: b → b: NaN</title>'));
    assert.ok(svg.includes('fill="#ff00ff"'));
    assert.deepStrictEqual([f.info?.layers, f.info?.heads, f.info?.nonFinite], [2, 2, 1]);
    assert.throws(() => attentionGrid([[[1]]], { layerNames: ['a', 'b'] }), /layerNames has 2 names but the weights have shape \[1, 1, 1\]/);
  });
});

describe('tokenImportance (text attributions side by side)', () => {
  it('scales each method to its largest |value|, marks the explained token and names mismatched lengths', () => {
    const fig = tokenImportance({ attention: [0.1, 0.6, 0.3], loo: [-2, 4, NaN] }, { tokens: ['the', '<b>cat</b>', 'sat'], highlight: 2 });
    const svg = fig.bundle['image/svg+xml'] as string;
    assert.deepStrictEqual((fig.info as { maxAbs: number[] }).maxAbs, [0.6, 4]);
    assert.ok(svg.includes('&lt;b&gt;cat&lt;/b&gt;') && !svg.includes('<b>cat'), 'tokens are escaped');
    assert.ok(svg.includes('loo: &lt;b&gt;cat&lt;/b&gt; = 4'), 'tooltips carry the values');
    assert.ok(svg.includes('fill="#fff"'), 'the highlighted token with no value is left blank');
    assert.throws(() => tokenImportance({ a: [1, 2] }, { tokens: ['x', 'y', 'z'] }), /methods\["a"\] has 2 values but options.tokens has 3 tokens/);
    assert.throws(() => tokenImportance({ a: [1] }, { tokens: ['x'], highlight: 1 }), /options.highlight must be a token index in 0..0; got 1/);
  });
});
