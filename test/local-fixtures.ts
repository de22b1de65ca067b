/** Models whose attributions are known by hand, a briefly trained reference CNN, and a leak check. */
import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { loadMnist } from '../lib/data';
import { referenceCnn, train } from '../lib/models';
import type { Attribution } from '../lib/explain';

/** y = flatten(x) · W, W [features, classes] given row by row; W stays alive for the whole run. */
export function linearModel(weights: number[][]): { model: (x: tf.Tensor) => tf.Tensor; w: tf.Tensor2D } {
  const w = tf.keep(tf.tensor2d(weights));
  const model = (x: tf.Tensor) => tf.tidy(() => x.reshape([x.shape[0], -1]).matMul(w));
  return { model, w };
}

/** A deterministic weight matrix [features, classes] with entries in [-1, 1]. */
export function knownWeights(features: number, classes: number): number[][] {
  return Array.from({ length: features }, (_, i) => Array.from({ length: classes }, (_, k) => Math.sin(1.7 * i + 0.9 * k + 0.3)));
}

/** Runs `body` and asserts that no tensor outlived it. */
export function assertNoLeak<T>(body: () => T): T {
  const before = tf.memory().numTensors;
  const out = body();
  assert.strictEqual(tf.memory().numTensors, before, `tensors leaked: ${tf.memory().numTensors - before}`);
  return out;
}

/**
 * Runs a method, lets `check` read its attribution, disposes it, and asserts that the tensor
 * count is back where it started (the method leaked nothing and `dispose` freed everything).
 */
export function explainWithoutLeak(run: () => Attribution, check: (a: Attribution) => void = () => undefined): void {
  const before = tf.memory().numTensors;
  const a = run();
  try {
    check(a);
  } finally {
    a.dispose();
  }
  assert.strictEqual(tf.memory().numTensors, before, `${a.method}: tensors leaked: ${tf.memory().numTensors - before}`);
}

/** Element-wise closeness with a message that shows the worst entry. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = 'values'): void {
  assert.strictEqual(actual.length, expected.length, `${what}: length ${actual.length} ≠ ${expected.length}`);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  assert.ok(worst <= tol, `${what}: entry ${at} is ${actual[at]}, expected ${expected[at]} (|diff| ${worst} > ${tol})`);
}

let cnn: Promise<{ model: tf.LayersModel; images: tf.Tensor4D; classes: number[] }> | undefined;

/**
 * The reference CNN (seed 1) trained for 2 epochs on 2,000 real MNIST digits (about 5 s, ~80%
 * test accuracy), with 16 held-out test digits. Built once per mocha run and kept.
 */
export function trainedCnn(): Promise<{ model: tf.LayersModel; images: tf.Tensor4D; classes: number[] }> {
  if (!cnn) {
    cnn = (async () => {
      const model = referenceCnn({ seed: 1 });
      const d = loadMnist({ split: 'train', count: 2000 });
      await train(model, d.images, d.labels, { epochs: 2, quiet: true });
      tf.dispose([d.images, d.labels]);
      const t = loadMnist({ split: 'test', count: 16 });
      t.labels.dispose();
      return { model, images: tf.keep(t.images), classes: t.classes };
    })();
  }
  return cnn;
}
