/**
 * The token vectors of every layer of a word-level model, one row per word, ready for probes
 * (Tenney et al. 2019, "BERT Rediscovers the Classical NLP Pipeline"; Liu et al. 2019, "Linguistic
 * Knowledge and Transferability of Contextual Representations"). The models read `[CLS] w₁ … wₙ`
 * (lower-cased, 8,000 words), so word j is at position j + 1. Sentences are batched by exact
 * length — no padding at all, so a backward LSTM never reads padding and BERT needs no mask — and
 * every tensor is disposed; the result lives in plain `Float32Array`s.
 *
 * @example
 * ```ts
 * const { bert, vocab } = await courseBert();
 * const reps = layerRepresentations(bertLayers(bert, vocab), [['The', 'jury', 'said'], ['It', 'rained']]);
 * reps.layers;         // ['embedding', 'layer 1', …, 'layer 4']
 * reps.features[2];    // 5 words × 128 values of layer 2
 * ```
 */
import { tf } from '../../../engine/tf';
import { throwIfInterrupted } from '../../../display/interrupt';
import type { Vocabulary } from '../../../data/text/vocabulary';
import type { TinyBert } from '../../../models/transformer/tinyBert';
import type { BiLstmLm } from '../../../models/biLstmLm';

/** A model whose every layer can be read for word ids `[CLS] w₁ … wₙ`. */
export interface LayeredTokenModel {
  /** Name shown in tables, e.g. `tiny BERT`. */
  name: string;
  /** Layer names, in the order `states` returns them (the non-contextual embedding first). */
  layers: string[];
  vocab: Vocabulary;
  /** Longest input in tokens, [CLS] included. */
  maxLength: number;
  /** Every layer's states [b, t, d] for ids [b, t] (the caller disposes them). */
  states(ids: tf.Tensor2D): tf.Tensor3D[];
}

/** The tiny BERT's layers: `embedding` (token + position, the non-contextual baseline), then `layer 1` … `layer L`. */
export function bertLayers(bert: TinyBert, vocab: Vocabulary, name = 'tiny BERT'): LayeredTokenModel {
  return {
    name,
    layers: ['embedding', ...Array.from({ length: bert.config.layers }, (_, i) => `layer ${i + 1}`)],
    vocab,
    maxLength: bert.config.maxLength,
    states: (ids) => {
      const { hidden, attention } = bert.forward(ids);
      tf.dispose(attention);
      return hidden;
    },
  };
}

/** The BiLSTM language model's layers: `embedding` (non-contextual), `bilstm 1`, `bilstm 2`. */
export function biLstmLayers(lm: BiLstmLm, vocab: Vocabulary, name = 'BiLSTM'): LayeredTokenModel {
  return { name, layers: lm.layerNames, vocab, maxLength: Infinity, states: (ids) => lm.forward(ids) };
}

/** What {@link layerRepresentations} returns: row r of every layer is the r-th word of the sentences, in order. */
export interface LayerRepresentations {
  model: string;
  layers: string[];
  /** Width of each layer. */
  dims: number[];
  /** Number of words (rows). */
  tokens: number;
  /** Per layer, tokens × dims[l] values (row-major). */
  features: Float32Array[];
}

/**
 * Every layer's vector for every word of `sentences` (see the module example). Throws, naming the
 * sentence, when one is longer than the model reads; interruptible between batches.
 */
export function layerRepresentations(model: LayeredTokenModel, sentences: readonly (readonly string[])[], options: { batchTokens?: number } = {}): LayerRepresentations {
  const where = 'layerRepresentations';
  const batchTokens = options.batchTokens ?? 4096;
  if (!model || typeof model.states !== 'function' || !Array.isArray(model.layers)) throw new Error(`${where}: model must be a LayeredTokenModel (bertLayers(…) or biLstmLayers(…)); got ${typeof model}`);
  if (!Array.isArray(sentences) || sentences.length === 0) throw new Error(`${where}: sentences must be a non-empty array of word arrays`);
  const starts: number[] = [];
  let tokens = 0;
  sentences.forEach((s, i) => {
    if (!Array.isArray(s) || s.length === 0) throw new Error(`${where}: sentences[${i}] must be a non-empty array of words`);
    if (s.length + 1 > model.maxLength) throw new Error(`${where}: sentences[${i}] has ${s.length} words but ${model.name} reads at most ${model.maxLength - 1} (after [CLS])`);
    starts.push(tokens);
    tokens += s.length;
  });
  const byLength = new Map<number, number[]>();
  sentences.forEach((s, i) => byLength.set(s.length, [...(byLength.get(s.length) ?? []), i]));
  let features: Float32Array[] = [];
  let dims: number[] = [];
  for (const [len, members] of byLength) {
    const per = Math.max(1, Math.floor(batchTokens / (len + 1)));
    for (let k = 0; k < members.length; k += per) {
      throwIfInterrupted(where);
      const batch = members.slice(k, k + per);
      const ids = batch.flatMap((i) => [model.vocab.cls, ...model.vocab.encode(sentences[i]).ids]);
      const states = tf.tidy(() => model.states(tf.tensor2d(ids, [batch.length, len + 1], 'int32')).map((h) => h.slice([0, 1, 0], [-1, len, -1])));
      if (features.length === 0) {
        dims = states.map((h) => h.shape[2]);
        features = dims.map((d) => new Float32Array(tokens * d));
      }
      states.forEach((h, l) => {
        const v = h.dataSync() as Float32Array;
        const d = dims[l];
        batch.forEach((i, r) => features[l].set(v.subarray(r * len * d, (r + 1) * len * d), starts[i] * d));
      });
      tf.dispose(states);
    }
  }
  return { model: model.name, layers: [...model.layers], dims, tokens, features };
}
