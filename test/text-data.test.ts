/** The Brown corpus, its universal tags, a vocabulary, and silver entity labels from wink-nlp. */
import * as assert from 'assert';
import { buildVocabulary, entityTagsOf, loadBrown, silverEntities, universalTag, UNIVERSAL_TAGS } from '../lib/data';

describe('text data', function () {
  this.timeout(120000);

  it('reads the whole Brown corpus: 500 documents, 57,340 sentences, 1,161,192 words (as NLTK counts them)', () => {
    const all = loadBrown({ split: 'all' });
    assert.strictEqual(all.files.length, 500);
    assert.strictEqual(all.sentences.length, 57340);
    assert.strictEqual(all.words, 1161192);
    const first = all.sentences[0];
    assert.deepStrictEqual(first.words.slice(0, 4), ['The', 'Fulton', 'County', 'Grand']);
    assert.deepStrictEqual(first.tags.slice(0, 4), ['at', 'np-tl', 'nn-tl', 'jj-tl']);
    assert.deepStrictEqual(first.fine.slice(0, 4), ['at', 'np', 'nn', 'jj']);
    assert.deepStrictEqual(first.universal.slice(0, 4), ['DET', 'NOUN', 'NOUN', 'ADJ']);
    const counts = new Map<string, number>();
    all.sentences.forEach((s) => s.universal.forEach((u) => counts.set(u, (counts.get(u) ?? 0) + 1)));
    assert.deepStrictEqual([...counts.keys()].sort(), [...UNIVERSAL_TAGS].sort());
    // NLTK's universal counts for the same corpus (brown.tagged_words(tagset='universal'))
    const nltk: Record<string, number> = { NOUN: 275558, VERB: 182750, '.': 147565, ADP: 144766, DET: 137019, ADJ: 83721, ADV: 56239, CONJ: 38151, NUM: 14874 };
    for (const [tag, n] of Object.entries(nltk)) {
      const ours = counts.get(tag) ?? 0;
      assert.ok(Math.abs(ours - n) / n < 0.05, `${tag}: ${ours} here, ${n} in NLTK`);
    }
  });

  it('splits by document, 400 / 50 / 50, disjoint', () => {
    const [tr, dev, te] = (['train', 'dev', 'test'] as const).map((split) => loadBrown({ split }));
    assert.deepStrictEqual([tr.files.length, dev.files.length, te.files.length], [400, 50, 50]);
    const seen = new Set(tr.files);
    [...dev.files, ...te.files].forEach((f) => assert.ok(!seen.has(f), `${f} in two splits`));
    assert.ok(dev.files.every((f) => !te.files.includes(f)));
    assert.strictEqual(loadBrown({ split: 'dev', maxSentences: 7 }).sentences.length, 7);
    assert.ok(loadBrown({ split: 'test', genres: 'a' }).files.every((f) => f.startsWith('ca')));
    assert.throws(() => loadBrown({ split: 'valid' as never }), /loadBrown: options\.split must be one of train, dev, test, all; got "valid"/);
    assert.throws(() => loadBrown({ maxSentences: 0 }), /loadBrown: options\.maxSentences must be a positive integer; got 0/);
  });

  it('maps Brown tags to universal tags on their base tag', () => {
    const cases: [string, string][] = [['nn-tl', 'NOUN'], ['ppss+bem', 'PRON'], ['pp$', 'DET'], ['do*', 'VERB'], ['fw-nn', 'X'], ['``', '.'], ['to', 'PRT'], ['cs', 'ADP'], ['cd-hl', 'NUM'], ['*', 'ADV']];
    for (const [brown, u] of cases) assert.strictEqual(universalTag(brown), u, brown);
    assert.throws(() => universalTag(''), /universalTag: brownTag must be a non-empty string/);
  });

  it('builds a vocabulary by frequency, counting unknown words', () => {
    const v = buildVocabulary([['The', 'cat', 'the'], ['a', 'cat', 'THE']], { maxSize: 6 });
    assert.deepStrictEqual(v.tokens, ['[PAD]', '[UNK]', '[CLS]', '[MASK]', 'the', 'cat']);
    assert.deepStrictEqual(v.encode(['THE', 'dog', 'cat', 'a']), { ids: [4, 1, 5, 1], unknown: 2 });
    assert.throws(() => buildVocabulary([], { maxSize: 3 }), /buildVocabulary: options\.maxSize must be an integer > 4; got 3/);
  });

  it('labels numeric and temporal entities with wink-nlp (silver), aligned to the Brown words', () => {
    const words = ['It', 'was', 'held', 'on', 'March', '3', ',', '1961', ',', 'and', 'cost', '$', '5,000', '.'];
    const { labels, unaligned } = entityTagsOf(words);
    assert.strictEqual(unaligned, 0);
    assert.deepStrictEqual(labels.slice(4, 8), ['B-DATE', 'I-DATE', 'I-DATE', 'I-DATE']);
    assert.deepStrictEqual(labels.slice(11, 13), ['B-MONEY', 'I-MONEY']);
    assert.deepStrictEqual(labels.slice(0, 4), ['O', 'O', 'O', 'O']);
    const dev = silverEntities(loadBrown({ split: 'dev', maxSentences: 300 }).sentences);
    assert.strictEqual(dev.quality, 'silver');
    assert.ok(dev.types.includes('DATE') && dev.types.includes('CARDINAL'), dev.types.join());
    assert.strictEqual(dev.labels.length, 300);
  });
});
