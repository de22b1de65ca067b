/**
 * Classes for words outside a vocabulary, read off their shape: a digit, a hyphen, a capital, a
 * common suffix. A word model that maps every unknown word to one `[UNK]` cannot tell "zyzzyvas"
 * from "defenestrated"; mapping it to `[UNK-s]` or `[UNK-ed]` keeps what its spelling says about
 * its part of speech — the "signatures" of unknown words in statistical parsers (Petrov et al. 2006,
 * "Learning Accurate, Compact, and Interpretable Tree Annotation", the Berkeley parser; after
 * Collins 1999). Used by {@link buildVocabulary} with `unknownClasses: true`.
 *
 * @example
 * ```ts
 * unknownClassOf('Zyzzyvas');     // '[UNK-cap-s]'
 * unknownClassOf('1,250');        // '[UNK-num]'
 * unknownClassOf('defenestrated'); // '[UNK-ed]'
 * ```
 */

/** Suffixes tried in this order (longest first where one ends another). */
export const UNKNOWN_SUFFIXES = ['ness', 'ment', 'tion', 'able', 'ing', 'ity', 'ous', 'ive', 'ful', 'est', 'ed', 'ly', 'er', 'al', 'ic', 's', 'y'] as const;

/** Every class {@link unknownClassOf} can return, in a fixed order. */
export const UNKNOWN_CLASSES: readonly string[] = [
  '[UNK-num]',
  ...['', 'cap-'].flatMap((cap) => [...UNKNOWN_SUFFIXES, 'hyph', 'other'].map((kind) => `[UNK-${cap}${kind}]`)),
];

/** The class of an out-of-vocabulary word (see the module docs); the word's case matters. */
export function unknownClassOf(word: string): string {
  if (typeof word !== 'string') throw new Error(`unknownClassOf: word must be a string; got ${typeof word}`);
  if (/\d/.test(word)) return '[UNK-num]';
  const cap = /^\p{Lu}/u.test(word) ? 'cap-' : '';
  const lower = word.toLowerCase();
  if (lower.includes('-')) return `[UNK-${cap}hyph]`;
  const suffix = UNKNOWN_SUFFIXES.find((s) => lower.length > s.length + 2 && lower.endsWith(s));
  return `[UNK-${cap}${suffix ?? 'other'}]`;
}
