/**
 * The head view of attention, as bertviz draws it (Vig 2019, "A multiscale visualization of
 * attention in the transformer model", arXiv:1906.05714): the tokens twice, queries on the left and
 * keys on the right, a line from query i to key j whose opacity is the weight, one colour per head,
 * layer and heads selectable, hovering a token shows only its lines. And the attention rollout
 * (Abnar & Zuidema 2020, arXiv:2005.00928) as a matrix.
 *
 * Long inputs: only weights ≥ `threshold` (default 0.02) become lines (a line of opacity < 0.02 is
 * invisible anyway); the figure states the threshold and the share of attention mass drawn. Lines
 * are batched into one `<path>` per head and opacity level. Without JavaScript the figure is a
 * static SVG of the initial layer with all heads; with it (classic Notebook, JupyterLab, exported
 * HTML) an inline script adds the controls (see attentionHeadScript.ts).
 */
import { randomUUID } from 'crypto';
import type { Figure } from '../display/figure';
import { escapeHtml } from '../display/escape';
import { attentionRollout, isAttentionWeights, readAttention, type AttentionLayers, type AttentionRollout, type AttentionWeights } from '../explain/internals/attention';
import { attentionMatrix, type AttentionMatrixOptions } from './attention';
import { headViewScript } from './attentionHeadScript';
import { classColor } from './colormap';
import { FONT } from './layout';
import { svgOpen } from './svg/chart';

/** Options of {@link attentionHeadView}. */
export interface AttentionHeadViewOptions {
  /** One token per position (required: what the lines connect). */
  tokens: readonly string[];
  /** Names of the layers (default 0, 1, …). */
  layerNames?: readonly string[];
  /** Layer shown first and in the static picture (default 0). */
  layer?: number;
  /** Heads shown first (default all). */
  heads?: readonly number[];
  /** Weights below this draw no line (default 0.02). */
  threshold?: number;
  /** Which sentence of a batch ([b, heads, t, t] with b > 1). */
  example?: number;
  /** Keep the first `length` tokens (cut a padded sentence to its tokens). */
  length?: number;
  title?: string;
}

const LEVELS = 32;
const clip = (t: string, n = 16) => (t.length > n ? t.slice(0, n - 1) + '…' : t);

function isRollout(x: unknown): x is AttentionRollout {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !isAttentionWeights(x) && Array.isArray((x as AttentionRollout).weights) && typeof (x as AttentionRollout).layers === 'number';
}

/** Entries ≥ threshold of one layer × head: base64 of (i: u16, j: u16, round(w·255): u8), and their mass. */
function sparse(w: AttentionWeights, l: number, h: number, thr: number): { b64: string; n: number; mass: number; list: [number, number, number][] } {
  const T = w.tokens;
  const d = w.data[l];
  const list: [number, number, number][] = [];
  let mass = 0;
  for (let i = 0; i < T; i++) {
    for (let j = 0; j < T; j++) {
      const v = d[(h * T + i) * T + j];
      if (v >= thr && v > 0) {
        list.push([i, j, Math.max(1, Math.round(v * 255))]);
        mass += v;
      }
    }
  }
  const bytes = Buffer.alloc(5 * list.length);
  list.forEach(([i, j, q], k) => {
    bytes.writeUInt16BE(i, 5 * k);
    bytes.writeUInt16BE(j, 5 * k + 2);
    bytes.writeUInt8(q, 5 * k + 4);
  });
  return { b64: bytes.toString('base64'), n: list.length, mass, list };
}

/**
 * bertviz's head view (Vig 2019, arXiv:1906.05714): queries left, keys right, a line per weight ≥
 * `threshold` with opacity = weight, a colour per head; pick the layer, click heads to toggle
 * (double-click: only that head), hover a token to see only its lines. `attention` is what the tiny
 * BERT's `forward(ids).attention` returns (per layer [1, heads, t, t], first layer first), nested
 * arrays [layers][heads][t][t], or an {@link AttentionRollout} (drawn as one layer, one head).
 * Without JavaScript: the static lines of the first layer (or `options.layer`), all heads.
 *
 * @example
 * ```ts
 * const { attention } = bert.forward(ids);
 * show(attentionHeadView(attention, { tokens: ['[CLS]', 'the', 'cat', 'sat', '[SEP]'] }));
 * show(attentionHeadView(attentionRollout(attention), { tokens }));   // the rollout as lines
 * ```
 */
export function attentionHeadView(attention: AttentionLayers | AttentionWeights | AttentionRollout, options: AttentionHeadViewOptions): Figure {
  const fn = 'attentionHeadView';
  const rollout = isRollout(attention);
  const w = readAttention(fn, rollout ? [[attention.weights]] : attention, { example: options?.example, length: options?.length });
  const T = w.tokens;
  const shape = `[${w.layers} layers, ${w.heads} heads, ${T}, ${T}]`;
  if (!options || !Array.isArray(options.tokens) || options.tokens.length !== T) {
    throw new Error(`${fn}: options.tokens has ${Array.isArray(options?.tokens) ? `${options.tokens.length} tokens` : 'no tokens'} but the attention has shape ${shape}; expected one token per position (${T}) — cut padding off the attention or the tokens`);
  }
  const tokens = options.tokens.map(String);
  const layerNames = (options.layerNames ?? (rollout ? ['rollout'] : Array.from({ length: w.layers }, (_, l) => String(l)))).map(String);
  if (layerNames.length !== w.layers) throw new Error(`${fn}: options.layerNames has ${layerNames.length} names but the attention has shape ${shape}; expected one per layer (${w.layers})`);
  const layer = options.layer ?? 0;
  if (!Number.isInteger(layer) || layer < 0 || layer >= w.layers) throw new Error(`${fn}: options.layer must be a layer index in 0..${w.layers - 1}; got ${String(layer)}`);
  const heads = options.heads ?? Array.from({ length: w.heads }, (_, h) => h);
  heads.forEach((h) => {
    if (!Number.isInteger(h) || h < 0 || h >= w.heads) throw new Error(`${fn}: options.heads must list head indices in 0..${w.heads - 1}; got ${String(h)}`);
  });
  const thr = options.threshold ?? 0.02;
  if (typeof thr !== 'number' || !(thr >= 0 && thr < 1)) throw new Error(`${fn}: options.threshold must be a number in [0, 1); got ${String(thr)}`);

  // geometry: rows shrink with the sentence; a long sentence scrolls inside the figure
  const row = T <= 30 ? 18 : T <= 80 ? 14 : 12;
  const fontSize = row <= 12 ? 10 : 11;
  const labels = tokens.map((t) => clip(t));
  const labelW = 10 + 6.2 * Math.max(...labels.map((t) => t.length));
  const gap = T <= 30 ? 150 : 220;
  const x1 = Math.ceil(labelW + 4);
  const x2 = x1 + gap;
  const top = 6;
  const width = Math.ceil(x2 + labelW + 10);
  const height = Math.ceil(top + T * row + 8);
  const colors = Array.from({ length: w.heads }, (_, h) => classColor(h));

  const sparseAll = Array.from({ length: w.layers }, (_, l) => Array.from({ length: w.heads }, (_, h) => sparse(w, l, h, thr)));
  const totalMass = w.layers * w.heads * T;
  const drawnMass = sparseAll.flat().reduce((s, e) => s + e.mass, 0) / totalMass;
  const lineCount = sparseAll.flat().reduce((s, e) => s + e.n, 0);

  const y = (i: number) => (top + (i + 0.5) * row).toFixed(1);
  const staticPaths: string[] = [];
  let staticLines = 0;
  for (const h of heads) {
    const byLevel = new Map<number, string[]>();
    for (const [i, j, q] of sparseAll[layer][h].list) {
      const lv = Math.max(1, Math.round((q / 255) * LEVELS));
      if (!byLevel.has(lv)) byLevel.set(lv, []);
      byLevel.get(lv)!.push(`M${x1} ${y(i)}L${x2} ${y(j)}`);
      staticLines++;
    }
    for (const [lv, segs] of byLevel) staticPaths.push(`<path stroke="${colors[h]}" stroke-opacity="${(lv / LEVELS).toFixed(3)}" d="${segs.join('')}"/>`);
  }
  const tokText = (side: 'q' | 'k', i: number) =>
    `<text class="xai-hv-tok" data-side="${side}" data-i="${i}" x="${side === 'q' ? x1 - 6 : x2 + 6}" y="${(top + (i + 0.5) * row + fontSize / 2 - 1.5).toFixed(1)}"${side === 'q' ? ' text-anchor="end"' : ''} style="cursor:default">${escapeHtml(labels[i])}<title>${escapeHtml(`${i}: ${tokens[i]}`)}</title></text>`;
  const svg =
    svgOpen(width, height).replace('font-size="11"', `font-size="${fontSize}"`) +
    `<g class="xai-hv-lines" fill="none" stroke-width="${T > 80 ? 1 : 1.5}">${staticPaths.join('')}</g>` +
    tokens.map((_, i) => tokText('q', i) + tokText('k', i)).join('') +
    `</svg>`;

  const id = `xai-hv-${randomUUID()}`;
  const title = options.title ?? (rollout ? `attention rollout (Abnar & Zuidema 2020): ${attention.layers} layers, heads ${attention.heads}, residual ${attention.residual}` : `attention head view: ${w.layers} layer${w.layers === 1 ? '' : 's'} × ${w.heads} head${w.heads === 1 ? '' : 's'}, ${T} tokens`);
  const headLabel = heads.length === w.heads ? 'all heads' : `head${heads.length === 1 ? '' : 's'} ${heads.join(', ')}`;
  const staticCaption = `layer ${layerNames[layer]} · ${headLabel} · ${staticLines} lines (weights ≥ ${thr}; opacity = weight)`;
  const massNote = `left: queries, right: keys; lines carry ${(100 * drawnMass).toFixed(1)}% of the attention mass (all layers and heads)`;
  const controls =
    `<div class="xai-hv-controls" style="display:none;position:sticky;top:0;background:#fff;padding:2px 0;z-index:1">layer <select class="xai-hv-layer">` +
    layerNames.map((n, l) => `<option value="${l}"${l === layer ? ' selected' : ''}>${escapeHtml(n)}</option>`).join('') +
    `</select> heads ` +
    colors.map((c, h) => `<span class="xai-hv-head" data-h="${h}" title="click: toggle head ${h}; double-click: only this head" style="display:inline-block;cursor:pointer;min-width:18px;text-align:center;margin:0 2px;padding:1px 3px;border-radius:3px;color:#fff;background:${c}">${h}</span>`).join('') +
    ` <button class="xai-hv-all" type="button" style="font-size:11px">all</button> <span style="color:#666">hover a token for its lines</span></div>`;
  const html =
    `<div class="xai-figure xai-headview" id="${id}" style="${FONT};max-height:${Math.min(height + 90, 760)}px;overflow:auto;display:inline-block;max-width:100%">` +
    `<div style="font-weight:600;font-size:13px">${escapeHtml(title)}</div>` +
    controls +
    `<div class="xai-hv-caption" style="color:#333">${escapeHtml(staticCaption)}</div>` +
    `<div class="xai-hv-static-note" style="color:#666">${escapeHtml(`static picture (JavaScript off): layer ${layerNames[layer]}, ${headLabel}`)}</div>` +
    `<div style="color:#666">${escapeHtml(massNote)}</div>` +
    svg +
    `</div>` +
    headViewScript({ id, tokens: T, x1, x2, top, row, width, levels: LEVELS, threshold: thr, colors, layerNames, entries: sparseAll.map((hs) => hs.map((e) => e.b64)), layer, heads });
  return {
    bundle: {
      'text/plain': `${title}; lines for weights ≥ ${thr} carry ${(100 * drawnMass).toFixed(1)}% of the attention mass (${lineCount} lines in all)`,
      'text/html': html,
    },
    svg,
    info: { layers: w.layers, heads: w.heads, tokens: T, threshold: thr, lines: lineCount, staticLines, drawnMass, htmlBytes: html.length },
  };
}

/**
 * Attention rollout (Abnar & Zuidema 2020, arXiv:2005.00928) as a matrix: row i, what token i at
 * the top draws from each input token, through all layers with the residual counted. Takes the
 * attention (rolled out here with `attentionRollout`'s defaults: mean over heads, residual ½) or a
 * computed {@link AttentionRollout}. For long sentences draw the rollout with
 * {@link attentionHeadView} instead (one line per weight, not one cell per pair).
 *
 * @example
 * ```ts
 * show(rolloutMatrix(bert.forward(ids).attention, { tokens }));
 * ```
 */
export function rolloutMatrix(attention: AttentionLayers | AttentionWeights | AttentionRollout, options: Omit<AttentionMatrixOptions, 'layer' | 'head'> = {}): Figure {
  const r = isRollout(attention) ? attention : attentionRollout(attention);
  const title = options.title ?? `attention rollout (Abnar & Zuidema 2020): ${r.layers} layer${r.layers === 1 ? '' : 's'}, heads ${r.heads}, residual ${r.residual}`;
  const f = attentionMatrix(r.weights, { ...options, title });
  return { ...f, info: { ...f.info, rollout: { layers: r.layers, heads: r.heads, residual: r.residual } } };
}
