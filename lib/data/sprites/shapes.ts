/**
 * Signed-distance shapes (negative inside, in pixels) for drawing creatures: circle, ellipse,
 * superellipse (Lamé curve), tapered capsule and triangle. Distances of the implicit curves are
 * first-order estimates f/|∇f| (Taubin 1994), which is all one pixel of anti-aliasing needs.
 *
 * @example
 * ```ts
 * const body = superellipse(32, 34, 14, 12, 2.5, 0.1);
 * body.distance(32, 34) < 0;   // inside
 * ```
 */

/** A pixel-space box [x0, x1) × [y0, y1). */
export interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A region of the plane: its signed distance and a box that contains it. */
export interface Shape {
  distance(x: number, y: number): number;
  bounds: Bounds;
}

function box(cx: number, cy: number, r: number): Bounds {
  return { x0: Math.floor(cx - r - 1), y0: Math.floor(cy - r - 1), x1: Math.ceil(cx + r + 1), y1: Math.ceil(cy + r + 1) };
}

/** The shape grown outward by `width` pixels (an outline drawn behind it). */
export function grow(s: Shape, width: number): Shape {
  const { x0, y0, x1, y1 } = s.bounds;
  const w = Math.ceil(width);
  return { distance: (x, y) => s.distance(x, y) - width, bounds: { x0: x0 - w, y0: y0 - w, x1: x1 + w, y1: y1 + w } };
}

/** A disc of radius `r`. */
export function circle(cx: number, cy: number, r: number): Shape {
  return { distance: (x, y) => Math.sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)) - r, bounds: box(cx, cy, r) };
}

/** |u/rx|^n + |v/ry|^n = 1 in the frame rotated by `angle`; n = 2 is an ellipse, n > 2 boxier. */
export function superellipse(cx: number, cy: number, rx: number, ry: number, n: number, angle = 0): Shape {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return {
    distance(x, y) {
      // f = F^(1/n) − 1 with F = |u|^n + |v|^n; ∂f/∂u = F^(1/n − 1)·|u|^(n − 1)·sign(u) / rx.
      const u = Math.abs(((x - cx) * cos + (y - cy) * sin) / rx) + 1e-9;
      const v = Math.abs((-(x - cx) * sin + (y - cy) * cos) / ry) + 1e-9;
      const un = Math.pow(u, n);
      const vn = Math.pow(v, n);
      const F = un + vn;
      const root = Math.pow(F, 1 / n);
      const gu = ((root / F) * un) / u / rx;
      const gv = ((root / F) * vn) / v / ry;
      const g = Math.sqrt(gu * gu + gv * gv);
      return g > 1e-6 ? (root - 1) / g : (root - 1) * Math.min(rx, ry);
    },
    bounds: box(cx, cy, Math.max(rx, ry) * (n > 2 ? Math.SQRT2 : 1)),
  };
}

/** An ellipse with semi-axes rx, ry rotated by `angle`. */
export function ellipse(cx: number, cy: number, rx: number, ry: number, angle = 0): Shape {
  return superellipse(cx, cy, rx, ry, 2, angle);
}

/** A segment a→b thickened to radius ra at a and rb at b (a limb, a tail). */
export function capsule(ax: number, ay: number, bx: number, by: number, ra: number, rb: number): Shape {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy || 1e-9;
  return {
    distance(x, y) {
      const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
      const px = x - ax - t * dx;
      const py = y - ay - t * dy;
      return Math.sqrt(px * px + py * py) - (ra + (rb - ra) * t);
    },
    bounds: {
      x0: Math.floor(Math.min(ax - ra, bx - rb) - 1),
      y0: Math.floor(Math.min(ay - ra, by - rb) - 1),
      x1: Math.ceil(Math.max(ax + ra, bx + rb) + 1),
      y1: Math.ceil(Math.max(ay + ra, by + rb) + 1),
    },
  };
}

/** The triangle p0 p1 p2 (exact distance, after Quílez's 2D distance functions). */
export function triangle(p0: [number, number], p1: [number, number], p2: [number, number]): Shape {
  const pts = [p0, p1, p2];
  const orient = Math.sign((p1[0] - p0[0]) * (p2[1] - p0[1]) - (p1[1] - p0[1]) * (p2[0] - p0[0])) || 1;
  return {
    distance(x, y) {
      let d = Infinity;
      let inside = true;
      for (let i = 0; i < 3; i++) {
        const [ax, ay] = pts[i];
        const [bx, by] = pts[(i + 1) % 3];
        const ex = bx - ax;
        const ey = by - ay;
        const t = Math.max(0, Math.min(1, ((x - ax) * ex + (y - ay) * ey) / (ex * ex + ey * ey || 1e-9)));
        const px = x - ax - t * ex;
        const py = y - ay - t * ey;
        d = Math.min(d, px * px + py * py);
        if (orient * (ex * (y - ay) - ey * (x - ax)) < 0) inside = false;
      }
      return inside ? -Math.sqrt(d) : Math.sqrt(d);
    },
    bounds: {
      x0: Math.floor(Math.min(p0[0], p1[0], p2[0]) - 1),
      y0: Math.floor(Math.min(p0[1], p1[1], p2[1]) - 1),
      x1: Math.ceil(Math.max(p0[0], p1[0], p2[0]) + 1),
      y1: Math.ceil(Math.max(p0[1], p1[1], p2[1]) + 1),
    },
  };
}
