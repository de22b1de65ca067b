/**
 * Adam (Kingma & Ba 2015, "Adam: A method for stochastic optimization") as `train` uses it: the
 * same update as `tf.train.adam`, bit for bit, but one kernel per variable per step where the
 * engine supplies tslab-xai's fused `AdamUpdate` (wasm with SIMD) instead of ~15 small ops.
 * Elsewhere it is `tf.train.adam` itself.
 *
 * @example
 * ```ts
 * const opt = adam(1e-3);
 * const { value, grads } = tf.variableGrads(loss);
 * opt.applyGradients(grads);
 * opt.dispose();
 * ```
 */
import { tf } from '../engine/tf';

/** The part of an optimizer `train` needs. */
export interface StepOptimizer {
  applyGradients(grads: tf.NamedTensorMap): void;
  /** Change the learning rate from the next step on (schedules: warm-up, decay). */
  setLearningRate(learningRate: number): void;
  dispose(): void;
}

const BETA1 = 0.9;
const BETA2 = 0.999;

class FusedAdam implements StepOptimizer {
  private readonly moments = new Map<string, [tf.Tensor, tf.Tensor]>();
  private accBeta1 = Math.fround(BETA1);
  private accBeta2 = Math.fround(BETA2);
  private readonly epsilon = tf.backend().epsilon();

  constructor(private learningRate: number) {}

  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }

  applyGradients(grads: tf.NamedTensorMap): void {
    const attrs = { learningRate: this.learningRate, beta1: BETA1, beta2: BETA2, epsilon: this.epsilon, accBeta1: this.accBeta1, accBeta2: this.accBeta2 };
    for (const [name, g] of Object.entries(grads)) {
      const variable = tf.engine().registeredVariables[name];
      let mv = this.moments.get(name);
      if (!mv) {
        mv = [tf.zerosLike(variable), tf.zerosLike(variable)];
        this.moments.set(name, mv);
      }
      const [x, m, v] = tf.engine().runKernel('AdamUpdate', { x: variable, m: mv[0], v: mv[1], g }, attrs as never) as tf.Tensor[];
      variable.assign(x);
      x.dispose();
      tf.dispose(mv);
      this.moments.set(name, [m, v]);
    }
    // tfjs keeps βᵗ as float32 variables multiplied by β each step
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(BETA1));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(BETA2));
  }

  dispose(): void {
    for (const mv of this.moments.values()) tf.dispose(mv);
    this.moments.clear();
  }
}

/** Adam with tfjs's defaults (β1 0.9, β2 0.999, ε = backend epsilon) at `learningRate`. */
export function adam(learningRate: number): StepOptimizer {
  if (!(learningRate > 0)) throw new Error(`adam: learningRate must be a positive number; got ${learningRate}`);
  if (tf.getKernel('AdamUpdate', tf.getBackend()) !== undefined) return new FusedAdam(learningRate);
  const opt = tf.train.adam(learningRate);
  return {
    applyGradients: (grads) => opt.applyGradients(grads as never),
    setLearningRate: (lr) => {
      (opt as unknown as { learningRate: number }).learningRate = lr;
    },
    dispose: () => opt.dispose(),
  };
}
