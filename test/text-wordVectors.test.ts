/** Unknown-word classes, a vocabulary that uses them, and PPMI + SVD word vectors against a dense reference. */
import * as assert from 'assert';
import { buildVocabulary, distributionalVectors, loadBrown, unknownClassOf, UNKNOWN_CLASSES, vocabularyOf } from '../lib/data';

describe('unknown words and word vectors', function () {
  this.timeout(120000);

  it('classes an unknown word by digits, hyphen, capital and suffix', () => {
    assert.strictEqual(unknownClassOf('Zyzzyvas'), '[UNK-cap-s]');
    assert.strictEqual(unknownClassOf('1,250'), '[UNK-num]');
    assert.strictEqual(unknownClassOf('defenestrated'), '[UNK-ed]');
    assert.strictEqual(unknownClassOf('half-hearted'), '[UNK-hyph]');
    assert.strictEqual(unknownClassOf('quickly'), '[UNK-ly]');
    assert.strictEqual(unknownClassOf('ly'), '[UNK-other]'); // too short to have the suffix
    assert.strictEqual(unknownClassOf('Élan'), '[UNK-cap-other]');
    assert.strictEqual(new Set(UNKNOWN_CLASSES).size, UNKNOWN_CLASSES.length);
    for (const w of ['Zyzzyvas', 'x', 'Running', 'nation', '42nd']) assert.ok(UNKNOWN_CLASSES.includes(unknownClassOf(w)), w);
  });

  it('keeps maxSize tokens with the classes last, counts them, and maps unknown words to them', () => {
    const sentences = [['The', 'cat', 'sat'], ['the', 'cat', 'jumped', 'Quickly'], ['the', 'dogs']];
    const v = buildVocabulary(sentences, { maxSize: 4 + 2 + UNKNOWN_CLASSES.length, unknownClasses: true });
    assert.deepStrictEqual(v.tokens.slice(0, 6), ['[PAD]', '[UNK]', '[CLS]', '[MASK]', 'the', 'cat']);
    assert.strictEqual(v.tokens.length, 6 + UNKNOWN_CLASSES.length);
    assert.ok(v.unknownClasses);
    assert.strictEqual(v.counts[v.tokens.indexOf('[UNK-ed]')], 1);
    assert.strictEqual(v.counts[v.tokens.indexOf('[UNK-cap-ly]')], 1);
    assert.strictEqual(v.counts[v.tokens.indexOf('[UNK-s]')], 1);
    const e = v.encode(['the', 'walked', 'Zebras', 'cat']);
    assert.deepStrictEqual(e.ids.map((i) => v.tokens[i]), ['the', '[UNK-ed]', '[UNK-cap-s]', 'cat']);
    assert.strictEqual(e.unknown, 2);
    assert.deepStrictEqual(e.ids.map((i) => v.isUnknown(i)), [false, true, true, false]);
    // read back from its tokens, it behaves the same; without classes every unknown word is [UNK]
    const back = vocabularyOf(v.tokens, v.counts, v.lowercase);
    assert.deepStrictEqual(back.encode(['the', 'walked', 'Zebras']).ids, e.ids.slice(0, 3));
    const plain = buildVocabulary(sentences, { maxSize: 6 });
    assert.ok(!plain.unknownClasses);
    assert.deepStrictEqual(plain.encode(['walked', 'cat']).ids, [1, 5]);
    assert.throws(() => buildVocabulary(sentences, { maxSize: 20, unknownClasses: true }), /maxSize must be an integer > 43 \(special tokens and unknown-word classes\); got 20/);
  });

  it('equals the exact PPMI Gram matrix on a small corpus (weighting 1, dims ≥ rank)', () => {
    const sentences = [
      ['the', 'cat', 'sat', 'on', 'the', 'mat'],
      ['a', 'dog', 'sat', 'on', 'a', 'log'],
      ['the', 'dog', 'saw', 'a', 'cat'],
      ['a', 'cat', 'saw', 'the', 'dog', 'on', 'the', 'log'],
    ];
    const v = buildVocabulary(sentences, { maxSize: 30 });
    const V = v.tokens.length;
    const window = 2;
    // reference: dense counts → PPMI with smoothing 0.75, as Levy et al. define it
    const C = 2 * window * V;
    const counts = Array.from({ length: V }, () => new Float64Array(C));
    for (const s of sentences) {
      const ids = v.encode(s).ids;
      ids.forEach((w, i) => {
        for (let d = 1; d <= window; d++) {
          if (i - d >= 0) counts[w][(window - d) * V + ids[i - d]]++;
          if (i + d < ids.length) counts[w][(window + d - 1) * V + ids[i + d]]++;
        }
      });
    }
    const total = counts.reduce((a, r) => a + r.reduce((x, y) => x + y, 0), 0);
    const colSmoothed = Array.from({ length: C }, (_, j) => counts.reduce((a, r) => a + r[j], 0) ** 0.75);
    const smoothedTotal = colSmoothed.reduce((a, b) => a + b, 0);
    const P = counts.map((r) => {
      const rs = r.reduce((a, b) => a + b, 0);
      return Array.from(r, (c, j) => (c > 0 ? Math.max(0, Math.log((c * smoothedTotal) / (rs * colSmoothed[j]))) : 0));
    });
    const { vectors, dims, singularValues, nonZeros } = distributionalVectors(sentences, v, { dims: V, weighting: 1, window });
    assert.strictEqual(nonZeros, P.flat().filter((x) => x > 0).length);
    for (let i = 1; i < singularValues.length; i++) assert.ok(singularValues[i] <= singularValues[i - 1] + 1e-9);
    let worst = 0;
    for (let a = 0; a < V; a++) {
      for (let b = 0; b < V; b++) {
        const exact = P[a].reduce((s, x, j) => s + x * P[b][j], 0);
        let ours = 0;
        for (let k = 0; k < dims; k++) ours += vectors[a * dims + k] * vectors[b * dims + k];
        worst = Math.max(worst, Math.abs(ours - exact));
      }
    }
    assert.ok(worst < 1e-3, `largest difference from P·Pᵀ: ${worst}`);
    assert.throws(() => distributionalVectors(sentences, v, { dims: 0 }), /distributionalVectors: options\.dims must be an integer in 1\.\.\d+/);
  });

  it('puts Brown words of one part of speech near each other', () => {
    const train = loadBrown({ split: 'train', maxSentences: 12000 }).sentences.map((s) => s.words);
    const v = buildVocabulary(train, { maxSize: 2000 });
    const { vectors, dims } = distributionalVectors(train, v, { dims: 32 });
    const vec = (w: string) => vectors.subarray(v.id(w) * dims, (v.id(w) + 1) * dims);
    const cos = (a: string, b: string) => {
      const [x, y] = [vec(a), vec(b)];
      let [xy, xx, yy] = [0, 0, 0];
      for (let k = 0; k < dims; k++) [xy, xx, yy] = [xy + x[k] * y[k], xx + x[k] ** 2, yy + y[k] ** 2];
      return xy / Math.sqrt(xx * yy);
    };
    // determiners with determiners, prepositions with prepositions, more than across the two
    assert.ok(cos('the', 'a') > cos('the', 'of') + 0.2, `the·a ${cos('the', 'a')}, the·of ${cos('the', 'of')}`);
    assert.ok(cos('in', 'on') > cos('in', 'his') + 0.2, `in·on ${cos('in', 'on')}, in·his ${cos('in', 'his')}`);
  });
});
