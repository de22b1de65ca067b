/**
 * The two sequence models of `bench/reference/reference_transformer.py` and `reference_lstm.py`,
 * built from tfjs layers with the same sizes, for the `transformer-step-x10` and `bilstm-10steps`
 * workloads:
 *
 * - tiny BERT (Devlin et al. 2019, "BERT"): learned token + position embeddings (d_model 128,
 *   max length 64), 2 post-norm encoder layers as PyTorch's `nn.TransformerEncoderLayer`
 *   (Vaswani et al. 2017: 4-head self-attention, feed-forward 512 with ReLU, no dropout, layer
 *   norm ε 1e-5), and an output projection to the 8000-word vocabulary applied to the masked
 *   positions only.
 * - BiLSTM classifier: bidirectional LSTM 40 → 2×64 (all steps), bidirectional LSTM 128 → 2×64
 *   (last state of each direction), dense 10; sigmoid gates as PyTorch's (tfjs defaults to
 *   hardSigmoid), on the fused drop-in `fusedLstm` (`biLstm({ fused: false })`: tfjs's own layer).
 *
 * The tiny BERT is lib/models/transformer's (`EncoderLayer`: one custom layer per encoder block,
 * as tfjs 4.22 has no multi-head attention layer).
 *
 * @example
 * ```ts
 * const bert = tinyBert();
 * const logits = bert.logits(ids, maskedRows);   // [masked, 8000]
 * ```
 */
import { tf } from '../lib/engine/tf';
import { fusedLstm } from '../lib/models/fusedLstm';
import { tinyBert as libTinyBert } from '../lib/models/transformer';

/** Sizes of reference_transformer.py. */
export const BERT = { vocab: 8000, dModel: 128, heads: 4, layers: 2, ff: 512, length: 64, batch: 32 } as const;

/** The benchmark's tiny BERT: lib/models/transformer's, with reference_transformer.py's sizes and no padding mask. */
export interface BenchBert {
  /** Logits at the flattened positions `rows` (indices into batch·length) of `ids`. */
  logits(ids: tf.Tensor2D, rows: tf.Tensor1D): tf.Tensor2D;
  variables: tf.Variable[];
  dispose(): void;
}

/** A freshly initialised tiny BERT with reference_transformer.py's sizes. */
export function tinyBert(): BenchBert {
  const { vocab, dModel, heads, layers, ff, length } = BERT;
  const bert = libTinyBert({ vocab, dModel, heads, layers, ff, maxLength: length });
  return { variables: bert.variables, logits: (ids, rows) => bert.logits(ids, rows, { padding: false }), dispose: () => bert.dispose() };
}

/** Sizes of reference_lstm.py. */
export const BILSTM = { frames: 50, features: 40, units: 64, classes: 10, batch: 32, sequences: 320 } as const;

/** The BiLSTM classifier of reference_lstm.py (logits out). */
export function biLstm({ fused = true }: { fused?: boolean } = {}): tf.LayersModel {
  const { frames, features, units, classes } = BILSTM;
  const lstm = fused ? fusedLstm : tf.layers.lstm;
  return tf.sequential({
    layers: [
      tf.layers.bidirectional({ layer: lstm({ units, recurrentActivation: 'sigmoid', returnSequences: true }) as unknown as tf.RNN, inputShape: [frames, features] }),
      tf.layers.bidirectional({ layer: lstm({ units, recurrentActivation: 'sigmoid' }) as unknown as tf.RNN }),
      tf.layers.dense({ units: classes }),
    ],
  });
}
