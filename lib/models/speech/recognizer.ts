/**
 * A spoken-digit recognizer shaped like the lecture's probing example (a few convolution layers,
 * then stacked bidirectional LSTMs; Graves, Mohamed & Hinton 2013 for the deep BiLSTM), scaled down
 * to train in about a minute on 2 cores: three 1-D convolutions over time on the log-mel frames
 * (32, 48, 64 filters; the last two with stride 2: 78 → 20 frames), three BiLSTM layers
 * (2 × 32 units each, the fused LSTM of lib/models/fusedLstm.ts), mean over time, softmax over the
 * ten words. Trained once on the training speakers of {@link spokenDigits} and cached; the
 * noise-trained twin sees every clip with pink noise at 0–20 dB SNR.
 *
 * @example
 * ```ts
 * const r = await speechRecognizer();                  // trains once (~1 min), then loads
 * r.meta.heldOutAccuracy;                              // word accuracy on the 4 held-out speakers
 * const x = speechInputs(r, data, indices);            // normalized log-mel [n, 78, 40]
 * ```
 */
import * as path from 'path';
import { tf } from '../../engine/tf';
import { generatedDir } from '../../packageRoot';
import { addNoise } from '../../data/speech/noise';
import { logMelBatch } from '../../data/speech/features';
import { spokenDigits, speakerSplit, type SpokenDigits } from '../../data/speech/dataset';
import { seededRandom } from '../../data/permutation';
import { fusedLstm } from '../fusedLstm';
import { cachedModels } from '../modelCache';
import { evaluate, train } from '../train';

/** Recipe version: a saved recognizer of another version is retrained. */
export const SPEECH_RECOGNIZER_VERSION = 1;

/** The recognizer's layers in order, as named in the model (each one's output can be probed). */
export const RECOGNIZER_LAYERS = ['conv1', 'conv2', 'conv3', 'bilstm1', 'bilstm2', 'bilstm3'] as const;

/** Builds the untrained recognizer for [frames, mels] log-mel inputs. */
export function recognizerModel(frames = 78, mels = 40, words = 10, seed = 0): tf.Sequential {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed * 100 + k });
  const lstm = (name: string, k: number) =>
    tf.layers.bidirectional({
      name,
      layer: fusedLstm({ units: 32, recurrentActivation: 'sigmoid', returnSequences: true, kernelInitializer: init(k), recurrentInitializer: tf.initializers.orthogonal({ seed: seed * 100 + k + 50 }) }) as unknown as tf.RNN,
    });
  return tf.sequential({
    layers: [
      tf.layers.conv1d({ name: 'conv1', inputShape: [frames, mels], filters: 32, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.conv1d({ name: 'conv2', filters: 48, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.conv1d({ name: 'conv3', filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(3) }),
      lstm('bilstm1', 4),
      lstm('bilstm2', 5),
      lstm('bilstm3', 6),
      tf.layers.globalAveragePooling1d({ name: 'pool' }),
      tf.layers.dense({ name: 'output', units: words, activation: 'softmax', kernelInitializer: init(7) }),
    ],
  });
}

/** What the cached recognizer's meta.json holds. */
export interface RecognizerMeta {
  /** Log-mel normalization (one mean and standard deviation over every training value). */
  mean: number;
  std: number;
  /** Word accuracy on the training speakers and on the held-out speakers (clean audio). */
  trainAccuracy: number;
  heldOutAccuracy: number;
  /** Word accuracy on held-out speakers with noise at 10 dB SNR. */
  heldOutNoisyAccuracy: number;
  /** SNR range of training noise in dB, or null for clean training. */
  trainSnrDb: [number, number] | null;
  epochs: number;
}

/** Options of {@link speechRecognizer}. */
export interface SpeechRecognizerOptions {
  /** Train on inputs with pink noise at a random SNR in 0..20 dB; default false. */
  noisy?: boolean;
  /** Default `generatedDir()/speech-recognizer` (or `speech-recognizer-noisy`). */
  dir?: string;
  retrain?: boolean;
  quiet?: boolean;
  /** The data set; default `spokenDigits()`. */
  data?: SpokenDigits;
}

/** A trained recognizer and its meta. */
export interface SpeechRecognizer {
  model: tf.LayersModel;
  meta: RecognizerMeta;
  trained: boolean;
  ms: number;
}

/** Clips `indices` of `data`, each with pink noise at `snrDb` (a number, or one per clip) when given. */
export function clipsOf(data: SpokenDigits, indices: readonly number[], snrDb?: number | readonly number[], seed = 0): Float32Array[] {
  return indices.map((i, j) => {
    const snr = typeof snrDb === 'number' ? snrDb : snrDb?.[j];
    return snr === undefined ? data.clips[i] : addNoise(data.clips[i], snr, seed * 100003 + i).noisy;
  });
}

/** Normalized log-mel inputs [n, frames, mels] of `clips` for a recognizer with this meta (the caller disposes). */
export function speechInputs(meta: Pick<RecognizerMeta, 'mean' | 'std'>, clips: readonly Float32Array[]): tf.Tensor3D {
  return tf.tidy(() => logMelBatch(clips).sub(meta.mean).div(meta.std));
}

async function trainRecognizer(data: SpokenDigits, noisy: boolean, quiet: boolean) {
  const { train: tr, heldOut } = speakerSplit(data);
  const rnd = seededRandom(11);
  const epochs = 30;
  const snrs = noisy ? tr.map(() => rnd() * 20) : undefined;
  const raw = logMelBatch(clipsOf(data, tr, snrs, 1));
  const mean = raw.mean().dataSync()[0];
  const std = tf.tidy(() => raw.sub(mean).square().mean().sqrt().dataSync()[0]);
  raw.dispose();
  const meta = { mean, std };
  const x = speechInputs(meta, clipsOf(data, tr, snrs, 1));
  const y = tf.tensor1d(tr.map((i) => data.word[i]), 'int32');
  const model = recognizerModel(x.shape[1], x.shape[2], data.words.length);
  try {
    // Adam at 2e-3, then 5e-4 for the last third (the loss settles instead of jumping between epochs)
    await train(model, x, y, { epochs: (epochs * 2) / 3, batchSize: 32, learningRate: 2e-3, quiet });
    await train(model, x, y, { epochs: epochs / 3, batchSize: 32, learningRate: 5e-4, quiet, shuffle: 100 });
    const accuracyOn = (idx: number[], snr?: number) => {
      const xs = speechInputs(meta, clipsOf(data, idx, snr, 2));
      const ys = tf.tensor1d(idx.map((i) => data.word[i]), 'int32');
      const a = evaluate(model, xs, ys).accuracy;
      tf.dispose([xs, ys]);
      return a;
    };
    const result: RecognizerMeta = {
      mean,
      std,
      trainAccuracy: accuracyOn(tr),
      heldOutAccuracy: accuracyOn(heldOut),
      heldOutNoisyAccuracy: accuracyOn(heldOut, 10),
      trainSnrDb: noisy ? [0, 20] : null,
      epochs,
    };
    return { models: { '': model as tf.LayersModel }, meta: result };
  } finally {
    tf.dispose([x, y]);
  }
}

/** The recognizer trained once on the training speakers of the spoken digits (cached under data/generated). */
export async function speechRecognizer(options: SpeechRecognizerOptions = {}): Promise<SpeechRecognizer> {
  const noisy = options.noisy ?? false;
  const dir = options.dir ?? path.join(generatedDir(), noisy ? 'speech-recognizer-noisy' : 'speech-recognizer');
  const c = await cachedModels<RecognizerMeta>('speechRecognizer', noisy ? 'noise-trained recognizer' : 'recognizer', dir, SPEECH_RECOGNIZER_VERSION, [''], { retrain: options.retrain }, async () =>
    trainRecognizer(options.data ?? (await spokenDigits()), noisy, options.quiet ?? false),
  );
  return { model: c.models[''], meta: c.meta, trained: c.trained, ms: c.ms };
}
