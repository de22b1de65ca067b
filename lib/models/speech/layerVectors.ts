/**
 * Every layer's activations of the speech recognizer for a batch, as the lecture's analyses use
 * them: the input log-mel frames and each conv / BiLSTM layer's output sequence [n, T, d], and
 * one vector per clip [n, 2d] for t-SNE, silhouettes and probes: the mean and the standard
 * deviation over time of each unit ("statistics pooling", as the x-vector speaker embeddings of
 * Snyder et al. 2018; a mean alone hides much of who speaks: a linear speaker probe on the input
 * scored 77% with means, 84% with means and deviations).
 *
 * @example
 * ```ts
 * const layers = recognizerLayers(r.model, x);    // [{ layer: 'input', … }, { layer: 'conv1', … }, …]
 * layers[6].pooled;                               // bilstm3's mean and deviation over time, [n, 128]
 * ```
 */
import { tf } from '../../engine/tf';
import { activations } from '../graph/activations';
import { RECOGNIZER_LAYERS } from './recognizer';

/** One layer's outputs for a batch. */
export interface RecognizerLayer {
  layer: string;
  /** [n, T, d] row-major. */
  sequence: { data: Float32Array; shape: [number, number, number] };
  /** Mean then standard deviation over time of each of the d units, [n, 2d] row-major. */
  pooled: { data: Float32Array; shape: [number, number] };
}

function pool(data: Float32Array, [n, t, d]: number[]): Float32Array {
  const out = new Float32Array(n * 2 * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      let sum = 0;
      let sq = 0;
      for (let s = 0; s < t; s++) {
        const v = data[(i * t + s) * d + j];
        sum += v;
        sq += v * v;
      }
      const mean = sum / t;
      out[i * 2 * d + j] = mean;
      out[i * 2 * d + d + j] = Math.sqrt(Math.max(0, sq / t - mean * mean));
    }
  }
  return out;
}

/** The input and every layer of {@link RECOGNIZER_LAYERS} for `inputs` [n, frames, mels]; plain arrays, no tensor kept. */
export function recognizerLayers(model: tf.LayersModel, inputs: tf.Tensor3D, layers: readonly string[] = RECOGNIZER_LAYERS): RecognizerLayer[] {
  if (!(inputs instanceof tf.Tensor) || inputs.rank !== 3) throw new Error(`recognizerLayers: inputs must be a tf.Tensor3D [n, frames, mels]; got ${inputs instanceof tf.Tensor ? `rank ${inputs.rank}` : typeof inputs}`);
  const acts = activations(model, inputs, layers, { batchSize: 128 });
  const entries: { layer: string; data: Float32Array; shape: number[] }[] = [{ layer: 'input', data: inputs.dataSync() as Float32Array, shape: inputs.shape }, ...layers.map((l) => ({ layer: l, data: acts[l].data, shape: acts[l].shape }))];
  return entries.map((e) => ({
    layer: e.layer,
    sequence: { data: e.data, shape: e.shape as [number, number, number] },
    pooled: { data: pool(e.data, e.shape), shape: [e.shape[0], 2 * e.shape[2]] },
  }));
}
