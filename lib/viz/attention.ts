/**
 * Attention matrices of a transformer: query × key weights with the tokens on both axes, one
 * matrix per layer and head (Vaswani et al. 2017, arXiv:1706.03762; looking at heads as in
 * Clark et al. 2019, "What does BERT look at?", arXiv:1906.04341). Drawn as SVG: every cell
 * carries its value as a tooltip, so hovering works without JavaScript.
 */
import type { Figure } from '../display/figure';
import { colormap, NON_FINITE_COLOR, rgbCss, type Colormap, type ColormapName } from './colormap';
import { escapeHtml } from '../display/escape';
import { readArray, shapeText, type NumberGrid } from './images';
import { fmt } from './layout';
import { toMatrix, type MatrixInput } from './matrix';
import { svgOpen } from './svg/chart';
import { pngBase64 } from './raster';
import { tf } from '../engine/tf';

/** Options of {@link attentionMatrix}. */
export interface AttentionMatrixOptions {
  /** Tokens of a self-attention matrix (both axes). */
  tokens?: readonly string[];
  /** Query tokens (rows); default `tokens`. */
  queryTokens?: readonly string[];
  /** Key tokens (columns); default `tokens`. */
  keyTokens?: readonly string[];
  /** Layer and head, shown in the title. */
  layer?: number | string;
  head?: number | string;
  title?: string;
  /** Sequential colormap (default 'Blues'); the scale runs from 0 to the largest weight. */
  colormap?: ColormapName;
}

/** Options of {@link attentionGrid}. */
export interface AttentionGridOptions extends Omit<AttentionMatrixOptions, 'layer' | 'head'> {
  /** Names of the layers (rows of the grid); default 0, 1, … */
  layerNames?: readonly string[];
}

const clipLabel = (t: string, n = 12) => (t.length > n ? t.slice(0, n - 1) + '…' : t);

function checkTokens(fn: string, what: 'queryTokens' | 'keyTokens', tokens: readonly string[] | undefined, count: number, shape: string, axis: string): string[] {
  if (tokens === undefined) return Array.from({ length: count }, (_, i) => String(i));
  if (!Array.isArray(tokens) || tokens.length !== count) {
    throw new Error(`${fn}: options.${what} has ${Array.isArray(tokens) ? `${tokens.length} tokens` : typeof tokens} but the weights have shape ${shape}; expected one token per ${axis} (${count})`);
  }
  return tokens.map(String);
}

/**
 * Matrices with more cells than this are drawn as one PNG each (an SVG `<image>`, one tooltip per
 * matrix) instead of a hover rect per cell: a 64-token, 2 × 4-head grid was 3.8 MB of SVG rects.
 */
export const MAX_HOVER_CELLS = { matrix: 64 * 64, grid: 32 * 32 } as const;

/** One matrix as an upscaled PNG inside the SVG (nearest neighbour, crisp cells), one tooltip. */
function cellsImage(data: ArrayLike<number>, offset: number, rows: number, cols: number, x0: number, y0: number, cell: number, cmap: Colormap, max: number, tip: string): { svg: string; bad: number } {
  const px = new Uint8Array(rows * cols * 3);
  let bad = 0;
  for (let k = 0; k < rows * cols; k++) {
    const v = data[offset + k];
    const c = Number.isFinite(v) ? cmap.at(max > 0 ? v / max : 0) : NON_FINITE_COLOR;
    if (!Number.isFinite(v)) bad++;
    px.set(c, 3 * k);
  }
  const png = pngBase64(px, rows, cols, cell);
  return { svg: `<image x="${x0}" y="${y0}" width="${cols * cell}" height="${rows * cell}" style="image-rendering:pixelated" href="data:image/png;base64,${png}"><title>${escapeHtml(tip)}</title></image>`, bad };
}

/** SVG rects of one matrix at (x0, y0); each with a tooltip. Returns the markup and its NaN count. */
function cellsSvg(data: ArrayLike<number>, offset: number, rows: number, cols: number, x0: number, y0: number, cell: number, cmap: Colormap, max: number, tip: (i: number, j: number, v: number) => string): { svg: string; bad: number } {
  const out: string[] = [];
  let bad = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = data[offset + i * cols + j];
      const finite = Number.isFinite(v);
      if (!finite) bad++;
      const fill = finite ? cmap.css(max > 0 ? v / max : 0) : rgbCss(NON_FINITE_COLOR);
      out.push(`<rect x="${x0 + j * cell}" y="${y0 + i * cell}" width="${cell}" height="${cell}" fill="${fill}"><title>${escapeHtml(tip(i, j, v))}</title></rect>`);
    }
  }
  return { svg: out.join(''), bad };
}

function maxFinite(data: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) if (Number.isFinite(data[i]) && data[i] > m) m = data[i];
  return m;
}

function colorBarSvg(x: number, y: number, cmap: Colormap, max: number, width = 120): string {
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => `<stop offset="${t}" stop-color="${cmap.css(t)}"/>`).join('');
  const id = `g${Math.random().toString(36).slice(2, 10)}`;
  return (
    `<defs><linearGradient id="${id}">${stops}</linearGradient></defs>` +
    `<rect x="${x}" y="${y}" width="${width}" height="8" fill="url(#${id})"/>` +
    `<text x="${x}" y="${y + 20}">0</text><text x="${x + width}" y="${y + 20}" text-anchor="end">${fmt(max)}</text>`
  );
}

/**
 * One attention matrix (queries × keys) with its tokens on both axes and a hover value per cell.
 *
 * @example
 * ```ts
 * show(attentionMatrix(weights, { tokens: ['the', 'cat', 'sat'], layer: 2, head: 5 }));
 * ```
 */
export function attentionMatrix(weights: MatrixInput, options: AttentionMatrixOptions = {}): Figure {
  const m = toMatrix(weights, 'attentionMatrix: weights');
  const shape = shapeText([m.rows, m.cols]);
  const q = checkTokens('attentionMatrix', 'queryTokens', options.queryTokens ?? options.tokens, m.rows, shape, 'row (query)');
  const k = checkTokens('attentionMatrix', 'keyTokens', options.keyTokens ?? options.tokens, m.cols, shape, 'column (key)');
  const cmap = colormap(options.colormap ?? 'Blues');
  const max = maxFinite(m.data);
  const raster = m.rows * m.cols > MAX_HOVER_CELLS.matrix;
  // a raster (over 64 × 64) fits ~1000 px with 4-px cells and labels every `step`-th token; rects stay ≥ 10 px for hovering
  const cell = raster ? Math.max(4, Math.min(10, Math.floor(1024 / Math.max(m.rows, m.cols)))) : Math.max(10, Math.min(32, Math.floor(400 / Math.max(m.rows, m.cols))));
  const step = Math.ceil(10 / cell);
  const left = 12 + 6.5 * Math.max(...q.map((t) => clipLabel(t).length));
  const keyH = 12 + 5 * Math.max(...k.map((t) => clipLabel(t).length));
  const head = [options.layer !== undefined ? `layer ${options.layer}` : '', options.head !== undefined ? `head ${options.head}` : ''].filter(Boolean).join(' · ');
  const title = options.title ?? (head ? `attention, ${head}` : 'attention');
  const top = 28 + keyH;
  const width = Math.ceil(Math.max(left + m.cols * cell + 20, 12 + 7.5 * title.length, left + 130));
  const height = Math.ceil(top + m.rows * cell + 58);
  const where = head ? `${head}: ` : '';
  const cells = raster
    ? cellsImage(m.data, 0, m.rows, m.cols, left, top, cell, cmap, max, `${where}${m.rows} × ${m.cols} weights (no per-cell hover above ${MAX_HOVER_CELLS.matrix} cells)`)
    : cellsSvg(m.data, 0, m.rows, m.cols, left, top, cell, cmap, max, (i, j, v) => `${where}${q[i]} → ${k[j]}: ${fmt(v)}`);
  const svg =
    svgOpen(width, height) +
    `<text x="4" y="16" font-size="13" font-weight="600">${escapeHtml(title)}</text>` +
    q.map((t, i) => (i % step ? '' : `<text x="${left - 4}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end">${escapeHtml(clipLabel(t))}<title>${escapeHtml(`${i}: ${t}`)}</title></text>`)).join('') +
    k.map((t, j) => (j % step ? '' : `<text transform="translate(${left + j * cell + cell / 2 + 4},${top - 4}) rotate(-60)">${escapeHtml(clipLabel(t))}<title>${escapeHtml(`${j}: ${t}`)}</title></text>`)).join('') +
    cells.svg +
    `<text x="${left}" y="${top + m.rows * cell + 14}" fill="#555">rows: queries · columns: keys${step > 1 ? ` · every ${step === 2 ? '2nd' : step === 3 ? '3rd' : `${step}th`} token labelled` : ''}</text>` +
    colorBarSvg(left, top + m.rows * cell + 24, cmap, max) +
    `</svg>`;
  const text = `${title}: ${m.rows} queries × ${m.cols} keys, weights 0…${fmt(max)}` + (cells.bad ? `, ${cells.bad} NaN/Inf` : '');
  return {
    bundle: { 'text/plain': text, 'text/html': `<div class="xai-figure">${svg}</div>`, 'image/svg+xml': svg },
    info: { queries: m.rows, keys: m.cols, max, nonFinite: cells.bad, layer: options.layer, head: options.head, raster },
  };
}

/** Per-layer tensors ([1, heads, q, k] as the tiny BERT returns them, or [heads, q, k]) → one [layers, heads, q, k] array. */
function readLayers(layers: readonly tf.Tensor[]): { shape: number[]; data: Float32Array } {
  const read = layers.map((t, l) => {
    const r = readArray(t, `attentionGrid: weights[${l}]`);
    const shape = r.shape.length === 4 && r.shape[0] === 1 ? r.shape.slice(1) : r.shape;
    if (shape.length !== 3) throw new Error(`attentionGrid: weights[${l}] must be one layer's [heads, queries, keys] or [1, heads, queries, keys] (one sentence: slice a batch first); got shape ${shapeText(r.shape)}`);
    return { shape, data: r.data };
  });
  read.forEach((r, l) => {
    if (shapeText(r.shape) !== shapeText(read[0].shape)) throw new Error(`attentionGrid: weights[${l}] has shape ${shapeText(r.shape)} but weights[0] has ${shapeText(read[0].shape)}; every layer must have the same heads and tokens`);
  });
  const data = new Float32Array(read.length * read[0].data.length);
  read.forEach((r, l) => data.set(r.data, l * r.data.length));
  return { shape: [read.length, ...read[0].shape], data };
}

/**
 * The layer × head grid of attention matrices: `weights` is [layers, heads, queries, keys] (or
 * [heads, queries, keys] for one layer), or the tiny BERT's `forward(ids).attention` (one
 * [1, heads, t, t] tensor per layer). One shared colour scale; hover a cell for its tokens and
 * value (matrices over 32 × 32 are drawn as one PNG each, without per-cell hover).
 *
 * @example
 * ```ts
 * show(attentionGrid(allWeights, { tokens }));
 * ```
 */
export function attentionGrid(weights: tf.Tensor | NumberGrid | readonly tf.Tensor[], options: AttentionGridOptions = {}): Figure {
  const list = weights as readonly unknown[];
  const perLayer = Array.isArray(list) && list.length > 0 && list.every((w) => w instanceof tf.Tensor);
  const { shape: raw, data } = perLayer ? readLayers(list as tf.Tensor[]) : readArray(weights as tf.Tensor | NumberGrid, 'attentionGrid: weights');
  const shape = raw.length === 3 ? [1, ...raw] : raw;
  if (shape.length !== 4) throw new Error(`attentionGrid: weights must be [layers, heads, queries, keys] or [heads, queries, keys]; got shape ${shapeText(raw)}`);
  const [L, H, Q, K] = shape;
  const s = shapeText(raw);
  const q = checkTokens('attentionGrid', 'queryTokens', options.queryTokens ?? options.tokens, Q, s, 'query');
  const k = checkTokens('attentionGrid', 'keyTokens', options.keyTokens ?? options.tokens, K, s, 'key');
  if (options.layerNames !== undefined && options.layerNames.length !== L) {
    throw new Error(`attentionGrid: options.layerNames has ${options.layerNames.length} names but the weights have shape ${s}; expected one per layer (${L})`);
  }
  const layerName = (l: number) => options.layerNames?.[l] ?? String(l);
  const cmap = colormap(options.colormap ?? 'Blues');
  const max = maxFinite(data);
  const cell = Math.max(3, Math.min(12, Math.floor(96 / Math.max(Q, K))));
  const gap = 10;
  const left = 16 + 6.5 * Math.max(...Array.from({ length: L }, (_, l) => `layer ${layerName(l)}`.length));
  const top = 54;
  const bw = K * cell;
  const bh = Q * cell;
  const title = options.title ?? `attention: ${L} layer${L === 1 ? '' : 's'} × ${H} head${H === 1 ? '' : 's'}`;
  const subtitle = clipLabel(`rows: queries, columns: keys; tokens: ${q.join(' ')}`, 100);
  const width = Math.ceil(Math.max(left + H * (bw + gap) + 10, 12 + 7.5 * title.length, 12 + 6 * subtitle.length, left + 130));
  const height = Math.ceil(top + L * (bh + gap) + 36);
  const parts: string[] = [];
  let bad = 0;
  for (let l = 0; l < L; l++) {
    parts.push(`<text x="${left - 6}" y="${top + l * (bh + gap) + bh / 2 + 4}" text-anchor="end">${escapeHtml(`layer ${layerName(l)}`)}</text>`);
    for (let h = 0; h < H; h++) {
      const [x0, y0] = [left + h * (bw + gap), top + l * (bh + gap)];
      const c =
        Q * K > MAX_HOVER_CELLS.grid
          ? cellsImage(data, (l * H + h) * Q * K, Q, K, x0, y0, cell, cmap, max, `layer ${layerName(l)} head ${h}: ${Q} × ${K} weights (per-cell hover up to ${MAX_HOVER_CELLS.grid} cells: use attentionMatrix or attentionHeadView)`)
          : cellsSvg(data, (l * H + h) * Q * K, Q, K, x0, y0, cell, cmap, max, (i, j, v) => `layer ${layerName(l)} head ${h}: ${q[i]} → ${k[j]}: ${fmt(v)}`);
      bad += c.bad;
      parts.push(c.svg);
    }
  }
  for (let h = 0; h < H; h++) parts.push(`<text x="${left + h * (bw + gap) + bw / 2}" y="${top - 6}" text-anchor="middle">head ${h}</text>`);
  const svg =
    svgOpen(width, height) +
    `<text x="4" y="16" font-size="13" font-weight="600">${escapeHtml(title)}</text>` +
    `<text x="4" y="30" fill="#555">${escapeHtml(subtitle)}</text>` +
    parts.join('') +
    colorBarSvg(left, top + L * (bh + gap) + 2, cmap, max) +
    `</svg>`;
  return {
    bundle: { 'text/plain': `${title}, ${Q} × ${K} each, shared scale 0…${fmt(max)}` + (bad ? `, ${bad} NaN/Inf` : ''), 'text/html': `<div class="xai-figure">${svg}</div>`, 'image/svg+xml': svg },
    info: { layers: L, heads: H, queries: Q, keys: K, max, nonFinite: bad, raster: Q * K > MAX_HOVER_CELLS.grid },
  };
}
