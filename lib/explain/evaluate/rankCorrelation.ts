/**
 * Spearman's rank correlation ρ (Spearman 1904): the Pearson correlation of the ranks, ties sharing
 * their mean rank. Adebayo et al. 2018 use it to say how much a saliency map changed.
 *
 * @example
 * ```ts
 * spearman([1, 2, 3, 4], [10, 20, 30, 40]);   // 1
 * spearman([1, 2, 3, 4], [4, 3, 2, 1]);       // −1
 * ```
 */

/** Ranks 1..n of `v`, ties getting the mean of the ranks they span. */
export function ranks(v: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: v.length }, (_, i) => i).sort((a, b) => v[a] - v[b]);
  const r = new Float64Array(v.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && v[order[j + 1]] === v[order[i]]) j++;
    const mean = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[order[k]] = mean;
    i = j + 1;
  }
  return r;
}

/** Pearson correlation of `a` and `b`; NaN when either is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new Error(`pearson: a has ${n} values but b has ${b.length}`);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const [da, db] = [a[i] - ma, b[i] - mb];
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** Spearman's ρ between `a` and `b` (same length); NaN when either is constant. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`spearman: a has ${a.length} values but b has ${b.length}`);
  return pearson(ranks(a), ranks(b));
}
