import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { occlusion } from '../lib/explain';
import { assertClose, explainWithoutLeak, trainedCnn } from './local-fixtures';

/** y = x[i, j] of a single-channel image (one class). */
const singlePixel = (i: number, j: number) => (x: tf.Tensor) => tf.tidy(() => x.slice([0, i, j, 0], [-1, 1, 1, 1]).reshape([-1, 1]));

describe('occlusion', () => {
  it('of a single-pixel model with a 1×1 patch is x − fill at that pixel and 0 elsewhere', () => {
    const x = tf.randomUniform([2, 6, 5, 1], 0.2, 1, 'float32', 3);
    const xv = x.dataSync();
    const expected = new Float32Array(60);
    for (const e of [0, 1]) expected[e * 30 + 2 * 5 + 3] = xv[e * 30 + 2 * 5 + 3] - 0.1;
    explainWithoutLeak(
      () => occlusion(singlePixel(2, 3), x, { target: 0, patch: 1, stride: 1, fill: 0.1 }),
      (a) => {
        assertClose(a.values.dataSync(), expected, 1e-6);
        assert.deepStrictEqual(a.values.shape, [2, 6, 5, 1]);
        assert.deepStrictEqual(a.target, [0, 0]);
        assert.strictEqual(a.nonFinite, 0);
      },
    );
    x.dispose();
  });

  it('averages the drop over the patches that cover a pixel (2×2 patch, stride 1)', () => {
    const x = tf.ones([1, 4, 4, 1]);
    const a = occlusion(singlePixel(1, 1), x, { target: 0, patch: 2, stride: 1 });
    // pixel (1,1) is covered by 4 patch positions, all of which hide it: drop 1 each → 1.
    // pixel (0,0) is covered by 1 position (top-left), which hides (1,1): 1.
    // pixel (0,2) is covered by positions with left 1 and 2 (top 0): only left 1 hides (1,1): 1/2.
    // pixel (2,2) is covered by tops 1,2 × lefts 1,2: only (1,1) hides it: 1/4. Row/col 3: 0.
    const v = a.values.dataSync();
    assert.strictEqual(v[1 * 4 + 1], 1);
    assert.strictEqual(v[0], 1);
    assert.strictEqual(v[2], 0.5);
    assert.strictEqual(v[2 * 4 + 2], 0.25);
    assert.strictEqual(v[3 * 4 + 3], 0);
    assert.strictEqual(a.extras.positions, 9);
    a.dispose();
    x.dispose();
  });

  it('covers every pixel even when the stride does not tile the image, and copies the drop to every channel', () => {
    const x = tf.ones([1, 5, 5, 3]);
    const model = (z: tf.Tensor) => tf.tidy(() => z.sum([1, 2, 3]).reshape([-1, 1]));
    const a = occlusion(model, x, { target: 0, patch: 2, stride: 2, fill: 0 });
    const v = a.values.dataSync();
    for (let i = 0; i < v.length; i++) assert.ok(v[i] > 0, `pixel ${i} not covered`);
    for (let p = 0; p < 25; p++) assert.ok(v[p * 3] === v[p * 3 + 1] && v[p * 3] === v[p * 3 + 2]);
    assert.strictEqual(a.extras.positions, 9);
    a.dispose();
    x.dispose();
  });

  it('supports mean and blur fills and runs the reference CNN without leaking', async () => {
    const { model, images } = await trainedCnn();
    const x = images.slice(0, 2);
    for (const fill of [0, 'mean', 'blur'] as const) {
      explainWithoutLeak(
        () => occlusion(model, x, { patch: 4, stride: 2, fill }),
        (a) => {
          assert.deepStrictEqual(a.values.shape, [2, 28, 28, 1]);
          assert.strictEqual(a.nonFinite, 0);
          assert.strictEqual(a.extras.positions, 169);
        },
      );
    }
    x.dispose();
  });
});
