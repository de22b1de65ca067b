import * as assert from 'assert';
import * as zlib from 'zlib';
import { tf } from '../lib/engine/tf';
import type { Figure, MimeBundle } from '../lib/display/figure';
import { setDisplaySink, show, type DisplaySink } from '../lib/display/sink';
import { barChart, imageGrid, linePlot, scatter } from '../lib/viz';
import { figureSvg, plotlyVersion, scriptJson } from '../lib/display';
import { PLOTLY_LOADER_MARK, plotlyOfflineBundle, plotlySource, plotlySourceFile } from '../lib/display/plotlyEmbed';
import * as fs from 'fs';
import { assertNoLeak } from './local-fixtures';
import { XSS } from './viz-browser-figures';

type Spec = { data: Record<string, unknown>[]; layout: Record<string, unknown> };
const specOf = (f: Figure) => f.plotly as Spec;

/** The spec as the page's script will see it: parse the JSON literal out of the HTML. */
function specInHtml(f: Figure): Spec {
  const html = String(f.bundle['text/html']);
  const m = /var spec = (.*);\n/.exec(html);
  assert.ok(m, 'the HTML carries the spec in a script');
  return JSON.parse(m[1]);
}

/** Everything inside <script> elements of the HTML. */
const scripts = (html: string) => [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);

describe('viz: plotly figures', () => {
  const points = Array.from({ length: 30 }, (_, i) => [Math.cos(i), Math.sin(i), i / 30]);
  const labels = points.map((_, i) => i % 3);

  it('scatter: one trace per class with its colour, legend and hover text; static SVG with every point', () => {
    const f = scatter(points, { labels, classNames: ['zero', 'one', 'two'], hover: points.map((_, i) => `point ${i}`), title: 'demo' });
    const spec = specOf(f);
    assert.strictEqual(spec.data.length, 3);
    assert.deepStrictEqual(spec.data.map((t) => t.name), ['zero', 'one', 'two']);
    assert.deepStrictEqual(spec.data.map((t) => (t.x as number[]).length), [10, 10, 10]);
    assert.strictEqual((spec.data[1].text as string[])[0], 'point 1');
    assert.strictEqual(spec.data[0].type, 'scatter');
    assert.ok(spec.data.every((t) => t.showlegend === true));
    assert.strictEqual((spec.data[0].marker as { color: string }).color !== (spec.data[1].marker as { color: string }).color, true);
    const svg = String(figureSvg(f));
    assert.strictEqual((svg.match(/M\d+ \d+h0/g) ?? []).length, 30, 'one dot per point');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(svg.includes('>zero</text>'), 'legend in the static SVG');
    assert.deepStrictEqual(specInHtml(f), spec, 'the script draws exactly the bundle JSON');
    assert.ok(String(f.bundle['text/html']).includes(svg), 'the HTML shows the static SVG until plotly draws');
    assert.strictEqual(f.info?.traces, 3);
  });

  it('scatter: 3-D, from a tensor, without leaking', () => {
    const t = tf.tensor2d(points);
    const f = assertNoLeak(() => scatter(t, { labels, dims: 3 }));
    t.dispose();
    const spec = specOf(f);
    assert.strictEqual(spec.data[0].type, 'scatter3d');
    assert.strictEqual((spec.data[0].z as number[]).length, 10);
    assert.ok(spec.layout.scene);
    assert.match(String(figureSvg(f)), /static oblique view/);
  });

  it('escapes user strings in plotly JSON, in the script and in the SVG', () => {
    const evil = `</script><script>alert(1)</script>${XSS}`;
    const f = scatter(points, { labels: labels.map((l) => (l === 0 ? evil : String(l))), hover: points.map(() => XSS), title: evil, axisLabels: [XSS, XSS] });
    const html = String(f.bundle['text/html']);
    assert.ok(!html.includes(XSS), 'no raw <img …> anywhere in the HTML');
    assert.ok(!/<script>alert/.test(html));
    assert.strictEqual(scripts(html).length, 1, 'only our one script');
    for (const s of scripts(html)) assert.ok(!s.includes('<'), 'no < inside the script');
    const spec = specInHtml(f);
    assert.ok(spec.data.some((t) => t.name === '&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'));
    assert.strictEqual((spec.data[0].text as string[])[0], '&lt;img src=x onerror=alert(1)&gt;');
    assert.ok(!String(figureSvg(f)).includes(XSS));
    assert.strictEqual(JSON.parse(scriptJson({ s: '</script><!--\u2028' })).s, '</script><!--\u2028');
  });

  it('names both shapes when labels, hover text or colours do not match the points', () => {
    assert.throws(() => scatter(points, { labels: [1, 2] }), /options\.labels has length 2 but points have shape \[30, 3\]; expected one per point \(30\)/);
    assert.throws(() => scatter(points, { hover: ['a'] }), /options\.hover has length 1 but points have shape \[30, 3\]/);
    assert.throws(() => scatter(points, { colors: ['red'] }), /options\.colors has length 1 but points have shape \[30, 3\]/);
    assert.throws(() => scatter([[1], [2]], {}), /points have shape \[2, 1\] but options\.dims is 2/);
    assert.throws(() => scatter([[1, 2], [3]], {}), /row 1 has length 1; expected every row to have length 2/);
  });

  it('linePlot: one trace per series, gaps for NaN, x length checked', () => {
    const f = linePlot({ loss: [1, 0.5, NaN, 0.2], accuracy: [0.1, 0.5, 0.7, 0.9] }, { xLabel: 'epoch', x: [1, 2, 3, 4] });
    const spec = specOf(f);
    assert.strictEqual(spec.data.length, 2);
    assert.deepStrictEqual(spec.data[0].y, [1, 0.5, null, 0.2]);
    assert.deepStrictEqual(spec.data[0].x, [1, 2, 3, 4]);
    assert.strictEqual((String(figureSvg(f)).match(/<polyline /g) ?? []).length, 3, 'NaN splits the loss line');
    assert.throws(() => linePlot({ loss: [1, 2] }, { x: [1, 2, 3] }), /series 'loss' has 2 y values but its x has 3/);
  });

  it('barChart: grouped series, a dashed baseline, category axis', () => {
    const f = barChart({ probe: { conv1: 0.6, conv2: 0.8 }, control: { conv1: 0.3, conv2: 0.35 } }, { baseline: { value: 0.1, label: 'chance' }, yLabel: 'accuracy' });
    const spec = specOf(f);
    assert.strictEqual(spec.data.length, 2);
    assert.deepStrictEqual(spec.data[0].x, ['conv1', 'conv2']);
    assert.strictEqual(spec.layout.barmode, 'group');
    assert.strictEqual((String(figureSvg(f)).match(/<rect [^>]*><title>/g) ?? []).length, 4);
    assert.match(String(figureSvg(f)), /stroke-dasharray/);
    assert.throws(() => barChart({ a: 1, b: { c: 2 } } as unknown as Record<string, number>), /not a mix/);
  });
});

describe('viz: show() embeds plotly.js once per notebook session', () => {
  let prev: DisplaySink;
  const shown: MimeBundle[] = [];
  const live: DisplaySink = { live: true, display: (b) => shown.push(b), update: () => undefined };
  before(() => (prev = setDisplaySink(live)));
  after(() => setDisplaySink(prev));

  it('displays the bundle before the first plotly figure only; never for other figures', () => {
    show(imageGrid([[0, 1]]));
    assert.strictEqual(shown.length, 1);
    for (let i = 0; i < 3; i++) show(linePlot([1, 2, 3]));
    assert.strictEqual(shown.length, 5);
    const loaders = shown.filter((b) => String(b['text/html']).includes(PLOTLY_LOADER_MARK));
    assert.strictEqual(loaders.length, 1);
    assert.strictEqual(shown[1], loaders[0], 'the bundle comes right before the first plotly figure');
    const html = String(loaders[0]['text/html']);
    // the whole (minified) plotly.js travels with the notebook, gzip-compressed in base64
    const packed = /atob\("([A-Za-z0-9+/=]+)"\)/.exec(html);
    assert.ok(packed, 'the loader carries the compressed bundle');
    const src = zlib.gunzipSync(Buffer.from(packed[1], 'base64')).toString('utf8');
    assert.strictEqual(src, plotlySource());
    assert.ok(src.includes(`plotly.js v${plotlyVersion()}`));
    assert.ok(html.includes("new Function('define', 'module', 'exports', src)"), 'hides require.js so that window.Plotly is set');
    assert.ok(html.includes("new DecompressionStream('gzip')"));
    assert.ok(!/cdn\.plot\.ly|https?:\/\/cdn/.test(html), 'no CDN');
  });

  it('embeds the minified plotly.js, gzip-compressed: under 2 MB in the notebook instead of 10.8 MB', () => {
    assert.match(plotlySourceFile(), /plotly\.min\.js$/, 'install plotly.js-dist-min (the minified bundle of the same version)');
    const html = String(plotlyOfflineBundle()['text/html']);
    const src = zlib.gunzipSync(Buffer.from(/atob\("([A-Za-z0-9+/=]+)"\)/.exec(html)![1], 'base64'));
    assert.ok(src.equals(fs.readFileSync(plotlySourceFile())), 'decodes to plotly.min.js byte for byte');
    assert.ok(html.length < 2e6, `the loader output is ${(html.length / 1e6).toFixed(2)} MB`);
    assert.ok(html.length < src.length / 2, 'compressed to less than half');
  });

  it('prints only text in a terminal (no bundle)', () => {
    const lines: string[] = [];
    const term: DisplaySink = { live: false, display: (b) => lines.push(b['text/plain']), update: () => undefined };
    const mine = setDisplaySink(term);
    show(linePlot([1, 2]));
    setDisplaySink(mine);
    assert.deepStrictEqual(lines, ['line plot — y 2 points, last 2']);
  });
});

describe('static charts (interactive: false)', () => {
  it('carry their SVG and no plotly spec or script, so a notebook of static charts embeds no plotly bundle', () => {
    for (const f of [linePlot([1, 2, 3], { interactive: false, title: 'static' }), barChart({ a: 1, b: 2 }, { interactive: false })]) {
      const html = f.bundle['text/html'] as string;
      assert.strictEqual(f.plotly, undefined);
      assert.ok(html.startsWith('<div class="xai-figure"><svg') && !html.includes('<script'), html.slice(0, 80));
      assert.strictEqual(html.includes(f.svg as string), true);
    }
    assert.ok(linePlot([1, 2, 3]).plotly !== undefined, 'interactive stays the default');
  });
});
