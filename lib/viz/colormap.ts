/**
 * Colormaps from d3-scale-chromatic (Harrower & Brewer's ColorBrewer schemes; viridis/magma/
 * inferno/plasma by van der Walt & Smith), sampled once into 256-entry lookup tables so that
 * painting a pixel is one array read.
 */
import * as chromatic from 'd3-scale-chromatic';

/** RGB bytes. */
export type Rgb = readonly [number, number, number];

/**
 * A colormap: a d3-scale-chromatic name without the `interpolate` prefix (`'viridis'`,
 * `'RdBu'`, `'Greys'`, any case), optionally suffixed `_r` for reversed (`'RdBu_r'`: blue for
 * low, red for high), or a function from t ∈ [0, 1] to a CSS colour.
 */
export type ColormapName = string | ((t: number) => string);

/** The colour of NaN/±Inf values: magenta, which no sequential or diverging scheme contains. */
export const NON_FINITE_COLOR: Rgb = [255, 0, 255];

/** The default for signed values (diverging, centred at 0): blue < 0 < red. */
export const DIVERGING_DEFAULT = 'RdBu_r';
/** The default for magnitudes (sequential, perceptually uniform). */
export const SEQUENTIAL_DEFAULT = 'viridis';

const interpolators = new Map<string, (t: number) => string>();
for (const [key, fn] of Object.entries(chromatic)) {
  if (key.startsWith('interpolate') && typeof fn === 'function') interpolators.set(key.slice('interpolate'.length).toLowerCase(), fn as (t: number) => string);
}

/** Parses `#rrggbb`, `#rgb` or `rgb(r, g, b)` into bytes. */
export function parseColor(css: string): Rgb {
  const s = css.trim();
  let m = /^#([0-9a-f]{6})$/i.exec(s);
  if (m) {
    const v = parseInt(m[1], 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }
  m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(s);
  if (m) return [parseInt(m[1] + m[1], 16), parseInt(m[2] + m[2], 16), parseInt(m[3] + m[3], 16)];
  m = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/i.exec(s);
  if (m) return [Math.round(+m[1]), Math.round(+m[2]), Math.round(+m[3])];
  throw new Error(`colormap: cannot parse the colour '${css}'; expected #rrggbb or rgb(r, g, b)`);
}

/** A colormap sampled at 256 points: `lut[3*i .. 3*i+2]` is the colour of t = i / 255. */
export interface Colormap {
  readonly name: string;
  readonly lut: Uint8Array;
  /** The colour of t ∈ [0, 1] (clamped). */
  at(t: number): Rgb;
  /** `#rrggbb` of t ∈ [0, 1]. */
  css(t: number): string;
}

const cache = new Map<string, Colormap>();

/**
 * Resolves a colormap by name (see {@link ColormapName}).
 * @example
 * ```ts
 * colormap('RdBu_r').at(0.5) // the diverging midpoint, the colour of 0
 * ```
 */
export function colormap(name: ColormapName): Colormap {
  if (typeof name === 'string' && cache.has(name)) return cache.get(name)!;
  let fn: (t: number) => string;
  let label: string;
  if (typeof name === 'function') {
    fn = name;
    label = 'custom';
  } else {
    if (typeof name !== 'string' || name.length === 0) throw new Error(`colormap: expected a d3-scale-chromatic name like 'viridis' or 'RdBu_r', or a function; got ${String(name)}`);
    const reversed = /_r$/i.test(name);
    const base = reversed ? name.slice(0, -2) : name;
    const found = interpolators.get(base.toLowerCase());
    if (!found) {
      throw new Error(`colormap: unknown colormap '${name}'; expected one of ${[...interpolators.keys()].join(', ')} (optionally with _r)`);
    }
    fn = reversed ? (t) => found(1 - t) : found;
    label = name;
  }
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) lut.set(parseColor(fn(i / 255)), 3 * i);
  const index = (t: number) => 3 * Math.round(255 * Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t)));
  const cm: Colormap = {
    name: label,
    lut,
    at: (t) => {
      const i = index(t);
      return [lut[i], lut[i + 1], lut[i + 2]];
    },
    css: (t) => {
      const i = index(t);
      return '#' + [lut[i], lut[i + 1], lut[i + 2]].map((v) => v.toString(16).padStart(2, '0')).join('');
    },
  };
  if (typeof name === 'string') cache.set(name, cm);
  return cm;
}

/**
 * The colour of class `i` for categorical plots (Tableau 10, then ColorBrewer Set3, cycling).
 * @example
 * ```ts
 * classColor(3) // '#76b7b2'
 * ```
 */
export function classColor(i: number): string {
  if (!Number.isInteger(i)) throw new Error(`classColor: i must be an integer class index; got ${i}`);
  const palette = [...chromatic.schemeTableau10, ...chromatic.schemeSet3];
  return palette[((i % palette.length) + palette.length) % palette.length];
}

/** `#rrggbb` of RGB bytes. */
export function rgbCss(c: Rgb): string {
  return '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('');
}
