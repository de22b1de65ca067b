/**
 * A figure is a MIME bundle: one output that carries several representations at once, so that
 * Jupyter picks the richest it can render (plotly › html › png/svg › text) and renderers without
 * JavaScript (GitHub, nbviewer) still show a picture.
 *
 * **A raster is stored once per figure.** Every front end that shows notebooks picks `text/html`
 * over `image/png` when both are in a bundle: classic Notebook (its display order puts html before
 * svg and png), JupyterLab and VS Code (html ranks above images; an untrusted notebook's html is
 * sanitized, which keeps `<img src="data:…">` and drops only scripts), nbconvert's HTML export and
 * so nbviewer (`display_data_priority`: html before svg and png) and GitHub's notebook view (it
 * renders the sanitized html). So a pixel figure (heatmap, image grid) keeps its PNGs inside its
 * `text/html` only, with the captions, magnitudes and colour bar that a bare PNG could not carry,
 * and its bundle has no `image/png`: a second copy that no front end would show. The whole-figure
 * PNG (grid and colour bar) stays available to code as {@link Figure.png} / {@link figurePng}, to
 * write files or test pixels; it never goes into the notebook. (nbconvert's LaTeX/PDF export, which
 * reads no html, shows such a figure's text/plain form.) The same holds for a plotly figure's static
 * SVG: it is inside its `text/html` (what shows when JavaScript does not run) and, for code,
 * {@link Figure.svg}; a separate `image/svg+xml` would be a copy no front end picks over the html. And
 * its spec: the html's script draws it with the embedded plotly.js (classic Notebook, JupyterLab and
 * VS Code run the scripts of a trusted notebook's html), so it is not stored again as
 * `application/vnd.plotly.v1+json` (it was the largest part of a notebook of big scatter plots);
 * code reads it as {@link Figure.plotly}.
 */

/** MIME type → payload. Binary types (`image/png`, `image/jpeg`) are base64 strings. */
export interface MimeBundle {
  'text/plain': string;
  'text/html'?: string;
  'image/png'?: string;
  'image/jpeg'?: string;
  'image/svg+xml'?: string;
  'application/vnd.plotly.v1+json'?: unknown;
  [mime: string]: unknown;
}

/** What every `lib/viz` function returns; `show(figure)` displays it inline. */
export interface Figure {
  /** The representations of this figure (what `show()` stores in the notebook). */
  readonly bundle: MimeBundle;
  /** Per-MIME metadata (e.g. `{ 'image/png': { width: 280 } }`). */
  readonly metadata?: Record<string, unknown>;
  /** Facts a reader (or a test) may want: value range, normalization, NaN count, … */
  readonly info?: Record<string, unknown>;
  /**
   * The whole figure as one base64 PNG when its bundle keeps its pixels in `text/html` only (see the
   * module note): for files and pixel tests; not shown, not stored in the notebook.
   */
  readonly png?: string;
  /** The figure's static SVG when its bundle keeps it inside `text/html` only (plotly figures): for files and tests. */
  readonly svg?: string;
  /** A plotly figure's spec (`{ data, layout, config }`), drawn by the script in its `text/html`: for code and tests. */
  readonly plotly?: unknown;
}

/**
 * The static SVG of a figure (its bundle's `image/svg+xml`, else {@link Figure.svg}), or undefined.
 *
 * @example
 * ```ts
 * fs.writeFileSync('tsne.svg', figureSvg(scatter(points, { labels }))!);
 * ```
 */
export function figureSvg(fig: Figure): string | undefined {
  const svg = fig.bundle['image/svg+xml'] ?? fig.svg;
  return typeof svg === 'string' ? svg : undefined;
}

/**
 * The PNG of a figure as bytes (its bundle's `image/png`, else {@link Figure.png}), or undefined
 * when it has none.
 *
 * @example
 * ```ts
 * fs.writeFileSync('saliency.png', figurePng(heatmap(a))!);
 * ```
 */
export function figurePng(fig: Figure): Buffer | undefined {
  const b64 = fig.bundle['image/png'] ?? fig.png;
  return typeof b64 === 'string' ? Buffer.from(b64, 'base64') : undefined;
}
