import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { lime, slic, weightedRidge } from '../lib/explain';
import { assertClose, explainWithoutLeak, knownWeights, linearModel, trainedCnn } from './local-fixtures';

/** True when every label's pixels form one 4-connected region. */
function connected(labels: Int32Array, h: number, w: number, count: number): boolean {
  const seen = new Uint8Array(h * w);
  const regions = new Array<number>(count).fill(0);
  for (let s = 0; s < h * w; s++) {
    if (seen[s]) continue;
    regions[labels[s]]++;
    const stack = [s];
    seen[s] = 1;
    while (stack.length) {
      const p = stack.pop() as number;
      const [y, x] = [Math.floor(p / w), p % w];
      for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1]) {
        if (q >= 0 && !seen[q] && labels[q] === labels[p]) {
          seen[q] = 1;
          stack.push(q);
        }
      }
    }
  }
  return regions.every((r) => r === 1);
}

describe('slic superpixels', () => {
  it('never lets a superpixel cross a sharp edge, labels 0..count−1 as connected regions, deterministically', () => {
    const [h, w] = [20, 30];
    const img = Float32Array.from({ length: h * w }, (_, p) => (p % w < 13 ? 0.1 : 0.9));
    const s = slic(img, h, w, 1, { segments: 24 });
    assert.ok(s.count >= 12 && s.count <= 48, `count ${s.count}`);
    assert.deepStrictEqual(new Set(s.labels).size, s.count);
    assert.ok(Math.max(...s.labels) === s.count - 1 && Math.min(...s.labels) === 0);
    for (let q = 0; q < s.count; q++) {
      const sides = new Set<boolean>();
      s.labels.forEach((l, p) => l === q && sides.add(p % w < 13));
      assert.strictEqual(sides.size, 1, `superpixel ${q} crosses the edge`);
    }
    assert.ok(connected(s.labels, h, w, s.count));
    assert.deepStrictEqual(slic(img, h, w, 1, { segments: 24 }).labels, s.labels);
  });

  it('follows colour boundaries in RGB (CIELAB) images', () => {
    const [h, w] = [24, 24];
    const colours = [
      [1, 0, 0],
      [0, 0.6, 0],
      [0, 0, 1],
      [1, 1, 0],
    ];
    const quad = (p: number) => (Math.floor(p / w) < 11 ? 0 : 2) + (p % w < 14 ? 0 : 1);
    const img = new Float32Array(h * w * 3);
    for (let p = 0; p < h * w; p++) img.set(colours[quad(p)], p * 3);
    const s = slic(img, h, w, 3, { segments: 16 });
    for (let q = 0; q < s.count; q++) {
      const quads = new Set<number>();
      s.labels.forEach((l, p) => l === q && quads.add(quad(p)));
      assert.strictEqual(quads.size, 1, `superpixel ${q} spans quadrants ${[...quads]}`);
    }
    assert.ok(connected(s.labels, h, w, s.count));
  });

  it('rejects bad arguments by name', () => {
    assert.throws(() => slic(new Float32Array(10), 3, 3, 1), /slic: pixels has 10 values but height·width·channels is 9/);
    assert.throws(() => slic(new Float32Array(9), 3, 3, 1, { segments: 0 }), /slic: options\.segments must be an integer ≥ 1/);
  });
});

describe('weightedRidge', () => {
  it('recovers an exact linear relation (R² = 1) and ignores samples of weight 0', () => {
    const rows = 40;
    const Z = Float64Array.from({ length: rows * 3 }, (_, i) => ((Math.sin(i + 1) * 43758.5453) % 1) * 2);
    const y = Float64Array.from({ length: rows }, (_, r) => 2 + Z[r * 3] - 2 * Z[r * 3 + 1] + 3 * Z[r * 3 + 2]);
    const w = Float64Array.from({ length: rows }, (_, r) => 0.1 + (r % 5));
    y[7] += 100;
    w[7] = 0;
    const fit = weightedRidge(Z, 3, y, w, 0);
    assertClose(fit.coef, [1, -2, 3], 1e-9);
    assert.ok(Math.abs(fit.intercept - 2) < 1e-9);
    assert.ok(Math.abs(fit.r2 - 1) < 1e-12);
    const shrunk = weightedRidge(Z, 3, y, w, 50);
    assert.ok(Math.abs(shrunk.coef[2]) < 3 && shrunk.r2 < 1);
  });
});

describe('lime', () => {
  it('recovers the true weights of a linear black box on tabular rows, with R² ≈ 1', () => {
    const W = knownWeights(6, 3);
    const { model } = linearModel(W);
    const x = tf.tensor2d([
      [0.5, -1, 2, 0, 1, 3],
      [1, 1, 1, 1, 1, 1],
    ]);
    explainWithoutLeak(
      () => lime(model, x, { target: [2, 0], samples: 300, alpha: 1e-6, scale: [1, 2, 0.5, 1, 1, 3] }),
      (a) => {
        const weights = a.extras.weights as number[][];
        assertClose(weights[0], W.map((r) => r[2]), 1e-4, 'example 0');
        assertClose(weights[1], W.map((r) => r[0]), 1e-4, 'example 1');
        (a.extras.r2 as number[]).forEach((r) => assert.ok(r > 0.9999, `R² ${r}`));
        assert.deepStrictEqual(a.values.shape, [2, 6]);
        assert.strictEqual(a.options.kind, 'tabular');
        const top = a.extras.topK as number[][];
        assert.deepStrictEqual(top[0], W.map((r, j) => [r[2], j]).filter(([v]) => v > 0).sort((p, q) => q[0] - p[0]).slice(0, 5).map(([, j]) => j));
      },
    );
    explainWithoutLeak(
      () => lime(model, x, { target: 1, samples: 500 }),
      (a) => assertClose((a.extras.weights as number[][])[0], W.map((r) => r[1]), 0.03, 'default α = 1'),
    );
    x.dispose();
  });

  it('on images gives each superpixel Σ w ⊙ x over its pixels for a linear black box (fill 0)', () => {
    const W = knownWeights(64, 2);
    const { model } = linearModel(W);
    const x = tf.randomUniform([1, 8, 8, 1], 0, 1, 'float32', 5);
    const xv = x.dataSync();
    explainWithoutLeak(
      () => lime(model, x, { target: 1, samples: 400, segments: 6, alpha: 1e-6, topK: 2 }),
      (a) => {
        const seg = (a.extras.segments as { labels: Int32Array; count: number }[])[0];
        const expected = new Array<number>(seg.count).fill(0);
        seg.labels.forEach((l, p) => (expected[l] += W[p][1] * xv[p]));
        assertClose((a.extras.weights as number[][])[0], expected, 1e-4);
        assert.ok((a.extras.r2 as number[])[0] > 0.9999);
        assert.deepStrictEqual(a.values.shape, [1, 8, 8, 1]);
        const v = a.values.dataSync();
        seg.labels.forEach((l, p) => assert.ok(Math.abs(v[p] - expected[l]) < 1e-4));
        const mask = (a.extras.mask as tf.Tensor).dataSync();
        const top = (a.extras.topK as number[][])[0];
        assert.strictEqual(top.length, Math.min(2, expected.filter((e) => e > 0).length));
        seg.labels.forEach((l, p) => assert.strictEqual(mask[p], top.includes(l) ? 1 : 0));
      },
    );
    x.dispose();
  });

  it('on token sequences recovers each token’s contribution to a bag-of-words black box', () => {
    const value = tf.tensor1d([0, 0.5, -1, 2, 0.25, 3]);
    const model = (ids: tf.Tensor) => tf.tidy(() => tf.gather(value, ids.toInt()).sum(1));
    const ids = tf.tensor2d([[3, 1, 2, 5, 4, 0, 1]], [1, 7], 'int32');
    explainWithoutLeak(
      () => lime(model, ids, { samples: 300, alpha: 1e-6, maskToken: 0 }),
      (a) => {
        assert.strictEqual(a.options.kind, 'tokens');
        assertClose((a.extras.weights as number[][])[0], [2, 0.5, -1, 3, 0.25, 0, 0.5], 1e-4);
        assert.deepStrictEqual((a.extras.topK as number[][])[0], [3, 0, 1, 6, 4]);
      },
    );
    tf.dispose([value, ids]);
  });

  it('explains the reference CNN on MNIST with 1,000 samples without leaking', async () => {
    const { model, images } = await trainedCnn();
    const x = images.slice(0, 2);
    const t0 = Date.now();
    explainWithoutLeak(
      () => lime(model, x, { samples: 1000, segments: 40 }),
      (a) => {
        const r2 = a.extras.r2 as number[];
        r2.forEach((r) => assert.ok(r > 0 && r <= 1, `R² ${r}`));
        assert.strictEqual(a.nonFinite, 0);
        assert.deepStrictEqual((a.extras.mask as tf.Tensor).shape, [2, 28, 28, 1]);
      },
    );
    assert.ok(Date.now() - t0 < 10000);
    x.dispose();
  });
});
