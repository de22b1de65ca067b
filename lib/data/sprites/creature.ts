/**
 * Draws one cartoon creature from its {@link CreatureGenes}: tail, ears or horns and spikes behind
 * the body, legs, a superellipse body with belly and spots, arms, eyes and mouth — each part
 * outlined in near-black as a sprite artist would.
 *
 * @example
 * ```ts
 * const canvas = drawCreature(sampleGenes(new SpriteRandom(0, 1, 7), 'pokemon'), 64);
 * const rgba = canvas.toRgba();   // transparent background
 * const mask = canvas.toMask();   // 1 on the creature
 * ```
 */
import { type Rgb, SpriteCanvas } from './canvas';
import type { CreatureGenes } from './genes';
import { capsule, circle, ellipse, grow, type Shape, superellipse, triangle } from './shapes';

const INK: Rgb = [0.08, 0.08, 0.1];
const WHITE: Rgb = [0.97, 0.97, 0.97];
const IVORY: Rgb = [0.93, 0.89, 0.74];

/** HSV (all in [0, 1], hue wraps) to RGB. */
export function hsv(h: number, s: number, v: number): Rgb {
  const hh = (((h % 1) + 1) % 1) * 6;
  const i = Math.floor(hh);
  const f = hh - i;
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  return ([[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v], [v, p, q]] as Rgb[])[i % 6];
}

/** Renders `g` on a transparent `size`×`size` canvas. */
export function drawCreature(g: CreatureGenes, size: number): SpriteCanvas {
  if (!Number.isInteger(size) || size < 8) throw new Error(`drawCreature: size must be an integer ≥ 8; got ${size}`);
  const c = new SpriteCanvas(size);
  const rx = g.radius * size;
  const ry = rx * g.aspect;
  const cx = g.x * size;
  const cy = g.y * size;
  const cos = Math.cos(g.tilt);
  const sin = Math.sin(g.tilt);
  const line = Math.max(1, size / 64);
  /** A point in body units: u across (towards where it faces), v down; (±1, ±1) is the body's box. */
  const at = (u: number, v: number): [number, number] => {
    const lu = g.facing * u * rx;
    const lv = v * ry;
    return [cx + lu * cos - lv * sin, cy + lu * sin + lv * cos];
  };
  const inked = (s: Shape, rgb: Rgb) => {
    c.fill(grow(s, line), INK);
    c.fill(s, rgb);
  };
  const body = hsv(g.hue, g.saturation, g.value);
  const shade = hsv(g.hue, g.saturation, g.value * 0.72);
  const accent = hsv(g.hue + g.accentHue, g.saturation * 0.6, Math.min(1, g.value * 1.15));

  if (g.tail !== 'none') {
    const [ax, ay] = at(-0.75, 0.25);
    const [bx, by] = at(-1.45, -0.35);
    const w = g.tail === 'thick' ? 0.26 : 0.12;
    inked(capsule(ax, ay, bx, by, w * rx, w * 0.6 * rx), body);
    if (g.tail === 'thick') inked(circle(bx, by, 0.22 * rx), accent);
  }
  for (const side of [-1, 1]) {
    if (g.ears === 'pointy') {
      inked(triangle(at(side * 0.25, -0.75), at(side * 0.7, -0.6), at(side * 0.6, -1.55)), body);
      c.fill(triangle(at(side * 0.35, -0.75), at(side * 0.6, -0.68), at(side * 0.57, -1.3)), accent);
    } else if (g.ears === 'round') {
      const [ex, ey] = at(side * 0.55, -0.95);
      inked(circle(ex, ey, 0.32 * rx), body);
      c.fill(circle(ex, ey, 0.18 * rx), accent);
    }
    if (g.horns) inked(triangle(at(side * 0.18, -0.85), at(side * 0.42, -0.8), at(side * 0.38, -1.55)), IVORY);
  }
  for (let k = 0; k < g.spikes; k++) {
    const phi = Math.PI * (0.62 + (0.3 * k) / Math.max(1, g.spikes - 1));
    const u = Math.cos(phi);
    const v = -Math.sin(phi);
    inked(triangle(at(u * 0.92 + 0.12 * v, v * 0.92 - 0.12 * u), at(u * 0.92 - 0.12 * v, v * 0.92 + 0.12 * u), at(u * 1.4, v * 1.4)), accent);
  }
  const legPairs = g.legs === 4 ? [0.15, 0.5] : g.legs === 2 ? [0.42] : [];
  legPairs.forEach((u0, pair) => {
    for (const side of [-1, 1]) {
      const [ax, ay] = at(side * u0, 0.65);
      const by = ay + g.legLength * rx + 0.25 * ry;
      const color = pair === 0 && g.legs === 4 ? shade : body;
      inked(capsule(ax, ay, ax + side * 0.08 * rx, by, 0.2 * rx, 0.17 * rx), color);
      inked(ellipse(ax + side * 0.08 * rx + g.facing * 0.08 * rx, by + 0.05 * rx, 0.24 * rx, 0.13 * rx), shade);
    }
  });
  const torso = superellipse(cx, cy, rx, ry, g.roundness, g.tilt);
  inked(torso, body);
  const inside = c.shapeCoverage(torso);
  if (g.belly) {
    const [bx, by] = at(0.12, 0.35);
    c.fill(ellipse(bx, by, 0.58 * rx, 0.5 * ry, g.tilt), accent, inside);
  }
  for (let k = 0; k < g.spots; k++) {
    const [sx, sy] = at(-0.55 + 0.35 * Math.cos(2.4 * k), -0.2 + 0.45 * Math.sin(2.4 * k));
    c.fill(circle(sx, sy, (0.13 + 0.03 * (k % 3)) * rx), shade, inside);
  }
  if (g.arms) {
    for (const side of [-1, 1]) {
      const [ax, ay] = at(side * 0.82, 0.15);
      const len = 0.6 * rx;
      const bx = ax + side * g.facing * Math.cos(g.armAngle) * len;
      const by = ay + Math.sin(g.armAngle) * len;
      inked(capsule(ax, ay, bx, by, 0.15 * rx, 0.13 * rx), body);
    }
  }
  const eyeU = g.eyes === 2 ? [0.48, 0.02] : [0.3];
  const er = g.eyeSize * rx * (g.eyes === 1 ? 1.3 : 1);
  for (const u of eyeU) {
    const [ex, ey] = at(u, -0.35);
    inked(circle(ex, ey, er), WHITE);
    const px = ex + g.facing * g.gaze * 0.35 * er;
    c.fill(circle(px, ey + 0.1 * er, 0.55 * er), INK);
    c.fill(circle(px - 0.2 * er, ey - 0.15 * er, 0.18 * er), WHITE);
  }
  const [mx, my] = at(0.3, 0.2);
  c.fill(ellipse(mx, my, 0.2 * rx, 0.07 * rx, g.tilt), INK);
  if (g.fangs) {
    for (const d of [-0.09, 0.09]) {
      const x = mx + d * rx;
      c.fill(triangle([x - 0.06 * rx, my], [x + 0.06 * rx, my], [x, my + 0.2 * rx]), WHITE);
    }
  }
  return c;
}
