/**
 * A small seeded random source for the sprite generator: the generator of lib/data/permutation
 * (`seededRandom`, mulberry32) started from a hash of integer keys, so that every creature depends
 * only on (seed, class, index): asking for more images per class keeps the first ones identical.
 *
 * @example
 * ```ts
 * const rnd = new SpriteRandom(0, 1, 42);   // seed 0, class 1, image 42
 * rnd.uniform(0.5, 1.5); rnd.chance(0.3); rnd.pick(['ears', 'horns']);
 * ```
 */
import { seededRandom } from '../permutation';

/** Mixes one 32-bit word into a hash state (MurmurHash3's finaliser). */
function mix(h: number, v: number): number {
  let x = (h ^ Math.imul(v | 0, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Deterministic random numbers for one sprite. */
export class SpriteRandom {
  /** A float in [0, 1). */
  readonly next: () => number;

  /** One independent stream per tuple of integer keys, e.g. (seed, class, index). */
  constructor(...keys: number[]) {
    if (!keys.every(Number.isInteger)) throw new Error(`SpriteRandom: keys must be integers; got ${JSON.stringify(keys)}`);
    this.next = seededRandom(keys.reduce(mix, 0x2545f491));
  }

  /** A float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** An integer in [lo, hi] (both included). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of `items`, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}
