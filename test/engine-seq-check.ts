/**
 * Shared by the engine-seq tests: run a tensor function on wasm and on tfjs's pure-JS cpu
 * backend and compare (relative error max|wasm − cpu| / max(1, max|cpu|) ≤ 1e-4, NaN matching
 * NaN), asserting that no tensor outlives the call. Same measure as test/engine-kernels.test.ts.
 */
import * as assert from 'assert';
import { tf } from '../lib/engine';
import { seededRandom } from '../lib/data/permutation';

export const TOLERANCE = 1e-4;
export const CONFIGS = 24;

export type Make = () => tf.Tensor | tf.Tensor[];

/** A seeded generator of integers in [lo, hi]. */
export function rng(seed: number): (lo: number, hi: number) => number {
  const next = seededRandom(seed);
  return (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
}

/** Seeded normal values (seed 0 would mean "unseeded" to tfjs, hence the offset). */
export const normal = (shape: number[], seed: number, scale = 1) => tf.randomNormal(shape, 0, scale, 'float32', seed + 1000);

async function values(make: Make): Promise<{ values: Float32Array[]; shapes: number[][] }> {
  const out = make();
  const list = Array.isArray(out) ? out : [out];
  const vals = await Promise.all(list.map((t) => t.data() as Promise<Float32Array>));
  const shapes = list.map((t) => t.shape);
  tf.dispose(list);
  return { values: vals, shapes };
}

/** Runs `make` on the cpu backend (the engine is back on wasm afterwards). */
export async function onCpu(make: Make): Promise<{ values: Float32Array[]; shapes: number[][] }> {
  await tf.setBackend('cpu');
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  try {
    return await values(make);
  } finally {
    await tf.setBackend('wasm');
  }
}

/** max|a − b| / max(1, max|b|), NaN matching NaN, ±Inf matching itself. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < b.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    if (!Number.isFinite(b[i]) && a[i] === b[i]) continue;
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Number.isFinite(b[i]) ? Math.abs(b[i]) : 0);
  }
  return Number.isNaN(diff) ? Infinity : diff / scale;
}

/** Compares `make` on wasm with `reference` (default `make`) on cpu; returns the largest relative error. */
export async function check(label: string, make: Make, reference: Make = make): Promise<number> {
  const before = tf.memory().numTensors;
  const got = await values(make);
  assert.strictEqual(tf.memory().numTensors, before, `${label}: tensors leaked`);
  const want = await onCpu(reference);
  assert.deepStrictEqual(got.shapes, want.shapes, `${label}: shapes`);
  let worst = 0;
  got.values.forEach((v, i) => {
    const err = relativeError(v, want.values[i]);
    assert.ok(err <= TOLERANCE, `${label}: output ${i}: relative error ${err.toExponential(2)} > ${TOLERANCE}`);
    worst = Math.max(worst, err);
  });
  return worst;
}

/** The message `fn` throws on the current backend (or undefined). */
export function thrown(fn: () => unknown): string | undefined {
  try {
    tf.tidy(() => {
      fn();
    });
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}
