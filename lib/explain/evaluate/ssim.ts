/**
 * Structural similarity SSIM (Wang, Bovik, Sheikh & Simoncelli 2004, "Image Quality Assessment:
 * From Error Visibility to Structural Similarity") of two maps, averaged over 7 × 7 windows (as
 * scikit-image computes it: uniform window, sample covariances, K₁ = 0.01, K₂ = 0.03).
 *
 * @example
 * ```ts
 * ssim(a, b, 28, 28);            // 1 for identical maps, ≈ 0 for unrelated ones
 * ssim(a, b, 28, 28, { dataRange: 2 });
 * ```
 */

/** Options of {@link ssim}. */
export interface SsimOptions {
  /** Window side (clipped to the map); default 7. */
  window?: number;
  /** L, the value range of the maps; default 1. */
  dataRange?: number;
}

/** Mean SSIM of two `height × width` maps (row-major). */
export function ssim(a: ArrayLike<number>, b: ArrayLike<number>, height: number, width: number, options: SsimOptions = {}): number {
  const { window = 7, dataRange = 1 } = options;
  if (a.length !== height * width || b.length !== height * width) {
    throw new Error(`ssim: a and b must have height·width = ${height * width} values; got ${a.length} and ${b.length}`);
  }
  const wh = Math.min(window, height);
  const ww = Math.min(window, width);
  const np = wh * ww;
  const cov = np > 1 ? np / (np - 1) : 1;
  const c1 = (0.01 * dataRange) ** 2;
  const c2 = (0.03 * dataRange) ** 2;
  let total = 0;
  let count = 0;
  for (let y = 0; y + wh <= height; y++) {
    for (let x = 0; x + ww <= width; x++) {
      let sa = 0;
      let sb = 0;
      let saa = 0;
      let sbb = 0;
      let sab = 0;
      for (let i = y; i < y + wh; i++) {
        for (let j = x; j < x + ww; j++) {
          const [u, v] = [a[i * width + j], b[i * width + j]];
          sa += u;
          sb += v;
          saa += u * u;
          sbb += v * v;
          sab += u * v;
        }
      }
      const [ma, mb] = [sa / np, sb / np];
      const va = cov * (saa / np - ma * ma);
      const vb = cov * (sbb / np - mb * mb);
      const vab = cov * (sab / np - ma * mb);
      total += ((2 * ma * mb + c1) * (2 * vab + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      count++;
    }
  }
  return total / count;
}
