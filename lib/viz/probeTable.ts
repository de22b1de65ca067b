/**
 * Probing results as a table: rows are layers, columns are tasks, each cell the accuracy of a
 * probe (a small classifier) trained on that layer's activations. The best layer per task is
 * highlighted. A control task (Hewitt & Liang 2019, "Designing and Interpreting Probes with
 * Control Tasks", arXiv:1909.03368) adds selectivity = accuracy − control accuracy, and a
 * baseline row (chance, majority class) says what "no information" scores.
 */
import type { Figure } from '../display/figure';
import { checkInteger } from '../checks';
import { htmlTable, textTable, type Cell } from './tableLayout';

/** Options of {@link probeTable}. */
export interface ProbeTableOptions {
  /** Control-task accuracy per layer and task: adds a selectivity column per task. */
  control?: Record<string, Record<string, number>>;
  /** A reference score per task (chance or majority class), shown as the last row. */
  baseline?: Record<string, number>;
  /** Label of the baseline row (default 'baseline'). */
  baselineLabel?: string;
  title?: string;
  /** Decimals (default 3). */
  digits?: number;
}

const BEST = 'background:#d9f2d9;font-weight:700';

/**
 * A probe accuracy table (layers × tasks), best cell per task highlighted.
 *
 * @example
 * ```ts
 * show(probeTable({ conv1: { digit: 0.71 }, conv2: { digit: 0.88 }, dense: { digit: 0.97 } }, { baseline: { digit: 0.1 } }));
 * ```
 */
export function probeTable(scores: Record<string, Record<string, number>>, options: ProbeTableOptions = {}): Figure {
  if (scores === null || typeof scores !== 'object' || Array.isArray(scores) || Object.keys(scores).length === 0) {
    throw new Error('probeTable: scores must be a non-empty object {layer: {task: accuracy}}');
  }
  const layers = Object.keys(scores);
  for (const l of layers) {
    if (scores[l] === null || typeof scores[l] !== 'object') throw new Error(`probeTable: scores['${l}'] must be an object {task: accuracy}; got ${typeof scores[l]}`);
  }
  const tasks = [...new Set(layers.flatMap((l) => Object.keys(scores[l])))];
  const { control, baseline } = options;
  if (control) {
    for (const l of layers) {
      if (!control[l]) throw new Error(`probeTable: options.control has no entry for layer '${l}'; expected the same layers as scores (${layers.join(', ')})`);
    }
  }
  const digits = checkInteger('probeTable', 'options.digits', options.digits ?? 3, 0);
  const f = (v: number | undefined) => (v === undefined ? '–' : Number.isFinite(v) ? v.toFixed(digits) : String(v));
  const best: Record<string, number> = {};
  for (const t of tasks) best[t] = Math.max(...layers.map((l) => scores[l][t]).filter((v) => Number.isFinite(v)));
  const header: Cell[] = [{ text: 'layer' }, ...tasks.flatMap((t) => (control ? [{ text: t }, { text: `${t} control` }, { text: `${t} selectivity` }] : [{ text: t }]))];
  const rows: Cell[][] = layers.map((l) => [
    { text: l, header: true },
    ...tasks.flatMap((t) => {
      const v = scores[l][t];
      const acc: Cell = { text: f(v), style: v === best[t] ? BEST : '', tooltip: v === best[t] ? `best layer for ${t}` : undefined };
      if (!control) return [acc];
      const c = control[l][t];
      return [acc, { text: f(c), style: 'color:#666' }, { text: v !== undefined && c !== undefined ? f(v - c) : '–' }];
    }),
  ]);
  if (baseline) {
    rows.push([
      { text: options.baselineLabel ?? 'baseline', header: true, style: 'font-style:italic' },
      ...tasks.flatMap((t) => [{ text: f(baseline[t]), style: 'font-style:italic;color:#666' }, ...(control ? [{ text: '' }, { text: '' }] : [])]),
    ]);
  }
  const note =
    `best layer per task highlighted` +
    (control ? '; selectivity = accuracy − control-task accuracy (Hewitt & Liang 2019)' : '') +
    (baseline ? `; last row: ${options.baselineLabel ?? 'baseline'}` : '');
  const parts = { title: options.title ?? 'probe accuracy', header, rows, note };
  const bestLayer = Object.fromEntries(tasks.map((t) => [t, layers.find((l) => scores[l][t] === best[t])]));
  return { bundle: { 'text/plain': textTable(parts), 'text/html': htmlTable(parts) }, info: { layers, tasks, best: bestLayer } };
}
