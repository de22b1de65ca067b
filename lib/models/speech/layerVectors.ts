/**
 * Every layer's activations of the speech recognizer for a batch, as the lecture's analyses use
 * them: the input log-mel frames and each conv / BiLSTM layer's output sequence [n, T, d], and
 * the same averaged over time [n, d] (one vector per clip, for t-SNE, silhouettes and probes).
 *
 * @example
 * ```ts
 * const layers = recognizerLayers(r.model, x);    // [{ layer: 'input', … }, { layer: 'conv1', … }, …]
 * layers[6].pooled;                               // bilstm3 averaged over time, [n, 64]
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
  /** Time average [n, d] row-major. */
  pooled: { data: Float32Array; shape: [number, number] };
}

function pool(data: Float32Array, [n, t, d]: number[]): Float32Array {
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let s = 0; s < t; s++) for (let j = 0; j < d; j++) out[i * d + j] += data[(i * t + s) * d + j] / t;
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
    pooled: { data: pool(e.data, e.shape), shape: [e.shape[0], e.shape[2]] },
  }));
}
