/**
 * Masked-language-model training (Devlin et al. 2019, "BERT", arXiv:1810.04805, §3.1 Task #1):
 * 15% of a sentence's word positions are chosen; of those 80% become [MASK], 10% a random word,
 * 10% stay; the model predicts the original words there. Sentences are batched by length (about
 * `batchTokens` tokens per batch, little padding), and evaluated by masked-word top-1 accuracy
 * beside the unigram baseline (always guessing the most frequent training word). Words outside the
 * vocabulary ([UNK]) are never masked: "an unknown word goes here" is the most frequent answer
 * and teaches the model nothing about context. A vocabulary with unknown-word classes
 * (`buildVocabulary(…, { unknownClasses: true })`) has no [UNK] in its text: its classes (`[UNK-ing]`,
 * `[UNK-cap-s]`, …) are masked and predicted like words, which asks for the shape of the word that fits.
 *
 * @example
 * ```ts
 * const train = encodeSentences(vocab, sentences.map((s) => s.words), 64).ids;
 * await trainMaskedLm(bert, train, { steps: 300 });
 * const { top1, unigramTop1 } = evaluateMaskedLm(bert, dev);   // beside always guessing the most frequent word
 * ```
 */
import { tf } from '../../engine/tf';
import { progress } from '../../display/progress';
import { pollInterrupt } from '../../display/interrupt';
import { seededRandom } from '../../data/permutation';
import type { Vocabulary } from '../../data/text/vocabulary';
import { adam } from '../adam';
import type { TinyBert } from './tinyBert';

/** Sentences as model inputs: `[CLS] w₁ … wₙ`, truncated to `maxLength`. */
export interface EncodedSentences {
  ids: number[][];
  /** Sentences that were cut to `maxLength` tokens. */
  truncated: number;
  /** Words mapped to the unknown token. */
  unknown: number;
  /** Words in all (before truncation). */
  words: number;
}

/** Encodes tokenized sentences with `vocab` as `[CLS] w₁ … wₙ`, at most `maxLength` ids each (truncation and unknown words counted). */
export function encodeSentences(vocab: Vocabulary, sentences: readonly (readonly string[])[], maxLength: number): EncodedSentences {
  if (!Number.isInteger(maxLength) || maxLength < 2) throw new Error(`encodeSentences: maxLength must be an integer ≥ 2; got ${maxLength}`);
  if (!Array.isArray(sentences)) throw new Error('encodeSentences: sentences must be an array of word arrays');
  let truncated = 0;
  let unknown = 0;
  let words = 0;
  const ids = sentences.map((s, i) => {
    if (!Array.isArray(s)) throw new Error(`encodeSentences: sentences[${i}] must be an array of words; got ${typeof s}`);
    const e = vocab.encode(s);
    unknown += e.unknown;
    words += s.length;
    if (e.ids.length + 1 > maxLength) truncated++;
    return [vocab.cls, ...e.ids].slice(0, maxLength);
  });
  return { ids, truncated, unknown, words };
}

/** One masked batch: `inputs` [b, t] with masks applied, `rows` the masked flattened positions, `labels` the original ids there. */
export interface MaskedBatch {
  inputs: tf.Tensor2D;
  rows: tf.Tensor1D;
  labels: tf.Tensor1D;
}

/** Special ids below this are never masked or drawn as random words ([PAD] [UNK] [CLS] [MASK]). */
const FIRST_WORD = 4;
const MASK = 3;

/**
 * Groups sentence indices into batches of similar length with about `batchTokens` tokens each
 * (longest sentence × count); the order of batches is shuffled with `seed`.
 */
export function lengthBatches(ids: readonly number[][], batchTokens: number, seed: number): number[][] {
  const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length || a - b);
  const batches: number[][] = [];
  let cur: number[] = [];
  for (const i of order) {
    if (cur.length > 0 && ids[i].length * (cur.length + 1) > batchTokens) {
      batches.push(cur);
      cur = [];
    }
    cur.push(i);
  }
  if (cur.length) batches.push(cur);
  const rnd = seededRandom(seed);
  for (let i = batches.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [batches[i], batches[j]] = [batches[j], batches[i]];
  }
  return batches;
}

/**
 * Pads the sentences `members` of `ids` to one length and masks them BERT's way with `rnd`:
 * each in-vocabulary word position (never [CLS], [UNK] or padding) is chosen with probability `rate`; a chosen one becomes [MASK]
 * (80%), a random word (10%) or stays (10%). At least one position per batch is chosen.
 */
export function maskBatch(ids: readonly number[][], members: readonly number[], vocabSize: number, rnd: () => number, rate = 0.15): MaskedBatch {
  const t = Math.max(...members.map((m) => ids[m].length));
  const flat = new Int32Array(members.length * t);
  const rows: number[] = [];
  const labels: number[] = [];
  members.forEach((m, r) => {
    const s = ids[m];
    for (let j = 0; j < s.length; j++) {
      const id = s[j];
      flat[r * t + j] = id;
      if (id < FIRST_WORD) continue; // special tokens, [UNK] included: guessing "unknown word" teaches nothing
      if (rnd() >= rate) continue;
      rows.push(r * t + j);
      labels.push(id);
      const u = rnd();
      flat[r * t + j] = u < 0.8 ? MASK : u < 0.9 ? FIRST_WORD + Math.floor(rnd() * (vocabSize - FIRST_WORD)) : id;
    }
  });
  if (rows.length === 0) {
    const j = Math.max(0, ids[members[0]].findIndex((id) => id >= FIRST_WORD));
    rows.push(j);
    labels.push(ids[members[0]][j]);
    flat[j] = MASK;
  }
  return { inputs: tf.tensor2d(flat, [members.length, t], 'int32'), rows: tf.tensor1d(rows, 'int32'), labels: tf.tensor1d(labels, 'int32') };
}

/** Options of {@link trainMaskedLm}. */
export interface TrainMaskedLmOptions {
  /** Adam steps; default 600. */
  steps?: number;
  /** Peak learning rate, reached after `warmup` steps and decayed linearly to 0 at the end; default 1e-3. */
  learningRate?: number;
  warmup?: number;
  /** Tokens per batch (longest sentence × sentences); default 2048. */
  batchTokens?: number;
  /** Share of word positions masked per sentence; default 0.15 (BERT's; Wettig et al. 2023 found higher rates train faster). */
  maskRate?: number;
  seed?: number;
  /** Hide the progress bar. */
  quiet?: boolean;
}

/** What {@link trainMaskedLm} returns: the mean masked-LM loss of the first and the last 10% of steps. */
export interface MaskedLmTraining {
  steps: number;
  firstLoss: number;
  lastLoss: number;
  ms: number;
}

/** Trains `bert` as a masked language model on encoded sentences (interruptible; progress shown). */
export async function trainMaskedLm(bert: TinyBert, ids: readonly number[][], options: TrainMaskedLmOptions = {}): Promise<MaskedLmTraining> {
  const { steps = 600, learningRate = 1e-3, warmup = Math.min(100, Math.ceil(steps / 10)), batchTokens = 2048, maskRate = 0.15, seed = 1, quiet = false } = options;
  if (!(maskRate > 0 && maskRate < 1)) throw new Error(`trainMaskedLm: options.maskRate must be in (0, 1); got ${maskRate}`);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`trainMaskedLm: options.steps must be a positive integer; got ${steps}`);
  if (!(learningRate > 0)) throw new Error(`trainMaskedLm: options.learningRate must be > 0; got ${learningRate}`);
  if (!Array.isArray(ids) || ids.length === 0) throw new Error('trainMaskedLm: ids must be a non-empty array of encoded sentences');
  const rnd = seededRandom(seed);
  const optimizer = adam(learningRate);
  const bar = progress({ total: steps, label: 'train tiny BERT (masked LM)', enabled: !quiet });
  const t0 = Date.now();
  const losses: number[] = [];
  let batches: number[][] = [];
  let epoch = 0;
  try {
    for (let s = 0; s < steps; s++) {
      if (batches.length === 0) batches = lengthBatches(ids, batchTokens, seed * 1000 + epoch++);
      const batch = maskBatch(ids, batches.pop()!, bert.config.vocab, rnd, maskRate);
      optimizer.setLearningRate(learningRate * Math.min((s + 1) / warmup, (steps - s) / Math.max(1, steps - warmup)));
      const { value, grads } = tf.variableGrads(() => bert.maskedLmLoss(batch.inputs, batch.rows, batch.labels), bert.variables);
      optimizer.applyGradients(grads);
      const loss = value.dataSync()[0];
      tf.dispose([value, ...Object.values(grads), batch.inputs, batch.rows, batch.labels]);
      if (!Number.isFinite(loss)) throw new Error(`trainMaskedLm: the loss became ${loss} at step ${s + 1}; lower options.learningRate (${learningRate})`);
      losses.push(loss);
      bar.tick({ loss });
      await pollInterrupt('trainMaskedLm');
    }
  } finally {
    optimizer.dispose();
  }
  const k = Math.max(1, Math.floor(steps / 10));
  const mean = (a: number[]) => a.reduce((p, x) => p + x, 0) / a.length;
  const result = { steps, firstLoss: mean(losses.slice(0, k)), lastLoss: mean(losses.slice(-k)), ms: Date.now() - t0 };
  bar.done({ loss: result.lastLoss });
  return result;
}

/** What {@link evaluateMaskedLm} returns. */
export interface MaskedLmEvaluation {
  /** Masked positions scored. */
  masked: number;
  /** Share whose original word is the model's top prediction. */
  top1: number;
  /** Share whose original word is among its 5 best. */
  top5: number;
  /** Share that the unigram baseline (always `unigram`) gets right. */
  unigramTop1: number;
  /**
   * With `options.groupOf`: per group (e.g. part of speech) the masked count, top-1 accuracy, and
   * the share of the group's most frequent masked word — a baseline that knows the group and
   * always answers its most frequent word.
   */
  groups?: Record<string, { masked: number; top1: number; groupUnigramTop1: number }>;
}

/**
 * Masked-word accuracy on encoded sentences: every in-vocabulary word position ([UNK] is never
 * a target) is masked with probability `rate` (all become [MASK]), deterministically from
 * `seed`; beside it the unigram baseline that always answers `unigram` (the most frequent
 * training word, id 4 for a vocabulary of {@link buildVocabulary}).
 */
export function evaluateMaskedLm(
  bert: TinyBert,
  ids: readonly number[][],
  options: { seed?: number; rate?: number; unigram?: number; batchTokens?: number; groupOf?: (sentence: number, position: number) => string | undefined } = {},
): MaskedLmEvaluation {
  const { seed = 7, rate = 0.15, unigram = FIRST_WORD, batchTokens = 4096, groupOf } = options;
  const groups = new Map<string, { masked: number; top1: number; counts: Map<number, number> }>();
  if (!Array.isArray(ids) || ids.length === 0) throw new Error('evaluateMaskedLm: ids must be a non-empty array of encoded sentences');
  const rnd = seededRandom(seed);
  let masked = 0;
  let top1 = 0;
  let top5 = 0;
  let uni = 0;
  const batches = lengthBatches(ids, batchTokens, seed).sort((a, b) => a[0] - b[0]);
  for (const members of batches) {
    const t = Math.max(...members.map((m) => ids[m].length));
    const flat = new Int32Array(members.length * t);
    const rows: number[] = [];
    const labels: number[] = [];
    const where: [number, number][] = [];
    members.forEach((m, r) => {
      ids[m].forEach((id: number, j: number) => {
        flat[r * t + j] = id;
        if (id >= FIRST_WORD && rnd() < rate) {
          rows.push(r * t + j);
          labels.push(id);
          where.push([m, j]);
          flat[r * t + j] = MASK;
        }
      });
    });
    if (rows.length === 0) continue;
    const best = tf.tidy(() => tf.topk(bert.logits(tf.tensor2d(flat, [members.length, t], 'int32'), tf.tensor1d(rows, 'int32')), 5).indices);
    const b = best.dataSync();
    best.dispose();
    labels.forEach((l, i) => {
      masked++;
      if (b[i * 5] === l) top1++;
      for (let k = 0; k < 5; k++) if (b[i * 5 + k] === l) top5++;
      if (l === unigram) uni++;
      const g = groupOf?.(where[i][0], where[i][1]);
      if (g !== undefined) {
        const e = groups.get(g) ?? { masked: 0, top1: 0, counts: new Map<number, number>() };
        e.masked++;
        if (b[i * 5] === l) e.top1++;
        e.counts.set(l, (e.counts.get(l) ?? 0) + 1);
        groups.set(g, e);
      }
    });
  }
  const result: MaskedLmEvaluation = { masked, top1: top1 / masked, top5: top5 / masked, unigramTop1: uni / masked };
  if (groupOf) {
    result.groups = Object.fromEntries(
      [...groups.entries()].sort((a, b) => b[1].masked - a[1].masked).map(([g, e]) => [g, { masked: e.masked, top1: e.top1 / e.masked, groupUnigramTop1: Math.max(...e.counts.values()) / e.masked }]),
    );
  }
  return result;
}
