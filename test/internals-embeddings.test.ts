import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { seededRandom } from '../lib/data';
import { activations, referenceCnn } from '../lib/models';
import { jointProbabilities, klDivergence, nearestNeighbours, pca, silhouette, topEigen, trustworthiness, tsne } from '../lib/explain/internals';
import { assertClose } from './local-fixtures';

type Sym = tf.SymbolicTensor;

/** The part of tsne-js (no type declarations) used as the exact reference. */
interface TsneJs {
  init(o: { data: number[][]; type: 'dense' }): void;
  run(): [number, number];
  getOutput(): number[][];
}
// eslint-disable-next-line @typescript-eslint/no-var-requires
const TSNE = require('tsne-js') as new (o: Record<string, unknown>) => TsneJs;

/** `count` points in `dims` dimensions around `clusters` well-separated centres (seeded). */
function blobs(count: number, dims: number, clusters: number, seed: number, spread = 1): { rows: number[][]; labels: number[] } {
  const rnd = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(Math.max(rnd(), 1e-12))) * Math.cos(2 * Math.PI * rnd());
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dims }, () => 10 * gauss()));
  const labels = Array.from({ length: count }, (_, i) => i % clusters);
  return { rows: labels.map((c) => centres[c].map((v) => v + spread * gauss())), labels };
}

function noLeak<T>(run: () => T): T {
  const before = tf.memory().numTensors;
  const out = run();
  assert.strictEqual(tf.memory().numTensors, before, 'tensors leaked');
  return out;
}

describe('activations (issue 10)', () => {
  it('reads named layers of a sequential model, in ragged batches, equal to truncated models', () => {
    const model = referenceCnn({ seed: 3 });
    const x = tf.randomUniform([7, 28, 28, 1], 0, 1, 'float32', 5);
    const acts = noLeak(() => activations(model, x, ['conv1', 'pool2', 'dense'], { batchSize: 3 }));
    assert.deepStrictEqual(acts.conv1.shape, [7, 26, 26, 16]);
    for (const name of ['conv1', 'pool2', 'dense']) {
      const expected = tf.tidy(() => tf.model({ inputs: model.inputs, outputs: model.getLayer(name).output as Sym }).predict(x) as tf.Tensor);
      assertClose(acts[name].data, expected.dataSync(), 1e-5, name);
      expected.dispose();
    }
    x.dispose();
  });

  it('reads both arms of a branching functional model and a layer inside a nested model', () => {
    const inner = tf.sequential({ name: 'inner', layers: [tf.layers.dense({ name: 'h1', inputShape: [4], units: 5, activation: 'tanh' }), tf.layers.dense({ name: 'h2', units: 3 })] });
    const input = tf.input({ shape: [6] });
    const trunk = tf.layers.dense({ name: 'trunk', units: 4, activation: 'relu' }).apply(input) as Sym;
    const left = tf.layers.dense({ name: 'left', units: 2 }).apply(trunk) as Sym;
    const right = inner.apply(trunk) as Sym;
    const out = tf.layers.dense({ name: 'out', units: 2 }).apply(tf.layers.concatenate({ name: 'join' }).apply([left, right]) as Sym) as Sym;
    const model = tf.model({ inputs: input, outputs: out });
    const x = tf.randomNormal([5, 6], 0, 1, 'float32', 2);
    const acts = noLeak(() => activations(model, x, ['left', 'inner', 'inner/h1', 'out'], { batchSize: 2 }));
    const sub = (outputs: Sym) => tf.tidy(() => Array.from((tf.model({ inputs: input, outputs }).predict(x) as tf.Tensor).dataSync()));
    assertClose(acts.left.data, sub(left), 1e-5, 'left');
    assertClose(acts.inner.data, sub(right), 1e-5, 'inner');
    assertClose(acts.out.data, tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync())), 1e-5, 'out');
    const trunkValues = tf.tidy(() => tf.model({ inputs: input, outputs: trunk }).predict(x) as tf.Tensor);
    const h1 = tf.tidy(() => tf.model({ inputs: inner.inputs, outputs: inner.getLayer('h1').output as Sym }).predict(trunkValues) as tf.Tensor);
    assertClose(acts['inner/h1'].data, h1.dataSync(), 1e-5, 'inner/h1');
    assert.deepStrictEqual(acts['inner/h1'].shape, [5, 5]);
    tf.dispose([trunkValues, h1, x]);
  });

  it('names the layers when a name is unknown', () => {
    const model = referenceCnn({ seed: 1 });
    const x = tf.zeros([2, 28, 28, 1]);
    assert.throws(() => activations(model, x, ['conv3']), /activations: layer 'conv3' does not exist; the model's layers are: conv1, pool1, conv2, pool2, flatten, dense/);
    assert.throws(() => activations(model, x, ['conv1/inner']), /'conv1' is not a nested model/);
    x.dispose();
  });
});

describe('pca (issue 10)', () => {
  it('finds the axes of a known covariance and places new points', () => {
    // four points at (±3, 0) and (0, ±1) rotated by 30°: covariance eigenvalues 18/3 and 2/3
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const rot = ([u, v]: number[]) => [c * u - s * v, s * u + c * v];
    const x = [[3, 0], [-3, 0], [0, 1], [0, -1]].map(rot);
    const p = noLeak(() => pca(x, { components: 2 }));
    assertClose(p.explainedVariance, [6, 2 / 3], 1e-5, 'variance');
    assertClose(p.explainedVarianceRatio, [0.9, 0.1], 1e-6, 'ratio');
    assertClose(p.components.subarray(0, 2), [c, s], 1e-5, 'first axis');
    assertClose(p.transform([rot([2, 0.5])]), [2, Math.sign(p.components[3]) * 0.5], 1e-5, 'new point');
  });

  it('agrees with ml-pca, and the randomized path with the covariance path', () => {
    const { rows } = blobs(80, 12, 4, 9);
    const ours = pca(rows, { components: 3, method: 'covariance' });
    const ref = pca(rows, { components: 3, method: 'ml-pca' });
    const rand = noLeak(() => pca(rows, { components: 3, method: 'randomized' }));
    assertClose(ours.explainedVariance, ref.explainedVariance, 1e-3 * ref.explainedVariance[0], 'variance vs ml-pca');
    assertClose(ours.components, ref.components, 1e-3, 'axes vs ml-pca');
    assertClose(ours.data, ref.data, 1e-3 * Math.sqrt(ref.explainedVariance[0]), 'coordinates vs ml-pca');
    assertClose(rand.explainedVariance, ref.explainedVariance, 1e-3 * ref.explainedVariance[0], 'randomized variance');
  });

  it('topEigen returns eigenpairs of a random symmetric matrix (JavaScript below 64 rows, wasm SIMD from 64)', () => {
    for (const d of [40, 100]) {
      const rnd = seededRandom(4);
      const a = new Float64Array(d * d);
      for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) a[i * d + j] = a[j * d + i] = rnd() - 0.5;
      const { values, vectors } = topEigen(a, d, 5);
      for (let r = 0; r < 5; r++) {
        const v = vectors.subarray(r * d, (r + 1) * d);
        const av = Array.from({ length: d }, (_, i) => v.reduce((acc, x, j) => acc + a[i * d + j] * x, 0));
        assertClose(av, Array.from(v, (x) => values[r] * x), 1e-8, `d = ${d}: A v = λ v for pair ${r}`);
      }
      for (let r = 1; r < 5; r++) assert.ok(values[r] <= values[r - 1], 'descending');
    }
  });
});

describe('trustworthiness and silhouette (issue 10)', () => {
  it('trustworthiness: a hand-computed case (= scikit-learn 0.708333)', () => {
    const high = [0, 1, 3, 7, 15, 31].map((v) => [v]);
    const low = [0, 10, 1, 11.5, 3, 14].map((v) => [v]);
    // map neighbours (k=1) have original ranks 2, 3, 2, 2, 2, 2: penalty 7; T = 1 − 2·7 / (6·1·8)
    assert.ok(Math.abs(trustworthiness(high, low, 1) - (1 - 14 / 48)) < 1e-12);
    assert.strictEqual(trustworthiness(high, high, 2), 1);
  });

  it('silhouette: a hand-computed case, and classes of one point score 0', () => {
    const s = silhouette([[0], [1], [10], [11]], [0, 0, 1, 1]);
    assertClose(s.perPoint, [9.5 / 10.5, 8.5 / 9.5, 8.5 / 9.5, 9.5 / 10.5], 1e-6, 'per point');
    assert.ok(Math.abs(s.mean - (9.5 / 10.5 + 8.5 / 9.5) / 2) < 1e-6);
    assert.strictEqual(silhouette([[0], [1], [5]], ['a', 'a', 'b']).perPoint[2], 0);
  });
});

describe('tsne (issue 10)', () => {
  it('reaches a KL divergence comparable to tsne-js (exact) on 150 points, and Barnes-Hut ≈ exact', async () => {
    const { rows, labels } = blobs(150, 10, 3, 21, 2);
    const perplexity = 10;
    // the exact P over all pairs, to judge both maps by the same objective
    const n = rows.length;
    const points = { count: n, dims: 10, data: Float32Array.from(rows.flat()) };
    const P = jointProbabilities(nearestNeighbours(points, n - 1), perplexity);
    const exactKl = (y: ArrayLike<number>) => {
      let z = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) z += 1 / (1 + (y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2);
      return klDivergence(P, Float64Array.from(y), z);
    };
    const ref = new TSNE({ dim: 2, perplexity, earlyExaggeration: 4, learningRate: 100, nIter: 500, metric: 'euclidean' });
    ref.init({ data: rows, type: 'dense' });
    ref.run();
    const refKl = exactKl(ref.getOutput().flat());
    const exact = await tsne(rows, { perplexity, iterations: 500, theta: 0, progress: false });
    const bh = await tsne(rows, { perplexity, iterations: 500, progress: false });
    const ours = exactKl(exact.data);
    assert.ok(ours <= refKl * 1.1 + 0.02, `KL ours (exact) ${ours.toFixed(4)} vs tsne-js ${refKl.toFixed(4)}`);
    assert.ok(Math.abs(exactKl(bh.data) - ours) < 0.05, `Barnes-Hut KL ${exactKl(bh.data).toFixed(4)} vs exact ${ours.toFixed(4)}`);
    assert.ok(silhouette(bh, labels).mean > 0.7, 'three separated blobs stay separated');
    assert.ok(trustworthiness(rows, bh, 5) > 0.9);
  });

  it('is deterministic, reports KL through onIteration, and leaks nothing', async () => {
    const { rows } = blobs(120, 6, 4, 3);
    const seen: number[] = [];
    const before = tf.memory().numTensors;
    const a = await tsne(rows, { perplexity: 8, iterations: 300, progress: false, reportEvery: 100, onIteration: (s) => void seen.push(s.iteration) });
    const b = await tsne(rows, { perplexity: 8, iterations: 300, progress: false });
    assert.strictEqual(tf.memory().numTensors, before);
    assert.deepStrictEqual(seen, [100, 200, 300]);
    assert.deepStrictEqual(Array.from(a.data), Array.from(b.data));
    assert.ok(a.history.length === 3 && a.history[2][1] < a.history[0][1], 'KL falls');
  });
});

describe('embeddings: bad input (issue 10)', () => {
  it('names perplexity and the count, NaN rows, and label counts', async () => {
    const { rows } = blobs(50, 3, 2, 1);
    await assert.rejects(tsne(rows, { progress: false }), /tsne: perplexity 30 needs at least 92 points .*got 50 points/);
    const bad = rows.map((r) => r.slice());
    bad[3][1] = NaN;
    bad[7][0] = Infinity;
    await assert.rejects(tsne(bad, { perplexity: 5, progress: false }), /tsne: x has 2 of 50 rows with NaN or Infinity/);
    assert.throws(() => pca(bad), /pca: x has 2 of 50 rows with NaN or Infinity/);
    assert.throws(() => silhouette(rows, [0, 1, 0]), /silhouette: labels has 3 entries but there are 50 points/);
    assert.throws(() => trustworthiness(rows, rows.slice(0, 40)), /trustworthiness: high has 50 points but low has 40/);
  });
});
