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
 * tfjs 4.22 has no multi-head attention layer, so {@link EncoderLayer} is one custom layer that
 * holds one encoder block's weights (PyTorch's in_proj, out_proj, linear1/2, norm1/2).
 *
 * @example
 * ```ts
 * const bert = tinyBert();
 * const logits = bert.logits(ids, maskedRows);   // [masked, 8000]
 * ```
 */
import { tf } from '../lib/engine/tf';
import { fusedLstm } from '../lib/models/fusedLstm';

/** Sizes of reference_transformer.py. */
export const BERT = { vocab: 8000, dModel: 128, heads: 4, layers: 2, ff: 512, length: 64, batch: 32 } as const;

/** Learned position embeddings added to a [batch, length, d] input (positions 0..length−1). */
export class PositionEmbedding extends tf.layers.Layer {
  static className = 'TslabXaiPositionEmbedding';
  private table!: tf.LayerVariable;
  constructor(private readonly maxLength: number) {
    super({});
  }
  build(shape: tf.Shape | tf.Shape[]): void {
    const d = (shape as number[])[2];
    this.table = this.addWeight('positions', [this.maxLength, d], 'float32', tf.initializers.randomNormal({ stddev: 1 }));
    this.built = true;
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => x.add(this.table.read().slice([0, 0], [x.shape[1] as number, x.shape[2] as number])));
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), maxLength: this.maxLength };
  }
}

function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return x.sub(mean).mul(tf.rsqrt(variance.add(1e-5))).mul(gamma).add(beta);
}

/** One post-norm encoder block: x = LN(x + MHA(x)); x = LN(x + W2·relu(W1·x)). */
export class EncoderLayer extends tf.layers.Layer {
  static className = 'TslabXaiEncoderLayer';
  private w: Record<string, tf.LayerVariable> = {};
  constructor(private readonly heads: number, private readonly ff: number) {
    super({});
  }
  build(shape: tf.Shape | tf.Shape[]): void {
    const d = (shape as number[])[2];
    const glorot = tf.initializers.glorotUniform({});
    const add = (name: string, s: number[], init: ReturnType<typeof tf.initializers.zeros>) => (this.w[name] = this.addWeight(name, s, 'float32', init));
    add('inProj', [d, 3 * d], glorot);
    add('inBias', [3 * d], tf.initializers.zeros());
    add('outProj', [d, d], glorot);
    add('outBias', [d], tf.initializers.zeros());
    add('norm1Gamma', [d], tf.initializers.ones());
    add('norm1Beta', [d], tf.initializers.zeros());
    add('linear1', [d, this.ff], glorot);
    add('bias1', [this.ff], tf.initializers.zeros());
    add('linear2', [this.ff, d], glorot);
    add('bias2', [d], tf.initializers.zeros());
    add('norm2Gamma', [d], tf.initializers.ones());
    add('norm2Beta', [d], tf.initializers.zeros());
    this.built = true;
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const w = (n: string) => this.w[n].read();
    return tf.tidy(() => {
      const [b, t, d] = x.shape as number[];
      const h = this.heads;
      const dh = d / h;
      const x2 = x.reshape([b * t, d]);
      const qkv = tf.add(tf.matMul(x2, w('inProj')), w('inBias'));
      const split = (i: number) => qkv.slice([0, i * d], [b * t, d]).reshape([b, t, h, dh]).transpose([0, 2, 1, 3]);
      const [q, k, v] = [split(0), split(1), split(2)];
      const p = tf.softmax(tf.matMul(q, k, false, true).mul(1 / Math.sqrt(dh)));
      const att = tf.matMul(p, v).transpose([0, 2, 1, 3]).reshape([b * t, d]);
      const y1 = layerNorm(x2.add(tf.add(tf.matMul(att, w('outProj')), w('outBias'))), w('norm1Gamma'), w('norm1Beta'));
      const hidden = tf.relu(tf.add(tf.matMul(y1, w('linear1')), w('bias1')));
      const y2 = layerNorm(y1.add(tf.add(tf.matMul(hidden, w('linear2')), w('bias2'))), w('norm2Gamma'), w('norm2Beta'));
      return y2.reshape([b, t, d]);
    });
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads, ff: this.ff };
  }
}

/** The tiny BERT: `encoder` maps token ids [batch, length] to states [batch, length, d]; `output` projects to the vocabulary. */
export interface TinyBert {
  encoder: tf.LayersModel;
  output: tf.layers.Layer;
  /** Logits at the flattened positions `rows` (indices into batch·length) of `ids`. */
  logits(ids: tf.Tensor2D, rows: tf.Tensor1D): tf.Tensor2D;
  variables: tf.Variable[];
  dispose(): void;
}

/** A freshly initialised tiny BERT with reference_transformer.py's sizes. */
export function tinyBert(): TinyBert {
  const { vocab, dModel, heads, layers, ff, length } = BERT;
  const ids = tf.input({ shape: [length], dtype: 'int32' });
  let x = tf.layers.embedding({ inputDim: vocab, outputDim: dModel, embeddingsInitializer: 'randomNormal' }).apply(ids) as tf.SymbolicTensor;
  x = new PositionEmbedding(length).apply(x) as tf.SymbolicTensor;
  for (let i = 0; i < layers; i++) x = new EncoderLayer(heads, ff).apply(x) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: ids, outputs: x });
  const output = tf.layers.dense({ units: vocab, inputShape: [dModel] });
  output.build([null, dModel]);
  const variables = [...encoder.trainableWeights, ...output.trainableWeights].map((w) => w.read() as tf.Variable);
  return {
    encoder,
    output,
    variables,
    logits: (input, rows) =>
      tf.tidy(() => {
        const h = (encoder.apply(input) as tf.Tensor).reshape([-1, dModel]);
        return output.apply(tf.gather(h, rows)) as tf.Tensor2D;
      }),
    dispose() {
      encoder.dispose();
      output.trainableWeights.forEach((w) => w.dispose()); // applied to tensors only, so Layer.dispose() refuses
    },
  };
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
