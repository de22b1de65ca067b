/**
 * A tiny BERT (Devlin et al. 2019, "BERT: Pre-training of deep bidirectional transformers",
 * arXiv:1810.04805): token + learned position embeddings, a few post-norm encoder blocks
 * ({@link EncoderLayer}), and a masked-language-model head to the vocabulary. Built from tfjs
 * layers, so it saves and loads like any LayersModel; one forward pass returns every layer's
 * hidden states (the embeddings are layer 0, the non-contextual baseline of probing) and every
 * layer's attention weights.
 *
 * @example
 * ```ts
 * const bert = tinyBert({ vocab: 8000, layers: 2 });
 * const { hidden, attention } = bert.forward(ids);   // hidden: layers+1 × [b,t,d]; attention: layers × [b,h,t,t]
 * const logits = bert.logits(ids, rows);              // [rows, vocab] at the flattened positions `rows`
 * tf.dispose([...hidden, ...attention, logits]); bert.dispose();
 * ```
 */
import { tf } from '../../engine/tf';
import { EncoderLayer, encoderBlock, type EncoderLayerArgs, type FeedForwardActivation } from './encoderLayer';
import { PositionEmbedding } from './positionEmbedding';
import { sparseSoftmaxCrossEntropy } from '../../engine/ops/sparseSoftmaxCrossEntropy';
import { checkInitialEmbedding, setInitialEmbedding } from '../initialEmbedding';

/** Sizes of a tiny BERT. */
export interface TinyBertConfig {
  /** Vocabulary size (ids 0..vocab−1; id 0 is padding). */
  vocab: number;
  /** Model width; default 128. */
  dModel?: number;
  /** Attention heads per layer; default 4. */
  heads?: number;
  /** Encoder layers; default 2. */
  layers?: number;
  /** Feed-forward width; default 4·dModel. */
  ff?: number;
  /** Longest input; default 64. */
  maxLength?: number;
  /** Feed-forward activation; default 'relu'. */
  activation?: FeedForwardActivation;
  /** Pre-norm blocks (see {@link EncoderLayerArgs.normFirst}); default false. */
  normFirst?: boolean;
  /** Starting token embedding, vocab × dModel values (e.g. {@link distributionalVectors}), rescaled to `initialEmbeddingRms`; default random. */
  initialEmbedding?: Float32Array;
  /** Root-mean-square entry of `initialEmbedding` after rescaling; default 0.02, the random start's. */
  initialEmbeddingRms?: number;
}

/** Options of {@link TinyBert.forward}. */
export interface ForwardOptions {
  /** Token embeddings [b, t, d] to use instead of looking `ids` up (for gradients with respect to the input). */
  embeddings?: tf.Tensor3D;
  /** Replace layer `layer`'s (0-based) attention weights before they are applied (Jain & Wallace's permutation test). */
  replaceAttention?: { layer: number; replace: (weights: tf.Tensor4D) => tf.Tensor4D };
  /** Mask attention to padding (id 0) keys; default true. */
  padding?: boolean;
}

/** A tiny BERT built by {@link tinyBert} or loaded by {@link tinyBertFrom}. */
export interface TinyBert {
  readonly config: Required<Omit<TinyBertConfig, 'initialEmbedding' | 'initialEmbeddingRms'>>;
  /** ids [b, t] → outputs hidden states 0..layers, then attention weights 1..layers (what is saved). */
  readonly network: tf.LayersModel;
  /** The masked-LM head: states [n, d] → logits [n, vocab]. */
  readonly head: tf.LayersModel;
  /** Token embeddings of `ids` (no positions): [b, t, d]. */
  embed(ids: tf.Tensor2D): tf.Tensor3D;
  /** Hidden states (layers + 1, the first is token + position embeddings) and attention weights (layers). */
  forward(ids: tf.Tensor2D, options?: ForwardOptions): { hidden: tf.Tensor3D[]; attention: tf.Tensor4D[] };
  /** Masked-LM logits at the flattened positions `rows` (indices into b·t) of the last layer. */
  logits(ids: tf.Tensor2D, rows: tf.Tensor1D, options?: ForwardOptions): tf.Tensor2D;
  /** Mean cross-entropy of the masked-LM head at `rows` against `labels`. */
  maskedLmLoss(ids: tf.Tensor2D, rows: tf.Tensor1D, labels: tf.Tensor1D): tf.Scalar;
  /** The trainable variables (network, then head). */
  readonly variables: tf.Variable[];
  dispose(): void;
}

function fullConfig(where: string, c: TinyBertConfig): Required<Omit<TinyBertConfig, 'initialEmbedding' | 'initialEmbeddingRms'>> {
  if (c === null || typeof c !== 'object') throw new Error(`${where}: config must be an object like { vocab: 8000 }; got ${c}`);
  const dModel = c.dModel ?? 128;
  const full = { vocab: c.vocab, dModel, heads: c.heads ?? 4, layers: c.layers ?? 2, ff: c.ff ?? 4 * dModel, maxLength: c.maxLength ?? 64, activation: c.activation ?? 'relu', normFirst: c.normFirst ?? false } as Required<Omit<TinyBertConfig, 'initialEmbedding' | 'initialEmbeddingRms'>>;
  for (const k of ['vocab', 'dModel', 'heads', 'layers', 'ff', 'maxLength'] as const) {
    if (!Number.isInteger(full[k]) || full[k] < 1) throw new Error(`${where}: config.${k} must be a positive integer; got ${full[k]}`);
  }
  if (full.vocab < 5) throw new Error(`${where}: config.vocab must be at least 5 (4 special tokens and a word); got ${full.vocab}`);
  if (dModel % full.heads !== 0) throw new Error(`${where}: config.dModel ${dModel} must be divisible by config.heads ${full.heads}`);
  if (full.activation !== 'relu' && full.activation !== 'gelu') throw new Error(`${where}: config.activation must be 'relu' or 'gelu'; got ${full.activation}`);
  return full;
}

/** A freshly initialised tiny BERT (weights seeded: the same config gives the same model). */
export function tinyBert(config: TinyBertConfig): TinyBert {
  const c = fullConfig('tinyBert', config);
  checkInitialEmbedding('tinyBert', config.initialEmbedding, c.vocab, c.dModel);
  const ids = tf.input({ shape: [null], dtype: 'int32', name: 'ids' });
  const tokenLayer = tf.layers.embedding({ inputDim: c.vocab, outputDim: c.dModel, embeddingsInitializer: tf.initializers.randomNormal({ stddev: 0.02, seed: 1 }), name: 'token_embedding' });
  const tokens = tokenLayer.apply(ids) as tf.SymbolicTensor;
  if (config.initialEmbedding !== undefined) setInitialEmbedding('tinyBert', tokenLayer, config.initialEmbedding, config.initialEmbeddingRms ?? 0.02);
  let x = new PositionEmbedding({ maxLength: c.maxLength, name: 'position_embedding' }).apply(tokens) as tf.SymbolicTensor;
  const hidden = [x];
  const attention: tf.SymbolicTensor[] = [];
  for (let i = 0; i < c.layers; i++) {
    const [s, a] = new EncoderLayer({ heads: c.heads, ff: c.ff, activation: c.activation, normFirst: c.normFirst, name: `encoder_${i + 1}` }).apply([x, ids]) as tf.SymbolicTensor[];
    hidden.push((x = s));
    attention.push(a);
  }
  const network = tf.model({ inputs: ids, outputs: [...hidden, ...attention], name: 'tiny_bert' });
  const head = tf.sequential({ name: 'mlm_head', layers: [tf.layers.dense({ units: c.vocab, inputShape: [c.dModel], kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }), name: 'mlm_output' })] });
  return tinyBertFrom(network, head);
}

/** A {@link TinyBert} around a saved `network` and `head` (as {@link tinyBert} builds them). */
export function tinyBertFrom(network: tf.LayersModel, head: tf.LayersModel): TinyBert {
  const tokenLayer = network.getLayer('token_embedding');
  const positions = network.getLayer('position_embedding') as PositionEmbedding;
  const encoders = network.layers.filter((l): l is EncoderLayer => l instanceof EncoderLayer);
  if (encoders.length === 0) throw new Error(`tinyBertFrom: network ${network.name} has no EncoderLayer`);
  const [vocab, dModel] = tokenLayer.getWeights()[0].shape;
  const config: Required<Omit<TinyBertConfig, 'initialEmbedding' | 'initialEmbeddingRms'>> = { vocab, dModel, heads: encoders[0].heads, layers: encoders.length, ff: encoders[0].ff, maxLength: positions.maxLength, activation: encoders[0].activation, normFirst: encoders[0].normFirst };
  const checkIds = (ids: tf.Tensor2D) => {
    if (!(ids instanceof tf.Tensor) || ids.rank !== 2) throw new Error(`tinyBert: ids must be a 2-D int32 tensor [batch, length]; got ${ids instanceof tf.Tensor ? `shape [${ids.shape}]` : typeof ids}`);
    if (ids.shape[1] > config.maxLength) throw new Error(`tinyBert: ids have ${ids.shape[1]} positions but the model's maximum length is ${config.maxLength}; truncate the sentences`);
  };
  const embed = (ids: tf.Tensor2D) => {
    checkIds(ids);
    return tokenLayer.apply(ids) as tf.Tensor3D;
  };
  const forward = (ids: tf.Tensor2D, options: ForwardOptions = {}) => {
    checkIds(ids);
    const { embeddings, replaceAttention, padding = true } = options;
    if (replaceAttention && !(Number.isInteger(replaceAttention.layer) && replaceAttention.layer >= 0 && replaceAttention.layer < config.layers)) {
      throw new Error(`tinyBert.forward: options.replaceAttention.layer must be in 0..${config.layers - 1}; got ${replaceAttention.layer}`);
    }
    return tf.tidy(() => {
      const e = embeddings ?? (tokenLayer.apply(ids) as tf.Tensor3D);
      let x = positions.apply(e) as tf.Tensor3D;
      const hidden: tf.Tensor3D[] = [x];
      const attention: tf.Tensor4D[] = [];
      encoders.forEach((layer, i) => {
        const r = replaceAttention?.layer === i ? replaceAttention.replace : undefined;
        const out = encoderBlock(x, padding ? ids : undefined, layer.weightsOf(), config.heads, config.activation, r, config.normFirst);
        hidden.push((x = out.states));
        attention.push(out.attention);
      });
      return { hidden, attention };
    });
  };
  const logits = (ids: tf.Tensor2D, rows: tf.Tensor1D, options: ForwardOptions = {}) =>
    tf.tidy(() => {
      const { hidden } = forward(ids, options);
      const last = hidden[hidden.length - 1].reshape([-1, config.dModel]);
      return head.apply(tf.gather(last, rows)) as tf.Tensor2D;
    });
  const variables = [...network.trainableWeights, ...head.trainableWeights].map((w) => w.read() as tf.Variable);
  return {
    config,
    network,
    head,
    embed,
    forward,
    logits,
    maskedLmLoss: (ids, rows, labels) => tf.tidy(() => sparseSoftmaxCrossEntropy(logits(ids, rows), labels)),
    variables,
    dispose() {
      network.dispose();
      head.dispose();
    },
  };
}
