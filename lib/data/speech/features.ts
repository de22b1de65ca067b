/**
 * Speech features in TypeScript (fft.js for the transforms): the short-time Fourier transform,
 * the mel filterbank (Stevens, Volkmann & Newman 1937; HTK's mel = 2595·log10(1 + f/700)), the
 * log-mel spectrogram the recognizer reads, and MFCCs (Davis & Mermelstein 1980: a DCT-II of the
 * log-mel frame).
 *
 * @example
 * ```ts
 * const m = logMel(samples);            // { data: Float32Array, frames: 78, mels: 40 } for 0.8 s at 16 kHz
 * const c = mfcc(samples, { coefficients: 13 });
 * ```
 */
import { tf } from '../../engine/tf';

interface FftInstance {
  createComplexArray(): number[];
  realTransform(out: number[], input: ArrayLike<number>): void;
  completeSpectrum(out: number[]): void;
  inverseTransform(out: number[], input: number[]): void;
}
// eslint-disable-next-line @typescript-eslint/no-var-requires
const FFT = require('fft.js') as new (size: number) => FftInstance;

/** Framing of a spectrogram. */
export interface SpectrogramOptions {
  /** FFT size, a power of two; default 512. */
  nFft?: number;
  /** Window length in samples (Hann, periodic), ≤ nFft; default 400 (25 ms at 16 kHz). */
  window?: number;
  /** Hop in samples; default 160 (10 ms at 16 kHz). */
  hop?: number;
}

/** Options of {@link logMel} and {@link mfcc}. */
export interface MelOptions extends SpectrogramOptions {
  /** Sample rate in Hz; default 16000. */
  rate?: number;
  /** Mel bands; default 40. */
  mels?: number;
  /** Lowest and highest filter edge in Hz; default 20 and rate / 2. */
  fMin?: number;
  fMax?: number;
  /** Added before the logarithm; default 1e-6. */
  floor?: number;
}

/** A [frames, columns] matrix stored row-major. */
export interface FrameMatrix {
  data: Float32Array;
  frames: number;
  columns: number;
}

const ffts = new Map<number, FftInstance>();
function fftOf(where: string, n: number): FftInstance {
  if (!(Number.isInteger(n) && n >= 4 && (n & (n - 1)) === 0)) throw new Error(`${where}: options.nFft must be a power of two ≥ 4; got ${n}`);
  if (!ffts.has(n)) ffts.set(n, new FFT(n));
  return ffts.get(n)!;
}

/** The periodic Hann window of length `n`. */
export function hann(n: number): Float32Array {
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

/** Resolved framing, checked. */
export function framing(where: string, length: number, options: SpectrogramOptions = {}): Required<SpectrogramOptions> & { frames: number; bins: number } {
  const { nFft = 512, window = 400, hop = 160 } = options;
  fftOf(where, nFft);
  if (!(Number.isInteger(window) && window >= 2 && window <= nFft)) throw new Error(`${where}: options.window must be an integer in 2..nFft (${nFft}); got ${window}`);
  if (!(Number.isInteger(hop) && hop >= 1)) throw new Error(`${where}: options.hop must be an integer ≥ 1; got ${hop}`);
  if (length < window) throw new Error(`${where}: the signal must have at least options.window = ${window} samples; got ${length}`);
  return { nFft, window, hop, frames: 1 + Math.floor((length - window) / hop), bins: nFft / 2 + 1 };
}

/**
 * The short-time Fourier transform of `x`: frame t is x[t·hop .. t·hop + window) times a Hann window,
 * zero-padded to nFft; X[t, k] = Σ_n x_t[n] e^{−2πikn/nFft} for k = 0..nFft/2, as real and imaginary parts.
 */
export function stft(x: Float32Array, options: SpectrogramOptions = {}): { re: FrameMatrix; im: FrameMatrix } {
  const { nFft, window, hop, frames, bins } = framing('stft', x.length, options);
  const fft = fftOf('stft', nFft);
  const w = hann(window);
  const re = new Float32Array(frames * bins);
  const im = new Float32Array(frames * bins);
  const frame = new Float64Array(nFft);
  const out = fft.createComplexArray();
  for (let t = 0; t < frames; t++) {
    frame.fill(0);
    for (let i = 0; i < window; i++) frame[i] = x[t * hop + i] * w[i];
    fft.realTransform(out, frame);
    for (let k = 0; k < bins; k++) {
      re[t * bins + k] = out[2 * k];
      im[t * bins + k] = out[2 * k + 1];
    }
  }
  return { re: { data: re, frames, columns: bins }, im: { data: im, frames, columns: bins } };
}

/** |X[t, k]|² of {@link stft}. */
export function powerSpectrogram(x: Float32Array, options: SpectrogramOptions = {}): FrameMatrix {
  const { re, im } = stft(x, options);
  const p = new Float32Array(re.data.length);
  for (let i = 0; i < p.length; i++) p[i] = re.data[i] * re.data[i] + im.data[i] * im.data[i];
  return { data: p, frames: re.frames, columns: re.columns };
}

const hzToMel = (f: number) => 2595 * Math.log10(1 + f / 700);
const melToHz = (m: number) => 700 * (10 ** (m / 2595) - 1);

/** Triangular mel filters [mels, nFft/2 + 1] (peak 1, centres equally spaced on the HTK mel scale). */
export function melFilterbank(mels: number, nFft: number, rate: number, fMin = 20, fMax = rate / 2): FrameMatrix {
  const where = 'melFilterbank';
  if (!(Number.isInteger(mels) && mels >= 1)) throw new Error(`${where}: mels must be an integer ≥ 1; got ${mels}`);
  if (!(fMin >= 0 && fMax > fMin && fMax <= rate / 2)) throw new Error(`${where}: need 0 ≤ fMin < fMax ≤ rate / 2 (${rate / 2} Hz); got fMin ${fMin}, fMax ${fMax}`);
  const bins = nFft / 2 + 1;
  const edges = Array.from({ length: mels + 2 }, (_, i) => melToHz(hzToMel(fMin) + ((hzToMel(fMax) - hzToMel(fMin)) * i) / (mels + 1)));
  const f = new Float32Array(mels * bins);
  for (let m = 0; m < mels; m++) {
    const [lo, mid, hi] = [edges[m], edges[m + 1], edges[m + 2]];
    for (let k = 0; k < bins; k++) {
      const hz = (k * rate) / nFft;
      const v = hz <= lo || hz >= hi ? 0 : hz <= mid ? (hz - lo) / (mid - lo) : (hi - hz) / (hi - mid);
      f[m * bins + k] = v;
    }
  }
  return { data: f, frames: mels, columns: bins };
}

function melParts(where: string, x: Float32Array, options: MelOptions) {
  if (!(x instanceof Float32Array)) throw new Error(`${where}: samples must be a Float32Array; got ${Object.prototype.toString.call(x)}`);
  const { rate = 16000, mels = 40, fMin = 20, floor = 1e-6 } = options;
  const fMax = options.fMax ?? rate / 2;
  const { nFft } = framing(where, x.length, options);
  return { rate, mels, fMin, fMax, floor, nFft };
}

/** ln(mel-filtered power + floor), [frames, mels]. */
export function logMel(x: Float32Array, options: MelOptions = {}): FrameMatrix {
  const { rate, mels, fMin, fMax, floor, nFft } = melParts('logMel', x, options);
  const p = powerSpectrogram(x, options);
  const fb = melFilterbank(mels, nFft, rate, fMin, fMax);
  const out = new Float32Array(p.frames * mels);
  for (let t = 0; t < p.frames; t++) {
    for (let m = 0; m < mels; m++) {
      let s = 0;
      for (let k = 0; k < p.columns; k++) s += fb.data[m * p.columns + k] * p.data[t * p.columns + k];
      out[t * mels + m] = Math.log(s + floor);
    }
  }
  return { data: out, frames: p.frames, columns: mels };
}

/** MFCCs: the orthonormal DCT-II of each log-mel frame, first `coefficients` (default 13). */
export function mfcc(x: Float32Array, options: MelOptions & { coefficients?: number } = {}): FrameMatrix {
  const lm = logMel(x, options);
  const { coefficients = 13 } = options;
  const m = lm.columns;
  if (!(Number.isInteger(coefficients) && coefficients >= 1 && coefficients <= m)) throw new Error(`mfcc: options.coefficients must be an integer in 1..${m}; got ${coefficients}`);
  const out = new Float32Array(lm.frames * coefficients);
  for (let t = 0; t < lm.frames; t++) {
    for (let c = 0; c < coefficients; c++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += lm.data[t * m + j] * Math.cos((Math.PI * c * (j + 0.5)) / m);
      out[t * coefficients + c] = s * Math.sqrt((c === 0 ? 1 : 2) / m);
    }
  }
  return { data: out, frames: lm.frames, columns: coefficients };
}

/** Log-mel spectrograms of equal-length clips as one tensor [n, frames, mels] (the caller disposes it). */
export function logMelBatch(clips: readonly Float32Array[], options: MelOptions = {}): tf.Tensor3D {
  if (!clips.length) throw new Error('logMelBatch: clips must hold at least one clip; got 0');
  const first = logMel(clips[0], options);
  const data = new Float32Array(clips.length * first.data.length);
  clips.forEach((c, i) => {
    if (c.length !== clips[0].length) throw new Error(`logMelBatch: every clip must have ${clips[0].length} samples like clips[0]; clips[${i}] has ${c.length}`);
    data.set(i === 0 ? first.data : logMel(c, options).data, i * first.data.length);
  });
  return tf.tensor3d(data, [clips.length, first.frames, first.columns]);
}

/** Exposed for Griffin–Lim: the fft.js transform of size n. */
export function fftOfSize(n: number): FftInstance {
  return fftOf('fft', n);
}
