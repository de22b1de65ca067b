/**
 * The self-checks of homework 2 (global explanation and internals, notebooks/homework/hw2-global-internals):
 * a filter visualized by gradient ascent with the lecture's L1 prior (Erhan et al. 2009; Olah et al. 2017),
 * a layer's features (lib/models/graph `activations`), a linear probe (Alain & Bengio 2016; Hewitt & Liang
 * 2019 for its control task) and the first principal component of a layer (Pearson 1901). Answers with no
 * single right tensor (an optimized image, a probe's predictions) are judged by what they achieve beside
 * the library's result and a baseline.
 *
 * @example
 * ```ts
 * await hw2.filter(model, myFilterVisualization);   // ✓ or ✗ with a hint
 * ```
 */
import { tf } from '../../engine/tf';
import { activations } from '../../models/graph/activations';
import { render } from '../../explain/global/render';
import { channel } from '../../explain/global/objectives';
import { l1 } from '../../explain/global/penalties';
import { pixels } from '../../explain/global/param/pixels';
import { pca } from '../../explain/internals/embeddings/pca';
import { probe } from '../../explain/internals/probes/probe';
import { majorityBaseline } from '../../explain/internals/probes/controlTask';
import { checkTensor, checkWith, type StudentValue } from '../compare';
import type { CheckResult } from '../result';
import { checkAnswer } from '../answers';
import { freshDigits } from '../freshDigits';

/** The filter-visualization objective per image: mean activation of channel k of `layer` − λ·Σ|X|. */
function objective(model: tf.LayersModel, layer: string, k: number, lambda: number, x: tf.Tensor4D): { act: number; l1: number } {
  const a = activations(model, x, [layer])[layer];
  const c = a.shape[a.shape.length - 1];
  let sum = 0, count = 0;
  for (let i = k; i < a.data.length; i += c) { sum += a.data[i]; count++; }
  const l1sum = tf.tidy(() => tf.abs(x).sum().dataSync()[0]);
  return { act: sum / count, l1: lambda * l1sum };
}

/** A student's filter visualization: (model, layer, filter, steps, λ) → X* [1, 28, 28, 1] in [0, 1]. */
export type StudentFilter = (model: tf.LayersModel, layer: string, filter: number, steps: number, lambda: number) => StudentValue | Promise<StudentValue>;

/**
 * Self-check: X* of filter 12 of conv2 (the notebook shows others) after 128 steps with λ = 0.002.
 * ✓ when J(X*) = mean activation − λ·Σ|X*| gets at least 80% of the way from the grey start image to
 * the library's `render` with the same budget, and the pixels stay in [0, 1], and its ink Σ|X*| is
 * closer to the render's than to that of `render` *without* the prior (the known mistake): at most
 * halfway between the two, and never above 1.25× (without the prior, filter 12's X* has 1.2–1.6× the
 * ink, depending on the trained course model).
 */
export async function checkFilter(model: tf.LayersModel, student: StudentFilter): Promise<CheckResult> {
  const layer = 'conv2', k = 12, steps = 128, lambda = 0.002;
  const ref = await render(model, channel(layer, k, { reduce: 'mean' }).minus(l1(lambda)), { steps, param: pixels(), quiet: true });
  const jRef = objective(model, layer, k, lambda, ref.images);
  ref.dispose();
  const noPrior = await render(model, channel(layer, k, { reduce: 'mean' }), { steps, param: pixels(), quiet: true });
  const inkNoPrior = objective(model, layer, k, lambda, noPrior.images).l1 / jRef.l1;
  noPrior.dispose();
  const inkLimit = Math.max(1.05, Math.min(1.25, (1 + inkNoPrior) / 2));
  const grey = tf.fill([1, 28, 28, 1], 0.5) as tf.Tensor4D;
  const jGrey = objective(model, layer, k, lambda, grey);
  grey.dispose();
  const J = (o: { act: number; l1: number }) => o.act - o.l1;
  return checkWith({
    name: `Filter visualization (conv2 filter ${k}, ${steps} steps, λ = ${lambda})`,
    shape: [1, 28, 28, 1],
    describe: 'one image',
    student: () => student(model, layer, k, steps, lambda),
    judge: (v) => {
      let lo = Infinity, hi = -Infinity;
      for (const p of v) { lo = Math.min(lo, p); hi = Math.max(hi, p); }
      if (lo < -1e-3 || hi > 1 + 1e-3) return { passed: false, message: `pixels range over [${lo.toFixed(2)}, ${hi.toFixed(2)}]`, hint: 'keep the pixels in [0, 1]: clip after each step' };
      const x = tf.tensor4d(v, [1, 28, 28, 1]);
      const j = objective(model, layer, k, lambda, x);
      x.dispose();
      const share = (J(j) - J(jGrey)) / (J(jRef) - J(jGrey));
      const ink = j.l1 / jRef.l1;
      const message = `objective J = activation − λ·Σ|X| is ${J(j).toFixed(3)}: ${(100 * share).toFixed(0)}% of the way from the grey image (${J(jGrey).toFixed(3)}) to the library's render (${J(jRef).toFixed(3)}), needs ≥ 80%; ink Σ|X| ${ink.toFixed(2)}× the render's, needs ≤ ${inkLimit.toFixed(2)}× (halfway to the ${inkNoPrior.toFixed(2)}× of no prior)`;
      if (share >= 0.8 && ink <= inkLimit) return { passed: true, message };
      if (J(j) < J(jGrey)) return { passed: false, message, hint: 'gradient ascent: step along +∂J/∂X (an optimizer minimizes, so give it −J)' };
      if (ink > inkLimit) return { passed: false, message, hint: 'the L1 prior: subtract λ·Σ|X| from the activation before taking the gradient' };
      return { passed: false, message, hint: 'more progress is needed: check the learning rate and that every step is taken' };
    },
  });
}

/** A student's features: (model, images, layer) → [n, d] (the layer's output flattened per digit). */
export type StudentFeatures = (model: tf.LayersModel, x: tf.Tensor4D, layer: string) => StudentValue;

/** Self-check: pool2's features of 16 fresh digits, flattened, against `activations`. */
export async function checkFeatures(model: tf.LayersModel, student: StudentFeatures): Promise<CheckResult> {
  const f = freshDigits(16, 606);
  try {
    return await checkTensor({
      name: 'Layer features (pool2, flattened)',
      describe: 'one row per digit',
      student: () => student(model, f.images, 'pool2'),
      expected: () => { const a = activations(model, f.images, ['pool2']).pool2; return tf.tensor2d(a.data, [a.shape[0], a.data.length / a.shape[0]]); },
      tolerance: { atol: 1e-4, rtol: 1e-3 },
    });
  } finally {
    f.images.dispose();
  }
}

/** A student's linear probe: trained on (trainX, trainY), returns the predicted class of each row of testX. */
export type StudentProbe = (trainX: tf.Tensor2D, trainY: number[], testX: tf.Tensor2D) => StudentValue | Promise<StudentValue>;

/**
 * Self-check: a linear probe on pool2 features of 600 fresh digits, tested on 300 others. ✓ when its
 * held-out accuracy is within 5 points of the library's `probe` (kind 'linear') on the same split.
 */
export async function checkProbe(model: tf.LayersModel, student: StudentProbe): Promise<CheckResult> {
  const f = freshDigits(900, 707);
  const a = activations(model, f.images, ['pool2']).pool2;
  f.images.dispose();
  const d = a.data.length / 900;
  const rows = (lo: number, hi: number) => tf.tensor2d(a.data.subarray(lo * d, hi * d), [hi - lo, d]);
  const y = f.classes;
  const [tr, dv, te] = [rows(0, 500), rows(500, 600), rows(600, 900)];
  const ref = await probe({ features: tr, labels: y.slice(0, 500) }, { features: dv, labels: y.slice(500, 600) }, { features: te, labels: y.slice(600) }, { kind: 'linear', quiet: true, seed: 1 });
  tf.dispose([tr, dv, te]);
  const refAcc = ref.accuracy.test ?? 0;
  const majority = majorityBaseline(y.slice(0, 600), y.slice(600)).accuracy;
  const trainX = rows(0, 600), testX = rows(600, 900);
  try {
    return await checkWith({
      name: 'Linear probe (pool2 → digit class)',
      shape: [300],
      describe: 'one predicted class per test row',
      student: () => student(trainX, y.slice(0, 600), testX),
      judge: (v) => {
        let right = 0;
        v.forEach((p, i) => { if (p === y[600 + i]) right++; });
        const acc = right / 300;
        const message = `held-out accuracy ${(100 * acc).toFixed(1)}% beside the library's linear probe ${(100 * refAcc).toFixed(1)}% and the majority class ${(100 * majority).toFixed(1)}%; needs ≥ ${(100 * refAcc - 5).toFixed(1)}%`;
        if (acc >= refAcc - 0.05) return { passed: true, message };
        if (v.some((p) => !Number.isInteger(p))) return { passed: false, message, hint: 'return class indices (argMax of the scores), not scores or probabilities' };
        if (acc <= majority + 0.05) return { passed: false, message, hint: 'your probe predicts about as well as always saying one class: did it train? (learning rate, epochs, one-hot labels)' };
        return { passed: false, message, hint: 'train longer or with a larger learning rate; a linear probe is one dense layer with a softmax' };
      },
    });
  } finally {
    tf.dispose([trainX, testX]);
  }
}

/** A student's first principal component: features [n, d] → a unit vector [d]. */
export type StudentComponent = (features: tf.Tensor2D) => StudentValue;

/** The top eigenvector of XᵀX of uncentered rows by power iteration (the "forgot to center" variant). */
function uncenteredTop(x: tf.Tensor2D): Float32Array {
  return tf.tidy(() => {
    let v = tf.ones([x.shape[1], 1]) as tf.Tensor2D;
    for (let i = 0; i < 100; i++) {
      const w = tf.matMul(x, tf.matMul(x, v), true, false);
      v = tf.div(w, tf.norm(w)) as tf.Tensor2D;
    }
    return v.dataSync() as Float32Array;
  });
}

/** Self-check: the first principal component of pool2's features of 300 fresh digits, up to its sign. */
export async function checkFirstComponent(model: tf.LayersModel, student: StudentComponent): Promise<CheckResult> {
  const f = freshDigits(300, 808);
  const a = activations(model, f.images, ['pool2']).pool2;
  f.images.dispose();
  const d = a.data.length / 300;
  const x = tf.tensor2d(a.data, [300, d]);
  const p = pca(x, { components: 1, method: 'covariance' });
  const ref = p.components.slice(0, d);
  const wrong = uncenteredTop(x);
  const cosine = (u: ArrayLike<number>, w: ArrayLike<number>) => {
    let dot = 0, nu = 0, nw = 0;
    for (let i = 0; i < u.length; i++) { dot += u[i] * w[i]; nu += u[i] * u[i]; nw += w[i] * w[i]; }
    return Math.abs(dot) / Math.sqrt(nu * nw || 1);
  };
  try {
    return await checkWith({
      name: 'First principal component (pool2)',
      shape: [d],
      describe: 'one unit vector over the features',
      student: () => student(x),
      judge: (v) => {
        let n2 = 0;
        for (const t of v) n2 += t * t;
        const c = cosine(v, ref);
        const message = `|cosine| with the library's first component ${c.toFixed(4)} (needs ≥ 0.99; the direction of the mean, a common wrong answer, scores ${cosine(wrong, ref).toFixed(2)}), norm ${Math.sqrt(n2).toFixed(3)}`;
        if (c >= 0.99 && Math.abs(Math.sqrt(n2) - 1) <= 0.01) return { passed: true, message };
        if (c >= 0.99) return { passed: false, message, hint: 'a principal component is a unit vector: divide by its norm' };
        if (cosine(v, wrong) >= 0.99) return { passed: false, message, hint: 'center the features first (subtract each feature\'s mean over the digits)' };
        return { passed: false, message, hint: 'power iteration: v ← Cv / ‖Cv‖ with C the covariance of the centered features, repeated until v stops changing' };
      },
    });
  } finally {
    x.dispose();
  }
}

/** Hashes of homework 2's short answers (sha256 of "hw2-global-internals:id:answer"). */
const HW2_ANSWERS: Record<string, string> = {
  q1: '9bf5f4c6aed19a64e863560f4b10299bc8faa5bbb4b1a05be1f37f226b4d1aca',
  q2: '3eef2be8bed294ffa2b2f55562d07c1a4a5df3577690f0fcca627d6cbbeba67a',
  q3: '628814869d02d338d88b1d6c0205819b7bb761e35202ce61fe549447ba976184',
};

/** Checks homework 2's short answers, one ✓/✗ each. */
export function checkHw2Answers(answers: Record<string, unknown>): CheckResult[] {
  return Object.keys(HW2_ANSWERS).map((id) => checkAnswer('hw2-global-internals', id, answers?.[id], HW2_ANSWERS[id]));
}

/** Homework 2's checks, as the notebook calls them: `await xai.hw2.filter(model, filterVisualization)`. */
export const hw2 = {
  filter: checkFilter,
  features: checkFeatures,
  probe: checkProbe,
  firstComponent: checkFirstComponent,
  answers: checkHw2Answers,
};
