/**
 * The static SVG form of the plotly charts (scatter, line, bar): axes with ticks, a title, axis
 * labels and a legend. It is the fallback shown where JavaScript does not run (GitHub, nbviewer
 * without scripts, a terminal that saves SVG), so it must stand on its own. User strings are
 * escaped here.
 */
import { escapeHtml } from '../../display/escape';
import { fmt } from '../layout';
import { linear, niceTicks } from './axes';

/** A legend entry. */
export interface LegendEntry {
  readonly name: string;
  readonly color: string;
}

/** What a chart body draws with. */
export interface Plot {
  /** Data → pixel x (or category index → centre x for categorical axes). */
  sx(v: number): number;
  sy(v: number): number;
  /** The plot area. */
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Title and axis labels of a 2-D chart (plain text; escaped where drawn). */
export interface AxesText {
  title?: string;
  xLabel?: string;
  yLabel?: string;
}

/** Just the title and axis labels of a chart's options. */
export const axesText = ({ title, xLabel, yLabel }: AxesText): AxesText => ({ title, xLabel, yLabel });

/** Everything a chart needs around its marks. */
export interface ChartFrame {
  width: number;
  height: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  xDomain: [number, number];
  yDomain: [number, number];
  /** Category names for a categorical x axis (tick i at x = i). */
  xCategories?: readonly string[];
  legend?: readonly LegendEntry[];
  /** A note under the title, e.g. "static view". */
  subtitle?: string;
  /** Only whole-number ticks on the x axis (epochs, steps). */
  integerX?: boolean;
  /** Hide the axes (e.g. for a projected 3-D view). */
  noAxes?: boolean;
  /** The marks, drawn in the plot area. */
  body(p: Plot): string;
}

const SVG_FONT = 'font-family="system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif" font-size="11"';

/** The start of every SVG figure (charts, attention matrices): the `<svg>` element with our font, on white. */
export function svgOpen(width: number, height: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${SVG_FONT}><rect width="${width}" height="${height}" fill="#fff"/>`;
}

/** Renders the chart as a standalone SVG document. */
export function chartSvg(f: ChartFrame): string {
  const legendW = f.legend?.length ? Math.min(180, 24 + 7 * Math.max(...f.legend.map((l) => l.name.length))) : 0;
  const top = f.title ? (f.subtitle ? 44 : 32) : 14;
  const bottom = f.noAxes ? 10 : f.xCategories ? 60 : 44;
  const left = f.noAxes ? 10 : 60;
  const right = 14 + legendW;
  const pw = Math.max(40, f.width - left - right);
  const ph = Math.max(40, f.height - top - bottom);
  const sx = linear(f.xDomain[0], f.xDomain[1], left, left + pw);
  const sy = linear(f.yDomain[0], f.yDomain[1], top + ph, top);
  const parts: string[] = [];
  parts.push(svgOpen(f.width, f.height));
  if (f.title) parts.push(`<text x="${left}" y="20" font-size="14" font-weight="600">${escapeHtml(f.title)}</text>`);
  if (f.subtitle) parts.push(`<text x="${left}" y="36" fill="#666">${escapeHtml(f.subtitle)}</text>`);
  if (!f.noAxes) {
    parts.push(`<g stroke="#e5e5e5">`);
    const yt = niceTicks(f.yDomain[0], f.yDomain[1], 5);
    for (const t of yt) parts.push(`<line x1="${left}" x2="${left + pw}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}"/>`);
    parts.push(`</g><g fill="#444" text-anchor="end">`);
    for (const t of yt) parts.push(`<text x="${left - 6}" y="${(sy(t) + 4).toFixed(1)}">${fmt(t)}</text>`);
    parts.push(`</g><g fill="#444" text-anchor="middle">`);
    if (f.xCategories) {
      f.xCategories.forEach((c, i) => {
        const label = c.length > 14 ? c.slice(0, 13) + '…' : c;
        parts.push(`<text transform="translate(${sx(i).toFixed(1)},${top + ph + 14}) rotate(${f.xCategories!.length > 6 ? -30 : 0})" text-anchor="${f.xCategories!.length > 6 ? 'end' : 'middle'}">${escapeHtml(label)}</text>`);
      });
    } else {
      for (const t of niceTicks(f.xDomain[0], f.xDomain[1], 6).filter((v) => !f.integerX || Number.isInteger(v))) parts.push(`<text x="${sx(t).toFixed(1)}" y="${top + ph + 16}">${fmt(t)}</text>`);
    }
    parts.push(`</g>`);
    parts.push(`<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
    if (f.xLabel) parts.push(`<text x="${left + pw / 2}" y="${f.height - 8}" text-anchor="middle">${escapeHtml(f.xLabel)}</text>`);
    if (f.yLabel) parts.push(`<text transform="translate(14,${top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(f.yLabel)}</text>`);
  }
  parts.push(`<g clip-path="none">${f.body({ sx, sy, left, top, width: pw, height: ph })}</g>`);
  if (f.legend?.length) {
    const x = left + pw + 12;
    f.legend.forEach((l, i) => {
      const y = top + 8 + i * 16;
      parts.push(`<rect x="${x}" y="${y - 8}" width="10" height="10" fill="${escapeHtml(l.color)}"/><text x="${x + 14}" y="${y + 1}">${escapeHtml(l.name)}</text>`);
    });
  }
  parts.push(`</svg>`);
  return parts.join('');
}
