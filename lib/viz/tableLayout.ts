/**
 * HTML and aligned plain-text tables for the table figures (records, probe accuracies,
 * confusion matrices). Cell text is escaped here; styles come only from our own code.
 */
import { escapeHtml } from '../display/escape';
import { FONT } from './layout';

/** One table cell: text plus optional style (ours, never user input) and tooltip. */
export interface Cell {
  readonly text: string;
  readonly style?: string;
  readonly tooltip?: string;
  /** Render as a header cell (`<th>`). */
  readonly header?: boolean;
}

const TD = 'padding:3px 8px;border:1px solid #ddd;text-align:right;font-variant-numeric:tabular-nums';
const TH = 'padding:3px 8px;border:1px solid #ddd;background:#f5f5f5;font-weight:600;text-align:left';

/** A table as HTML: title, header row, body rows, a note. */
export function htmlTable(parts: { title?: string; header: readonly Cell[]; rows: readonly (readonly Cell[])[]; note?: string }): string {
  const cell = (c: Cell, tag: 'td' | 'th') => {
    const t = c.header ? 'th' : tag;
    const tip = c.tooltip ? ` title="${escapeHtml(c.tooltip)}"` : '';
    return `<${t} style="${t === 'th' ? TH : TD};${c.style ?? ''}"${tip}>${escapeHtml(c.text)}</${t}>`;
  };
  return (
    `<div class="xai-figure" style="${FONT}">` +
    (parts.title ? `<div style="font-weight:600;margin-bottom:4px">${escapeHtml(parts.title)}</div>` : '') +
    `<table style="border-collapse:collapse">` +
    `<thead><tr>${parts.header.map((c) => cell(c, 'th')).join('')}</tr></thead>` +
    `<tbody>${parts.rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('')}</tbody>` +
    `</table>` +
    (parts.note ? `<div style="margin-top:4px;color:#555">${escapeHtml(parts.note)}</div>` : '') +
    `</div>`
  );
}

/** The same table as aligned plain text (first column left-aligned, the rest right-aligned). */
export function textTable(parts: { title?: string; header: readonly Cell[]; rows: readonly (readonly Cell[])[]; note?: string }): string {
  const all = [parts.header, ...parts.rows].map((r) => r.map((c) => c.text));
  const widths = all[0].map((_, j) => Math.max(...all.map((r) => (r[j] ?? '').length)));
  const line = (r: string[]) => r.map((t, j) => (j === 0 ? t.padEnd(widths[j]) : t.padStart(widths[j]))).join('  ');
  return [...(parts.title ? [parts.title] : []), line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line), ...(parts.note ? [parts.note] : [])].join('\n');
}

/** Formats a table value: numbers to `digits` decimals, the rest as text. */
export function cellText(v: unknown, digits: number): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Number.isFinite(v) ? v.toFixed(digits) : String(v);
  if (v === null || v === undefined) return '';
  return String(v);
}
