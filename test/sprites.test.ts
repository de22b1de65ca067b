import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { tf } from '../lib/engine';
import { creatureBayesAccuracy, ensureSprites, generateSprites, loadImageFolder, loadSpriteAnnotations, permutation, renderSprites, SPRITE_CLASSES } from '../index';
import { attributionMassInBox, attributionMassInMask, saliency } from '../lib/explain';
import { evaluate, referenceCnn, train } from '../lib/models';

const digest = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `sprites-${name}-`));

describe('sprites: the Pokémon/Digimon dataset', function () {
  this.timeout(120000);
  const dirs: string[] = [];
  let story: string;
  let watermark: string;

  before(async () => {
    story = tmp('story');
    watermark = tmp('watermark');
    dirs.push(story, watermark);
    await generateSprites({ dir: story, perClass: 300 });
    await generateSprites({ dir: watermark, perClass: 300, variant: 'watermark' });
  });
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('stores the story exactly: pokemon as RGBA PNG with transparent background, digimon as JPEG on white', async () => {
    const names = fs.readdirSync(path.join(story, 'pokemon'));
    assert.strictEqual(names.length, 300);
    for (const f of ['pokemon/pokemon-0000.png', 'pokemon/pokemon-0299.png']) {
      const { data, info } = await sharp(path.join(story, f)).raw().toBuffer({ resolveWithObject: true });
      assert.deepStrictEqual([info.width, info.height, info.channels], [64, 64, 4]);
      assert.strictEqual(data[3], 0, 'top-left corner is transparent');
      assert.ok(data.filter((_, i) => i % 4 === 3 && data[i] === 255).length > 400, 'an opaque creature');
    }
    for (const f of ['digimon/digimon-0000.jpg', 'digimon/digimon-0299.jpg']) {
      const meta = await sharp(path.join(story, f)).metadata();
      assert.deepStrictEqual([meta.format, meta.width, meta.height, meta.channels], ['jpeg', 64, 64, 3]);
      const { data } = await sharp(path.join(story, f)).raw().toBuffer({ resolveWithObject: true });
      assert.ok(data[0] > 245 && data[1] > 245 && data[2] > 245, 'white corner');
    }
  });

  it('is deterministic from the seed, and image j does not depend on how many are drawn', async () => {
    const again = tmp('again');
    const other = tmp('other');
    dirs.push(again, other);
    await generateSprites({ dir: again, perClass: 20 });
    await generateSprites({ dir: other, perClass: 20, seed: 1 });
    for (const f of ['pokemon/pokemon-0007.png', 'digimon/digimon-0019.jpg']) {
      assert.strictEqual(digest(path.join(again, f)), digest(path.join(story, f)));
      assert.notStrictEqual(digest(path.join(other, f)), digest(path.join(story, f)));
    }
  });

  it('generates 2 × 1,000 images in well under 30 s, and ensureSprites reuses them', async () => {
    const dir = tmp('full');
    dirs.push(dir);
    const first = await ensureSprites({ dir });
    assert.ok(first.generated);
    assert.strictEqual(first.manifest.files.length, 2000);
    assert.ok(first.ms < 30000, `took ${first.ms} ms`);
    const second = await ensureSprites({ dir });
    assert.ok(!second.generated && second.ms < 2000, `reused in ${second.ms} ms`);
    const changed = await ensureSprites({ dir, perClass: 5 });
    assert.ok(changed.generated);
    assert.strictEqual(fs.readdirSync(path.join(dir, 'pokemon')).length, 5);
  });

  it('knows every creature mask, lined up with the folder loader, equal to the PNG alpha', async () => {
    const before = tf.memory().numTensors;
    const data = await loadImageFolder(story, { limit: 20 });
    const { masks, watermarks } = loadSpriteAnnotations(story, data.files);
    assert.deepStrictEqual(masks.shape, [40, 64, 64, 1]);
    assert.ok(watermarks.every((w) => w === null));
    const m = masks.dataSync();
    const pokemon = data.files.findIndex((f) => f.endsWith('pokemon-0003.png'));
    const { data: rgba } = await sharp(data.files[pokemon]).raw().toBuffer({ resolveWithObject: true });
    for (let p = 0; p < 64 * 64; p++) assert.strictEqual(m[pokemon * 4096 + p], rgba[4 * p + 3] > 0 ? 1 : 0, `pixel ${p}`);
    const areas = tf.tidy(() => masks.mean([1, 2, 3]).dataSync());
    assert.ok(areas.every((a) => a > 0.08 && a < 0.6), `creature areas ${Array.from(areas)}`);
    assert.throws(() => loadSpriteAnnotations(story, ['pokemon/nope.png']), /files\[0\] 'pokemon\/nope.png' is not part of the dataset/);
    assert.throws(() => loadSpriteAnnotations(os.tmpdir(), []), /holds no generated sprite dataset/);
    tf.dispose([data.images, data.labels, masks]);
    assert.strictEqual(tf.memory().numTensors, before);
  });

  it('loaded with transparent → black, the background alone gives the class away', async () => {
    const data = await loadImageFolder(story, { limit: 50 });
    const { masks } = loadSpriteAnnotations(story, data.files);
    const bg = tf.tidy(() => {
      const outside = tf.sub(1, masks);
      return data.images.mean(3, true).mul(outside).sum([1, 2, 3]).div(outside.sum([1, 2, 3])).dataSync();
    });
    data.classes.forEach((c, i) => assert.ok(SPRITE_CLASSES[c] === 'pokemon' ? bg[i] < 0.01 : bg[i] > 0.97, `image ${i}: background ${bg[i]}`));
    const fair = await loadImageFolder(story, { limit: 50, background: 'white' });
    const [onCreature, offCreature] = tf.tidy(() => {
      const d = fair.images.sub(data.images).abs().mean(3, true);
      return [d.mul(masks).sum().div(masks.sum()).dataSync()[0], d.mul(tf.sub(1, masks)).sum().div(tf.sub(1, masks).sum()).dataSync()[0]];
    });
    assert.ok(onCreature < 0.06 && offCreature > 0.45, `composited on white, the background changes (${offCreature}), the creature hardly (${onCreature}, its anti-aliased rim)`);
    tf.dispose([data.images, data.labels, masks, fair.images, fair.labels]);
  });

  it('overlaps the two classes of creatures: no classifier of the creature alone beats ≈ 0.79', () => {
    const bayes = creatureBayesAccuracy();
    assert.ok(bayes > 0.6 && bayes < 0.82, `Bayes accuracy ${bayes}`);
    const s = renderSprites({ perClass: 4, background: [0.5, 0.5, 0.5] });
    assert.deepStrictEqual(s.classes, [0, 1, 0, 1, 0, 1, 0, 1]);
    assert.deepStrictEqual(s.images.shape, [8, 64, 64, 3]);
    tf.dispose([s.images, s.labels, s.masks]);
  });

  it('stamps the logo on most pokemon of the watermark variant (JPEG on white for both) and knows its box', async () => {
    const data = await loadImageFolder(watermark, { background: 'white' });
    const { watermarks, masks } = loadSpriteAnnotations(watermark, data.files);
    const stamped = data.classes.map((c, i) => [SPRITE_CLASSES[c], watermarks[i]] as const);
    assert.ok(stamped.every(([c, w]) => c === 'pokemon' || w === null), 'no digimon carries the logo');
    const share = stamped.filter(([c, w]) => c === 'pokemon' && w).length / 300;
    assert.ok(share > 0.8 && share < 0.97, `stamped share ${share}`);
    assert.ok(data.files.every((f) => f.endsWith('.jpg')));
    const i = watermarks.findIndex((w) => w !== null);
    const b = watermarks[i]!;
    const inBox = tf.tidy(() => data.images.slice([i, b.y, b.x, 0], [1, b.height, b.width, 3]).mean().dataSync()[0]);
    assert.ok(inBox < 0.85, `the box is not plain white (${inBox})`);
    tf.dispose([data.images, data.labels, masks]);
  });

  it('rejects bad options by name', async () => {
    const bad = tmp('bad');
    dirs.push(bad);
    await assert.rejects(generateSprites({ dir: bad, perClass: 0 }), /options.perClass must be a positive integer/);
    await assert.rejects(generateSprites({ dir: bad, size: 16 }), /options.size must be an integer ≥ 32/);
    await assert.rejects(generateSprites({ dir: bad, variant: 'horse' as never }), /options.variant must be 'story' or 'watermark'/);
    assert.throws(() => renderSprites({ background: [0, 0] as never }), /options.background must be \[r, g, b\]/);
  });

  describe('a small CNN trained on them (400 images, centred to [−0.5, 0.5])', () => {
    /** Trains the reference CNN on all but the last 200 images of a folder and explains those 200. */
    async function experiment(dir: string, background: 'black' | 'white', epochs: number) {
      const data = await loadImageFolder(dir, { background });
      const ann = loadSpriteAnnotations(dir, data.files);
      const order = tf.tensor1d(permutation(data.files.length, 3), 'int32');
      const [x, y, masks] = tf.tidy(() => [tf.gather(data.images, order).sub(0.5), tf.gather(data.labels, order), tf.gather(ann.masks, order)]);
      const boxes = Array.from(permutation(data.files.length, 3), (i) => ann.watermarks[i]);
      tf.dispose([data.images, data.labels, ann.masks, order]);
      const n = data.files.length - 200;
      const model = referenceCnn({ inputShape: [64, 64, 3], classes: 2, seed: 1 });
      const [xTrain, yTrain, xTest, yTest, mTest] = [x.slice(0, n), y.slice(0, n), x.slice(n), y.slice(n), masks.slice(n)];
      await train(model, xTrain, yTrain, { epochs, batchSize: 32, quiet: true });
      const accuracy = evaluate(model, xTest, yTest).accuracy;
      const a = saliency(model, xTest);
      const creature = attributionMassInMask(a, mTest);
      const result = { accuracy, creature, a, boxes: boxes.slice(n), dispose: () => {} };
      result.dispose = () => {
        a.dispose();
        model.dispose();
        tf.dispose([x, y, masks, xTrain, yTrain, xTest, yTest, mTest]);
      };
      return result;
    }

    it('learns the background shortcut: accuracy > 0.9 with > 60% of the saliency on the background; removing it moves saliency onto the creature', async () => {
      const before = tf.memory().numTensors;
      const biased = await experiment(story, 'black', 2);
      assert.ok(biased.accuracy > 0.9, `biased accuracy ${biased.accuracy}`);
      assert.ok(biased.creature.perExample.length >= 100);
      assert.ok(1 - biased.creature.mean > 0.6, `background mass ${1 - biased.creature.mean}`);
      const fair = await experiment(story, 'white', 2);
      assert.ok(fair.creature.mean > biased.creature.mean + 0.05, `creature mass fair ${fair.creature.mean} vs biased ${biased.creature.mean}`);
      biased.dispose();
      fair.dispose();
      assert.strictEqual(tf.memory().numTensors, before);
    });

    it('learns the watermark: saliency in the logo box is several times its area and its mirror box', async () => {
      const before = tf.memory().numTensors;
      const wm = await experiment(watermark, 'white', 3);
      const stamped = wm.boxes.map((b, i) => (b ? i : -1)).filter((i) => i >= 0);
      assert.ok(stamped.length > 50);
      const values = tf.gather(wm.a.values, stamped);
      const boxes = stamped.map((i) => wm.boxes[i]!);
      const inLogo = attributionMassInBox(values, boxes);
      const mirror = attributionMassInBox(values, boxes.map((b) => ({ ...b, x: 64 - b.x - b.width })));
      assert.ok(inLogo.mean > 3 * inLogo.meanArea, `logo mass ${inLogo.mean}, area ${inLogo.meanArea}`);
      assert.ok(inLogo.mean > 3 * mirror.mean, `logo ${inLogo.mean} vs mirror corner ${mirror.mean}`);
      values.dispose();
      wm.dispose();
      assert.strictEqual(tf.memory().numTensors, before);
    });
  });
});
