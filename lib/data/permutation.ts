/**
 * Deterministic shuffling: the same seed gives the same order on every machine
 * (mulberry32 generator), so splits, batches and samples are reproducible.
 *
 * @example
 * ```ts
 * const rnd = seededRandom(7);
 * rnd(); rnd();                    // two floats in [0, 1), the same on every run
 * const order = permutation(5, 1); // Int32Array [4, 2, 1, 0, 3]
 * ```
 */
import { checkInteger } from '../checks';

/** A seeded uniform generator on [0, 1) (mulberry32); `seed` is an integer. */
export function seededRandom(seed: number): () => number {
  if (!Number.isInteger(seed)) throw new Error(`seededRandom: seed must be an integer; got ${seed}`);
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A deterministic permutation of 0..n-1 (Fisher–Yates with {@link seededRandom}). */
export function permutation(n: number, seed: number): Int32Array {
  checkInteger('permutation', 'n', n, 0);
  const rnd = seededRandom(seed);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
