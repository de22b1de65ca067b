/** The tiny BERT (lib/models/transformer): attention against a direct computation, padding, save/load, masking, learning. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../lib/engine';
import { seededRandom } from '../lib/data';
import { biLstmLm, encoderBlock, evaluateMaskedLm, fileLoadHandler, fileSaveHandler, maskBatch, tinyBert, tinyBertFrom, trainMaskedLm } from '../lib/models';

/** Largest absolute difference of two tensors. */
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).arraySync() as number);

/** Attention weights of head `h` computed directly from the weights, in plain numbers. */
function directAttention(x: number[][], inProj: number[][], inBias: number[], heads: number, h: number): number[][] {
  const d = x[0].length;
  const dh = d / heads;
  const proj = (row: number[], off: number) => Array.from({ length: dh }, (_, j) => inBias[off + h * dh + j] + row.reduce((s, v, i) => s + v * inProj[i][off + h * dh + j], 0));
  const q = x.map((r) => proj(r, 0));
  const k = x.map((r) => proj(r, d));
  return q.map((qi) => {
    const s = k.map((kj) => qi.reduce((a, v, i) => a + v * kj[i], 0) / Math.sqrt(dh));
    const m = Math.max(...s);
    const e = s.map((v) => Math.exp(v - m));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / z);
  });
}

describe('tiny BERT (Devlin et al. 2019) with attention outputs', function () {
  this.timeout(300000);

  it('returns layers+1 hidden states and per-layer attention equal to a direct computation, rows summing to 1', () => {
    const bert = tinyBert({ vocab: 50, dModel: 16, heads: 2, layers: 2, ff: 32, maxLength: 10 });
    const before = tf.memory().numTensors;
    const ids = tf.tensor2d([[2, 7, 9, 11, 4, 5]], [1, 6], 'int32');
    const { hidden, attention } = bert.forward(ids);
    assert.strictEqual(hidden.length, 3);
    assert.strictEqual(attention.length, 2);
    assert.deepStrictEqual(hidden[2].shape, [1, 6, 16]);
    assert.deepStrictEqual(attention[0].shape, [1, 2, 6, 6]);
    const a1 = attention[1].arraySync()[0];
    for (const row of a1.flat()) assert.ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-5);
    const w = (bert.network.getLayer('encoder_2') as unknown as { weightsOf(): Record<string, tf.Tensor> }).weightsOf();
    const direct = directAttention(hidden[1].arraySync()[0], w.inProj.arraySync() as number[][], w.inBias.arraySync() as number[], 2, 1);
    direct.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - a1[1][i][j]) < 1e-5, `head 1 [${i},${j}]: ${a1[1][i][j]} vs direct ${v}`)));
    // the LayersModel's own outputs are the same numbers
    const outs = bert.network.predict(ids) as tf.Tensor[];
    assert.strictEqual(outs.length, 5);
    assert.ok(maxDiff(outs[4], attention[1]) < 1e-6);
    tf.dispose([ids, ...hidden, ...attention, ...outs]);
    assert.strictEqual(tf.memory().numTensors, before);
    bert.dispose();
  });

  it('gives padding keys no attention and leaves the real tokens unchanged by padding', () => {
    const bert = tinyBert({ vocab: 50, dModel: 16, heads: 4, layers: 1, ff: 16, maxLength: 10 });
    const short = tf.tensor2d([[2, 7, 9, 11]], [1, 4], 'int32');
    const padded = tf.tensor2d([[2, 7, 9, 11, 0, 0]], [1, 6], 'int32');
    const a = bert.forward(short);
    const b = bert.forward(padded);
    const pa = b.attention[0].arraySync()[0];
    for (const head of pa) for (const row of head) assert.ok(row[4] < 1e-9 && row[5] < 1e-9, `padding got ${row[4]}, ${row[5]}`);
    const cut = b.hidden[1].slice([0, 0, 0], [1, 4, 16]);
    const diff = maxDiff(a.hidden[1], cut);
    cut.dispose();
    assert.ok(diff < 1e-5, `real tokens moved by ${diff} with padding`);
    tf.dispose([short, padded, ...a.hidden, ...a.attention, ...b.hidden, ...b.attention]);
    bert.dispose();
  });

  it('saves and loads (registered layers) to the same outputs; replaceAttention with the identity changes nothing, uniform does', async () => {
    const bert = tinyBert({ vocab: 40, dModel: 8, heads: 2, layers: 2, ff: 8, maxLength: 8 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bert-'));
    await bert.network.save(fileSaveHandler(path.join(dir, 'n')));
    await bert.head.save(fileSaveHandler(path.join(dir, 'h')));
    const loaded = tinyBertFrom(await tf.loadLayersModel(fileLoadHandler(path.join(dir, 'n'))), await tf.loadLayersModel(fileLoadHandler(path.join(dir, 'h'))));
    assert.deepStrictEqual(loaded.config, bert.config);
    const ids = tf.tensor2d([[2, 5, 6, 7, 3]], [1, 5], 'int32');
    const rows = tf.tensor1d([1, 4], 'int32');
    const l1 = bert.logits(ids, rows);
    const l2 = loaded.logits(ids, rows);
    assert.ok(maxDiff(l1, l2) < 1e-6);
    const same = bert.logits(ids, rows, { replaceAttention: { layer: 1, replace: (p) => p } });
    const uniform = bert.logits(ids, rows, { replaceAttention: { layer: 1, replace: (p) => tf.onesLike(p).div(p.shape[3]) as tf.Tensor4D } });
    assert.ok(maxDiff(l1, same) < 1e-6);
    assert.ok(maxDiff(l1, uniform) > 1e-3);
    assert.throws(() => bert.forward(ids, { replaceAttention: { layer: 2, replace: (p) => p } }), /replaceAttention.layer must be in 0..1; got 2/);
    assert.throws(() => bert.forward(tf.zeros([1, 9], 'int32') as tf.Tensor2D), /9 positions but the model's maximum length is 8/);
    assert.throws(() => tinyBert({ vocab: 40, dModel: 10, heads: 4 }), /dModel 10 must be divisible by config.heads 4/);
    tf.dispose([ids, rows, l1, l2, same, uniform]);
    bert.dispose();
    loaded.dispose();
    fs.rmSync(dir, { recursive: true });
  });

  it('masks like BERT: ~15% of word positions, 80/10/10, never [CLS] or padding', () => {
    const rnd = seededRandom(3);
    const ids = Array.from({ length: 400 }, (_, i) => [2, ...Array.from({ length: 20 + (i % 7) }, (_, j) => 4 + ((i * 31 + j * 7) % 90))]);
    const b = maskBatch(ids, ids.map((_, i) => i), 100, rnd);
    const rows = b.rows.arraySync();
    const x = b.inputs.dataSync();
    const t = b.inputs.shape[1];
    const words = ids.reduce((s, r) => s + r.length - 1, 0);
    assert.ok(Math.abs(rows.length / words - 0.15) < 0.01, `masked share ${rows.length / words}`);
    const labels = b.labels.arraySync();
    const asMask = rows.filter((r) => x[r] === 3).length / rows.length;
    const kept = rows.filter((r, i) => x[r] === labels[i]).length / rows.length;
    assert.ok(Math.abs(asMask - 0.8) < 0.03 && Math.abs(kept - 0.1) < 0.03, `[MASK] ${asMask}, unchanged ${kept}`);
    for (const r of rows) assert.ok(r % t !== 0 && ids[Math.floor(r / t)].length > r % t, `masked position ${r} is [CLS] or padding`);
    tf.dispose([b.inputs, b.rows, b.labels]);
  });

  it('learns through attention far above the unigram baseline (a masked word equals the other words of its sentence)', async () => {
    const rnd = seededRandom(9);
    // sentences "a a a … a" of random words: only attention to the other positions tells the masked word
    const ids = Array.from({ length: 600 }, () => {
      const w = 4 + Math.floor(rnd() * 20);
      return [2, ...Array.from({ length: 6 + Math.floor(rnd() * 6) }, () => w)];
    });
    const bert = tinyBert({ vocab: 24, dModel: 32, heads: 2, layers: 1, ff: 64, maxLength: 16 });
    const before = tf.memory().numTensors;
    const r = await trainMaskedLm(bert, ids.slice(0, 500), { steps: 250, learningRate: 3e-3, batchTokens: 512, quiet: true });
    const ev = evaluateMaskedLm(bert, ids.slice(500), { rate: 0.1 });
    assert.strictEqual(tf.memory().numTensors, before, 'training left tensors behind');
    assert.ok(r.lastLoss < r.firstLoss / 2, `loss ${r.firstLoss} → ${r.lastLoss}`);
    assert.ok(ev.top1 > 0.8 && ev.unigramTop1 < 0.1, `top-1 ${ev.top1} vs unigram ${ev.unigramTop1}`);
    await assert.rejects(() => trainMaskedLm(bert, ids, { steps: 1, maskRate: 1 }), /options.maskRate must be in \(0, 1\); got 1/);
    bert.dispose();
  });

  it('encoderBlock, the function, computes what the layer computes', () => {
    const bert = tinyBert({ vocab: 30, dModel: 8, heads: 2, layers: 1, ff: 8, maxLength: 6 });
    const ids = tf.tensor2d([[2, 5, 6]], [1, 3], 'int32');
    const { hidden, attention } = bert.forward(ids);
    const layer = bert.network.getLayer('encoder_1') as unknown as { weightsOf(): never };
    const direct = encoderBlock(hidden[0], ids, layer.weightsOf(), 2);
    assert.ok(maxDiff(direct.states, hidden[1]) < 1e-6);
    tf.dispose([ids, ...hidden, ...attention, direct.states, direct.attention]);
    bert.dispose();
  });
  it('starts the word embedding from given vectors at the random start\'s scale (tiny BERT 0.02, BiLSTM 0.1)', () => {
    const before = tf.memory().numTensors;
    const vectors = Float32Array.from({ length: 12 * 8 }, (_, i) => Math.sin(i) * 3);
    const rms = Math.sqrt(vectors.reduce((a, v) => a + v * v, 0) / vectors.length);
    const bert = tinyBert({ vocab: 12, dModel: 8, heads: 2, layers: 1, initialEmbedding: vectors });
    const lm = biLstmLm({ vocab: 12, embedding: 8, units: 4, layers: 1, initialEmbedding: vectors });
    for (const [table, scale] of [[bert.network.getLayer('token_embedding').getWeights()[0], 0.02], [lm.network.getLayer('word_embedding').getWeights()[0], 0.1]] as const) {
      const got = table.dataSync();
      assert.ok(vectors.every((v, i) => Math.abs(got[i] - (v * scale) / rms) < 1e-6));
    }
    bert.dispose();
    lm.dispose();
    assert.throws(() => tinyBert({ vocab: 12, dModel: 8, heads: 2, layers: 1, initialEmbedding: new Float32Array(10) }), /tinyBert: config\.initialEmbedding must be a Float32Array of vocab × width = 12 × 8 values; got 10/);
    assert.strictEqual(tf.memory().numTensors, before);
  });
});
