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

/**
 * The figure HTML: title, cells `cols` per row, colour bar, note. With `rowLabels` (one list of
 * lines per row: the row's name, e.g. its method, then e.g. its scale) each row starts with its
 * label in a column of its own.
 */
export function gridFigureHtml(parts: { title?: string; cells: readonly GridCell[]; cols: number; colorBar?: ColorBar; note?: string; rowLabels?: readonly (readonly string[])[] }): string {
  const { title, cells, cols, colorBar, note, rowLabels } = parts;
  const cellHtml = cells
    .map((c, i) => {
      const alt = c.caption?.join(' ') ?? '';
      const cap = c.caption?.length
        ? `<figcaption style="margin-top:2px;line-height:1.25;overflow-wrap:anywhere">${c.caption.map((l) => escapeHtml(l)).join('<br>')}</figcaption>`
        : '';
      const row = Math.floor(i / cols);
      const label =
        rowLabels && i % cols === 0
          ? `<div class="xai-row-label" style="align-self:center;text-align:right;line-height:1.25;min-width:96px;max-width:160px;overflow-wrap:normal">` +
            (rowLabels[row] ?? []).map((l, k) => (k === 0 ? `<b>${escapeHtml(l)}</b>` : `<span style="color:#555">${escapeHtml(l)}</span>`)).join('<br>') +
            `</div>`
          : '';
      return (
        label +
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
    `<div style="display:grid;justify-content:start;grid-template-columns:${rowLabels ? 'auto ' : ''}repeat(${Math.max(1, Math.min(cols, cells.length))},${width}px);gap:6px">${cellHtml}</div>` +
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

/**
 * Engineering notation with 3 significant digits: the exponent is a multiple of 3 and left out
 * when it is 0, so magnitudes compare at a glance (`52.8e-27`, `8.00e-3`, `830e-3`, `1.50`, `12.0e3`).
 * @example
 * ```ts
 * eng(5.28e-26) // '52.8e-27'
 * ```
 */
export function eng(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const sign = v < 0 ? '-' : '';
  let a = Math.abs(v);
  let e = Math.floor(Math.log10(a) / 3) * 3;
  let m = a / 10 ** e;
  // rounding to 3 digits can carry into the next power of 1000 (999.7 → 1.00e3)
  if (Number(m.toPrecision(3)) >= 1000) {
    e += 3;
    m = a / 10 ** e;
  } else if (m < 1) {
    e -= 3;
    m = a / 10 ** e;
  }
  a = Number(m.toPrecision(3));
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return `${sign}${a.toFixed(digits)}${e === 0 ? '' : `e${e}`}`;
}
