/**
 * Named-entity labels for Brown sentences, made by a model: wink-nlp with `wink-eng-lite-web-model`.
 * They are **silver** labels (a model's output, not human annotation) — say so wherever they appear.
 * That model's entities are the numeric and temporal kinds (DATE, TIME, DURATION, CARDINAL, ORDINAL,
 * MONEY, PERCENT, …), not people or places. Each Brown token gets a BIO tag (`B-DATE`, `I-DATE`, `O`)
 * by aligning wink's tokens to the Brown words through character offsets in the space-joined sentence.
 *
 * @example
 * ```ts
 * const tags = silverEntities(loadBrown({ split: 'dev' }).sentences);
 * tags.labels[0];   // ['O', 'O', …, 'B-DATE', …]
 * ```
 */
import type { BrownSentence } from './brown';

/** What {@link silverEntities} returns. */
export interface SilverEntities {
  /** BIO tag of every word, per sentence. */
  labels: string[][];
  /** Entity types seen, sorted. */
  types: string[];
  /** wink tokens that could not be placed in the sentence text (their entity labels are lost). */
  unaligned: number;
  /** Always `silver`: labels made by wink-nlp, not by people. */
  quality: 'silver';
}

interface WinkDoc {
  tokens(): { out(): string[] };
  entities(): { out(f: unknown): unknown[] };
}
interface Wink {
  readDoc(text: string): WinkDoc;
  its: { type: unknown; span: unknown };
}

let wink: Wink | undefined;
function winkNlp(): Wink {
  if (!wink) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const make = require('wink-nlp') as (model: unknown) => Wink;
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      wink = make(require('wink-eng-lite-web-model'));
    } catch {
      throw new Error('silverEntities: the npm packages wink-nlp and wink-eng-lite-web-model are needed (npm install wink-nlp wink-eng-lite-web-model)');
    }
  }
  return wink;
}

/** BIO entity tags for one sentence's words; returns the number of wink tokens not aligned. */
export function entityTagsOf(words: readonly string[]): { labels: string[]; unaligned: number } {
  const nlp = winkNlp();
  const text = words.join(' ');
  const starts: number[] = [];
  let at = 0;
  for (const w of words) {
    starts.push(at);
    at += w.length + 1;
  }
  const doc = nlp.readDoc(text);
  const tokens = doc.tokens().out();
  const span: [number, number][] = [];
  let cursor = 0;
  let unaligned = 0;
  for (const t of tokens) {
    const k = text.indexOf(t, cursor);
    if (k < 0) {
      unaligned++;
      span.push([-1, -1]);
      continue;
    }
    span.push([k, k + t.length]);
    cursor = k + t.length;
  }
  const types = doc.entities().out(nlp.its.type) as string[];
  const spans = doc.entities().out(nlp.its.span) as [number, number][];
  const labels = words.map(() => 'O');
  spans.forEach(([a, b], e) => {
    const lo = span[a]?.[0] ?? -1;
    const hi = span[b]?.[1] ?? -1;
    if (lo < 0 || hi < 0) return;
    let first = true;
    words.forEach((w, i) => {
      const [s0, s1] = [starts[i], starts[i] + w.length];
      if (s1 > lo && s0 < hi) {
        labels[i] = `${first ? 'B' : 'I'}-${types[e]}`;
        first = false;
      }
    });
  });
  return { labels, unaligned };
}

/** Silver BIO entity tags for every word of every sentence (see the module example). */
export function silverEntities(sentences: readonly Pick<BrownSentence, 'words'>[]): SilverEntities {
  if (!Array.isArray(sentences)) throw new Error('silverEntities: sentences must be an array of { words }');
  const labels: string[][] = [];
  const types = new Set<string>();
  let unaligned = 0;
  for (const s of sentences) {
    const r = entityTagsOf(s.words);
    labels.push(r.labels);
    unaligned += r.unaligned;
    r.labels.forEach((l) => l !== 'O' && types.add(l.slice(2)));
  }
  return { labels, types: [...types].sort(), unaligned, quality: 'silver' };
}
