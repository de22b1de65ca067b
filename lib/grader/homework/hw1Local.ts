/**
 * The self-checks of homework 1 (local explanation, notebooks/homework/hw1-local): saliency map,
 * SmoothGrad, Integrated Gradients and its completeness gap, occlusion — each student function is
 * called on fresh held-out digits and compared with lib/explain/local on the same digits.
 * Saliency: Simonyan et al. 2014; SmoothGrad: Smilkov et al. 2017; IG: Sundararajan et al. 2017;
 * occlusion: Zeiler & Fergus 2014.
 *
 * @example
 * ```ts
 * await hw1.saliency(model, (model, x, target) => tf.tidy(() => …));   // ✓ or ✗ with a hint
 * ```
 */
import { tf } from '../../engine/tf';
import { saliency } from '../../explain/local/saliency';
import { smoothGrad } from '../../explain/local/smoothGrad';
import { integratedGradients } from '../../explain/local/integratedGradients';
import { occlusion } from '../../explain/local/occlusion';
import { gradientXInput } from '../../explain/local/gradientXInput';
import { checkTensor, type StudentValue } from '../compare';
import type { CheckResult } from '../result';
import { checkAnswer } from '../answers';
import { freshDigits } from '../freshDigits';

/** A student's map: (model, images [n,28,28,1], target class per image, …) → [n,28,28,1]. */
export type StudentMap<A extends unknown[] = []> = (model: tf.LayersModel, x: tf.Tensor4D, target: number[], ...args: A) => StudentValue;

/** Runs `body` with fresh digits and disposes them afterwards. */
async function withFresh<T>(count: number, seed: number, body: (x: tf.Tensor4D, target: number[]) => Promise<T>): Promise<T> {
  const f = freshDigits(count, seed);
  try {
    return await body(f.images, f.classes);
  } finally {
    f.images.dispose();
  }
}

const map = 'one map per digit, like the input';

/** `f` of an attribution's values; the attribution is disposed. */
function of(a: { values: tf.Tensor; dispose(): void }, f: (v: tf.Tensor) => tf.Tensor): tf.Tensor {
  const r = tf.tidy(() => f(a.values));
  a.dispose();
  return r;
}

/** The mean gradient of the target logit along the straight path from black to x (right Riemann sum). */
function meanPathGradient(model: tf.LayersModel, x: tf.Tensor4D, target: number[], steps: number): tf.Tensor {
  let sum = tf.zerosLike(x) as tf.Tensor;
  for (let k = 1; k <= steps; k++) {
    const xk = tf.mul(x, k / steps);
    const g = saliency(model, xk, { target, absolute: false });
    const next = tf.add(sum, g.values);
    tf.dispose([xk, sum]);
    g.dispose();
    sum = next;
  }
  const mean = tf.div(sum, steps);
  sum.dispose();
  return mean;
}

/** Self-check: |∂logit/∂x| of the target class. */
export function checkSaliency(model: tf.LayersModel, student: StudentMap): Promise<CheckResult> {
  return withFresh(4, 101, (x, target) =>
    checkTensor({
      name: 'Saliency map',
      describe: map,
      student: () => student(model, x, target),
      expected: () => saliency(model, x, { target }),
      tolerance: { atol: 1e-4, rtol: 1e-3 },
      mistakes: [
        { hint: 'the saliency map is the size of the gradient: take its absolute value', value: () => saliency(model, x, { target, absolute: false }) },
        { hint: 'same, with the sign flipped: take the absolute value', value: () => of(saliency(model, x, { target, absolute: false }), tf.neg) },
        { hint: 'differentiate the logit (the score before the softmax), not the probability', value: () => saliency(model, x, { target, explain: 'probability' }) },
        { hint: 'that is gradient × input; the saliency map is the gradient alone', value: () => of(gradientXInput(model, x, { target }), tf.abs) },
      ],
    }),
  );
}

/** Self-check: SmoothGrad with n noisy copies of standard deviation sigma, |mean gradient|. */
export function checkSmoothGrad(model: tf.LayersModel, student: StudentMap<[number, number]>): Promise<CheckResult> {
  const n = 32, sigma = 0.15;
  return withFresh(4, 202, (x, target) =>
    checkTensor({
      name: `SmoothGrad (n = ${n}, σ = ${sigma})`,
      describe: map,
      student: () => student(model, x, target, n, sigma),
      // the noise is random: compare with the library's SmoothGrad of many more samples, by similarity
      expected: () => smoothGrad(model, x, { target, samples: 256, noiseLevel: sigma, seed: 7 }),
      similarity: { minCosine: 0.85, normRatio: [0.8, 1.25] },
      mistakes: [
        { hint: 'divide the sum of the gradients by n', value: () => of(smoothGrad(model, x, { target, samples: 256, noiseLevel: sigma, seed: 7 }), (v) => tf.mul(v, n)) },
        { hint: 'add Gaussian noise (standard deviation σ) to the input before each gradient', value: () => saliency(model, x, { target }), similarity: { minCosine: 0.985, normRatio: [0.95, 1.05] } },
      ],
    }),
  );
}

/** Self-check: IG with the black baseline and the right Riemann sum of `steps` points. */
export function checkIntegratedGradients(model: tf.LayersModel, student: StudentMap<[number]>): Promise<CheckResult> {
  const steps = 20;
  return withFresh(4, 303, (x, target) => {
    const ig = (baseline: 'black' | 'white' = 'black') => integratedGradients(model, x, { target, steps, rule: 'right', baseline });
    return checkTensor({
      name: `Integrated Gradients (${steps} steps, black baseline)`,
      describe: map,
      student: () => student(model, x, target, steps),
      expected: () => ig(),
      tolerance: { atol: 1e-3, rtol: 1e-2 },
      mistakes: [
        { hint: 'divide the sum of the gradients by the number of steps', value: () => of(ig(), (v) => tf.mul(v, steps)) },
        { hint: 'multiply the average gradient by (x − x′), element by element', value: () => meanPathGradient(model, x, target, steps) },
        { hint: 'the path goes from x′ to x: the factor is (x − x′), not (x′ − x)', value: () => of(ig(), tf.neg) },
        { hint: 'Integrated Gradients are signed: do not take the absolute value', value: () => of(ig(), tf.abs) },
        { hint: 'the baseline x′ is the black image (all zeros)', value: () => ig('white') },
      ],
    });
  });
}

/** A student's completeness gap: (model, x, target, attributions) → |Σ attr − (F(x) − F(x′))| per digit. */
export type StudentGap = (model: tf.LayersModel, x: tf.Tensor4D, target: number[], attributions: tf.Tensor) => StudentValue;

/**
 * Self-check: the completeness gap of given attributions, per digit. The attributions are IG's
 * (5 steps) scaled by 0.5 or 1.5 per digit, so that the gap has both signs and sizes that a wrong
 * formula cannot match by luck.
 */
export function checkCompleteness(model: tf.LayersModel, student: StudentGap): Promise<CheckResult> {
  const steps = 5;
  return withFresh(4, 404, async (x, target) => {
    const a = integratedGradients(model, x, { target, steps, rule: 'right', baseline: 'black' });
    const { inputScore, baselineScore } = a.extras;
    const factor = target.map((_, i) => (i % 2 === 0 ? 0.5 : 1.5));
    const scaled = tf.tidy(() => tf.mul(a.values, tf.tensor1d(factor).reshape([-1, 1, 1, 1])));
    const sum = a.extras.sum.map((s, i) => s * factor[i]);
    const signed = sum.map((s, i) => s - (inputScore[i] - baselineScore[i]));
    a.dispose();
    try {
      return await checkTensor({
        name: 'Completeness gap |Σ attributions − (F(x) − F(x′))|',
        describe: 'one number per digit',
        student: () => student(model, x, target, scaled),
        expected: () => signed.map(Math.abs),
        tolerance: { atol: 1e-3, rtol: 1e-3 },
        mistakes: [
          { hint: 'the gap is an absolute value', value: () => signed },
          { hint: 'the gap is an absolute value', value: () => signed.map((v) => -v) },
          { hint: "subtract the baseline's score F(x′) from F(x)", value: () => sum.map((s, i) => Math.abs(s - inputScore[i])) },
        ],
      });
    } finally {
      scaled.dispose();
    }
  });
}

/** Self-check: occlusion with patch × patch squares of 0 at stride = patch, drop of the logit. */
export function checkOcclusion(model: tf.LayersModel, student: StudentMap<[number]>): Promise<CheckResult> {
  const patch = 7;
  return withFresh(3, 505, (x, target) =>
    checkTensor({
      name: `Occlusion (${patch}×${patch} black patches, stride ${patch})`,
      describe: map,
      student: () => student(model, x, target, patch),
      expected: () => occlusion(model, x, { target, patch, stride: patch, fill: 0 }),
      tolerance: { atol: 1e-3, rtol: 1e-3 },
      mistakes: [
        { hint: 'the map is the drop F(x) − F(covered): positive where covering hurts', value: () => of(occlusion(model, x, { target, patch, stride: patch, fill: 0 }), tf.neg) },
        { hint: 'measure the drop of the logit, not of the probability', value: () => occlusion(model, x, { target, patch, stride: patch, fill: 0, explain: 'probability' }) },
        { hint: 'cover the patch with 0 (black)', value: () => occlusion(model, x, { target, patch, stride: patch, fill: 1 }) },
      ],
    }),
  );
}

/** Hashes of homework 1's short answers (sha256 of "hw1-local:id:answer"; see answers.ts). */
const HW1_ANSWERS: Record<string, string> = {
  q1: '318e9adb1928dce28ae915446842f4c883175646a0316ddd647a6978584ee953',
  q2: 'cbc690ad9e2e883f6832ef2d989fae7b801b28ae468f3a99e6bdd5e077e9483f',
  q3: 'a8693cb1aaad76915095ca3d1239049b75700602d77bf8c0d32d27a723d4fd0b',
};

/** Checks homework 1's short answers, one ✓/✗ each. */
export function checkHw1Answers(answers: Record<string, unknown>): CheckResult[] {
  return Object.keys(HW1_ANSWERS).map((id) => checkAnswer('hw1-local', id, answers?.[id], HW1_ANSWERS[id]));
}

/**
 * Homework 1's checks, as the notebook calls them: `await xai.hw1.saliency(model, saliencyMap)`.
 */
export const hw1 = {
  saliency: checkSaliency,
  smoothGrad: checkSmoothGrad,
  integratedGradients: checkIntegratedGradients,
  completeness: checkCompleteness,
  occlusion: checkOcclusion,
  answers: checkHw1Answers,
};
