/**
 * Bar charts: probe accuracy per layer, deletion scores per method, class counts. One series is
 * `{category: value}`; several are `{series: {category: value}}` (grouped bars). An optional
 * baseline (chance level, a control task) is drawn as a dashed line.
 */
import type { Figure } from '../display/figure';
import { classColor } from './colormap';
import { escapeHtml, plotlyText } from '../display/escape';
import { cartesianLayout, plotlyFigure, staticChart } from './plotly/figure';
import { fmt } from './layout';
import { extent } from './svg/axes';
import { axesText, chartSvg } from './svg/chart';

/** Options of {@link barChart}. */
export interface BarChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** A reference level, e.g. `{ value: 0.1, label: 'chance' }`. */
  baseline?: { value: number; label?: string };
  width?: number;
  height?: number;
  /** Draw with plotly.js (zoom, hover; default true) or as a static SVG only (`false`: the notebook carries no plotly bundle). */
  interactive?: boolean;
}

type Values = Record<string, number>;

/**
 * A bar chart of one series (`{category: value}`) or grouped series (`{series: {category: value}}`).
 *
 * @example
 * ```ts
 * show(barChart({ conv1: 0.62, conv2: 0.81, dense: 0.93 }, { yLabel: 'probe accuracy', baseline: { value: 0.1, label: 'chance' } }));
 * ```
 */
export function barChart(values: Values | Record<string, Values>, options: BarChartOptions = {}): Figure {
  if (values === null || typeof values !== 'object' || Array.isArray(values) || Object.keys(values).length === 0) {
    throw new Error('barChart: values must be a non-empty object {category: number} or {series: {category: number}}');
  }
  const entries = Object.entries(values);
  const grouped = entries.every(([, v]) => v !== null && typeof v === 'object');
  if (!grouped && !entries.every(([, v]) => typeof v === 'number')) {
    throw new Error('barChart: values must be all numbers ({category: number}) or all objects ({series: {category: number}}), not a mix');
  }
  const series = grouped ? (entries as [string, Values][]) : [['value', values as Values] as [string, Values]];
  const categories = [...new Set(series.flatMap(([, v]) => Object.keys(v)))];
  for (const [name, v] of series) {
    for (const [c, x] of Object.entries(v)) if (typeof x !== 'number') throw new Error(`barChart: values['${name}']['${c}'] must be a number; got ${typeof x}`);
  }
  if (options.baseline && !Number.isFinite(options.baseline.value)) throw new Error(`barChart: options.baseline.value must be a finite number; got ${options.baseline.value}`);
  const width = options.width ?? Math.max(420, Math.min(900, 120 + categories.length * series.length * 34));
  const height = options.height ?? 380;
  const data = series.map(([name, v], k) => ({
    type: 'bar',
    name: plotlyText(name),
    x: categories.map(plotlyText),
    y: categories.map((c) => (Number.isFinite(v[c]) ? v[c] : null)),
    marker: { color: classColor(k) },
  }));
  const layout = cartesianLayout(options, width, height, series.length > 1);
  layout.barmode = 'group';
  (layout.xaxis as Record<string, unknown>).type = 'category';
  if (options.baseline) {
    layout.shapes = [{ type: 'line', xref: 'paper', x0: 0, x1: 1, y0: options.baseline.value, y1: options.baseline.value, line: { dash: 'dash', color: '#555' } }];
    layout.annotations = [{ xref: 'paper', x: 1, y: options.baseline.value, text: plotlyText(options.baseline.label ?? 'baseline'), showarrow: false, xanchor: 'right', yanchor: 'bottom' }];
  }
  const all = series.flatMap(([, v]) => Object.values(v));
  const [lo, hi] = extent([0, ...all, ...(options.baseline ? [options.baseline.value] : [])], 0.05);
  const groupW = 0.8;
  const barW = groupW / series.length;
  const svg = chartSvg({
    ...axesText(options),
    width,
    height,
    xDomain: [-0.5, categories.length - 0.5],
    yDomain: [Math.min(0, lo), hi],
    xCategories: categories,
    legend: series.length > 1 ? series.map(([name], k) => ({ name, color: classColor(k) })) : undefined,
    body: (p) => {
      const bars = series.flatMap(([, v], k) =>
        categories.map((c, i) => {
          const val = v[c];
          if (!Number.isFinite(val)) return '';
          const x0 = p.sx(i - groupW / 2 + k * barW);
          const x1 = p.sx(i - groupW / 2 + (k + 1) * barW);
          const [y0, y1] = [p.sy(Math.max(0, val)), p.sy(Math.min(0, val))];
          return `<rect x="${x0.toFixed(1)}" y="${y0.toFixed(1)}" width="${Math.max(1, x1 - x0 - 1).toFixed(1)}" height="${Math.max(0, y1 - y0).toFixed(1)}" fill="${classColor(k)}"><title>${escapeHtml(`${c}: ${val}`)}</title></rect>`;
        }),
      );
      if (options.baseline) {
        const y = p.sy(options.baseline.value).toFixed(1);
        bars.push(`<line x1="${p.left}" x2="${p.left + p.width}" y1="${y}" y2="${y}" stroke="#555" stroke-dasharray="5,4"/>`);
        bars.push(`<text x="${p.left + p.width - 4}" y="${Number(y) - 4}" text-anchor="end" fill="#555">${escapeHtml(options.baseline.label ?? 'baseline')}</text>`);
      }
      return bars.join('');
    },
  });
  const text =
    `${options.title ? options.title + ': ' : ''}bar chart — ` +
    series.map(([name, v]) => (series.length > 1 ? `${name}: ` : '') + categories.map((c) => `${c} ${v[c] === undefined ? '–' : fmt(v[c])}`).join(', ')).join('; ') +
    (options.baseline ? `; ${options.baseline.label ?? 'baseline'} ${fmt(options.baseline.value)}` : '');
  const parts = { svg, text, info: { series: series.map(([n]) => n), categories } };
  return options.interactive === false ? staticChart(parts) : plotlyFigure({ data, layout }, parts);
}
