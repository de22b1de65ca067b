/**
 * A small seeded random source for the sprite generator (the SFC32 generator of Chris Doty-Humphrey's
 * PractRand suite), so that every creature depends only on (seed, class, index): asking for more
 * images per class keeps the first ones identical.
 *
 * @example
 * ```ts
 * const rnd = new SpriteRandom(0, 1, 42);   // seed 0, class 1, image 42
 * rnd.uniform(0.5, 1.5); rnd.chance(0.3); rnd.pick(['ears', 'horns']);
 * ```
 */

/** Mixes one 32-bit word into a hash state (MurmurHash3's finaliser). */
function mix(h: number, v: number): number {
  let x = (h ^ Math.imul(v | 0, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Deterministic random numbers for one sprite. */
export class SpriteRandom {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  /** One independent stream per tuple of integer keys, e.g. (seed, class, index). */
  constructor(...keys: number[]) {
    let h = 0x2545f491;
    for (const k of keys) h = mix(h, k);
    this.a = h;
    this.b = mix(h, 1);
    this.c = mix(h, 2);
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
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
