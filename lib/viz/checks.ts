/**
 * Early, named failures for the options of the figure functions: each message names the
 * argument and what was expected (choices: `checkChoice` of lib/checks).
 */

/** Throws unless `value` is a number in [min, max] (or (min, max] when `openMin`), an integer if asked. */
export function checkRange(name: string, value: unknown, min: number, max: number, expected: string, openMin = false, integer = false): void {
  const ok =
    typeof value === 'number' && !Number.isNaN(value) && (openMin ? value > min : value >= min) && value <= max && (!integer || Number.isInteger(value));
  if (!ok) throw new Error(`${name} must be ${expected}; got ${String(value)}`);
}

/** Checks that there is one caption per image; returns them as strings. */
export function checkCaptions(fn: string, captions: readonly unknown[] | undefined, n: number, shape: string): string[] | undefined {
  if (captions === undefined) return undefined;
  if (!Array.isArray(captions) || captions.length !== n) {
    throw new Error(`${fn}: options.captions has ${Array.isArray(captions) ? `length ${captions.length}` : typeof captions} but the images have shape ${shape}; expected one caption per image (${n})`);
  }
  return captions.map((c) => String(c));
}

/** Upscaling that makes a picture about 140 px wide (at least 1). */
export function defaultScale(h: number, w: number): number {
  return Math.max(1, Math.min(64, Math.round(140 / Math.max(h, w))));
}
