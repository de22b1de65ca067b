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
import type { ProbingTable } from '../explain/internals/probes/probeLayers';

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
const BEST_SELECTIVITY = 'background:#e6eefa;font-weight:700';

/** A rows × tasks block whose best row per task is highlighted (one model). */
interface Group {
  rows: { label: string; layer: string }[];
  scores: Record<string, Record<string, number>>;
  control?: Record<string, Record<string, number | undefined>>;
}

function isProbing(x: unknown): x is ProbingTable {
  return typeof x === 'object' && x !== null && Array.isArray((x as ProbingTable).layers) && Array.isArray((x as ProbingTable).tasks) && typeof (x as ProbingTable).cells === 'object';
}

/**
 * A probe accuracy table (layers × tasks), best cell per task highlighted. Give it plain scores
 * `{layer: {task: accuracy}}`, or what `probeLayers` returns — one {@link ProbingTable} or several
 * (one per model: rows `model · layer`, the best layer per task highlighted within each model,
 * control and selectivity columns, the majority-class baseline as the last row, silver tasks marked).
 *
 * @example
 * ```ts
 * show(probeTable({ conv1: { digit: 0.71 }, conv2: { digit: 0.88 }, dense: { digit: 0.97 } }, { baseline: { digit: 0.1 } }));
 * show(probeTable([bertTable, lstmTable]));   // probeLayers results: control, selectivity, majority row
 * ```
 */
export function probeTable(scores: Record<string, Record<string, number>> | ProbingTable | readonly ProbingTable[], options: ProbeTableOptions = {}): Figure {
  const where = 'probeTable';
  const tables = isProbing(scores) ? [scores] : Array.isArray(scores) ? (scores as readonly ProbingTable[]) : undefined;
  let groups: Group[];
  let baseline = options.baseline;
  let baselineLabel = options.baselineLabel ?? 'baseline';
  let withControl = options.control !== undefined;
  let silver: string[] = [];
  if (tables) {
    if (tables.length === 0) throw new Error(`${where}: scores must be a non-empty array of ProbingTable (probeLayers results)`);
    tables.forEach((t, i) => {
      if (!isProbing(t)) throw new Error(`${where}: scores[${i}] must be a ProbingTable (a probeLayers result); got ${typeof t}`);
    });
    const many = tables.length > 1;
    groups = tables.map((t) => ({
      rows: t.layers.map((l) => ({ label: many ? `${t.model} · ${l}` : l, layer: many ? `${t.model} · ${l}` : l })),
      scores: Object.fromEntries(t.layers.map((l) => [many ? `${t.model} · ${l}` : l, Object.fromEntries(t.tasks.map((k) => [k, t.cells[l][k].accuracy]))])),
      control: Object.fromEntries(t.layers.map((l) => [many ? `${t.model} · ${l}` : l, Object.fromEntries(t.tasks.map((k) => [k, t.cells[l][k].control]))])),
    }));
    withControl = tables.some((t) => t.layers.some((l) => t.tasks.some((k) => t.cells[l][k].control !== undefined)));
    if (!withControl) groups.forEach((g) => delete g.control);
    baseline = baseline ?? tables[0].majority;
    baselineLabel = options.baselineLabel ?? 'majority class';
    silver = [...new Set(tables.flatMap((t) => t.silver))];
  } else {
    if (scores === null || typeof scores !== 'object' || Array.isArray(scores) || Object.keys(scores).length === 0) {
      throw new Error(`${where}: scores must be a non-empty object {layer: {task: accuracy}} or probeLayers results`);
    }
    const plain = scores as Record<string, Record<string, number>>;
    const layers = Object.keys(plain);
    for (const l of layers) {
      if (plain[l] === null || typeof plain[l] !== 'object') throw new Error(`${where}: scores['${l}'] must be an object {task: accuracy}; got ${typeof plain[l]}`);
    }
    if (options.control) {
      for (const l of layers) {
        if (!options.control[l]) throw new Error(`${where}: options.control has no entry for layer '${l}'; expected the same layers as scores (${layers.join(', ')})`);
      }
    }
    groups = [{ rows: layers.map((l) => ({ label: l, layer: l })), scores: plain, control: options.control }];
  }
  const allScores = Object.assign({}, ...groups.map((g) => g.scores)) as Record<string, Record<string, number>>;
  const layers = groups.flatMap((g) => g.rows.map((r) => r.layer));
  const tasks = [...new Set(layers.flatMap((l) => Object.keys(allScores[l])))];
  const digits = checkInteger(where, 'options.digits', options.digits ?? 3, 0);
  const f = (v: number | undefined) => (v === undefined ? '–' : Number.isFinite(v) ? v.toFixed(digits) : String(v));
  const bestOf = (g: Group, value: (l: string, t: string) => number | undefined) =>
    Object.fromEntries(tasks.map((t) => [t, Math.max(...g.rows.map((r) => value(r.layer, t)).filter((v): v is number => v !== undefined && Number.isFinite(v)))]));
  const taskName = (t: string) => (silver.includes(t) && !/silver/i.test(t) ? `${t} (silver)` : t);
  const header: Cell[] = [{ text: 'layer' }, ...tasks.flatMap((t) => (withControl ? [{ text: taskName(t) }, { text: `${t} control` }, { text: `${t} selectivity` }] : [{ text: taskName(t) }]))];
  const rows: Cell[][] = [];
  const bestLayer: Record<string, string | undefined> = {};
  for (const g of groups) {
    const best = bestOf(g, (l, t) => g.scores[l][t]);
    const sel = (l: string, t: string) => (g.control?.[l]?.[t] !== undefined && g.scores[l][t] !== undefined ? g.scores[l][t] - g.control[l][t]! : undefined);
    const bestSel = bestOf(g, sel);
    for (const t of tasks) if (bestLayer[t] === undefined) bestLayer[t] = g.rows.find((r) => g.scores[r.layer][t] === best[t])?.layer;
    for (const r of g.rows) {
      rows.push([
        { text: r.label, header: true },
        ...tasks.flatMap((t) => {
          const v = g.scores[r.layer][t];
          const isBest = v === best[t];
          const acc: Cell = { text: f(v), style: isBest ? BEST : '', tooltip: isBest ? `best layer for ${t}` : undefined };
          if (!withControl) return [acc];
          const c = g.control?.[r.layer]?.[t];
          const s = sel(r.layer, t);
          return [acc, { text: f(c), style: 'color:#666' }, { text: s === undefined ? '–' : f(s), style: s !== undefined && s === bestSel[t] ? BEST_SELECTIVITY : '', tooltip: s !== undefined && s === bestSel[t] ? `most selective layer for ${t}` : undefined }];
        }),
      ]);
    }
  }
  if (baseline) {
    rows.push([
      { text: baselineLabel, header: true, style: 'font-style:italic' },
      ...tasks.flatMap((t) => [{ text: f(baseline![t]), style: 'font-style:italic;color:#666' }, ...(withControl ? [{ text: '' }, { text: '' }] : [])]),
    ]);
  }
  const note =
    `best layer per task highlighted${groups.length > 1 ? ' (within each model)' : ''}` +
    (withControl ? '; selectivity = accuracy − control-task accuracy (Hewitt & Liang 2019), the most selective layer in blue' : '') +
    (baseline ? `; last row: ${baselineLabel}` : '') +
    (silver.length ? `; ${silver.join(', ')}: silver labels (made by a model, not by people)` : '');
  const parts = { title: options.title ?? (tables ? `${tables[0].probe} probe accuracy on held-out tokens` : 'probe accuracy'), header, rows, note };
  return { bundle: { 'text/plain': textTable(parts), 'text/html': htmlTable(parts) }, info: { layers, tasks, best: bestLayer } };
}
