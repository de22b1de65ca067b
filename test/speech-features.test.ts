/** Speech features and audio: STFT / log-mel / MFCC against a direct DFT, resampling, WAV, noise, Griffin–Lim. */
import * as assert from 'assert';
import { tf } from '../lib/engine';
import { seededRandom } from '../lib/data';
import { addNoise, decodeWav, encodeWav, atRate, griffinLim, hann, logMel, logMelBatch, melFilterbank, mfcc, powerSpectrogram, resample, stft } from '../lib/data/speech';

const signal = (n: number, seed: number) => {
  const rnd = seededRandom(seed);
  return Float32Array.from({ length: n }, () => rnd() * 2 - 1);
};

/** |DFT|² of frame t written out as the sum Σ x[n] w[n] e^{−2πikn/N}. */
function directPower(x: Float32Array, t: number, nFft: number, window: number, hop: number): number[] {
  const w = hann(window);
  return Array.from({ length: nFft / 2 + 1 }, (_, k) => {
    let re = 0;
    let im = 0;
    for (let n = 0; n < window; n++) {
      const v = x[t * hop + n] * w[n];
      re += v * Math.cos((2 * Math.PI * k * n) / nFft);
      im -= v * Math.sin((2 * Math.PI * k * n) / nFft);
    }
    return re * re + im * im;
  });
}

describe('speech features', () => {
  it('the power spectrogram equals a direct DFT of every windowed frame', () => {
    const x = signal(1200, 1);
    const p = powerSpectrogram(x, { nFft: 256, window: 200, hop: 80 });
    assert.strictEqual(p.frames, 1 + Math.floor((1200 - 200) / 80));
    assert.strictEqual(p.columns, 129);
    for (const t of [0, 5, p.frames - 1]) {
      const ref = directPower(x, t, 256, 200, 80);
      ref.forEach((v, k) => assert.ok(Math.abs(p.data[t * 129 + k] - v) <= 1e-3 * (1 + v), `frame ${t} bin ${k}: ${p.data[t * 129 + k]} vs ${v}`));
    }
    const s = stft(x, { nFft: 256, window: 200, hop: 80 });
    assert.ok(Math.abs(s.im.data[0]) < 1e-9, 'the DC bin is real');
  });

  it('a pure tone lands in the mel band whose filter covers its frequency', () => {
    const rate = 16000;
    const x = Float32Array.from({ length: 4000 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / rate));
    const m = logMel(x);
    const fb = melFilterbank(40, 512, rate);
    const bin = 32; // 1000 Hz at 31.25 Hz per bin
    const best = Array.from({ length: 40 }, (_, b) => fb.data[b * 257 + bin]).reduce((bi, v, i, a) => (v > a[bi] ? i : bi), 0);
    const frame = Array.from(m.data.subarray(10 * 40, 11 * 40));
    assert.strictEqual(frame.indexOf(Math.max(...frame)), best);
  });

  it('log-mel is ln(filterbank · power + floor) and MFCC its orthonormal DCT-II', () => {
    const x = signal(800, 2);
    const p = powerSpectrogram(x);
    const fb = melFilterbank(40, 512, 16000);
    const m = logMel(x);
    for (const b of [0, 17, 39]) {
      let s = 0;
      for (let k = 0; k < 257; k++) s += fb.data[b * 257 + k] * p.data[k];
      assert.ok(Math.abs(m.data[b] - Math.log(s + 1e-6)) < 1e-4, `mel ${b}`);
    }
    const c = mfcc(x, { coefficients: 13 });
    const row = Array.from(m.data.subarray(0, 40));
    const c1 = row.reduce((a, v, j) => a + v * Math.cos((Math.PI * (j + 0.5)) / 40), 0) * Math.sqrt(2 / 40);
    assert.ok(Math.abs(c.data[1] - c1) < 1e-4);
    assert.ok(Math.abs(c.data[0] - row.reduce((a, v) => a + v, 0) / Math.sqrt(40)) < 1e-3);
  });

  it('logMelBatch stacks clips into [n, frames, mels] and leaves only its result', () => {
    const before = tf.memory().numTensors;
    const t = logMelBatch([signal(1600, 3), signal(1600, 4)]);
    assert.deepStrictEqual(t.shape, [2, 8, 40]);
    t.dispose();
    assert.strictEqual(tf.memory().numTensors, before);
    assert.throws(() => logMelBatch([signal(1600, 3), signal(1000, 4)]), /logMelBatch: every clip must have 1600 samples like clips\[0\]; clips\[1\] has 1000/);
  });

  it('bad framing is named', () => {
    assert.throws(() => logMel(signal(1000, 1), { nFft: 500 }), /logMel: options.nFft must be a power of two ≥ 4; got 500/);
    assert.throws(() => logMel(signal(100, 1)), /logMel: the signal must have at least options.window = 400 samples; got 100/);
    assert.throws(() => mfcc(signal(1000, 1), { coefficients: 41 }), /mfcc: options.coefficients must be an integer in 1..40; got 41/);
  });
});

describe('speech audio', () => {
  it('resampling 22,050 → 16,000 Hz keeps a 440 Hz + 3 kHz tone and removes a 10 kHz one', () => {
    const tone = (f: number, rate: number, n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * f * i) / rate));
    const x = tone(440, 22050, 22050).map((v, i) => v + 0.3 * Math.sin((2 * Math.PI * 3000 * i) / 22050));
    const y = resample(x, 22050, 16000);
    assert.strictEqual(y.length, 16000);
    const ref = tone(440, 16000, 16000).map((v, i) => v + 0.3 * Math.sin((2 * Math.PI * 3000 * i) / 16000));
    let err = 0;
    for (let i = 200; i < 15800; i++) err = Math.max(err, Math.abs(y[i] - ref[i]));
    assert.ok(err < 1e-3, `max error ${err}`);
    const high = resample(tone(10000, 22050, 22050), 22050, 16000); // above the new Nyquist (8 kHz): must not alias to 6 kHz
    const rms = Math.sqrt(high.slice(200, 15800).reduce((a, v) => a + v * v, 0) / 15600);
    assert.ok(rms < 0.01, `aliased rms ${rms}`);
  });

  it('WAV round trip, and audio of another rate resampled or rejected naming both rates', () => {
    const x = signal(500, 5).map((v) => v * 0.5);
    const a = decodeWav(encodeWav(x, 22050));
    assert.strictEqual(a.rate, 22050);
    a.samples.forEach((v, i) => assert.ok(Math.abs(v - x[i]) < 1 / 16000));
    assert.throws(() => atRate('spectrogramFigure', a, 16000, false), /spectrogramFigure: audio must be sampled at 16000 Hz; got 22050 Hz/);
    assert.strictEqual(atRate('x', a, 16000).samples.length, Math.round(500 * 16000 / 22050));
    assert.throws(() => decodeWav(Buffer.from('not a wav file')), /decodeWav: bytes must be a RIFF\/WAVE file/);
  });

  it('noise is added at the SNR asked for', () => {
    const x = Float32Array.from({ length: 8000 }, (_, i) => 0.3 * Math.sin(i / 7));
    const { noisy, noise } = addNoise(x, 10, 3);
    const p = (a: Float32Array) => a.reduce((s, v) => s + v * v, 0) / a.length;
    assert.ok(Math.abs(10 * Math.log10(p(x) / p(noise)) - 10) < 1e-3);
    assert.ok(Math.abs(noisy[100] - x[100] - noise[100]) < 1e-7);
    assert.throws(() => addNoise(x, NaN, 1), /addNoise: snrDb must be a finite number of decibels; got NaN/);
  });

  it('Griffin–Lim rebuilds a chirp whose STFT magnitude is within 15% of the original (random phases: > 60%)', () => {
    const rate = 16000;
    const x = Float32Array.from({ length: 8000 }, (_, i) => Math.sin(2 * Math.PI * (300 * i / rate + 0.5 * 1500 * (i / rate) ** 2)) * 0.5);
    const mag = powerSpectrogram(x);
    mag.data.forEach((v, i) => (mag.data[i] = Math.sqrt(v)));
    const error = (y: Float32Array) => {
      const m = powerSpectrogram(y);
      let num = 0;
      let den = 0;
      for (let i = 0; i < mag.data.length; i++) {
        num += (Math.sqrt(m.data[i]) - mag.data[i]) ** 2;
        den += mag.data[i] ** 2;
      }
      return Math.sqrt(num / den);
    };
    const once = error(griffinLim(mag, { iterations: 1 }));
    const y = griffinLim(mag, { iterations: 60 });
    assert.strictEqual(y.length, (mag.frames - 1) * 160 + 400);
    const e = error(y);
    assert.ok(e < 0.15, `spectral convergence ${e}`);
    assert.ok(once > 0.6, `random phases give ${once}`);
  });
});
