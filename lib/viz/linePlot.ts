/**
 * Line plots: training curves (loss and accuracy per epoch), deletion/insertion curves of an
 * attribution (Petsiuk et al. 2018, RISE, arXiv:1806.07421), anything indexed by a step.
 */
import type { Figure } from '../display/figure';
import { classColor } from './colormap';
import { escapeHtml, plotlyText } from '../display/escape';
import { cartesianLayout, plotlyFigure, staticChart } from './plotly/figure';
import { fmt } from './layout';
import { extent } from './svg/axes';
import { axesText, chartSvg } from './svg/chart';

/** One named line. `x` defaults to 0, 1, 2, … (or the options' shared `x`). */
export interface LineSeries {
  name: string;
  y: readonly number[];
  x?: readonly number[];
}

/** Options of {@link linePlot}. */
export interface LinePlotOptions {
  /** Shared x values for every series (default 0, 1, 2, …). */
  x?: readonly number[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Show markers on the points (default: when a series has at most 50 points). */
  markers?: boolean;
  width?: number;
  height?: number;
  /** Draw with plotly.js (zoom, hover; default true) or as a static SVG only (`false`: the notebook carries no plotly bundle). */
  interactive?: boolean;
}

/** Named series as {@link LineSeries}. */
function toSeries(series: Record<string, readonly number[]> | readonly LineSeries[] | readonly number[]): LineSeries[] {
  if (Array.isArray(series) && (series.length === 0 || typeof series[0] === 'number')) return [{ name: 'y', y: series as number[] }];
  if (Array.isArray(series)) return series as LineSeries[];
  if (series && typeof series === 'object') return Object.entries(series as Record<string, readonly number[]>).map(([name, y]) => ({ name, y }));
  throw new Error(`linePlot: series must be an array of numbers, {name: numbers} or [{name, y, x?}]; got ${series === null ? 'null' : typeof series}`);
}

/**
 * A line plot of one or more series. Non-finite values leave a gap.
 *
 * @example
 * ```ts
 * const history = await train(model, images, labels, { epochs: 3 });
 * show(linePlot({ loss: history.map((r) => r.loss) }, { x: history.map((r) => r.epoch), xLabel: 'epoch' }));
 * ```
 */
export function linePlot(series: Record<string, readonly number[]> | readonly LineSeries[] | readonly number[], options: LinePlotOptions = {}): Figure {
  const lines = toSeries(series);
  if (lines.length === 0) throw new Error('linePlot: series is empty; expected at least one series');
  const resolved = lines.map((s, k) => {
    if (!s || !Array.isArray(s.y) || s.y.length === 0) throw new Error(`linePlot: series ${k} ('${s?.name}') must have a non-empty array y`);
    const x = s.x ?? options.x ?? s.y.map((_, i) => i);
    if (x.length !== s.y.length) {
      throw new Error(`linePlot: series '${s.name}' has ${s.y.length} y values but its x has ${x.length}; expected the same length`);
    }
    return { name: String(s.name), x: [...x], y: [...s.y], color: classColor(k) };
  });
  const markers = options.markers ?? resolved.every((s) => s.y.length <= 50);
  const width = options.width ?? 640;
  const height = options.height ?? 400;
  const data = resolved.map((s) => ({
    type: 'scatter',
    mode: markers ? 'lines+markers' : 'lines',
    name: plotlyText(s.name),
    x: s.x,
    y: s.y.map((v) => (Number.isFinite(v) ? v : null)),
    line: { color: s.color },
  }));
  const layout = cartesianLayout(options, width, height, resolved.length > 1);
  const xs = resolved.flatMap((s) => s.x);
  const integerX = xs.every((v) => Number.isInteger(v)) && Math.max(...xs) - Math.min(...xs) <= 20;
  if (integerX) Object.assign(layout.xaxis as object, { dtick: 1 });
  const svg = chartSvg({
    ...axesText(options),
    width,
    height,
    xDomain: extent(xs, 0.02),
    integerX,
    yDomain: extent(resolved.flatMap((s) => s.y)),
    legend: resolved.length > 1 ? resolved : undefined,
    body: (p) =>
      resolved
        .map((s) => {
          // split at non-finite values so that they leave a gap
          const runs: string[][] = [[]];
          s.y.forEach((v, i) => (Number.isFinite(v) && Number.isFinite(s.x[i]) ? runs[runs.length - 1].push(`${p.sx(s.x[i]).toFixed(1)},${p.sy(v).toFixed(1)}`) : runs.push([])));
          const paths = runs.filter((r) => r.length > 0).map((r) => `<polyline points="${r.join(' ')}" fill="none" stroke="${escapeHtml(s.color)}" stroke-width="2"/>`);
          const dots = markers
            ? s.y.map((v, i) => (Number.isFinite(v) ? `<circle cx="${p.sx(s.x[i]).toFixed(1)}" cy="${p.sy(v).toFixed(1)}" r="3" fill="${escapeHtml(s.color)}"/>` : '')).join('')
            : '';
          return paths.join('') + dots;
        })
        .join(''),
  });
  const last = resolved.map((s) => `${s.name} ${s.y.length} points, last ${fmt(s.y[s.y.length - 1])}`).join('; ');
  const parts = { svg, text: `${options.title ? options.title + ': ' : ''}line plot — ${last}`, info: { series: resolved.map((s) => s.name) } };
  return options.interactive === false ? staticChart(parts) : plotlyFigure({ data, layout }, parts);
}
