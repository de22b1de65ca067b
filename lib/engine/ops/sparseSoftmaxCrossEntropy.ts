/**
 * The mean softmax cross-entropy of `logits` [N, V] against integer `labels` [N] — the masked-LM
 * loss of BERT (Devlin et al. 2019) and PyTorch's `nn.functional.cross_entropy(logits, labels)`:
 *
 *   loss = (1/N) Σᵢ (log Σⱼ exp zᵢⱼ − zᵢ,yᵢ),   ∂loss/∂zᵢ = (softmax(zᵢ) − onehot(yᵢ)) / N
 *
 * Equal to `tf.losses.softmaxCrossEntropy(tf.oneHot(labels, V), logits)`. On the wasm backend with
 * tslab-xai's SIMD kernels it is one pass forward and one backward (`TslabXaiSoftmaxXent`,
 * `TslabXaiSoftmaxXentGrad`, tied by `tf.customGrad`) instead of ~25 full passes over [N, V];
 * elsewhere it is that tfjs composition.
 *
 * @example
 * ```ts
 * const loss = sparseSoftmaxCrossEntropy(bert.logits(ids, rows), labels);   // [masked, 8000], [masked]
 * ```
 */
import { tf } from '../tf';

const fused = tf.customGrad(((logits: tf.Tensor, labels: tf.Tensor, save: tf.GradSaveFunc) => {
  const [p, stats] = tf.engine().runKernel('TslabXaiSoftmaxXent', { logits, labels }, {}) as tf.Tensor[];
  save([p, labels]);
  const value = tf.tidy(() => {
    const [m, s, zy] = tf.split(stats, 3, 1);
    return tf.mean(tf.sub(tf.add(tf.log(s), m), zy));
  });
  stats.dispose();
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sp, sl] = saved;
      return [tf.engine().runKernel('TslabXaiSoftmaxXentGrad', { p: sp, labels: sl, dy }, {}) as tf.Tensor, tf.zerosLike(sl)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (logits: tf.Tensor, labels: tf.Tensor) => tf.Scalar;

/**
 * Mean softmax cross-entropy of `logits` [N, V] against class indices `labels` [N] (int32, each in
 * 0..V−1). See the module example.
 *
 * @throws Error naming the argument when logits is not a 2-D float32 tensor, labels not an int32
 *   tensor [N], or (on the fused path) a label is outside 0..V−1.
 */
export function sparseSoftmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const where = 'sparseSoftmaxCrossEntropy';
  if (!(logits instanceof tf.Tensor) || logits.rank !== 2 || logits.dtype !== 'float32') {
    throw new Error(`${where}: logits must be a 2-D float32 tensor [N, V]; got ${logits instanceof tf.Tensor ? `${logits.dtype} [${logits.shape}]` : typeof logits}`);
  }
  const [n, v] = logits.shape;
  if (!(labels instanceof tf.Tensor) || labels.dtype !== 'int32' || labels.rank !== 1 || labels.shape[0] !== n) {
    throw new Error(`${where}: labels must be an int32 tensor [${n}] (one class index per row of logits); got ${labels instanceof tf.Tensor ? `${labels.dtype} [${labels.shape}]` : typeof labels}`);
  }
  if (n > 0 && v > 0 && tf.getKernel('TslabXaiSoftmaxXent', tf.getBackend()) !== undefined) return fused(logits, labels);
  return tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, v), logits) as tf.Scalar);
}
