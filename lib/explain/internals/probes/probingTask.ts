/**
 * Token-level probing tasks with their control tasks (Hewitt & Liang 2019, "Designing and
 * Interpreting Probes with Control Tasks", EMNLP): string tags become class indices (most frequent
 * training tag first), and every word type gets one control tag drawn from the task's tag
 * distribution, shared by all its occurrences in train, dev and test. {@link brownProbingData}
 * gives the three tasks of the probing notebook on Brown's document-level splits: the 12
 * universal tags (gold), the fine Brown tags (gold) and named entities (**silver**: wink-nlp's output,
 * numeric and temporal entity types only).
 *
 * @example
 * ```ts
 * const data = brownProbingData();   // 30,000 train, 5,000 dev, 20,000 test tokens
 * const pos = probingTask('universal POS', data.words, data.tags['universal POS']);
 * pos.labels.test.length;   // ≥ 20,000 held-out tokens
 * ```
 */
import { loadBrown, type TextSplit } from '../../../data/text/brown';
import { silverEntities } from '../../../data/text/silverEntities';
import { controlTask } from './controlTask';

/** One value per probing split. */
export interface Splits<T> {
  train: T;
  dev: T;
  test: T;
}

/** The probing splits, in order. */
export const PROBING_SPLITS = ['train', 'dev', 'test'] as const;

/** A token classification task and its control task, as class indices per split. */
export interface ProbingTask {
  name: string;
  /** Class names by index: training tags by decreasing frequency, then tags seen only in dev/test. */
  classes: string[];
  labels: Splits<number[]>;
  /** Hewitt & Liang's control labels (one random tag per word type). */
  control: Splits<number[]>;
  /** Labels made by a model, not by people. */
  silver: boolean;
}

/**
 * A {@link ProbingTask} from the words and string tags of each split. Control tags are drawn (with
 * `seed`) from the distribution of the tags over all three splits, one per lower-cased word type.
 *
 * @throws Error naming the split when its words and tags differ in length or it is empty.
 */
export function probingTask(name: string, words: Splits<readonly string[]>, tags: Splits<readonly string[]>, options: { seed?: number; silver?: boolean } = {}): ProbingTask {
  const where = 'probingTask';
  for (const s of PROBING_SPLITS) {
    if (!Array.isArray(words?.[s]) || !Array.isArray(tags?.[s])) throw new Error(`${where}: words.${s} and tags.${s} must be arrays`);
    if (words[s].length === 0) throw new Error(`${where}: the ${s} split has no tokens`);
    if (words[s].length !== tags[s].length) throw new Error(`${where}: words.${s} has ${words[s].length} tokens but tags.${s} has ${tags[s].length}`);
  }
  const freq = new Map<string, number>();
  tags.train.forEach((t) => freq.set(t, (freq.get(t) ?? 0) + 1));
  const classes = [...freq.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([t]) => t);
  for (const s of ['dev', 'test'] as const) for (const t of tags[s]) if (!freq.has(t)) (freq.set(t, 0), classes.push(t));
  const index = new Map(classes.map((c, i) => [c, i]));
  const labels = { train: tags.train.map((t) => index.get(t)!), dev: tags.dev.map((t) => index.get(t)!), test: tags.test.map((t) => index.get(t)!) };
  const all = controlTask([...words.train, ...words.dev, ...words.test], [...labels.train, ...labels.dev, ...labels.test], { seed: options.seed ?? 0 });
  const [a, b] = [words.train.length, words.train.length + words.dev.length];
  return { name, classes, labels, control: { train: all.slice(0, a), dev: all.slice(a, b), test: all.slice(b) }, silver: options.silver ?? false };
}

/** The three tasks of {@link brownProbingData}. */
export const BROWN_TASKS = ['universal POS', 'Brown tags', 'NER (silver)'] as const;

/** Sentences, words and tags of each split for {@link BROWN_TASKS}. */
export interface BrownProbingData {
  sentences: Splits<string[][]>;
  words: Splits<string[]>;
  tags: Record<(typeof BROWN_TASKS)[number], Splits<string[]>>;
  /** wink tokens that could not be aligned to Brown words (their entity labels are lost). */
  unaligned: number;
}

/**
 * Whole sentences of Brown's document-level splits, spread evenly over each split (every k-th
 * sentence, so every genre contributes) until at least `tokens[split]` words, each sentence at most
 * `maxWords` words (the models read `[CLS]` + 63 words; default sizes 30,000 / 5,000 / 20,000 tokens); with universal tags, fine Brown tags and
 * silver entity BIO tags.
 */
export function brownProbingData(options: { tokens?: Partial<Splits<number>>; maxWords?: number } = {}): BrownProbingData {
  const want: Splits<number> = { train: 30000, dev: 5000, test: 20000, ...options.tokens };
  const maxWords = options.maxWords ?? 63;
  const sentences = {} as Splits<string[][]>;
  const words = {} as Splits<string[]>;
  const tags = { 'universal POS': {}, 'Brown tags': {}, 'NER (silver)': {} } as BrownProbingData['tags'];
  let unaligned = 0;
  for (const s of PROBING_SPLITS) {
    if (!Number.isInteger(want[s]) || want[s] < 1) throw new Error(`brownProbingData: options.tokens.${s} must be a positive integer; got ${want[s]}`);
    const all = loadBrown({ split: s as TextSplit }).sentences.filter((x) => x.words.length <= maxWords);
    const total = all.reduce((n, x) => n + x.words.length, 0);
    if (total < want[s]) throw new Error(`brownProbingData: the ${s} split has ${total} words in sentences of ≤ ${maxWords} words; asked for ${want[s]}`);
    const stride = Math.max(1, Math.floor(total / want[s]));
    const taken = new Set<number>();
    let n = 0;
    for (let k = 0; n < want[s]; k = (k + stride) % all.length) {
      // past the end the stride starts a second pass, offset to sentences not taken yet
      while (taken.has(k)) k = (k + 1) % all.length;
      taken.add(k);
      n += all[k].words.length;
    }
    const picked = [...taken].sort((a, b) => a - b).map((k) => all[k]);
    const ner = silverEntities(picked);
    unaligned += ner.unaligned;
    sentences[s] = picked.map((x) => x.words);
    words[s] = picked.flatMap((x) => x.words);
    tags['universal POS'][s] = picked.flatMap((x) => x.universal);
    tags['Brown tags'][s] = picked.flatMap((x) => x.fine);
    tags['NER (silver)'][s] = ner.labels.flat();
  }
  return { sentences, words, tags, unaligned };
}
