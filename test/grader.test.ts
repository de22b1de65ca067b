import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { courseModel } from '../lib/models/courseModel';
import { logits } from '../lib/explain/core/explainedModel';
import { integratedGradients } from '../lib/explain/local/integratedGradients';
import { setDisplaySink, type DisplaySink } from '../lib/display/sink';
import type { MimeBundle } from '../lib/display/figure';
import { answerHash, checkAnswer, checkTensor, CHECK_MIME, hw1, type CheckResult } from '../lib/grader';

/** Collects what the checks display. */
function capture(): { shown: MimeBundle[]; restore(): void } {
  const shown: MimeBundle[] = [];
  const sink: DisplaySink = { live: false, display: (b: MimeBundle) => void shown.push(b), update: () => undefined } as unknown as DisplaySink;
  const prev = setDisplaySink(sink);
  return { shown, restore: () => void setDisplaySink(prev) };
}

const expected = () => tf.tensor2d([[0.123456, -2.5], [3.75, 0.5]]);
const spec = (student: () => unknown) => ({
  name: 'toy',
  student,
  expected,
  tolerance: { atol: 1e-4, rtol: 1e-3 },
  mistakes: [{ hint: 'take the absolute value', value: () => tf.tidy(() => tf.abs(expected())) }],
});

describe('grader: checkTensor', () => {
  let c: ReturnType<typeof capture>;
  beforeEach(() => (c = capture()));
  afterEach(() => c.restore());

  it('✓ for the right answer (tensor, nested array, Attribution-like) and ✗ beyond the tolerance', async () => {
    const before = tf.memory().numTensors;
    assert.strictEqual((await checkTensor(spec(() => expected()))).passed, true);
    assert.strictEqual((await checkTensor(spec(() => [[0.12346, -2.5], [3.75, 0.5]]))).passed, true);
    assert.strictEqual((await checkTensor(spec(() => ({ values: expected() })))).passed, true);
    const off = await checkTensor(spec(() => tf.tensor2d([[0.2, -2.5], [3.75, 0.5]])));
    assert.strictEqual(off.passed, false);
    assert.strictEqual(off.status, 'mismatch');
    assert.match(off.message, /1 of 4 values/);
    assert.strictEqual(tf.memory().numTensors, before);
  });

  it('names a known mistake with its hint, and never prints the expected values', async () => {
    const r = await checkTensor(spec(() => tf.abs(expected())));
    assert.strictEqual(r.status, 'mistake');
    assert.strictEqual(r.hint, 'take the absolute value');
    const text = c.shown.map((b) => String(b['text/plain']) + String(b['text/html'])).join('\n');
    for (const v of ['0.123', '2.5', '3.75']) assert.ok(!text.includes(v), `the display reveals ${v}: ${text}`);
    assert.deepStrictEqual(c.shown.at(-1)![CHECK_MIME], { name: 'toy', passed: false, status: 'mistake' });
    assert.match(String(c.shown.at(-1)!['text/plain']), /^✗ toy/);
  });

  it('wrong shape or dtype: ✗ naming the expected shape', async () => {
    const s = await checkTensor(spec(() => tf.ones([4])));
    assert.strictEqual(s.status, 'shape');
    assert.match(s.message, /got|has shape \[4\]; expected shape \[2, 2\]/);
    const d = await checkTensor(spec(() => tf.tensor2d([[0, 1], [2, 3]], [2, 2], 'int32')));
    assert.strictEqual(d.status, 'dtype');
    assert.match(d.message, /int32; expected float32 values of shape \[2, 2\]/);
    const str = await checkTensor(spec(() => 'abc'));
    assert.strictEqual(str.status, 'dtype');
    const ragged = await checkTensor(spec(() => [[1, 2], [3]]));
    assert.strictEqual(ragged.passed, false);
  });

  it('NaN and infinity are reported as such', async () => {
    const r = await checkTensor(spec(() => tf.tensor2d([[NaN, -2.5], [Infinity, 0.5]])));
    assert.strictEqual(r.status, 'nan');
    assert.match(r.message, /1 NaN and 1 infinite of 4 values/);
  });

  it('a throwing or empty student function is a ✗ with the first line of the error, and the next check still runs', async () => {
    const r = await checkTensor(spec(() => { throw new Error('TODO: implement this\n    at somewhere (file.ts:1)'); }));
    assert.strictEqual(r.status, 'error');
    assert.strictEqual(r.message, 'your code threw: TODO: implement this');
    const a = await checkTensor(spec(async () => { throw new TypeError('x.foo is not a function'); }));
    assert.strictEqual(a.message, 'your code threw: TypeError: x.foo is not a function');
    assert.strictEqual((await checkTensor(spec(() => undefined))).status, 'missing');
    assert.strictEqual((await checkTensor(spec(() => expected()))).passed, true);
  });

  it('similarity rule for random answers', async () => {
    const e = () => tf.tensor1d([1, 2, 3, 4]);
    const sim = { minCosine: 0.95, normRatio: [0.8, 1.25] as [number, number] };
    assert.strictEqual((await checkTensor({ name: 's', student: () => tf.tensor1d([1.1, 2, 2.9, 4.1]), expected: e, similarity: sim })).passed, true);
    const big = await checkTensor({ name: 's', student: () => tf.tensor1d([10, 20, 30, 40]), expected: e, similarity: sim, mistakes: [{ hint: 'divide by n', value: () => tf.tidy(() => tf.mul(e(), 10)) }] });
    assert.strictEqual(big.hint, 'divide by n');
    assert.strictEqual((await checkTensor({ name: 's', student: () => tf.tensor1d([4, 3, 2, 1]), expected: e, similarity: sim })).passed, false);
  });
});

describe('grader: short answers by hash', () => {
  let c: ReturnType<typeof capture>;
  beforeEach(() => (c = capture()));
  afterEach(() => c.restore());
  it('✓ for the answer (normalised), ✗ otherwise, "no answer yet" for undefined; the hash hides the answer', () => {
    const h = answerHash('course', 'q3', 'b');
    assert.match(h, /^[0-9a-f]{64}$/);
    assert.notStrictEqual(h, answerHash('course', 'q4', 'b'));
    assert.notStrictEqual(h, answerHash('other', 'q3', 'b'));
    assert.strictEqual(checkAnswer('course', 'q3', ' B ', h).passed, true);
    const wrong = checkAnswer('course', 'q3', 'c', h);
    assert.strictEqual(wrong.status, 'answer');
    assert.strictEqual(checkAnswer('course', 'q3', undefined, h).status, 'missing');
    assert.throws(() => checkAnswer('course', 'q3', 'b', 'b'), /checkAnswer: hash must be 64 hex digits/);
  });
});

// ---- homework 1's checks on the course model: the solutions pass, the common mistakes get their hints ----

type M = tf.LayersModel;
const score = (model: M, x: tf.Tensor, target: number[]) => logits(model, x).mul(tf.oneHot(target, 10)).sum();
const gradOf = (model: M, x: tf.Tensor, target: number[]) => tf.grad((z: tf.Tensor) => score(model, z, target))(x);
const saliencySolution = (model: M, x: tf.Tensor, target: number[]) => tf.tidy(() => gradOf(model, x, target).abs());
function smoothGradSolution(model: M, x: tf.Tensor, target: number[], n: number, sigma: number, divide = true, noise = true) {
  return tf.tidy(() => {
    let sum = tf.zerosLike(x);
    for (let i = 0; i < n; i++) sum = sum.add(gradOf(model, noise ? x.add(tf.randomNormal(x.shape, 0, sigma)) : x, target));
    return (divide ? sum.div(n) : sum).abs();
  });
}
function igSolution(model: M, x: tf.Tensor, target: number[], steps: number, variant = '') {
  return tf.tidy(() => {
    const base = variant === 'white' ? tf.onesLike(x) : tf.zerosLike(x);
    let sum = tf.zerosLike(x);
    for (let k = 1; k <= steps; k++) sum = sum.add(gradOf(model, base.add(x.sub(base).mul(k / steps)), target));
    const mean = variant === 'noDivide' ? sum : sum.div(steps);
    return variant === 'noDiff' ? mean : mean.mul(x.sub(base));
  });
}
const fScore = (model: M, x: tf.Tensor, target: number[]) => tf.tidy(() => Array.from(logits(model, x).mul(tf.oneHot(target, 10)).sum(1).dataSync()));
function gapSolution(model: M, x: tf.Tensor, target: number[], a: tf.Tensor, signed = false) {
  const fx = fScore(model, x, target);
  const f0 = tf.tidy(() => fScore(model, tf.zerosLike(x), target));
  const sums = tf.tidy(() => Array.from(a.reshape([a.shape[0], -1]).sum(1).dataSync()));
  return sums.map((s, i) => (signed ? s - (fx[i] - f0[i]) : Math.abs(s - (fx[i] - f0[i]))));
}
function occlusionSolution(model: M, x: tf.Tensor, target: number[], patch: number, sign = 1) {
  return tf.tidy(() => {
    const n = x.shape[0];
    const f = fScore(model, x, target);
    const out = new Float32Array(n * 28 * 28);
    for (let top = 0; top < 28; top += patch) {
      for (let left = 0; left < 28; left += patch) {
        const mask = tf.pad(tf.ones([patch, patch]), [[top, 28 - top - patch], [left, 28 - left - patch]]).reshape([1, 28, 28, 1]);
        const g = fScore(model, x.mul(tf.sub(1, mask)), target);
        for (let e = 0; e < n; e++) {
          for (let i = top; i < top + patch; i++) for (let j = left; j < left + patch; j++) out[e * 784 + i * 28 + j] = sign * (f[e] - g[e]);
        }
      }
    }
    return tf.tensor4d(out, [n, 28, 28, 1]);
  });
}

describe('grader: homework 1 on the course model', () => {
  let model: M;
  let c: ReturnType<typeof capture>;
  before(async () => { model = (await courseModel()).model; });
  beforeEach(() => (c = capture()));
  afterEach(() => c.restore());

  const expectPass = (r: CheckResult) => assert.strictEqual(r.passed, true, `${r.name}: ${r.message}`);
  const expectHint = (r: CheckResult, hint: RegExp) => {
    assert.strictEqual(r.passed, false, `${r.name} passed a wrong answer`);
    assert.match(r.hint ?? '(no hint)', hint, `${r.name}: ${r.message}`);
  };

  it('saliency: the solution ✓; signed gradient, probability gradient → their hints; a stub ✗', async () => {
    const before = tf.memory().numTensors;
    expectPass(await hw1.saliency(model, saliencySolution));
    expectHint(await hw1.saliency(model, (m, x, t) => tf.tidy(() => gradOf(m, x, t))), /absolute value/);
    expectHint(await hw1.saliency(model, (m, x, t) => tf.tidy(() => tf.grad((z: tf.Tensor) => (m.predict(z) as tf.Tensor).mul(tf.oneHot(t, 10)).sum())(x).abs())), /logit/);
    assert.strictEqual((await hw1.saliency(model, () => { throw new Error('TODO'); })).status, 'error');
    assert.strictEqual(tf.memory().numTensors, before);
  });

  it('SmoothGrad: the solution ✓ (by similarity); no division by n, no noise → their hints', async () => {
    expectPass(await hw1.smoothGrad(model, (m, x, t, n, s) => smoothGradSolution(m, x, t, n, s)));
    expectHint(await hw1.smoothGrad(model, (m, x, t, n, s) => smoothGradSolution(m, x, t, n, s, false)), /divide/);
    expectHint(await hw1.smoothGrad(model, (m, x, t, n, s) => smoothGradSolution(m, x, t, n, s, true, false)), /noise/);
  });

  it('Integrated Gradients: the solution ✓; not dividing by steps, no (x − x′), white baseline → their hints', async () => {
    expectPass(await hw1.integratedGradients(model, (m, x, t, s) => igSolution(m, x, t, s)));
    expectHint(await hw1.integratedGradients(model, (m, x, t, s) => igSolution(m, x, t, s, 'noDivide')), /number of steps/);
    expectHint(await hw1.integratedGradients(model, (m, x, t, s) => igSolution(m, x, t, s, 'noDiff')), /x − x′/);
    expectHint(await hw1.integratedGradients(model, (m, x, t, s) => igSolution(m, x, t, s, 'white')), /black image/);
  });

  it('completeness gap and occlusion: the solutions ✓; signed gap, flipped drop → their hints', async () => {
    expectPass(await hw1.completeness(model, (m, x, t, a) => gapSolution(m, x, t, a)));
    expectHint(await hw1.completeness(model, (m, x, t, a) => gapSolution(m, x, t, a, true)), /absolute value/);
    expectPass(await hw1.occlusion(model, (m, x, t, p) => occlusionSolution(m, x, t, p)));
    expectHint(await hw1.occlusion(model, (m, x, t, p) => occlusionSolution(m, x, t, p, -1)), /drop/);
  });

  it('the short answers: ✓ only for the right ones', () => {
    const r = hw1.answers({ q1: 'b', q2: 'a' });
    assert.deepStrictEqual(r.map((x) => x.status), ['pass', 'answer', 'missing']);
    assert.strictEqual(hw1.answers({ q3: 17 })[2].passed, true);
  });
});
