/**
 * The confusion matrix of a classifier: rows are true classes, columns are predictions, each
 * cell a count, shaded by its share of the row; the diagonal is what the model got right.
 */
import type { Figure } from '../display/figure';
import { colormap } from './colormap';
import { shapeText } from './images';
import { toMatrix, type MatrixInput } from './matrix';
import { htmlTable, textTable, type Cell } from './tableLayout';

/** Options of {@link confusionMatrix}. */
export interface ConfusionMatrixOptions {
  /** Names of the classes (default 0, 1, …). */
  classNames?: readonly string[];
  title?: string;
  /** Show row-normalized shares instead of counts (default: counts). */
  normalize?: boolean;
}

/**
 * A confusion matrix as a shaded table (HTML) with a plain-text fallback.
 *
 * @example
 * ```ts
 * const { confusion } = evaluate(model, test.images, test.labels);
 * show(confusionMatrix(confusion, { classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] }));
 * ```
 */
export function confusionMatrix(matrix: MatrixInput, options: ConfusionMatrixOptions = {}): Figure {
  const m = toMatrix(matrix, 'confusionMatrix: matrix');
  const shape = shapeText([m.rows, m.cols]);
  if (m.rows !== m.cols) throw new Error(`confusionMatrix: matrix must be square (classes × classes); got shape ${shape}`);
  const n = m.rows;
  if (options.classNames !== undefined && options.classNames.length !== n) {
    throw new Error(`confusionMatrix: options.classNames has ${options.classNames.length} names but the matrix has shape ${shape}; expected one name per class (${n})`);
  }
  const names = options.classNames?.map(String) ?? Array.from({ length: n }, (_, i) => String(i));
  const cmap = colormap('Blues');
  let total = 0;
  let correct = 0;
  const rowSums = Array.from({ length: n }, (_, i) => m.row(i).reduce((s, v) => s + v, 0));
  for (let i = 0; i < n; i++) {
    total += rowSums[i];
    correct += m.data[i * n + i];
  }
  const header: Cell[] = [{ text: 'true \\ predicted' }, ...names.map((c) => ({ text: c })), { text: 'recall' }];
  const rows: Cell[][] = names.map((name, i) => {
    const cells = Array.from(m.row(i), (v, j): Cell => {
      const share = rowSums[i] > 0 ? v / rowSums[i] : 0;
      const dark = share > 0.55;
      return {
        text: options.normalize ? share.toFixed(2) : String(v),
        style: `background:${cmap.css(share * 0.9)};color:${dark ? '#fff' : '#222'}${i === j ? ';font-weight:700' : ''}`,
        tooltip: `true ${names[i]}, predicted ${names[j]}: ${v} (${(share * 100).toFixed(1)}% of the row)`,
      };
    });
    return [{ text: name, header: true }, ...cells, { text: rowSums[i] > 0 ? (m.data[i * n + i] / rowSums[i]).toFixed(2) : '–', style: 'color:#555' }];
  });
  const accuracy = total > 0 ? correct / total : NaN;
  const note = `rows: true class, columns: prediction; shade = share of the row; accuracy ${(accuracy * 100).toFixed(1)}% of ${total}`;
  const parts = { title: options.title ?? 'confusion matrix', header, rows, note };
  return { bundle: { 'text/plain': textTable(parts), 'text/html': htmlTable(parts) }, info: { classes: n, total, correct, accuracy } };
}
