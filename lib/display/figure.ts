/**
 * A figure is a MIME bundle: one output that carries several representations at once, so that
 * Jupyter picks the richest it can render (plotly › html › png/svg › text) and renderers without
 * JavaScript (GitHub, nbviewer) still show a picture.
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
  /** The representations of this figure. */
  readonly bundle: MimeBundle;
  /** Per-MIME metadata (e.g. `{ 'image/png': { width: 280 } }`). */
  readonly metadata?: Record<string, unknown>;
  /** Facts a reader (or a test) may want: value range, normalization, NaN count, … */
  readonly info?: Record<string, unknown>;
}

/**
 * The PNG of a figure as bytes, or undefined when it has none.
 *
 * @example
 * ```ts
 * fs.writeFileSync('saliency.png', figurePng(heatmap(a))!);
 * ```
 */
export function figurePng(fig: Figure): Buffer | undefined {
  const b64 = fig.bundle['image/png'];
  return typeof b64 === 'string' ? Buffer.from(b64, 'base64') : undefined;
}
