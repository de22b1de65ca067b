/**
 * A BiLSTM language model: the probing notebook's second architecture beside the tiny BERT, trained
 * on the same Brown `train` documents with the same 8,000-token vocabulary (unknown words as word-shape
 * classes, {@link unknownClassOf}) and the same input (`[CLS] w₁ … wₙ`, lower-cased). Word embedding
 * (128, started from PPMI + SVD word vectors, {@link distributionalVectors}, entries of RMS 1: measured
 * against the random start's 0.1, masked-word top-1 0.155 vs 0.113 and universal-POS probes
 * embedding → BiLSTM 2 0.917 → 0.853 vs 0.915 → 0.635) → two bidirectional LSTM layers
 * (Hochreiter & Schmidhuber 1997; Graves & Schmidhuber 2005) of 64 units per direction (128 wide,
 * like BERT's states), on the fused wasm LSTM ({@link fusedLstm}) inside `tf.layers.bidirectional`.
 *
 * Objective: **masked words**, BERT's (Devlin et al. 2019) — 15% of word positions become [MASK]
 * (80/10/10) and a softmax head on the top layer predicts them. Not ELMo's two one-directional
 * language models (Peters et al. 2018): in a stacked *bidirectional* layer the forward LSTM of
 * layer 2 reads layer 1's backward states, which have already seen the next word, so "predict the
 * next word" would be answered by a leak. Masking hides the word itself instead.
 *
 * Trained once (a small budget, {@link BILSTM_LM_RECIPE}: 300 Adam steps of ~2,000 tokens, 0.5 s a step on 2 shared cores at load ~5, less when quiet) and cached
 * under `data/generated/bilstm-lm/` like {@link courseBert}; its held-out masked-word accuracy is
 * kept beside the unigram baseline.
 *
 * @example
 * ```ts
 * const { lm, vocab, evaluation } = await courseBiLstm();
 * const states = lm.forward(ids);   // [b, t, 128] embedding, BiLSTM 1 and BiLSTM 2
 * evaluation.top1; evaluation.unigramTop1;
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../engine/tf';
import { sparseSoftmaxCrossEntropy } from '../engine/ops/sparseSoftmaxCrossEntropy';
import { progress } from '../display/progress';
import { pollInterrupt } from '../display/interrupt';
import { seededRandom } from '../data/permutation';
import { loadBrown } from '../data/text/brown';
import { buildVocabulary, vocabularyOf, type Vocabulary } from '../data/text/vocabulary';
import { distributionalVectors } from '../data/text/wordVectors';
import { generatedDir } from '../packageRoot';
import { adam } from './adam';
import { fusedLstm } from './fusedLstm';
import { checkInitialEmbedding, setInitialEmbedding } from './initialEmbedding';
import { cachedModels } from './modelCache';
import { encodeSentences, maskBatch } from './transformer/maskedLm';

/** Recipe version: a saved model of another version is retrained. */
export const BILSTM_LM_VERSION = 4;

/** Sizes and training budget of the course BiLSTM. */
export const BILSTM_LM_RECIPE = { vocab: 8000, unknownClasses: true, distributionalStart: true, embeddingRms: 1, embedding: 128, units: 64, layers: 2, maxLength: 64, steps: 300, learningRate: 3e-3, batchTokens: 2048, seed: 3 } as const;

/** A BiLSTM masked language model. */
export interface BiLstmLm {
  /** ids [b, t] → embedding [b, t, e], then each BiLSTM layer's states [b, t, 2·units]. */
  readonly network: tf.LayersModel;
  /** states [n, 2·units] → logits [n, vocab]. */
  readonly head: tf.LayersModel;
  /** Names of the layers `forward` returns: `embedding`, `bilstm 1`, `bilstm 2`. */
  readonly layerNames: string[];
  /** Every layer's states for `ids` [b, t] (the caller disposes them). */
  forward(ids: tf.Tensor2D): tf.Tensor3D[];
  /** Logits at the flattened positions `rows` of the top layer. */
  logits(ids: tf.Tensor2D, rows: tf.Tensor1D): tf.Tensor2D;
  readonly variables: tf.Variable[];
  dispose(): void;
}

/** Options of {@link biLstmLm}. */
export interface BiLstmLmConfig {
  vocab: number;
  /** Embedding width; default 64. */
  embedding?: number;
  /** LSTM units per direction (a multiple of 4 for the fused path); default 64. */
  units?: number;
  /** BiLSTM layers; default 2. */
  layers?: number;
  /**
   * Starting word embedding, vocab × embedding values (e.g. {@link distributionalVectors}), rescaled
   * to `initialEmbeddingRms`; default random N(0, 0.1²).
   */
  initialEmbedding?: Float32Array;
  /** Root-mean-square entry of `initialEmbedding` after rescaling; default 0.1, the random start's. */
  initialEmbeddingRms?: number;
}

/** A freshly initialised BiLSTM masked LM (seeded). */
export function biLstmLm(config: BiLstmLmConfig): BiLstmLm {
  const { vocab, embedding = 64, units = 64, layers = 2 } = config;
  for (const [k, v] of Object.entries({ vocab, embedding, units, layers })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`biLstmLm: config.${k} must be a positive integer; got ${v}`);
  }
  checkInitialEmbedding('biLstmLm', config.initialEmbedding, vocab, embedding);
  const ids = tf.input({ shape: [null], dtype: 'int32', name: 'ids' });
  const wordEmbedding = tf.layers.embedding({ inputDim: vocab, outputDim: embedding, embeddingsInitializer: tf.initializers.randomNormal({ stddev: 0.1, seed: 1 }), name: 'word_embedding' });
  let x = wordEmbedding.apply(ids) as tf.SymbolicTensor;
  if (config.initialEmbedding !== undefined) setInitialEmbedding('biLstmLm', wordEmbedding, config.initialEmbedding, config.initialEmbeddingRms ?? 0.1);
  const outputs = [x];
  for (let i = 0; i < layers; i++) {
    const cell = fusedLstm({ units, recurrentActivation: 'sigmoid', returnSequences: true, kernelInitializer: tf.initializers.glorotUniform({ seed: 10 + i }), recurrentInitializer: tf.initializers.glorotUniform({ seed: 20 + i }) });
    x = tf.layers.bidirectional({ layer: cell as unknown as tf.RNN, mergeMode: 'concat', name: `bilstm_${i + 1}` }).apply(x) as tf.SymbolicTensor;
    outputs.push(x);
  }
  const network = tf.model({ inputs: ids, outputs, name: 'bilstm_lm' });
  const head = tf.sequential({ name: 'bilstm_mlm_head', layers: [tf.layers.dense({ units: vocab, inputShape: [2 * units], kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }), name: 'mlm_output' })] });
  return biLstmLmFrom(network, head);
}

/** A {@link BiLstmLm} around a saved `network` and `head`. */
export function biLstmLmFrom(network: tf.LayersModel, head: tf.LayersModel): BiLstmLm {
  const n = network.outputs.length;
  const forward = (ids: tf.Tensor2D) => {
    if (!(ids instanceof tf.Tensor) || ids.rank !== 2) throw new Error(`biLstmLm.forward: ids must be a 2-D int32 tensor [batch, length]; got ${ids instanceof tf.Tensor ? `shape [${ids.shape}]` : typeof ids}`);
    return tf.tidy(() => network.apply(ids) as tf.Tensor3D[]);
  };
  const logits = (ids: tf.Tensor2D, rows: tf.Tensor1D) =>
    tf.tidy(() => {
      const states = forward(ids);
      const top = states[n - 1];
      return head.apply(tf.gather(top.reshape([-1, top.shape[2]]), rows)) as tf.Tensor2D;
    });
  return {
    network,
    head,
    layerNames: ['embedding', ...Array.from({ length: n - 1 }, (_, i) => `bilstm ${i + 1}`)],
    forward,
    logits,
    variables: [...network.trainableWeights, ...head.trainableWeights].map((w) => w.read() as tf.Variable),
    dispose() {
      network.dispose();
      head.dispose();
    },
  };
}

/**
 * Sentence indices grouped by exact length (no padding at all: a backward LSTM would otherwise read
 * the padding first), at most `batchTokens` tokens per group.
 */
export function sameLengthBatches(ids: readonly (readonly number[])[], batchTokens: number): number[][] {
  const byLength = new Map<number, number[]>();
  ids.forEach((s, i) => byLength.set(s.length, [...(byLength.get(s.length) ?? []), i]));
  const batches: number[][] = [];
  for (const [len, members] of [...byLength.entries()].sort((a, b) => a[0] - b[0])) {
    const per = Math.max(1, Math.floor(batchTokens / len));
    for (let k = 0; k < members.length; k += per) batches.push(members.slice(k, k + per));
  }
  return batches;
}

/** What {@link courseBiLstm} keeps about its training and its held-out score. */
export interface BiLstmLmMeta {
  training: { steps: number; firstLoss: number; lastLoss: number; ms: number };
  /** Held-out (Brown `test`) masked-word top-1 accuracy (15% of word positions, all [MASK]) and the unigram baseline (always "the"). */
  evaluation: { masked: number; top1: number; unigramTop1: number };
}

/** Trains `lm` on encoded sentences with the masked-word objective (interruptible; progress shown). */
export async function trainBiLstmLm(lm: BiLstmLm, ids: readonly number[][], vocabSize: number, options: { steps?: number; learningRate?: number; batchTokens?: number; seed?: number; quiet?: boolean } = {}): Promise<BiLstmLmMeta['training']> {
  const { steps = 400, learningRate = 3e-3, batchTokens = 2048, seed = 3, quiet = false } = options;
  const rnd = seededRandom(seed);
  const all = sameLengthBatches(ids, batchTokens).filter((b) => ids[b[0]].length > 2);
  const optimizer = adam(learningRate);
  const bar = progress({ total: steps, label: 'train BiLSTM (masked words)', enabled: !quiet });
  const losses: number[] = [];
  const t0 = Date.now();
  try {
    for (let s = 0; s < steps; s++) {
      await pollInterrupt('trainBiLstmLm');
      const batch = maskBatch(ids, all[Math.floor(rnd() * all.length)], vocabSize, rnd);
      optimizer.setLearningRate(learningRate * Math.min(1, (steps - s) / (steps / 2)));
      const { value, grads } = tf.variableGrads(() => sparseSoftmaxCrossEntropy(lm.logits(batch.inputs, batch.rows), batch.labels), lm.variables);
      optimizer.applyGradients(grads);
      const loss = value.dataSync()[0];
      tf.dispose([value, ...Object.values(grads), batch.inputs, batch.rows, batch.labels]);
      if (!Number.isFinite(loss)) throw new Error(`trainBiLstmLm: the loss became ${loss} at step ${s + 1}; lower options.learningRate (${learningRate})`);
      losses.push(loss);
      bar.tick({ loss });
    }
  } finally {
    optimizer.dispose();
  }
  const k = Math.max(1, Math.floor(steps / 10));
  const mean = (a: number[]) => a.reduce((p, x) => p + x, 0) / a.length;
  const r = { steps, firstLoss: mean(losses.slice(0, k)), lastLoss: mean(losses.slice(-k)), ms: Date.now() - t0 };
  bar.done({ loss: r.lastLoss });
  return r;
}

/** Held-out masked-word accuracy of `lm` (every in-vocabulary word position — never [CLS] or [UNK] — masked with probability 0.15, seeded) beside always guessing id 4 ("the"). */
export function evaluateBiLstmLm(lm: BiLstmLm, ids: readonly number[][], seed = 7): BiLstmLmMeta['evaluation'] {
  const rnd = seededRandom(seed);
  let masked = 0;
  let top1 = 0;
  let uni = 0;
  for (const members of sameLengthBatches(ids, 4096)) {
    const t = ids[members[0]].length;
    const flat = new Int32Array(members.length * t);
    const rows: number[] = [];
    const labels: number[] = [];
    members.forEach((m, r) => ids[m].forEach((id, j) => {
      flat[r * t + j] = id;
      if (id >= 4 && rnd() < 0.15) {
        rows.push(r * t + j);
        labels.push(id);
        flat[r * t + j] = 3;
      }
    }));
    if (rows.length === 0) continue;
    const best = tf.tidy(() => lm.logits(tf.tensor2d(flat, [members.length, t], 'int32'), tf.tensor1d(rows, 'int32')).argMax(1));
    const b = best.dataSync();
    best.dispose();
    labels.forEach((l, i) => {
      masked++;
      top1 += b[i] === l ? 1 : 0;
      uni += l === 4 ? 1 : 0;
    });
  }
  return { masked, top1: top1 / masked, unigramTop1: uni / masked };
}

/** What {@link courseBiLstm} returns. */
export interface CourseBiLstm extends BiLstmLmMeta {
  lm: BiLstmLm;
  vocab: Vocabulary;
  trained: boolean;
  ms: number;
  dir: string;
}

/** The course BiLSTM: loaded from `data/generated/bilstm-lm` when saved with this recipe version, else trained on Brown `train` and saved (300 steps, a few minutes at most). */
export async function courseBiLstm(options: { dir?: string; retrain?: boolean; quiet?: boolean } = {}): Promise<CourseBiLstm> {
  const dir = options.dir ?? path.join(generatedDir(), 'bilstm-lm');
  const r = BILSTM_LM_RECIPE;
  const vocabPath = path.join(dir, 'vocab.json');
  let vocab: Vocabulary | undefined;
  const c = await cachedModels<BiLstmLmMeta>('courseBiLstm', 'BiLSTM language model', dir, BILSTM_LM_VERSION, ['network', 'head'], options, async () => {
    const train = loadBrown({ split: 'train' }).sentences.map((s) => s.words);
    vocab = buildVocabulary(train, { maxSize: r.vocab, unknownClasses: r.unknownClasses });
    const initialEmbedding = r.distributionalStart ? distributionalVectors(train, vocab, { dims: r.embedding }).vectors : undefined;
    const lm = biLstmLm({ vocab: r.vocab, embedding: r.embedding, units: r.units, layers: r.layers, initialEmbedding, initialEmbeddingRms: r.embeddingRms });
    const training = await trainBiLstmLm(lm, encodeSentences(vocab, train, r.maxLength).ids, r.vocab, { steps: r.steps, learningRate: r.learningRate, batchTokens: r.batchTokens, seed: r.seed, quiet: options.quiet });
    const test = loadBrown({ split: 'test' }).sentences.map((s) => s.words);
    const evaluation = evaluateBiLstmLm(lm, encodeSentences(vocab, test, r.maxLength).ids);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(vocabPath, JSON.stringify({ tokens: vocab.tokens, counts: vocab.counts, lowercase: vocab.lowercase }));
    return { models: { network: lm.network, head: lm.head }, meta: { training, evaluation } };
  });
  if (!vocab) {
    if (fs.existsSync(vocabPath)) {
      const v = JSON.parse(fs.readFileSync(vocabPath, 'utf8'));
      vocab = vocabularyOf(v.tokens, v.counts, v.lowercase);
    } else vocab = buildVocabulary(loadBrown({ split: 'train' }).sentences.map((s) => s.words), { maxSize: r.vocab, unknownClasses: r.unknownClasses });
  }
  return { lm: biLstmLmFrom(c.models.network, c.models.head), vocab, training: c.meta.training, evaluation: c.meta.evaluation, trained: c.trained, ms: c.ms, dir };
}
