/**
 * Hearing a spectrogram: Griffin & Lim (1984), "Signal estimation from modified short-time Fourier
 * transform" — start from a magnitude with random phases, then alternate an inverse STFT
 * (least-squares overlap-add) and a forward STFT keeping the new phases but the given magnitude.
 * {@link melToMagnitude} first undoes a log-mel spectrogram (approximately: each linear bin gets
 * the filter-weighted average of the mel energies per unit of filter area).
 *
 * @example
 * ```ts
 * const samples = griffinLim(melToMagnitude(logMel(x)), { iterations: 32 });
 * ```
 */
import { seededRandom } from '../permutation';
import { FrameMatrix, SpectrogramOptions, fftOfSize, framing, hann, melFilterbank, stft, MelOptions } from './features';

/** Options of {@link griffinLim}. */
export interface GriffinLimOptions extends SpectrogramOptions {
  /** Iterations; default 32. */
  iterations?: number;
  /** Seed of the initial phases; default 0. */
  seed?: number;
}

/** The least-squares signal of a complex STFT (re, im) [frames, nFft/2 + 1]: windowed inverse FFTs overlap-added, over Σ window². */
export function inverseStft(re: FrameMatrix, im: FrameMatrix, options: SpectrogramOptions = {}): Float32Array {
  const { nFft = 512, window = 400, hop = 160 } = options;
  const fft = fftOfSize(nFft);
  const bins = nFft / 2 + 1;
  if (re.columns !== bins || im.columns !== bins || re.frames !== im.frames) throw new Error(`inverseStft: re and im must both be [frames, ${bins}] (nFft ${nFft}); got [${re.frames}, ${re.columns}] and [${im.frames}, ${im.columns}]`);
  const w = hann(window);
  const length = (re.frames - 1) * hop + window;
  const y = new Float64Array(length);
  const norm = new Float64Array(length);
  const spec = fft.createComplexArray();
  const out = fft.createComplexArray();
  for (let t = 0; t < re.frames; t++) {
    for (let k = 0; k < nFft; k++) {
      const j = k < bins ? k : nFft - k;
      const sign = k < bins ? 1 : -1;
      spec[2 * k] = re.data[t * bins + j];
      spec[2 * k + 1] = sign * im.data[t * bins + j];
    }
    fft.inverseTransform(out, spec);
    for (let i = 0; i < window; i++) {
      y[t * hop + i] += out[2 * i] * w[i];
      norm[t * hop + i] += w[i] * w[i];
    }
  }
  const x = new Float32Array(length);
  for (let i = 0; i < length; i++) x[i] = norm[i] > 1e-8 ? y[i] / norm[i] : 0;
  return x;
}

/** A signal whose STFT magnitude approximates `magnitude` [frames, nFft/2 + 1] (Griffin & Lim 1984). */
export function griffinLim(magnitude: FrameMatrix, options: GriffinLimOptions = {}): Float32Array {
  const { iterations = 32, seed = 0, nFft = 512, window = 400, hop = 160 } = options;
  const where = 'griffinLim';
  if (!(Number.isInteger(iterations) && iterations >= 1)) throw new Error(`${where}: options.iterations must be an integer ≥ 1; got ${iterations}`);
  const bins = nFft / 2 + 1;
  if (magnitude.columns !== bins) throw new Error(`${where}: magnitude must have nFft / 2 + 1 = ${bins} columns; got ${magnitude.columns}`);
  framing(where, window, { nFft, window, hop });
  const rnd = seededRandom(seed);
  const n = magnitude.data.length;
  const re = { data: new Float32Array(n), frames: magnitude.frames, columns: bins };
  const im = { data: new Float32Array(n), frames: magnitude.frames, columns: bins };
  for (let i = 0; i < n; i++) {
    const phase = 2 * Math.PI * rnd();
    re.data[i] = magnitude.data[i] * Math.cos(phase);
    im.data[i] = magnitude.data[i] * Math.sin(phase);
  }
  let x = inverseStft(re, im, { nFft, window, hop });
  for (let it = 1; it < iterations; it++) {
    const s = stft(x, { nFft, window, hop });
    for (let i = 0; i < n; i++) {
      const a = s.re.data[i];
      const b = s.im.data[i];
      const r = Math.hypot(a, b);
      re.data[i] = r > 1e-12 ? (magnitude.data[i] * a) / r : magnitude.data[i];
      im.data[i] = r > 1e-12 ? (magnitude.data[i] * b) / r : 0;
    }
    x = inverseStft(re, im, { nFft, window, hop });
  }
  return x;
}

/** An STFT magnitude [frames, nFft/2 + 1] from a log-mel spectrogram [frames, mels] made with the same options. */
export function melToMagnitude(logMelFrames: FrameMatrix, options: MelOptions = {}): FrameMatrix {
  const { rate = 16000, fMin = 20, nFft = 512, floor = 1e-6 } = options;
  const fMax = options.fMax ?? rate / 2;
  const mels = logMelFrames.columns;
  const fb = melFilterbank(mels, nFft, rate, fMin, fMax);
  const bins = fb.columns;
  const area = new Float64Array(mels);
  const cover = new Float64Array(bins);
  for (let m = 0; m < mels; m++) for (let k = 0; k < bins; k++) (area[m] += fb.data[m * bins + k]), (cover[k] += fb.data[m * bins + k]);
  const out = new Float32Array(logMelFrames.frames * bins);
  for (let t = 0; t < logMelFrames.frames; t++) {
    for (let k = 0; k < bins; k++) {
      if (cover[k] < 1e-6) continue;
      let s = 0;
      for (let m = 0; m < mels; m++) {
        const f = fb.data[m * bins + k];
        if (f > 0) s += (f * Math.max(0, Math.exp(logMelFrames.data[t * mels + m]) - floor)) / area[m];
      }
      out[t * bins + k] = Math.sqrt(s / cover[k]);
    }
  }
  return { data: out, frames: logMelFrames.frames, columns: bins };
}
