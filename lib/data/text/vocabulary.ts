/**
 * A word vocabulary: the most frequent words of a corpus, special tokens first, every other word
 * mapped to the unknown token (and counted, so a model's input is never silently changed).
 *
 * @example
 * ```ts
 * const vocab = buildVocabulary(loadBrown().sentences.map((s) => s.words), { maxSize: 8000 });
 * const { ids, unknown } = vocab.encode(['The', 'jury', 'zyzzyva']);   // unknown: 1
 * ```
 */

import { UNKNOWN_CLASSES, unknownClassOf } from './unknownWords';

/** The special tokens, in this order at ids 0–3. */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[MASK]'] as const;

/** A vocabulary built by {@link buildVocabulary}. */
export interface Vocabulary {
  /** Tokens by id: the special tokens, then words by decreasing frequency. */
  readonly tokens: readonly string[];
  /** Corpus count of each token (0 for the special tokens). */
  readonly counts: readonly number[];
  /** Whether words are lower-cased before lookup. */
  readonly lowercase: boolean;
  readonly pad: number;
  readonly unk: number;
  readonly cls: number;
  readonly mask: number;
  /** The id of a word ({@link Vocabulary.unk} when it is not in the vocabulary). */
  id(word: string): number;
  /** Ids of the words, and how many of them were unknown. */
  encode(words: readonly string[]): { ids: number[]; unknown: number };
  /** Whether the vocabulary maps unknown words to classes ({@link unknownClassOf}) rather than all to [UNK]. */
  readonly unknownClasses: boolean;
  /** Whether `id` stands for an unknown word: [UNK] or one of its classes. */
  isUnknown(id: number): boolean;
}

/** Options of {@link buildVocabulary}. */
export interface VocabularyOptions {
  /** Largest vocabulary, special tokens included; default 8000. */
  maxSize?: number;
  /** Leave out words seen fewer times; default 1. */
  minCount?: number;
  /** Lower-case words; default true. */
  lowercase?: boolean;
  /**
   * Map an out-of-vocabulary word to its class by shape (`[UNK-ing]`, `[UNK-cap-s]`, `[UNK-num]`, …;
   * {@link unknownClassOf}) instead of to [UNK]; the classes take the last {@link UNKNOWN_CLASSES}.length
   * ids, so the vocabulary keeps `maxSize` tokens in all. Default false.
   */
  unknownClasses?: boolean;
}

/** Builds a {@link Vocabulary} from tokenized sentences (ties in frequency broken alphabetically). */
export function buildVocabulary(sentences: readonly (readonly string[])[], options: VocabularyOptions = {}): Vocabulary {
  const { maxSize = 8000, minCount = 1, lowercase = true, unknownClasses = false } = options;
  const reserved = SPECIAL_TOKENS.length + (unknownClasses ? UNKNOWN_CLASSES.length : 0);
  if (!Number.isInteger(maxSize) || maxSize <= reserved) throw new Error(`buildVocabulary: options.maxSize must be an integer > ${reserved}${unknownClasses ? ' (special tokens and unknown-word classes)' : ''}; got ${maxSize}`);
  if (!Number.isInteger(minCount) || minCount < 1) throw new Error(`buildVocabulary: options.minCount must be an integer ≥ 1; got ${minCount}`);
  if (!Array.isArray(sentences)) throw new Error('buildVocabulary: sentences must be an array of word arrays');
  const norm = (w: string) => (lowercase ? w.toLowerCase() : w);
  const freq = new Map<string, number>();
  for (const s of sentences) for (const w of s) freq.set(norm(w), (freq.get(norm(w)) ?? 0) + 1);
  const words = [...freq.entries()]
    .filter(([w, c]) => c >= minCount && !(SPECIAL_TOKENS as readonly string[]).includes(w))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxSize - reserved);
  const tokens = [...SPECIAL_TOKENS, ...words.map(([w]) => w)];
  const counts = [...SPECIAL_TOKENS.map(() => 0), ...words.map(([, c]) => c)];
  if (unknownClasses) {
    const kept = new Set(words.map(([w]) => w));
    const byClass = new Map(UNKNOWN_CLASSES.map((c) => [c, 0]));
    for (const s of sentences) {
      for (const w of s) {
        if (kept.has(norm(w))) continue;
        const c = unknownClassOf(w);
        byClass.set(c, byClass.get(c)! + 1);
      }
    }
    tokens.push(...UNKNOWN_CLASSES);
    counts.push(...UNKNOWN_CLASSES.map((c) => byClass.get(c)!));
  }
  return vocabularyOf(tokens, counts, lowercase);
}

/**
 * A {@link Vocabulary} from its token list (special tokens first, as {@link buildVocabulary} makes
 * it) and counts: how a saved vocabulary is read back.
 */
export function vocabularyOf(tokens: readonly string[], counts: readonly number[], lowercase = true): Vocabulary {
  if (!Array.isArray(tokens) || SPECIAL_TOKENS.some((t, i) => tokens[i] !== t)) throw new Error(`vocabularyOf: tokens must start with the special tokens ${SPECIAL_TOKENS.join(' ')}; got ${JSON.stringify(Array.isArray(tokens) ? tokens.slice(0, 4) : tokens)}`);
  if (!Array.isArray(counts) || counts.length !== tokens.length) throw new Error(`vocabularyOf: counts must have one count per token (${tokens.length}); got ${Array.isArray(counts) ? counts.length : typeof counts}`);
  const norm = (w: string) => (lowercase ? w.toLowerCase() : w);
  const index = new Map(tokens.map((t, i) => [t, i]));
  const unknownClasses = UNKNOWN_CLASSES.every((c) => index.has(c));
  const firstClass = unknownClasses ? Math.min(...UNKNOWN_CLASSES.map((c) => index.get(c)!)) : tokens.length;
  const id = (w: string) => index.get(norm(w)) ?? (unknownClasses && !(SPECIAL_TOKENS as readonly string[]).includes(w) ? index.get(unknownClassOf(w))! : 1);
  const isUnknown = (i: number) => i === 1 || i >= firstClass;
  return {
    tokens: [...tokens],
    counts: [...counts],
    lowercase,
    pad: 0,
    unk: 1,
    cls: 2,
    mask: 3,
    id,
    encode(ws) {
      const ids = ws.map(id);
      return { ids, unknown: ids.filter((i, k) => isUnknown(i) && norm(ws[k]) !== '[unk]').length };
    },
    unknownClasses,
    isUnknown,
  };
}
