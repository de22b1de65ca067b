/**
 * checkTensor: the self-check of one exercise. It calls the student's code on fresh inputs (inputs
 * the notebook never showed), compares the result with the library's answer on the same inputs
 * within a stated tolerance, and when it fails, tests it against known wrong variants (a forgotten
 * absolute value, the wrong baseline, a missing division by the number of steps, …) to give a hint.
 * It never prints expected values: only how far off, where, and the hint. Everything the student's
 * code can do wrong (throw, return nothing, the wrong shape or dtype, NaN) becomes a ✗, never a
 * stack trace, so the notebook's later cells still run.
 *
 * Comparison rules: `tolerance` is numpy's allclose, |a − b| ≤ atol + rtol·|b| at every element;
 * `similarity` is for answers that are random (SmoothGrad's noise, an optimizer's path): cosine
 * similarity of the flattened values ≥ minCosine and ‖a‖/‖b‖ within normRatio.
 *
 * @example
 * ```ts
 * const fresh = freshDigits(4, 7);                       // digits the student has not seen
 * await checkTensor({
 *   name: 'Saliency map',
 *   student: () => mySaliency(model, fresh.images, fresh.labels),
 *   expected: () => saliency(model, fresh.images, { target: fresh.labels }).values,
 *   tolerance: { atol: 1e-4, rtol: 1e-3 },
 *   mistakes: [{ hint: 'take the absolute value of the gradient', value: () => saliency(model, fresh.images, { target: fresh.labels, absolute: false }).values }],
 * });
 * ```
 */
import { tf } from '../engine/tf';
import { type CheckResult, firstLine, report } from './result';

/** numpy's allclose: |a − b| ≤ atol + rtol·|b| at every element. */
export interface Tolerance {
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
}

/** For random answers: cosine similarity ≥ minCosine and ‖student‖/‖expected‖ in normRatio. */
export interface Similarity {
  /** Smallest accepted cosine similarity of the flattened values. */
  minCosine: number;
  /** Accepted range of ‖student‖ / ‖expected‖ (default [0.8, 1.25]). */
  normRatio?: [number, number];
}

/** What a tensor-valued answer may be: a tensor, an Attribution-like `{ values }`, a number or (nested) array. */
export type StudentValue = tf.Tensor | { values: tf.Tensor } | number | ArrayLike<unknown>;

/** A known wrong variant: if the student's result matches it, show the hint. */
export interface Mistake {
  /** What to look at, phrased without giving the solution away. */
  hint: string;
  /** The wrong variant on the same fresh inputs (computed only when the check fails). */
  value: () => StudentValue;
  /** How close counts as "this mistake" (default: the check's own rule). */
  tolerance?: Tolerance;
  /** Same, for random answers. */
  similarity?: Similarity;
}

/** One exercise's check (see {@link checkTensor}). */
export interface TensorCheck {
  /** Shown beside ✓/✗. */
  name: string;
  /** Runs the student's code on the fresh inputs (may be async); whatever it throws becomes a ✗. */
  student: () => unknown;
  /** The library's answer on the same inputs. */
  expected: () => StudentValue;
  /** allclose rule (default atol 1e-5, rtol 1e-3) unless `similarity` is given. */
  tolerance?: Tolerance;
  /** Similarity rule for random answers. */
  similarity?: Similarity;
  /** Known wrong variants, tested in order when the check fails. */
  mistakes?: Mistake[];
  /** What the answer is, in words, for the shape message (`one map per digit`). */
  describe?: string;
  /** Do not display, only return the result (tests). */
  quiet?: boolean;
}

interface Values { shape: number[]; dtype: string; data: Float32Array | Int32Array | Uint8Array }

/** Reads a tensor/array/number into plain values; a string says what is wrong with it. */
function readValue(v: unknown): Values | string {
  if (v === undefined || v === null) return `returned ${v}`;
  if (typeof v === 'object' && !(v instanceof tf.Tensor) && 'values' in (v as object) && (v as { values: unknown }).values instanceof tf.Tensor) {
    v = (v as { values: tf.Tensor }).values;
  }
  if (v instanceof tf.Tensor) {
    if (v.isDisposed) return 'returned a disposed tensor (it was freed before the check could read it: return it from tf.tidy)';
    if (v.dtype === 'string' || v.dtype === 'complex64') return `returned a ${v.dtype} tensor`;
    return { shape: v.shape.slice(), dtype: v.dtype, data: v.dataSync() as Float32Array | Int32Array | Uint8Array };
  }
  if (typeof v === 'number') return { shape: [], dtype: 'float32', data: Float32Array.of(v) };
  if (typeof v === 'boolean') return `returned a boolean (${v})`;
  if (typeof v === 'string') return `returned a string ("${v.slice(0, 40)}")`;
  if (v instanceof Promise) return 'returned a Promise: use await';
  if (ArrayBuffer.isView(v)) return { shape: [(v as Float32Array).length], dtype: 'float32', data: Float32Array.from(v as Float32Array) };
  if (Array.isArray(v)) {
    try {
      const t = tf.tensor(v as number[]);
      const out = { shape: t.shape.slice(), dtype: 'float32', data: Float32Array.from(t.dataSync()) };
      t.dispose();
      return out;
    } catch (e) {
      return `returned an array that is not a rectangular array of numbers (${firstLine(e)})`;
    }
  }
  return `returned ${typeof v === 'object' ? (v as object).constructor?.name ?? 'an object' : typeof v}, not a tensor or array`;
}

function disposeValue(v: unknown): void {
  if (v instanceof tf.Tensor) v.dispose();
  else if (v && typeof v === 'object' && (v as { values?: unknown }).values instanceof tf.Tensor && typeof (v as { dispose?: unknown }).dispose !== 'function') (v as { values: tf.Tensor }).values.dispose();
  else if (v && typeof v === 'object' && typeof (v as { dispose?: unknown }).dispose === 'function') (v as { dispose(): void }).dispose();
}

const shapeText = (s: number[]) => `[${s.join(', ')}]`;

/** Compares by the rule; returns null when it passes, else what is off. */
function compare(a: ArrayLike<number>, b: ArrayLike<number>, tol?: Tolerance, sim?: Similarity): string | null {
  if (sim) {
    let dot = 0, na = 0, nb = 0;
    for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
    const cos = na === 0 || nb === 0 ? (na === nb ? 1 : 0) : dot / Math.sqrt(na * nb);
    const ratio = nb === 0 ? (na === 0 ? 1 : Infinity) : Math.sqrt(na / nb);
    const [lo, hi] = sim.normRatio ?? [0.8, 1.25];
    if (cos >= sim.minCosine && ratio >= lo && ratio <= hi) return null;
    return `cosine similarity ${cos.toFixed(3)} (needs ≥ ${sim.minCosine}), size ‖yours‖/‖expected‖ ${ratio.toPrecision(3)} (needs ${lo}–${hi})`;
  }
  const atol = tol?.atol ?? 1e-5, rtol = tol?.rtol ?? 1e-3;
  let worst = 0, outside = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > atol + rtol * Math.abs(b[i])) outside++;
    if (d > worst) worst = d;
  }
  if (outside === 0) return null;
  const share = outside / a.length;
  return `${outside} of ${a.length} values (${(100 * share).toFixed(share < 0.01 ? 2 : 0)}%) are off by more than the tolerance (atol ${atol}, rtol ${rtol}); largest difference ${worst.toPrecision(3)}`;
}

/**
 * Runs one exercise's check (see the module note) and displays ✓/✗; returns the result.
 * The expected answer and the mistakes' variants are computed by the library on the same fresh
 * inputs; every tensor they and the student's code return is disposed here.
 */
export async function checkTensor(spec: TensorCheck): Promise<CheckResult> {
  const r = await runCheck(spec);
  return spec.quiet ? r : report(r);
}

/** The student's result read as plain values, or the ✗ that says why it cannot be (error, nothing, shape, dtype, NaN). */
async function studentValues(name: string, student: () => unknown, shape: number[], what: string): Promise<{ values: Values; leakNote: string } | CheckResult> {
  const before = tf.memory().numTensors;
  let got: unknown;
  try {
    got = await student();
  } catch (e) {
    return { name, passed: false, status: 'error', message: `your code threw: ${firstLine(e)}` };
  }
  const value = readValue(got);
  disposeValue(got);
  const leaked = tf.memory().numTensors - before;
  const leakNote = leaked > 0 ? ` (your code left ${leaked} tensor${leaked > 1 ? 's' : ''} in memory: wrap it in tf.tidy)` : '';
  if (typeof value === 'string') {
    const status = /^returned (undefined|null)$/.test(value) ? 'missing' : 'dtype';
    return { name, passed: false, status, message: `your code ${value}; expected a float32 tensor of shape ${shapeText(shape)}${what}` };
  }
  if (value.dtype !== 'float32') {
    return { name, passed: false, status: 'dtype', message: `your result is ${value.dtype}; expected float32 values of shape ${shapeText(shape)}${what}` };
  }
  if (value.shape.length !== shape.length || value.shape.some((d, i) => d !== shape[i])) {
    return { name, passed: false, status: 'shape', message: `your result has shape ${shapeText(value.shape)}; expected shape ${shapeText(shape)}${what}` };
  }
  let nan = 0, inf = 0;
  for (let i = 0; i < value.data.length; i++) {
    if (Number.isNaN(value.data[i])) nan++;
    else if (!Number.isFinite(value.data[i])) inf++;
  }
  if (nan + inf > 0) {
    const parts = [nan ? `${nan} NaN` : '', inf ? `${inf} infinite` : ''].filter(Boolean).join(' and ');
    return { name, passed: false, status: 'nan', message: `your result has ${parts} of ${value.data.length} values (a division by zero, or log of 0?)` };
  }
  return { values: value, leakNote };
}

async function runCheck(spec: TensorCheck): Promise<CheckResult> {
  const name = spec.name;
  const expectedRaw = spec.expected();
  const expected = readValue(expectedRaw);
  disposeValue(expectedRaw);
  if (typeof expected === 'string') throw new Error(`checkTensor(${name}): the reference ${expected}`);
  const got = await studentValues(name, spec.student, expected.shape, spec.describe ? ` (${spec.describe})` : '');
  if ('passed' in got) return got;
  const { values: value, leakNote } = got;
  const off = compare(value.data, expected.data, spec.tolerance, spec.similarity);
  if (off === null) return { name, passed: true, status: 'pass', message: `matches the library on ${describeFresh(expected.shape)} ${rule(spec.tolerance, spec.similarity)}${leakNote}` };
  for (const m of spec.mistakes ?? []) {
    const raw = m.value();
    const wrong = readValue(raw);
    disposeValue(raw);
    if (typeof wrong === 'string' || wrong.shape.join() !== expected.shape.join()) continue;
    const sim = m.similarity ?? (m.tolerance ? undefined : spec.similarity);
    if (compare(value.data, wrong.data, m.tolerance ?? spec.tolerance, sim) === null) {
      return { name, passed: false, status: 'mistake', message: `does not match the library on fresh inputs: ${off}`, hint: m.hint };
    }
  }
  return { name, passed: false, status: 'mismatch', message: `does not match the library on fresh inputs: ${off}` };
}

/** What a {@link checkWith} judge says about values that have the right shape and no NaN. */
export interface Verdict {
  passed: boolean;
  /** What was measured, beside what was needed (no expected values). */
  message: string;
  /** For a recognised mistake. */
  hint?: string;
}

/** A check judged by a function of the values (for answers with no single right tensor: an optimized image, a probe's predictions). */
export interface JudgedCheck {
  name: string;
  /** Runs the student's code (may be async). */
  student: () => unknown;
  /** The shape the result must have. */
  shape: number[];
  /** What the answer is, in words, for the shape message. */
  describe?: string;
  /** Judges the values (row-major, float32) once the shape, dtype and finiteness are right. */
  judge: (values: Float32Array) => Verdict | Promise<Verdict>;
  /** Do not display, only return the result (tests). */
  quiet?: boolean;
}

/**
 * A check with its own judge: the student's result goes through the same guards as
 * {@link checkTensor} (error, nothing, shape, dtype, NaN → ✗), then `judge` decides.
 *
 * @example
 * ```ts
 * await checkWith({
 *   name: 'Filter 5 of conv2', shape: [1, 28, 28, 1], student: () => myFilterImage(model, 5),
 *   judge: (v) => { const a = activationOf(v); return { passed: a > 0.8 * reference, message: `activation ${a} (library ${reference})` }; },
 * });
 * ```
 */
export async function checkWith(spec: JudgedCheck): Promise<CheckResult> {
  const got = await studentValues(spec.name, spec.student, spec.shape, spec.describe ? ` (${spec.describe})` : '');
  let r: CheckResult;
  if ('passed' in got) r = got;
  else {
    const v = await spec.judge(Float32Array.from(got.values.data));
    r = { name: spec.name, passed: v.passed, status: v.passed ? 'pass' : v.hint ? 'mistake' : 'mismatch', message: v.message + (v.passed ? got.leakNote : ''), ...(v.hint ? { hint: v.hint } : {}) };
  }
  return spec.quiet ? r : report(r);
}

function describeFresh(shape: number[]): string {
  return shape.length === 0 ? 'a fresh input' : `fresh inputs (result ${shapeText(shape)})`;
}

function rule(tol?: Tolerance, sim?: Similarity): string {
  if (sim) return `within cosine ≥ ${sim.minCosine}, size ratio ${(sim.normRatio ?? [0.8, 1.25]).join('–')}`;
  return `within atol ${tol?.atol ?? 1e-5}, rtol ${tol?.rtol ?? 1e-3}`;
}
