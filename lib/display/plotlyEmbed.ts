/**
 * Offline plotly.js for notebooks, like plotly.py's `init_notebook_mode(connected=False)`: plotly.js
 * travels inside the notebook once (the first plotly figure `show()`s it as its own output), and
 * every later figure's script queues its drawing until `window.Plotly` is there. No CDN.
 *
 * The bundle is the **minified** plotly.js (`plotly.js-dist-min`'s `plotly.min.js`, 4.6 MB; the
 * unminified `plotly.js-dist` is used only when the minified package is absent) stored **gzip-
 * compressed and base64-encoded** (about 1.8 MB in the notebook instead of 10.8 MB). A small
 * inline loader decodes it with the browser's `DecompressionStream('gzip')` (Chromium 80+,
 * Firefox 113+, Safari 16.4+), evaluates it and then draws the figures that queued up in
 * `window.__xaiPlotlyQueue`. A browser without `DecompressionStream`, or a page with JavaScript
 * off, keeps every figure's static SVG (see `lib/viz/plotly/figure.ts`).
 *
 * Classic Jupyter Notebook and nbconvert's HTML export load require.js; plotly's UMD wrapper
 * would then register an AMD module instead of setting `window.Plotly`. plotly.py handles that
 * by wrapping the bundle in `define('plotly', …)`; here the bundle runs inside a function whose
 * `define`, `module` and `exports` parameters are undefined, so the UMD wrapper always takes
 * its browser-global branch and sets `window.Plotly`, with or without require.js on the page.
 *
 * @example
 * ```ts
 * plotlyVersion();          // '2.35.3'
 * show(scatter(points));    // the first plotly figure of a session shows plotlyOfflineBundle() first
 * ```
 */
import * as fs from 'fs';
import * as zlib from 'zlib';
import type { MimeBundle } from './figure';

/** The MIME type of plotly figure JSON (`{data, layout, config}`). */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** Attribute on the loader output; tests count it to check the bundle is embedded once. */
export const PLOTLY_LOADER_MARK = 'data-xai-plotly-loader';

/**
 * The global array where figure scripts queue their draw functions until plotly.js has loaded.
 * @example
 * ```ts
 * `(window.${PLOTLY_QUEUE} = window.${PLOTLY_QUEUE} || []).push(draw);`
 * ```
 */
export const PLOTLY_QUEUE = '__xaiPlotlyQueue';

/** Resolves `id`, or undefined when the package is not installed. */
function tryResolve(id: string): string | undefined {
  try {
    return require.resolve(id);
  } catch {
    return undefined;
  }
}

/**
 * The file plotly.js is read from: the minified bundle when `plotly.js-dist-min` is installed.
 * @example
 * ```ts
 * plotlySourceFile() // '…/node_modules/plotly.js-dist-min/plotly.min.js'
 * ```
 */
export function plotlySourceFile(): string {
  return tryResolve('plotly.js-dist-min/plotly.min.js') ?? require.resolve('plotly.js-dist');
}

let source: string | undefined;
let packed: string | undefined;

/** The plotly.js bundle (minified when available), read once. */
export function plotlySource(): string {
  if (source === undefined) source = fs.readFileSync(plotlySourceFile(), 'utf8');
  return source;
}

/**
 * The plotly.js bundle gzip-compressed (level 9) and base64-encoded: what the notebook stores.
 * @example
 * ```ts
 * zlib.gunzipSync(Buffer.from(plotlyPacked(), 'base64')).toString() === plotlySource() // true
 * ```
 */
export function plotlyPacked(): string {
  if (packed === undefined) packed = zlib.gzipSync(Buffer.from(plotlySource(), 'utf8'), { level: 9 }).toString('base64');
  return packed;
}

/** The plotly.js version in use, e.g. '2.35.3'. */
export function plotlyVersion(): string {
  const min = tryResolve('plotly.js-dist-min/package.json');
  return (require(min ?? 'plotly.js-dist/package.json') as { version: string }).version;
}

/**
 * The loader script: decodes base64 → bytes → `DecompressionStream('gzip')` → text, runs plotly.js
 * with `define`/`module`/`exports` undefined (browser-global branch), then drains the queue.
 * The base64 alphabet has no `<`, `"` or `\`, so the payload cannot end the script or the string.
 */
function loaderScript(b64: string): string {
  const q = `window.${PLOTLY_QUEUE}`;
  return (
    `(function () {\n` +
    `  var w = window;\n` +
    `  ${q} = ${q} || [];\n` +
    `  function drain() { var q = ${q}; ${q} = { push: function (f) { f(); } }; for (var i = 0; i < q.length; i++) { try { q[i](); } catch (e) { console.warn(e); } } }\n` +
    `  if (w.Plotly) { if (Array.isArray(${q})) drain(); return; }\n` +
    `  if (w.__xaiPlotlyLoading) return;\n` +
    `  if (typeof DecompressionStream === 'undefined') { console.warn('tslab-xai: this browser has no DecompressionStream; plotly figures stay static'); return; }\n` +
    `  w.__xaiPlotlyLoading = true;\n` +
    `  w.PlotlyConfig = { MathJaxConfig: 'local' };\n` +
    `  var s = atob("${b64}");\n` +
    `  var bytes = new Uint8Array(s.length);\n` +
    `  for (var i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);\n` +
    `  new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text().then(function (src) {\n` +
    `    new Function('define', 'module', 'exports', src).call(w);\n` +
    `    w.__xaiPlotlyLoading = false;\n` +
    `    drain();\n` +
    `  }, function (e) { w.__xaiPlotlyLoading = false; console.warn('tslab-xai: could not decompress plotly.js', e); });\n` +
    `})();`
  );
}

/**
 * The output that embeds plotly.js in a notebook: a hidden marker and the loader script with the
 * compressed bundle. `show()` displays it before the first plotly figure of a kernel session.
 */
export function plotlyOfflineBundle(): MimeBundle {
  const version = plotlyVersion();
  const html =
    `<div ${PLOTLY_LOADER_MARK}="${version}" style="display:none"></div>` +
    `<script type="text/javascript">${loaderScript(plotlyPacked())}</script>`;
  return { 'text/plain': `plotly.js ${version} embedded in this notebook (offline, minified and gzip-compressed)`, 'text/html': html };
}
