/**
 * Kendall's rank correlation τ-b (Kendall 1945, "The treatment of ties in ranking problems"):
 * (concordant − discordant pairs) / √((pairs untied in x)·(pairs untied in y)); 1 is the same
 * order, −1 the reverse, 0 what unrelated orders give on average. Jain & Wallace (2019) compare
 * attention with gradient and leave-one-out importance by it.
 *
 * @example
 * ```ts
 * kendallTau([1, 2, 3, 4], [10, 20, 40, 30]);   // 0.667
 * ```
 */

/** Kendall's τ-b of two equally long vectors (NaN when either is constant or shorter than 2). */
export function kendallTau(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new Error(`kendallTau: x has ${x.length} values but y has ${y.length}; expected equally long vectors`);
  let concordant = 0;
  let discordant = 0;
  let tiesX = 0;
  let tiesY = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[j] - x[i]);
      const dy = Math.sign(y[j] - y[i]);
      if (Number.isNaN(dx) || Number.isNaN(dy)) throw new Error(`kendallTau: NaN at position ${Number.isNaN(x[i]) || Number.isNaN(y[i]) ? i : j}`);
      if (dx === 0 && dy === 0) continue;
      if (dx === 0) tiesX++;
      else if (dy === 0) tiesY++;
      else if (dx === dy) concordant++;
      else discordant++;
    }
  }
  const untiedX = concordant + discordant + tiesY;
  const untiedY = concordant + discordant + tiesX;
  return untiedX === 0 || untiedY === 0 ? NaN : (concordant - discordant) / Math.sqrt(untiedX * untiedY);
}
