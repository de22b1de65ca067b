/**
 * The model-parameter randomization test (Adebayo, Gilmer, Muelly, Goodfellow, Hardt & Kim 2018,
 * "Sanity Checks for Saliency Maps"): a map that explains the model must change when the model's
 * weights are destroyed. Re-initialize the layers one by one from the top (output) down, cascading,
 * recompute the map after each, and measure how similar it still is to the original: Spearman rank
 * correlation and SSIM of the |maps|. A method whose map barely changes behaves like an edge
 * detector of the input, not like an explanation of the model.
 *
 * The model's weights are restored afterwards (also when the method throws).
 *
 * @example
 * ```ts
 * const check = randomizationCheck(model, images, (m, x, t) => saliency(m, x, { target: t }));
 * check.layers    // ['dense', 'conv2', 'conv1']   (re-initialized so far, at each step)
 * check.spearman  // mean ρ per step, e.g. [0.21, 0.08, 0.05]
 * ```
 */
import { tf } from '../../engine/tf';
import type { Attribution, Target } from '../core/attribution';
import { explainedModel } from '../core/explainedModel';
import { featureMaps } from './featureMaps';
import { spearman } from './rankCorrelation';
import { ssim } from './ssim';

/** A method to check: the map of `inputs` for class `target` under (a possibly randomized) `model`. */
export type Explainer = (model: tf.LayersModel, inputs: tf.Tensor, target: number[]) => Attribution;

/** Options of {@link randomizationCheck}. */
export interface RandomizationCheckOptions {
  /** Class index or one per example; default: the class the original model predicts. */
  target?: Target;
  /** Layers to re-initialize, in this order; default: every layer with weights, from the output down. */
  layers?: string[];
  /** Compare |maps| (default true, as Adebayo et al. do for SSIM and rank correlation). */
  absolute?: boolean;
  /** Seed of the new weights; default 0. */
  seed?: number;
}

/** How much a method's map changes as the model is randomized from the top down. */
export interface RandomizationCheck {
  /** The layer re-initialized at each step (cumulative: step k has layers[0..k] randomized). */
  layers: string[];
  /**
   * Mean Spearman ρ between the original map and the map at each step. Where ρ is undefined
   * because a map is constant (e.g. Grad-CAM all 0 after its ReLU), it counts as 1 when both maps
   * are identical and 0 otherwise.
   */
  spearman: number[];
  /** Mean SSIM (maps scaled to [0, 1]) between the original map and the map at each step. */
  ssim: number[];
  /** The same per example: perExample.spearman[step][example]. */
  perExample: { spearman: number[][]; ssim: number[][] };
  /** The class explained, per example. */
  target: number[];
}

function scaled(map: Float32Array): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of map) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return map.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 0));
}

/** Spearman ρ, with constant maps read as 1 (both identical) or 0 (no rank agreement). */
function rankAgreement(a: Float32Array, b: Float32Array): number {
  const r = spearman(a, b);
  if (!Number.isNaN(r)) return r;
  return a.every((v, i) => v === b[i]) ? 1 : 0;
}

function mapsOf(explain: Explainer, model: tf.LayersModel, inputs: tf.Tensor, target: number[], absolute: boolean): ReturnType<typeof featureMaps> {
  const a = explain(model, inputs, target);
  try {
    return featureMaps(a.values, absolute);
  } finally {
    a.dispose();
  }
}

/** New weights for one layer: Glorot-uniform kernels, zero biases, other vectors (e.g. batch-norm statistics) kept. */
function reinitialize(layer: tf.layers.Layer, seed: number): void {
  const fresh = layer.weights.map((v, i) => {
    const shape = v.shape as number[];
    if (shape.length >= 2) return tf.initializers.glorotUniform({ seed: seed + i }).apply(shape);
    return /bias/.test(v.name) ? tf.zeros(shape) : v.read().clone();
  });
  layer.setWeights(fresh);
  tf.dispose(fresh);
}

/**
 * Runs the cascading randomization check of `explain` on `model` (see the module example).
 */
export function randomizationCheck(model: tf.LayersModel, inputs: tf.Tensor, explain: Explainer, options: RandomizationCheckOptions = {}): RandomizationCheck {
  const where = 'randomizationCheck';
  if (!(model instanceof tf.LayersModel)) throw new Error(`${where}: model must be a tf.LayersModel (its layers are re-initialized)`);
  if (typeof explain !== 'function') throw new Error(`${where}: explain must be a function (model, inputs, target) => Attribution`);
  const { absolute = true, seed = 0 } = options;
  const m = explainedModel(where, model, inputs, { target: options.target });
  const withWeights = model.layers.filter((l) => l.weights.length > 0).map((l) => l.name);
  const names = options.layers ?? [...withWeights].reverse();
  for (const name of names) {
    if (!withWeights.includes(name)) throw new Error(`${where}: options.layers has '${name}', which is not a layer with weights; those are: ${withWeights.join(', ')}`);
  }
  const saved = model.layers.map((l) => l.getWeights().map((w) => w.clone()));
  const perExample = { spearman: [] as number[][], ssim: [] as number[][] };
  try {
    const original = mapsOf(explain, model, inputs, m.target, absolute);
    const originalScaled = original.maps.map(scaled);
    names.forEach((name, k) => {
      reinitialize(model.getLayer(name), seed + 100 * k);
      const now = mapsOf(explain, model, inputs, m.target, absolute);
      perExample.spearman.push(now.maps.map((map, e) => rankAgreement(original.maps[e], map)));
      perExample.ssim.push(now.maps.map((map, e) => ssim(originalScaled[e], scaled(map), now.height, now.width)));
    });
  } finally {
    model.layers.forEach((l, i) => l.setWeights(saved[i]));
    saved.forEach((ws) => tf.dispose(ws));
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return { layers: names, spearman: perExample.spearman.map(mean), ssim: perExample.ssim.map(mean), perExample, target: m.target };
}
