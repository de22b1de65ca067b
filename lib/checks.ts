/**
 * Early, named failures for bad arguments, shared by lib/data, lib/explain and lib/viz: each
 * message names the function, the argument and what was expected, and shows what it got.
 *
 * @example
 * ```ts
 * checkInteger('smoothGrad', 'options.samples', 0, 1);          // Error: smoothGrad: options.samples must be an integer ≥ 1; got 0
 * checkChoice('heatmap', 'options.sign', 'both', ['auto', 'signed']); // Error: heatmap: options.sign must be one of auto, signed; got "both"
 * ```
 */

/** Returns `v` when it is an integer ≥ `min`, else throws naming `name` (of function `where`). */
export function checkInteger(where: string, name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new Error(`${where}: ${name} must be an integer ≥ ${min}; got ${String(v)}`);
  }
  return v;
}

/** Returns `v` when it is one of `allowed`, else throws naming `name` (of function `where`) and listing them. */
export function checkChoice<T extends string | number>(where: string, name: string, v: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) {
    throw new Error(`${where}: ${name} must be one of ${allowed.join(', ')}; got ${JSON.stringify(v)}`);
  }
  return v as T;
}
