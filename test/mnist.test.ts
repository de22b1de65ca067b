import * as assert from 'assert';
import { tf } from '../lib/engine';
import { loadMnist, mnistSize } from '../lib/data';

describe('loadMnist', () => {
  it('splits the 10,000 real digits deterministically 80/20 per class, interleaved by class', () => {
    assert.strictEqual(mnistSize('all'), 10000);
    assert.strictEqual(mnistSize('train') + mnistSize('test'), 10000);
    const a = loadMnist({ split: 'test', count: 30 });
    const b = loadMnist({ split: 'test', count: 30 });
    assert.deepStrictEqual(a.classes.slice(0, 12), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    assert.deepStrictEqual(a.images.shape, [30, 28, 28, 1]);
    assert.strictEqual(a.images.dtype, 'float32');
    assert.deepStrictEqual(Array.from(a.images.dataSync()), Array.from(b.images.dataSync()));
    const [mn, mx] = [a.images.min().dataSync()[0], a.images.max().dataSync()[0]];
    assert.ok(mn >= 0 && mx <= 1 && mx > 0.5);
    tf.dispose([a.images, a.labels, b.images, b.labels]);
  });

  it('returns one-hot labels on request', () => {
    const s = loadMnist({ split: 'train', count: 10, labels: 'onehot' });
    assert.deepStrictEqual(s.labels.shape, [10, 10]);
    assert.deepStrictEqual(Array.from(s.labels.argMax(1).dataSync()), s.classes);
    tf.dispose([s.images, s.labels]);
  });

  it('rejects bad arguments, naming them and the allowed values', () => {
    assert.throws(() => loadMnist({ count: 0 }), /count must be an integer in 1\.\.7996/);
    assert.throws(() => loadMnist({ split: 'valid' as never }), /split must be one of train, test, all/);
    assert.throws(() => loadMnist({ labels: 'binary' as never }), /labels must be one of index, onehot/);
    assert.throws(() => loadMnist({ split: 'test', count: 3000 }), /count must be an integer in 1\.\.2004/);
  });
});
