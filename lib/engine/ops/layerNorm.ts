/**
 * Layer normalization over the last axis (Ba, Kiros & Hinton 2016, "Layer normalization",
 * arXiv:1607.06450), as PyTorch's `nn.LayerNorm(d)` and the transformer's post-norm blocks use it:
 *
 *   y = (x − μ) / √(σ² + ε) · γ + β,   μ, σ² the mean and (biased) variance of each row of x
 *
 * On the wasm backend with tslab-xai's SIMD kernels it is one fused kernel forward and one backward
 * (`TslabXaiLayerNorm`, `TslabXaiLayerNormGrad`, tied together by `tf.customGrad`): the gradient is
 *   dx = (g − mean(g) − x̂·mean(g·x̂)) / √(σ² + ε),  g = dy·γ,  x̂ = (x − μ)/√(σ² + ε),
 *   dγ = Σ dy·x̂,  dβ = Σ dy  (sums over all rows).
 * Elsewhere (cpu, tfjs-node, other dtypes) it is the tfjs composition, differentiated by tfjs.
 *
 * @example
 * ```ts
 * const y = layerNorm(x, gamma, beta);           // x [batch, length, d], gamma/beta [d]
 * const g = tf.grad((z) => layerNorm(z, gamma, beta).sum())(x);
 * ```
 */
import { tf } from '../tf';

/** The composition (every backend): tf.moments, then normalize, scale and shift. */
function composed(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true);
    return x.sub(mean).mul(tf.rsqrt(variance.add(epsilon))).mul(gamma).add(beta);
  });
}

const fusedByEpsilon = new Map<number, (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor>();

/** The fused kernels with their gradient, one `customGrad` per ε. */
function fused(epsilon: number): (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor {
  let f = fusedByEpsilon.get(epsilon);
  if (!f) {
    f = tf.customGrad(((x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, save: tf.GradSaveFunc) => {
      const [y, mean, rstd] = tf.engine().runKernel('TslabXaiLayerNorm', { x, gamma, beta }, { epsilon }) as tf.Tensor[];
      save([x, gamma, mean, rstd]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sx, sg, mean, rstd] = saved;
          return tf.engine().runKernel('TslabXaiLayerNormGrad', { dy, x: sx, gamma: sg, mean, rstd }, {}) as tf.Tensor[];
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor;
    fusedByEpsilon.set(epsilon, f);
  }
  return f;
}

/**
 * Layer normalization of `x` over its last axis with scale `gamma` and shift `beta` (both [d], d the
 * last axis of x) and `epsilon` added to the variance (default 1e-5, PyTorch's). See the module
 * example.
 *
 * @throws Error naming the argument when x is not a tensor of rank ≥ 1, gamma/beta are not [d], or
 *   epsilon is not a number ≥ 0.
 */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon = 1e-5): tf.Tensor {
  const where = 'layerNorm';
  if (!(x instanceof tf.Tensor) || x.rank < 1) throw new Error(`${where}: x must be a tensor of rank ≥ 1; got ${x instanceof tf.Tensor ? 'a scalar' : typeof x}`);
  const d = x.shape[x.rank - 1];
  for (const [name, t] of [['gamma', gamma], ['beta', beta]] as const) {
    if (!(t instanceof tf.Tensor) || t.rank !== 1 || t.shape[0] !== d) {
      throw new Error(`${where}: ${name} must be a tensor of shape [${d}] (the last axis of x [${x.shape}]); got ${t instanceof tf.Tensor ? `[${t.shape}]` : typeof t}`);
    }
  }
  if (typeof epsilon !== 'number' || !(epsilon >= 0)) throw new Error(`${where}: epsilon must be a number ≥ 0; got ${String(epsilon)}`);
  const useFused = x.dtype === 'float32' && gamma.dtype === 'float32' && beta.dtype === 'float32' && d > 0 && tf.getKernel('TslabXaiLayerNorm', tf.getBackend()) !== undefined;
  return useFused ? fused(epsilon)(x, gamma, beta) : composed(x, gamma, beta, epsilon);
}
