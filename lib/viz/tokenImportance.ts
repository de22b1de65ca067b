/**
 * Importance of each token of a sentence by several methods side by side: tokens down the rows,
 * one column per method, each cell coloured by its share of that method's largest absolute value
 * (methods live on different scales: attention weights sum to 1, gradients do not), with the
 * value as a tooltip. The way text attributions are usually shown (e.g. Jain & Wallace 2019,
 * arXiv:1902.10186, compare attention with gradients and leave-one-out this way); a highlighted
 * row marks the explained (masked) token.
 *
 * @example
 * ```ts
 * show(tokenImportance({ attention: [0.1, 0.6, 0.3], 'leave-one-out': [0.2, 1.5, -0.1] }, { tokens: ['the', 'cat', 'sat'], highlight: 1 }));
 * ```
 */
import type { Figure } from '../display/figure';
import { escapeHtml } from '../display/escape';
import { colormap, rgbCss, NON_FINITE_COLOR } from './colormap';
import { fmt } from './layout';
import { svgOpen } from './svg/chart';

/** Options of {@link tokenImportance}. */
export interface TokenImportanceOptions {
  /** One token per value. */
  tokens: readonly string[];
  title?: string;
  /** Row of the explained token (drawn with a frame). Cells whose value is NaN (no value: e.g. a token that is not ranked) stay blank; ±Infinity is magenta. */
  highlight?: number;
}

const clip = (t: string, n = 16) => (t.length > n ? t.slice(0, n - 1) + '…' : t);

/** Tokens × methods, each column scaled to its largest |value|; negative values in blue, positive in red. */
export function tokenImportance(methods: Record<string, readonly number[]>, options: TokenImportanceOptions): Figure {
  if (methods === null || typeof methods !== 'object' || Array.isArray(methods) || Object.keys(methods).length === 0) {
    throw new Error('tokenImportance: methods must be a non-empty object { method: one value per token }');
  }
  const tokens = options?.tokens;
  if (!Array.isArray(tokens) || tokens.length === 0) throw new Error('tokenImportance: options.tokens must be a non-empty array of strings');
  const names = Object.keys(methods);
  for (const n of names) {
    const v = methods[n];
    if (!Array.isArray(v) || v.length !== tokens.length) throw new Error(`tokenImportance: methods["${n}"] has ${Array.isArray(v) ? v.length : typeof v} values but options.tokens has ${tokens.length} tokens; expected one value per token`);
  }
  const { highlight } = options;
  if (highlight !== undefined && !(Number.isInteger(highlight) && highlight >= 0 && highlight < tokens.length)) throw new Error(`tokenImportance: options.highlight must be a token index in 0..${tokens.length - 1}; got ${highlight}`);
  const cmap = colormap('RdBu_r');
  const maxAbs = names.map((n) => Math.max(1e-30, ...methods[n].filter(Number.isFinite).map(Math.abs)));
  const rowH = 16;
  const colW = Math.max(72, 7 * Math.max(...names.map((n) => n.length)) + 8);
  const left = 10 + 6.5 * Math.max(...tokens.map((t) => clip(String(t)).length));
  const title = options.title ?? 'token importance';
  const top = 48;
  const width = Math.ceil(Math.max(left + names.length * colW + 10, 12 + 7.5 * title.length));
  const height = top + tokens.length * rowH + 30;
  const parts: string[] = [];
  names.forEach((n, c) => parts.push(`<text x="${left + c * colW + colW / 2}" y="${top - 8}" text-anchor="middle" font-weight="600">${escapeHtml(n)}</text>`));
  tokens.forEach((tok, i) => {
    const y = top + i * rowH;
    parts.push(`<text x="${left - 6}" y="${y + rowH - 4}" text-anchor="end"${i === highlight ? ' font-weight="700"' : ''}>${escapeHtml(clip(String(tok)))}<title>${escapeHtml(String(tok))}</title></text>`);
    names.forEach((n, c) => {
      const v = methods[n][i];
      const fill = Number.isFinite(v) ? cmap.css(0.5 + 0.5 * (v / maxAbs[c])) : Number.isNaN(v) ? '#fff' : rgbCss(NON_FINITE_COLOR);
      parts.push(`<rect x="${left + c * colW + 2}" y="${y + 1}" width="${colW - 4}" height="${rowH - 2}" fill="${fill}"><title>${escapeHtml(`${n}: ${tok} = ${Number.isFinite(v) ? fmt(v) : String(v)}`)}</title></rect>`);
    });
    if (i === highlight) parts.push(`<rect x="${left - 2}" y="${y}" width="${names.length * colW + 2}" height="${rowH}" fill="none" stroke="#222" stroke-width="1.5"/>`);
  });
  const svg =
    svgOpen(width, height) +
    `<text x="4" y="16" font-size="13" font-weight="600">${escapeHtml(title)}</text>` +
    `<text x="4" y="30" fill="#555">each column scaled to its largest |value|: red +, blue −; hover a cell for its value</text>` +
    parts.join('') +
    `</svg>`;
  const text = `${title}: ${tokens.length} tokens × ${names.length} methods (${names.join(', ')})`;
  return {
    bundle: { 'text/plain': text, 'text/html': `<div class="xai-figure">${svg}</div>`, 'image/svg+xml': svg },
    info: { tokens: tokens.length, methods: names, maxAbs },
  };
}
