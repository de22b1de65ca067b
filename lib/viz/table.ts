/**
 * Generic tables: an array of records (one object per row) → an HTML table with a plain-text
 * fallback. Probe results, per-class metrics, method comparisons.
 */
import type { Figure } from '../display/figure';
import { checkInteger } from '../checks';
import { cellText, htmlTable, textTable, type Cell } from './tableLayout';

/** Options of {@link table}. */
export interface TableOptions {
  /** Columns in order (default: the keys of all records, in order of first appearance). */
  columns?: readonly string[];
  title?: string;
  /** Decimals for non-integer numbers (default 3). */
  digits?: number;
}

/**
 * A table of records.
 *
 * @example
 * ```ts
 * show(table([{ method: 'saliency', deletion: 0.21 }, { method: 'integratedGradients', deletion: 0.14 }]));
 * ```
 */
export function table(records: readonly Record<string, unknown>[], options: TableOptions = {}): Figure {
  if (!Array.isArray(records)) throw new Error(`table: records must be an array of objects; got ${records === null ? 'null' : typeof records}`);
  records.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new Error(`table: records[${i}] must be an object (one row); got ${r === null ? 'null' : Array.isArray(r) ? 'an array' : typeof r}`);
  });
  const digits = checkInteger('table', 'options.digits', options.digits ?? 3, 0);
  const columns = options.columns ?? [...new Set(records.flatMap((r) => Object.keys(r)))];
  const header: Cell[] = columns.map((c) => ({ text: c }));
  const rows: Cell[][] = records.map((r) =>
    columns.map((c) => ({ text: cellText(r[c], digits), style: typeof r[c] === 'number' ? '' : 'text-align:left' })),
  );
  const parts = { title: options.title, header, rows, note: records.length === 0 ? '(no rows)' : undefined };
  return { bundle: { 'text/plain': textTable(parts), 'text/html': htmlTable(parts) }, info: { rows: records.length, columns } };
}
