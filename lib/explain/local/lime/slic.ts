/**
 * SLIC superpixels (Achanta, Shaji, Smith, Lucchi, Fua & Süsstrunk 2012, "SLIC Superpixels Compared
 * to State-of-the-Art Superpixel Methods"): k-means on (colour, position) started from a regular
 * grid, each centre searching only a 2S × 2S window, followed by a pass that makes every superpixel
 * one connected region. The interpretable features of LIME on images.
 *
 * Colour is CIELAB for 3-channel images in [0, 1], 100 · value for one channel (grey as
 * lightness), and 100 · value per channel otherwise, so `compactness` means what it means in the
 * paper (10 is a good default).
 *
 * @example
 * ```ts
 * const { labels, count } = slic(pixels, 28, 28, 1, { segments: 50 });   // labels[y * 28 + x] ∈ 0..count−1
 * ```
 */

/** Options of {@link slic}. */
export interface SlicOptions {
  /** About how many superpixels (K); default 50. */
  segments?: number;
  /** Weight of position against colour (m in the paper); default 10. Larger: squarer superpixels. */
  compactness?: number;
  /** k-means iterations; default 10. */
  iterations?: number;
  /** Regions smaller than this fraction of the mean superpixel area are merged into a neighbour; default 0.25. */
  minSizeFactor?: number;
}

/** A segmentation: one label per pixel (row-major), labels 0..count−1, each label one connected region. */
export interface Segmentation {
  labels: Int32Array;
  count: number;
  height: number;
  width: number;
}

/** sRGB in [0, 1] → CIELAB (D65), written into `out` at `o`. */
function rgbToLab(r: number, g: number, b: number, out: Float64Array, o: number): void {
  const lin = (v: number) => (v > 0.04045 ? Math.pow((v + 0.055) / 1.055, 2.4) : v / 12.92);
  const [R, G, B] = [lin(r), lin(g), lin(b)];
  const x = (0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047;
  const y = 0.2126 * R + 0.7152 * G + 0.0722 * B;
  const z = (0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883;
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  out[o] = 116 * f(y) - 16;
  out[o + 1] = 500 * (f(x) - f(y));
  out[o + 2] = 200 * (f(y) - f(z));
}

function colourFeatures(pixels: ArrayLike<number>, n: number, channels: number): Float64Array {
  const feat = new Float64Array(n * channels);
  for (let p = 0; p < n; p++) {
    if (channels === 3) rgbToLab(pixels[p * 3], pixels[p * 3 + 1], pixels[p * 3 + 2], feat, p * 3);
    else for (let c = 0; c < channels; c++) feat[p * channels + c] = 100 * pixels[p * channels + c];
  }
  return feat;
}

/** Relabels 4-connected regions, merging those below `minSize` into the region met just before them. */
function connectedRegions(labels: Int32Array, h: number, w: number, minSize: number): { labels: Int32Array; count: number } {
  const out = new Int32Array(h * w).fill(-1);
  const stack: number[] = [];
  const members: number[] = [];
  let count = 0;
  for (let start = 0; start < h * w; start++) {
    if (out[start] >= 0) continue;
    // the region met just before: a labelled 4-neighbour of the start pixel
    let adjacent = -1;
    const sy = Math.floor(start / w);
    const sx = start % w;
    if (sx > 0 && out[start - 1] >= 0) adjacent = out[start - 1];
    else if (sy > 0 && out[start - w] >= 0) adjacent = out[start - w];
    members.length = 0;
    stack.push(start);
    out[start] = count;
    while (stack.length) {
      const p = stack.pop() as number;
      members.push(p);
      const y = Math.floor(p / w);
      const x = p % w;
      const next = [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1];
      for (const q of next) {
        if (q >= 0 && out[q] < 0 && labels[q] === labels[start]) {
          out[q] = count;
          stack.push(q);
        }
      }
    }
    if (members.length < minSize && adjacent >= 0) for (const p of members) out[p] = adjacent;
    else count++;
  }
  return { labels: out, count };
}

/**
 * Segments an image of `height × width` pixels with `channels` interleaved values each (row-major,
 * as a tf.Tensor3D's data) into about `options.segments` superpixels.
 */
export function slic(pixels: ArrayLike<number>, height: number, width: number, channels: number, options: SlicOptions = {}): Segmentation {
  const { segments = 50, compactness = 10, iterations = 10, minSizeFactor = 0.25 } = options;
  const dims = [height, width, channels];
  if (!dims.every((d) => Number.isInteger(d) && d >= 1)) throw new Error(`slic: height, width and channels must be positive integers; got ${dims}`);
  if (pixels.length !== height * width * channels) throw new Error(`slic: pixels has ${pixels.length} values but height·width·channels is ${height * width * channels}`);
  if (!Number.isInteger(segments) || segments < 1) throw new Error(`slic: options.segments must be an integer ≥ 1; got ${segments}`);
  if (!(compactness > 0)) throw new Error(`slic: options.compactness must be a number > 0; got ${compactness}`);
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`slic: options.iterations must be an integer ≥ 1; got ${iterations}`);
  const n = height * width;
  const c = channels;
  const col = colourFeatures(pixels, n, c);
  const S = Math.sqrt(n / segments);
  const ny = Math.max(1, Math.round(height / S));
  const nx = Math.max(1, Math.round(width / S));
  const k = ny * nx;
  const dim = c + 2; // colour…, y, x
  const centres = new Float64Array(k * dim);
  const grad = (y: number, x: number) => {
    let g = 0;
    for (let ch = 0; ch < c; ch++) {
      const v = (yy: number, xx: number) => col[(Math.min(height - 1, Math.max(0, yy)) * width + Math.min(width - 1, Math.max(0, xx))) * c + ch];
      g += (v(y, x + 1) - v(y, x - 1)) ** 2 + (v(y + 1, x) - v(y - 1, x)) ** 2;
    }
    return g;
  };
  for (let i = 0; i < ny; i++) {
    for (let j = 0; j < nx; j++) {
      let by = Math.min(height - 1, Math.floor(((i + 0.5) * height) / ny));
      let bx = Math.min(width - 1, Math.floor(((j + 0.5) * width) / nx));
      let best = grad(by, bx);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const [yy, xx] = [by + dy, bx + dx];
          if (yy < 0 || xx < 0 || yy >= height || xx >= width || (dy === 0 && dx === 0)) continue;
          const g = grad(yy, xx);
          if (g < best - 1e-12) [best, by, bx] = [g, yy, xx];
        }
      }
      const o = (i * nx + j) * dim;
      for (let ch = 0; ch < c; ch++) centres[o + ch] = col[(by * width + bx) * c + ch];
      centres[o + c] = by;
      centres[o + c + 1] = bx;
    }
  }
  const labels = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  const spatial = (compactness / S) ** 2;
  const window = Math.ceil(S);
  for (let it = 0; it < iterations; it++) {
    dist.fill(Infinity);
    for (let q = 0; q < k; q++) {
      const o = q * dim;
      const [cy, cx] = [centres[o + c], centres[o + c + 1]];
      for (let y = Math.max(0, Math.floor(cy - window)); y <= Math.min(height - 1, Math.ceil(cy + window)); y++) {
        for (let x = Math.max(0, Math.floor(cx - window)); x <= Math.min(width - 1, Math.ceil(cx + window)); x++) {
          const p = y * width + x;
          let dc = 0;
          for (let ch = 0; ch < c; ch++) dc += (col[p * c + ch] - centres[o + ch]) ** 2;
          const d = dc + spatial * ((y - cy) ** 2 + (x - cx) ** 2);
          if (d < dist[p]) {
            dist[p] = d;
            labels[p] = q;
          }
        }
      }
    }
    const sums = new Float64Array(k * dim);
    const counts = new Float64Array(k);
    for (let p = 0; p < n; p++) {
      const q = labels[p];
      if (q < 0) continue;
      counts[q]++;
      for (let ch = 0; ch < c; ch++) sums[q * dim + ch] += col[p * c + ch];
      sums[q * dim + c] += Math.floor(p / width);
      sums[q * dim + c + 1] += p % width;
    }
    for (let q = 0; q < k; q++) if (counts[q] > 0) for (let t = 0; t < dim; t++) centres[q * dim + t] = sums[q * dim + t] / counts[q];
  }
  const minSize = Math.max(1, Math.floor((minSizeFactor * n) / k));
  const regions = connectedRegions(labels, height, width, minSize);
  return { labels: regions.labels, count: regions.count, height, width };
}
