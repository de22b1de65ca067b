import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { tf } from '../lib/engine';
import { loadImageFolder } from '../lib/data';

/** Pixel (row y, column x) of image i of a [n, h, w, 3] tensor, as 0–255 numbers. */
function pixel(images: tf.Tensor4D, i: number, y: number, x: number): number[] {
  const [, h, w] = images.shape;
  const d = images.dataSync();
  const p = ((i * h + y) * w + x) * 3;
  return [0, 1, 2].map((k) => Math.round(d[p + k] * 255));
}

const near = (got: number[], want: number[], tol: number) =>
  assert.ok(got.every((v, k) => Math.abs(v - want[k]) <= tol), `got [${got}], expected [${want}] ± ${tol}`);

async function raw(width: number, height: number, channels: 1 | 2 | 3 | 4, at: (x: number, y: number) => number[]): Promise<sharp.Sharp> {
  const buf = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) at(x, y).forEach((v, k) => (buf[(y * width + x) * channels + k] = v));
  return sharp(buf, { raw: { width, height, channels } });
}

describe('loadImageFolder', function () {
  let root: string;
  const warnings: string[] = [];
  const onWarning = (m: string) => warnings.push(m);

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'imagefolder-'));
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    fs.mkdirSync(a);
    fs.mkdirSync(b);
    // RGBA 10×8: left half transparent but *red* underneath (it must not show), right half opaque green.
    await (await raw(10, 8, 4, (x) => (x < 5 ? [255, 0, 0, 0] : [0, 255, 0, 255]))).png().toFile(path.join(a, '1-rgba.png'));
    await (await raw(6, 6, 1, () => [100])).toColourspace('b-w').png().toFile(path.join(a, '2-gray.png'));
    await (await raw(7, 9, 2, (x) => [200, x < 3 ? 0 : 255])).toColourspace('b-w').png().toFile(path.join(a, '3-gray-alpha.png'));
    await (await raw(8, 8, 3, (x) => (x < 4 ? [255, 200, 0] : [0, 0, 128]))).png({ palette: true, colours: 4 }).toFile(path.join(a, '4-palette.png'));
    await (await raw(16, 16, 3, () => [20, 140, 250])).toColourspace('rgb16').png().toFile(path.join(a, '5-rgb16.png'));
    await (await raw(30, 20, 3, () => [0, 0, 255])).jpeg({ quality: 95 }).toFile(path.join(b, 'photo.jpg'));
    fs.writeFileSync(path.join(b, 'notes.txt'), 'not an image\n');
    const png = await (await raw(12, 12, 3, () => [9, 9, 9])).png().toBuffer();
    fs.writeFileSync(path.join(b, 'broken.png'), png.subarray(0, png.length >> 1));
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('fixtures really are the modes they claim to be', async () => {
    const meta = async (f: string) => sharp(path.join(root, 'a', f)).metadata();
    assert.strictEqual((await meta('1-rgba.png')).channels, 4);
    assert.strictEqual((await meta('2-gray.png')).channels, 1);
    assert.strictEqual((await meta('3-gray-alpha.png')).channels, 2);
    assert.ok(((await meta('4-palette.png')) as sharp.Metadata & { paletteBitDepth?: number }).paletteBitDepth); // indexed colour
    assert.strictEqual((await meta('5-rgb16.png')).depth, 'ushort');
  });

  it('loads mixed sizes and modes as [n, h, w, 3] in [0, 1]; transparent → black by default', async () => {
    warnings.length = 0;
    const before = tf.memory().numTensors;
    const s = await loadImageFolder(root, { size: 8, onWarning });
    assert.deepStrictEqual(s.images.shape, [6, 8, 8, 3]);
    assert.deepStrictEqual(s.classNames, ['a', 'b']);
    assert.deepStrictEqual(s.classes, [0, 0, 0, 0, 0, 1]);
    assert.deepStrictEqual(Array.from(s.labels.dataSync()), s.classes);
    assert.deepStrictEqual(s.files.map((f) => path.relative(root, f)), ['a/1-rgba.png', 'a/2-gray.png', 'a/3-gray-alpha.png', 'a/4-palette.png', 'a/5-rgb16.png', 'b/photo.jpg'].map((f) => f.split('/').join(path.sep)));
    near(pixel(s.images, 0, 4, 0), [0, 0, 0], 0); // transparent (red underneath) → black
    near(pixel(s.images, 0, 4, 7), [0, 255, 0], 1);
    near(pixel(s.images, 1, 3, 3), [100, 100, 100], 1); // greyscale → three equal channels
    near(pixel(s.images, 2, 4, 0), [0, 0, 0], 0); // grey+alpha, transparent part
    near(pixel(s.images, 2, 4, 7), [200, 200, 200], 1);
    near(pixel(s.images, 3, 4, 0), [255, 200, 0], 2); // palette colours
    near(pixel(s.images, 3, 4, 7), [0, 0, 128], 2);
    near(pixel(s.images, 4, 4, 4), [20, 140, 250], 1); // 16-bit → 8-bit range
    near(pixel(s.images, 5, 4, 4), [0, 0, 255], 6); // JPEG, resized from 30×20
    tf.dispose([s.images, s.labels]);
    assert.strictEqual(tf.memory().numTensors, before);
  });

  it('skips unreadable and non-image files with a warning naming each, and counts them', async () => {
    warnings.length = 0;
    const s = await loadImageFolder(root, { size: 8, onWarning });
    assert.deepStrictEqual(s.skipped.map((k) => path.basename(k.file)).sort(), ['broken.png', 'notes.txt']);
    assert.ok(s.skipped.every((k) => k.reason.length > 0));
    assert.ok(warnings.some((w) => w.includes(path.join(root, 'b', 'notes.txt'))), warnings.join('\n'));
    assert.ok(warnings.some((w) => w.includes(path.join(root, 'b', 'broken.png'))), warnings.join('\n'));
    assert.ok(warnings.some((w) => /skipped 2 unreadable file\(s\) of 8/.test(w)), warnings.join('\n'));
    tf.dispose([s.images, s.labels]);
  });

  it('composites on a chosen background instead, fits, limits, orders classes and makes one-hot labels', async () => {
    const white = await loadImageFolder(root, { size: [8, 10], background: 'white', onWarning, limit: 1, labels: 'onehot', classes: ['b', 'a'] });
    assert.deepStrictEqual(white.images.shape, [2, 8, 10, 3]);
    assert.deepStrictEqual(white.classNames, ['b', 'a']);
    assert.deepStrictEqual(white.classes, [0, 1]);
    assert.deepStrictEqual(white.labels.arraySync(), [[1, 0], [0, 1]]);
    near(pixel(white.images, 1, 4, 0), [255, 255, 255], 0); // a/1-rgba.png's transparent half
    const grey = await loadImageFolder(root, { size: 8, background: [0.5, 0.5, 0.5], onWarning, limit: 1, classes: ['a'] });
    near(pixel(grey.images, 0, 4, 0), [128, 128, 128], 1);
    const padded = await loadImageFolder(root, { size: 8, fit: 'contain', background: 'white', onWarning, classes: ['b'] });
    near(pixel(padded.images, 0, 0, 4), [255, 255, 255], 2); // 30×20 photo letterboxed in white
    near(pixel(padded.images, 0, 4, 4), [0, 0, 255], 6);
    tf.dispose([white.images, white.labels, grey.images, grey.labels, padded.images, padded.labels]);
  });

  it('fails on an empty class folder, or one with no readable image, naming the folder', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'imagefolder-empty-'));
    try {
      fs.mkdirSync(path.join(empty, 'cats'));
      fs.mkdirSync(path.join(empty, 'dogs'));
      await (await raw(4, 4, 3, () => [1, 2, 3])).png().toFile(path.join(empty, 'cats', 'c.png'));
      await assert.rejects(loadImageFolder(empty, { onWarning }), new RegExp(`class folder '${path.join(empty, 'dogs').replace(/[\\/.]/g, '\\$&')}' is empty`));
      fs.writeFileSync(path.join(empty, 'dogs', 'readme.md'), '# no dogs');
      await assert.rejects(loadImageFolder(empty, { onWarning }), /class folder '.*dogs' holds no readable image \(1 file\(s\) skipped\)/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('rejects a missing folder and bad options by name', async () => {
    await assert.rejects(loadImageFolder(path.join(root, 'nope')), /loadImageFolder: dir '.*nope' is not a folder/);
    await assert.rejects(loadImageFolder(path.join(root, 'a')), /has no class subfolders/);
    await assert.rejects(loadImageFolder(root, { size: 0 }), /options.size must be an integer side or \[height, width\]/);
    await assert.rejects(loadImageFolder(root, { background: 'red' as never }), /options.background must be 'black', 'white' or \[r, g, b\]/);
    await assert.rejects(loadImageFolder(root, { background: [0, 0, 2] }), /options.background must be/);
    await assert.rejects(loadImageFolder(root, { fit: 'stretch' as never }), /options.fit must be one of fill, contain, cover/);
    await assert.rejects(loadImageFolder(root, { classes: ['zebra'] }), /options.classes names 'zebra', which is not a subfolder .*found: a, b/);
    await assert.rejects(loadImageFolder(root, { limit: 0 }), /options.limit must be a positive integer/);
  });
});
