import * as assert from 'assert';
import { tf } from '../lib/engine/tf';
import { loadSpriteAnnotations, permutation, seededRandom, SpriteRandom, stampWatermark, watermarkBox } from '../lib/data';
import { integrationPoints, reduceChannels } from '../lib/explain';
import { trapezoidArea } from '../lib/explain/evaluate/deletionInsertion';
import { classColor } from '../lib/viz';

describe('small public helpers: results and named failures', () => {
  it('permutation and seededRandom are deterministic permutations / streams, and check their arguments', () => {
    assert.deepStrictEqual(Array.from(permutation(5, 1)), [4, 2, 1, 0, 3]);
    assert.deepStrictEqual([...permutation(100, 3)].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
    const [a, b] = [seededRandom(7), seededRandom(7)];
    assert.deepStrictEqual([a(), a(), a()], [b(), b(), b()]);
    assert.throws(() => permutation(-1, 0), /permutation: n must be an integer ≥ 0; got -1/);
    assert.throws(() => permutation(3, 0.5), /seededRandom: seed must be an integer; got 0\.5/);
    assert.throws(() => new SpriteRandom(0, 1.5), /SpriteRandom: keys must be integers/);
  });

  it('watermarkBox / stampWatermark / loadSpriteAnnotations reject what they cannot use, naming it', () => {
    assert.deepStrictEqual(watermarkBox(64), { x: 0, y: 44, width: 20, height: 20 });
    assert.throws(() => watermarkBox(0), /watermarkBox: size must be an integer ≥ 4; got 0/);
    const rgb = new Uint8Array(16 * 16 * 3).fill(255);
    stampWatermark(rgb, 16, watermarkBox(16));
    assert.ok(rgb.some((v) => v < 255), 'the logo is painted');
    assert.throws(() => stampWatermark(rgb, 16, { x: 10, y: 10, width: 8, height: 8 }), /stampWatermark: box must be \{ x, y, width, height \} inside the 16×16 image/);
    assert.throws(() => loadSpriteAnnotations('.', 'pokemon/a.png' as never), /loadSpriteAnnotations: files must be an array of file paths/);
  });

  it('classColor, trapezoidArea, integrationPoints and reduceChannels check their arguments', () => {
    assert.strictEqual(classColor(3), '#76b7b2');
    assert.throws(() => classColor(0.5), /classColor: i must be an integer class index; got 0\.5/);
    assert.strictEqual(trapezoidArea([0, 0.5, 1], [1, 0.5, 0]), 0.5);
    assert.throws(() => trapezoidArea([0, 1], [1]), /trapezoidArea: x has 2 values but y has 1/);
    assert.deepStrictEqual(integrationPoints('trapezoid', 3), { alphas: [0, 0.5, 1], weights: [0.25, 0.5, 0.25] });
    assert.throws(() => integrationPoints('simpson' as never, 3), /integrationPoints: rule must be one of left, right, middle, trapezoid, gaussLegendre; got "simpson"/);
    assert.throws(() => integrationPoints('trapezoid', 1), /integrationPoints: steps must be an integer ≥ 2; got 1/);
    const before = tf.memory().numTensors;
    const t = tf.ones([1, 2, 2, 3]);
    const r = reduceChannels(t, 'sum');
    assert.deepStrictEqual(Array.from(r.dataSync()), [3, 3, 3, 3]);
    assert.throws(() => reduceChannels(t, 'median' as never), /reduceChannels: reduce must be one of none, max, mean, sum; got "median"/);
    tf.dispose([t, r]);
    assert.strictEqual(tf.memory().numTensors, before);
  });
});
