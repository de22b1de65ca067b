/** The eSpeak-NG spoken digits (a small subset), their bad-input messages, the recognizer's layers and the reconstruction probe. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../lib/engine';
import { seededRandom } from '../lib/data';
import { DIGIT_WORDS, loadEspeak, spokenDigits, speakerSplit, type SpeakerSpec } from '../lib/data/speech';
import { recognizerModel, recognizerLayers } from '../lib/models/speech';
import { reconstructionProbe } from '../lib/explain/internals/probes';

const two: SpeakerSpec[] = [
  { voice: 'en-us+m3', pitch: 50, speed: 160 },
  { voice: 'en+f4', pitch: 65, speed: 150, heldOut: true },
];

describe('spoken digits (eSpeak-NG)', function () {
  this.timeout(120000);

  it('is deterministic from its seed, 16 kHz clips of 0.8 s, every word once per take, genders from the variants', async () => {
    const a = await spokenDigits({ speakers: two, takes: 1, cacheDir: false, quiet: true });
    const b = await spokenDigits({ speakers: two, takes: 1, cacheDir: false, quiet: true });
    const c = await spokenDigits({ speakers: two, takes: 1, cacheDir: false, seed: 1, quiet: true });
    assert.strictEqual(a.clips.length, 20);
    assert.ok(a.clips.every((x) => x.length === 12800));
    assert.strictEqual(a.rate, 16000);
    assert.deepStrictEqual([...a.word.slice(0, 10)].sort(), DIGIT_WORDS.map((_, i) => i));
    assert.deepStrictEqual(a.speakers.map((s) => s.gender), ['M', 'F']);
    assert.deepStrictEqual(speakerSplit(a).heldOut, a.speaker.map((s, i) => (s === 1 ? i : -1)).filter((i) => i >= 0));
    a.clips.forEach((x, i) => assert.ok(x.every((v, j) => v === b.clips[i][j]), `clip ${i} differs between two runs`));
    assert.ok(a.clips.some((x, i) => x.some((v, j) => v !== c.clips[i][j])), 'another seed gives other takes');
    // every clip holds a word: energy well above silence
    a.clips.forEach((x, i) => assert.ok(x.reduce((s, v) => s + v * v, 0) / x.length > 1e-4, `clip ${i} is silent`));
  });

  it('is cached and read back identically', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-'));
    const a = await spokenDigits({ speakers: two.slice(0, 1), takes: 1, cacheDir: dir, quiet: true });
    const b = await spokenDigits({ speakers: two.slice(0, 1), takes: 1, cacheDir: dir, quiet: true });
    assert.deepStrictEqual([a.cached, b.cached], [false, true]);
    a.clips.forEach((x, i) => assert.ok(x.every((v, j) => v === b.clips[i][j])));
    assert.deepStrictEqual(b.word, a.word);
    fs.rmSync(dir, { recursive: true });
  });

  it('names an unknown voice and lists the voices; says how to install eSpeak-NG when it is missing', async () => {
    await assert.rejects(spokenDigits({ speakers: [{ voice: 'en-us+zz9', pitch: 50, speed: 160 }], cacheDir: false, quiet: true }), /spokenDigits: eSpeak-NG has no voice "en-us\+zz9".*languages: .*en-us.*variants: .*m3/);
    await assert.rejects(spokenDigits({ speakers: [{ voice: 'xx', pitch: 50, speed: 160 }], cacheDir: false, quiet: true }), /no voice "xx"/);
    await assert.rejects(spokenDigits({ speakers: [{ voice: 'en-us', pitch: 120, speed: 160 }] }), /spokenDigits: options.speakers\[0\] must be \{ voice: string, pitch: 0..99, speed: 80..450 \}/);
    await assert.rejects(loadEspeak('spokenDigits', 'espeak-ng-that-is-not-installed'), /spokenDigits: eSpeak-NG is not installed: run `npm install espeak-ng`/);
  });
});

describe('speech recognizer layers', () => {
  it('returns the input and every conv / BiLSTM layer, as sequences and time averages, keeping no tensor', () => {
    const model = recognizerModel(78, 40, 10);
    const x = tf.randomNormal([3, 78, 40]) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const layers = recognizerLayers(model, x);
    assert.strictEqual(tf.memory().numTensors, before);
    assert.deepStrictEqual(layers.map((l) => l.layer), ['input', 'conv1', 'conv2', 'conv3', 'bilstm1', 'bilstm2', 'bilstm3']);
    assert.deepStrictEqual(layers.map((l) => l.sequence.shape), [[3, 78, 40], [3, 78, 32], [3, 39, 48], [3, 20, 64], [3, 20, 64], [3, 20, 64], [3, 20, 64]]);
    const seq = layers[4].sequence;
    const mean = Array.from({ length: 20 }, (_, t) => seq.data[(1 * 20 + t) * 64 + 5]).reduce((a, b) => a + b, 0) / 20;
    const sd = Math.sqrt(Array.from({ length: 20 }, (_, t) => (seq.data[(1 * 20 + t) * 64 + 5] - mean) ** 2).reduce((a, b) => a + b, 0) / 20);
    assert.deepStrictEqual(layers[4].pooled.shape, [3, 128]);
    assert.ok(Math.abs(layers[4].pooled.data[128 + 5] - mean) < 1e-5, 'pooled: time average first');
    assert.ok(Math.abs(layers[4].pooled.data[128 + 64 + 5] - sd) < 1e-4, 'then the standard deviation');
    x.dispose();
    model.dispose();
  });
});

describe('reconstruction probe', function () {
  this.timeout(120000);
  const batch = (n: number, t: number, d: number, f: (i: number, s: number, j: number) => number) => ({
    data: Float32Array.from({ length: n * t * d }, (_, k) => f(Math.floor(k / (t * d)), Math.floor(k / d) % t, k % d)),
    shape: [n, t, d] as [number, number, number],
  });

  it('rebuilds targets that are a function of the features (explained variance ≈ 1) and not from unrelated features (≈ 0), leaving no tensor', async () => {
    const rnd = seededRandom(3);
    const z = Array.from({ length: 120 * 10 * 4 }, () => rnd() * 2 - 1);
    const targets = batch(120, 10, 6, (i, s, j) => z[(i * 10 + s) * 4 + (j % 4)] * (j < 4 ? 1 : -0.5));
    const kept = batch(120, 10, 4, (i, s, j) => z[(i * 10 + s) * 4 + j]);
    const noise = batch(120, 10, 4, () => rnd() * 2 - 1);
    const split = (b: { data: Float32Array; shape: [number, number, number] }, lo: number, hi: number) => ({ data: b.data.slice(lo * b.shape[1] * b.shape[2], hi * b.shape[1] * b.shape[2]), shape: [hi - lo, b.shape[1], b.shape[2]] as [number, number, number] });
    const before = tf.memory().numTensors;
    const good = await reconstructionProbe({ features: split(kept, 0, 100), targets: split(targets, 0, 100) }, { features: split(kept, 100, 120), targets: split(targets, 100, 120) }, { context: 0, epochs: 40, batchSize: 128, quiet: true });
    const bad = await reconstructionProbe({ features: split(noise, 0, 100), targets: split(targets, 0, 100) }, { features: split(noise, 100, 120), targets: split(targets, 100, 120) }, { context: 0, epochs: 40, batchSize: 128, quiet: true });
    const strided = await reconstructionProbe({ features: split(kept, 0, 100), targets: split(targets, 0, 100) }, { features: split(kept, 100, 120), targets: split(targets, 100, 120) }, { context: 0, epochs: 40, batchSize: 128, trainStride: 2, quiet: true });
    assert.strictEqual(tf.memory().numTensors, before);
    assert.ok(good.explainedVariance > 0.9, `kept: ${good.explainedVariance}`);
    assert.ok(strided.explainedVariance > 0.85, `kept, every second frame: ${strided.explainedVariance}`);
    assert.ok(bad.explainedVariance < 0.1, `unrelated: ${bad.explainedVariance}`);
    assert.deepStrictEqual(good.reconstructions.shape, [20, 10, 6]);
    await assert.rejects(reconstructionProbe({ features: split(kept, 0, 100), targets: split(targets, 0, 90) }, { features: split(kept, 100, 120), targets: split(targets, 100, 120) }), /reconstructionProbe: train.features has 100 sequences but train.targets has 90/);
  });
});
