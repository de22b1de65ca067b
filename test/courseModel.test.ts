/**
 * The one course model: trained once to ≥ 98% on the held-out digits, saved with the file
 * IOHandler, loaded afterwards; a corrupt save is retrained with a one-line note, never a crash.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../lib/engine';
import { loadMnist } from '../lib/data';
import { COURSE_MODEL_VERSION, courseDigits, courseModel, evaluate, loadSavedCourseModel } from '../lib/models';

describe('courseModel', function () {
  this.timeout(1200000);

  it('reaches ≥ 98% on the 2,004 held-out digits, and the saved copy loads with the same weights', async () => {
    const first = await courseModel({ quiet: true });
    const te = loadMnist({ split: 'test' });
    const { accuracy } = evaluate(first.model, te.images, te.labels);
    console.log(`      course CNN: ${(accuracy * 100).toFixed(2)}% held out (${first.trained ? `trained in ${first.ms} ms` : `loaded in ${first.ms} ms`})`);
    assert.ok(accuracy >= 0.98, `held-out accuracy ${accuracy}`);
    assert.ok(Math.abs(accuracy - first.accuracy) < 1e-9, 'accuracy recorded in meta.json');
    const again = await courseModel();
    assert.strictEqual(again.trained, false);
    const [a, b] = [first.model.predict(te.images.slice(0, 64)) as tf.Tensor, again.model.predict(te.images.slice(0, 64)) as tf.Tensor];
    assert.ok(tf.tidy(() => tf.abs(tf.sub(a, b)).max().dataSync()[0]) === 0, 'loaded weights equal the saved ones');
    assert.deepStrictEqual(again.model.layers.map((l) => l.name), ['conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'dense']);
    tf.dispose([a, b, te.images, te.labels]);
    first.model.dispose();
    again.model.dispose();
  });

  it('retrains a corrupt save or one of another recipe version with a one-line note', async () => {
    const saved = (await courseModel({ quiet: true })).dir;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-cnn-'));
    for (const f of fs.readdirSync(saved)) fs.copyFileSync(path.join(saved, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ version: COURSE_MODEL_VERSION - 1, accuracy: 0.5 }));
    const notes: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => void notes.push(a.join(' '));
    let other;
    try {
      other = await courseModel({ dir, quiet: true });
    } finally {
      console.log = log;
    }
    assert.strictEqual(other.trained, true);
    assert.strictEqual(notes.length, 1);
    assert.match(notes[0], /courseModel: retraining the saved model in .*: it is of recipe version/);
    assert.ok(other.accuracy >= 0.98);
    other.model.dispose();
    // a damaged weights file with a current meta.json cannot be loaded: courseModel retrains on that reason
    fs.writeFileSync(path.join(dir, 'weights.bin'), 'not weights');
    const damaged = await loadSavedCourseModel(dir);
    assert.strictEqual(typeof damaged, 'string');
    assert.match(damaged as string, /^it could not be read \(/);
    fs.writeFileSync(path.join(dir, 'model.json'), '{');
    assert.match((await loadSavedCourseModel(dir)) as string, /^it could not be read \(/);
    assert.strictEqual(await loadSavedCourseModel(path.join(dir, 'absent')), 'none');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('courseDigits: one of each digit first; bad counts named', () => {
    const d = courseDigits(10);
    assert.deepStrictEqual(d.classes, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepStrictEqual(d.images.shape, [10, 28, 28, 1]);
    tf.dispose([d.images, d.labels]);
    assert.throws(() => courseDigits(0), /courseDigits: count must be an integer in 1\.\.2004/);
  });
});
