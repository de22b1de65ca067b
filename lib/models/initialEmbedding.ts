/**
 * Starts a word-embedding layer from given vectors (e.g. the PPMI + SVD vectors of
 * {@link distributionalVectors}, as pretrained vectors started the embeddings of neural language models
 * before contextual pretraining — Collobert et al. 2011, "Natural Language Processing (Almost) from Scratch"),
 * scaled so that its root-mean-square entry equals that of the layer's random start.
 *
 * @example
 * ```ts
 * const layer = tf.layers.embedding({ inputDim: 8000, outputDim: 128 });
 * layer.apply(tf.input({ shape: [null], dtype: 'int32' }));
 * setInitialEmbedding('myModel', layer, distributionalVectors(train, vocab).vectors, 0.02);
 * ```
 */
import { tf } from '../engine/tf';

/** Throws, naming `where`, unless `vectors` is a Float32Array of rows × dims values (call it before building anything). */
export function checkInitialEmbedding(where: string, vectors: unknown, rows: number, dims: number): void {
  if (vectors === undefined) return;
  if (!(vectors instanceof Float32Array) || vectors.length !== rows * dims) {
    throw new Error(`${where}: config.initialEmbedding must be a Float32Array of vocab × width = ${rows} × ${dims} values; got ${vectors instanceof Float32Array ? vectors.length : typeof vectors}`);
  }
}

/** Sets `layer`'s (built) embedding matrix to `vectors` (checked by {@link checkInitialEmbedding}) rescaled to root-mean-square `rms`. */
export function setInitialEmbedding(where: string, layer: tf.layers.Layer, vectors: Float32Array, rms: number): void {
  const [rows, dims] = layer.getWeights()[0].shape;
  checkInitialEmbedding(where, vectors, rows, dims);
  if (!(rms > 0)) throw new Error(`${where}: config.initialEmbeddingRms must be a number > 0; got ${rms}`);
  const current = Math.sqrt(vectors.reduce((a, v) => a + v * v, 0) / vectors.length) || 1;
  tf.tidy(() => layer.setWeights([tf.mul(tf.tensor2d(vectors, [rows, dims]), rms / current)]));
}
