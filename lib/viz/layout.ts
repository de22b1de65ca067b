/**
 * The HTML frame shared by the pixel figures (heatmaps, image grids): a title, a grid of PNG
 * cells with captions, an optional colour bar, and a note stating how the values were scaled.
 * Every user string is escaped here, so callers pass plain text.
 */
import { escapeHtml } from '../display/escape';

/** One picture in the grid. */
export interface GridCell {
  /** Base64 PNG. */
  readonly png: string;
  /** Caption lines (plain text; escaped here). */
  readonly caption?: readonly string[];
  /** Displayed width in CSS pixels. */
  readonly width: number;
}

/** A horizontal colour bar: a PNG gradient with value labels under it. */
export interface ColorBar {
  readonly png: string;
  /** Labels at the left end, middle and right end. */
  readonly labels: readonly [string, string, string];
  /** What the bar shows, e.g. "attribution (per image: see captions)". */
  readonly label?: string;
}

/** The CSS font of every HTML figure and table. */
export const FONT = 'font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:12px;color:#222';

/** The figure HTML: title, cells `cols` per row, colour bar, note. */
export function gridFigureHtml(parts: { title?: string; cells: readonly GridCell[]; cols: number; colorBar?: ColorBar; note?: string }): string {
  const { title, cells, cols, colorBar, note } = parts;
  const cellHtml = cells
    .map((c) => {
      const alt = c.caption?.join(' ') ?? '';
      const cap = c.caption?.length
        ? `<figcaption style="margin-top:2px;line-height:1.25;overflow-wrap:anywhere">${c.caption.map((l) => escapeHtml(l)).join('<br>')}</figcaption>`
        : '';
      return (
        `<figure style="margin:0;width:${c.width}px;text-align:center">` +
        `<img src="data:image/png;base64,${c.png}" width="${c.width}" alt="${escapeHtml(alt)}" style="image-rendering:pixelated;image-rendering:crisp-edges;display:block">` +
        `${cap}</figure>`
      );
    })
    .join('');
  const width = cells.length ? cells[0].width : 0;
  const bar = colorBar
    ? `<div style="margin-top:6px;width:200px">` +
      (colorBar.label ? `<div>${escapeHtml(colorBar.label)}</div>` : '') +
      `<img src="data:image/png;base64,${colorBar.png}" width="200" height="10" alt="colour bar" style="display:block;image-rendering:pixelated">` +
      `<div style="display:flex;justify-content:space-between">${colorBar.labels.map((l) => `<span>${escapeHtml(l)}</span>`).join('')}</div></div>`
    : '';
  return (
    `<div class="xai-figure" style="${FONT}">` +
    (title ? `<div style="font-weight:600;margin-bottom:4px">${escapeHtml(title)}</div>` : '') +
    `<div style="display:grid;grid-template-columns:repeat(${Math.max(1, Math.min(cols, cells.length))},${width}px);gap:6px">${cellHtml}</div>` +
    bar +
    (note ? `<div style="margin-top:4px;color:#555">${escapeHtml(note)}</div>` : '') +
    `</div>`
  );
}

/** Formats a number for labels: 3 significant digits, no trailing noise. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}
