/**
 * Interactive 2-D and 3-D scatter plots of embeddings (PCA, t-SNE, UMAP of activations): one
 * colour and one legend entry per class (click the legend to hide a class), hover text per point.
 */
import type { Figure } from '../display/figure';
import { classColor } from './colormap';
import { escapeHtml, plotlyText } from '../display/escape';
import { shapeText } from './images';
import { toMatrix, type MatrixInput } from './matrix';
import { cartesianLayout, plotlyFigure } from './plotly/figure';
import { extent, linear } from './svg/axes';
import { chartSvg } from './svg/chart';
import { checkChoice } from '../checks';

/** Options of {@link scatter}. */
export interface ScatterOptions {
  /** One class per point (index or name): one colour and legend entry per class. */
  labels?: readonly (number | string)[];
  /** Names for numeric labels (e.g. digit names). */
  classNames?: readonly string[];
  /** One hover text per point. */
  hover?: readonly string[];
  /** One CSS colour per point (only without `labels`). */
  colors?: readonly string[];
  /** One CSS colour per class (by numeric label, else by order of first appearance), e.g. black for an 'errors' class; default the class palette. */
  classColors?: readonly string[];
  /** 2 (default) or 3 dimensions: the first columns of `points`. */
  dims?: 2 | 3;
  title?: string;
  /** Axis titles (default 'dim 1', 'dim 2', 'dim 3'). */
  axisLabels?: readonly string[];
  /** Marker size in pixels (default 5 in 2-D, 3 in 3-D). */
  markerSize?: number;
  /** Figure size in pixels (default 640 × 480). */
  width?: number;
  height?: number;
}

/** Keeps 6 significant digits: smaller JSON, same picture. */
/** Coordinates to 4 significant digits: finer than any screen shows, and a third lighter in a notebook. */
const round = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : null);

/**
 * A scatter plot of `points` ([n, d] tensor or arrays, d ≥ `dims`), coloured by class.
 *
 * @example
 * ```ts
 * const xy = new PCA(pixels).predict(pixels, { nComponents: 2 }).to2DArray();
 * show(scatter(xy, { labels, hover: labels.map((l, i) => `#${i}: digit ${l}`), title: 'PCA of MNIST' }));
 * ```
 */
export function scatter(points: MatrixInput, options: ScatterOptions = {}): Figure {
  const m = toMatrix(points, 'scatter: points');
  const dims = checkChoice('scatter', 'options.dims', options.dims ?? 2, [2, 3] as const);
  const shape = shapeText([m.rows, m.cols]);
  if (m.cols < dims) throw new Error(`scatter: points have shape ${shape} but options.dims is ${dims}; expected at least ${dims} columns`);
  const n = m.rows;
  const perPoint = (what: string, arr: readonly unknown[] | undefined) => {
    if (arr !== undefined && (!Array.isArray(arr) || arr.length !== n)) {
      throw new Error(`scatter: options.${what} has ${Array.isArray(arr) ? `length ${arr.length}` : typeof arr} but points have shape ${shape}; expected one per point (${n})`);
    }
  };
  perPoint('labels', options.labels);
  perPoint('hover', options.hover);
  perPoint('colors', options.colors);
  if (options.labels && options.colors) throw new Error('scatter: give options.labels (colour by class) or options.colors (colour per point), not both');
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const axis = [0, 1, 2].map((k) => options.axisLabels?.[k] ?? `dim ${k + 1}`);

  // group point indices by class, in order of first appearance (numbers sorted)
  const groups = new Map<string, { name: string; index: number[]; color: string }>();
  if (options.labels) {
    const keys = [...new Set(options.labels)];
    if (keys.every((k) => typeof k === 'number')) (keys as number[]).sort((a, b) => a - b);
    keys.forEach((k, g) => {
      const name = typeof k === 'number' && options.classNames?.[k] !== undefined ? options.classNames[k] : String(k);
      const at = typeof k === 'number' ? k : g;
      groups.set(String(k), { name, index: [], color: options.classColors?.[at] ?? classColor(at) });
    });
    options.labels.forEach((l, i) => groups.get(String(l))!.index.push(i));
  } else {
    groups.set('all', { name: 'points', index: Array.from({ length: n }, (_, i) => i), color: classColor(0) });
  }

  const col = (k: number) => Array.from({ length: n }, (_, i) => m.data[i * m.cols + k]);
  const xs = col(0);
  const ys = col(1);
  const zs = dims === 3 ? col(2) : [];
  const size = options.markerSize ?? (dims === 3 ? 3 : 5);
  const data = [...groups.values()].map((g) => {
    const trace: Record<string, unknown> = {
      type: dims === 3 ? 'scatter3d' : 'scatter',
      mode: 'markers',
      name: plotlyText(g.name),
      x: g.index.map((i) => round(xs[i])),
      y: g.index.map((i) => round(ys[i])),
      marker: { size, color: options.colors ? g.index.map((i) => options.colors![i]) : g.color, opacity: 0.8 },
      showlegend: groups.size > 1,
    };
    if (dims === 3) trace.z = g.index.map((i) => round(zs[i]));
    if (options.hover) {
      trace.text = g.index.map((i) => plotlyText(options.hover![i]));
      trace.hoverinfo = 'text+name';
    }
    return trace;
  });
  const layout = cartesianLayout({ title: options.title, xLabel: axis[0], yLabel: axis[1] }, width, height, groups.size > 1);
  layout.legend = { itemsizing: 'constant' };
  if (dims === 3) {
    delete layout.xaxis;
    delete layout.yaxis;
    layout.scene = { xaxis: { title: { text: plotlyText(axis[0]) } }, yaxis: { title: { text: plotlyText(axis[1]) } }, zaxis: { title: { text: plotlyText(axis[2]) } } };
  } else {
    Object.assign(layout.xaxis as object, { zeroline: false });
    Object.assign(layout.yaxis as object, { zeroline: false });
  }

  const svg = dims === 2 ? scatterSvg2d(xs, ys, groups, options, axis, width, height) : scatterSvg3d(xs, ys, zs, groups, options, width, height);
  const classes = [...groups.values()].map((g) => `${g.name} (${g.index.length})`).join(', ');
  const text = `${options.title ? options.title + ': ' : ''}${dims}-D scatter of ${n} points` + (options.labels ? `; classes ${classes}` : '');
  return plotlyFigure({ data, layout }, { svg, text, info: { points: n, dims, classes: [...groups.values()].map((g) => g.name) } });
}

type Groups = Map<string, { name: string; index: number[]; color: string }>;

function circles(gs: Groups, options: ScatterOptions, px: (i: number) => [number, number], r: number): string {
  const out: string[] = [];
  for (const g of gs.values()) {
    if (options.colors) {
      out.push(`<g fill-opacity="0.75">`);
      for (const i of g.index) {
        const [x, y] = px(i);
        if (Number.isFinite(x) && Number.isFinite(y)) out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r}" fill="${escapeHtml(options.colors[i])}"/>`);
      }
      out.push('</g>');
      continue;
    }
    // one path per class, a round dot per point (a zero-length segment with round caps): a third of the bytes of <circle>s
    const d: string[] = [];
    for (const i of g.index) {
      const [x, y] = px(i);
      if (Number.isFinite(x) && Number.isFinite(y)) d.push(`M${Math.round(x)} ${Math.round(y)}h0`);
    }
    out.push(`<path class="xai-dots" d="${d.join('')}" stroke="${escapeHtml(g.color)}" stroke-opacity="0.75" stroke-width="${2 * r}" stroke-linecap="round" fill="none"/>`);
  }
  return out.join('');
}

function scatterSvg2d(xs: number[], ys: number[], gs: Groups, o: ScatterOptions, axis: string[], width: number, height: number): string {
  return chartSvg({
    width,
    height,
    title: o.title,
    xLabel: axis[0],
    yLabel: axis[1],
    xDomain: extent(xs),
    yDomain: extent(ys),
    legend: gs.size > 1 ? [...gs.values()].map((g) => ({ name: g.name, color: g.color })) : undefined,
    body: (p) => circles(gs, o, (i) => [p.sx(xs[i]), p.sy(ys[i])], 2.5),
  });
}

/** A fixed oblique view of the 3-D points (the interactive plot can be rotated). */
function scatterSvg3d(xs: number[], ys: number[], zs: number[], gs: Groups, o: ScatterOptions, width: number, height: number): string {
  const norm = (v: number[]) => {
    const [lo, hi] = extent(v, 0);
    return linear(lo, hi, -1, 1);
  };
  const [nx, ny, nz] = [norm(xs), norm(ys), norm(zs)];
  const c = Math.cos(Math.PI / 6);
  const s = Math.sin(Math.PI / 6);
  const proj = (i: number): [number, number] => [(nx(xs[i]) - ny(ys[i])) * c, nz(zs[i]) - (nx(xs[i]) + ny(ys[i])) * s * 0.5];
  return chartSvg({
    width,
    height,
    title: o.title,
    subtitle: 'static oblique view of a 3-D scatter (rotate it in the interactive plot)',
    xDomain: [-1.9, 1.9],
    yDomain: [-1.7, 1.7],
    noAxes: true,
    legend: gs.size > 1 ? [...gs.values()].map((g) => ({ name: g.name, color: g.color })) : undefined,
    body: (p) => circles(gs, o, (i) => { const [u, v] = proj(i); return [p.sx(u), p.sy(v)]; }, 2),
  });
}
