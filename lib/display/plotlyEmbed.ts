/**
 * Offline plotly.js for notebooks, like plotly.py's `init_notebook_mode(connected=False)`: the
 * whole plotly.js bundle travels inside the notebook once (the first plotly figure `show()`s it
 * as its own output), and every later figure's script waits for `window.Plotly`. No CDN.
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
import type { MimeBundle } from './figure';

/** The MIME type of plotly figure JSON (`{data, layout, config}`). */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** Attribute on the loader output; tests count it to check the bundle is embedded once. */
export const PLOTLY_LOADER_MARK = 'data-xai-plotly-loader';

let source: string | undefined;

/** The plotly.js bundle (from the `plotly.js-dist` package), read once. */
export function plotlySource(): string {
  if (source === undefined) {
    const file = require.resolve('plotly.js-dist');
    // no `</script` may end the inline script early (the bundle has none today; stay safe)
    source = fs.readFileSync(file, 'utf8').replace(/<\/(script)/gi, '<\\/$1');
  }
  return source;
}

/** The plotly.js version in use, e.g. '2.35.3'. */
export function plotlyVersion(): string {
  return (require('plotly.js-dist/package.json') as { version: string }).version;
}

/**
 * The output that embeds plotly.js in a notebook: hidden HTML with the bundle in a `<script>`.
 * `show()` displays it before the first plotly figure of a kernel session.
 */
export function plotlyOfflineBundle(): MimeBundle {
  const version = plotlyVersion();
  const html =
    `<div ${PLOTLY_LOADER_MARK}="${version}" style="display:none"></div>` +
    `<script type="text/javascript">window.PlotlyConfig = {MathJaxConfig: 'local'};</script>` +
    `<script type="text/javascript">if (!window.Plotly) { (function (define, module, exports) {\n${plotlySource()}\n}).call(window); }</script>`;
  return { 'text/plain': `plotly.js ${version} embedded in this notebook (offline)`, 'text/html': html };
}
