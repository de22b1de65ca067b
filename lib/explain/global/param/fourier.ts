/**
 * The Fourier parameterization (Olah et al. 2017, "Feature Visualization", §Preconditioning;
 * Mordvintsev et al. 2018; Lucent's `fft_image`): the variables are the image's spectrum, each
 * frequency f scaled by 1/max(|f|, 1/max(h, w))^decay (natural images fall off as 1/f), so that a
 * gradient step moves all frequencies alike instead of favouring high-frequency noise. The image is
 * the real inverse DFT (orthonormal), divided by 4 and passed through a sigmoid; for RGB the three
 * channels are first decorrelated with Lucid's colour-correlation matrix.
 *
 * The wasm backend has no FFT kernel: the inverse real DFT is two matrix products with DFT
 * matrices ({@link inverseRealDft}), cheap at 28×28 and on the engine's fast matmul.
 *
 * @example
 * ```ts
 * render(model, classScore(3), { param: fourier() })
 * ```
 */
import { tf } from '../../../engine/tf';
import { normalVariable, type Parameterization, type ParamState } from './param';

/** numpy's fftfreq(n): 0, 1, …, ⌈n/2⌉−1, −⌊n/2⌋, …, −1, over n. */
export function fftFrequencies(n: number): number[] {
  return Array.from({ length: n }, (_, k) => (k < Math.ceil(n / 2) ? k : k - n) / n);
}

/** The matrices of the inverse real 2-D DFT of an h×w image from its h×(⌊w/2⌋+1) half spectrum. */
export interface DftMatrices {
  /** cos(2π k m / h) and sin(2π k m / h), [h, h] (row m, column k). */
  cosH: tf.Tensor2D;
  sinH: tf.Tensor2D;
  /** c_l·cos(2π l n / w) and c_l·sin(2π l n / w), [⌊w/2⌋+1, w] (row l, column n); c_l = 1 at l = 0 and the Nyquist frequency, else 2. */
  cosW: tf.Tensor2D;
  sinW: tf.Tensor2D;
  /** 1/√(h·w): numpy's norm='ortho'. */
  scale: number;
}

/** Builds the {@link DftMatrices} for an h×w image. The caller disposes them. */
export function dftMatrices(h: number, w: number): DftMatrices {
  const wr = Math.floor(w / 2) + 1;
  const ch = new Float32Array(h * h);
  const sh = new Float32Array(h * h);
  for (let m = 0; m < h; m++) for (let k = 0; k < h; k++) {
    const a = (2 * Math.PI * ((k * m) % h)) / h;
    ch[m * h + k] = Math.cos(a);
    sh[m * h + k] = Math.sin(a);
  }
  const cw = new Float32Array(wr * w);
  const sw = new Float32Array(wr * w);
  for (let l = 0; l < wr; l++) {
    const c = l === 0 || (w % 2 === 0 && l === w / 2) ? 1 : 2;
    for (let n = 0; n < w; n++) {
      const a = (2 * Math.PI * ((l * n) % w)) / w;
      cw[l * w + n] = c * Math.cos(a);
      sw[l * w + n] = c * Math.sin(a);
    }
  }
  return { cosH: tf.tensor2d(ch, [h, h]), sinH: tf.tensor2d(sh, [h, h]), cosW: tf.tensor2d(cw, [wr, w]), sinW: tf.tensor2d(sw, [wr, w]), scale: 1 / Math.sqrt(h * w) };
}

/**
 * numpy's irfft2(re + i·im, s=(h, w), norm='ortho') over the last two axes of [b, h, ⌊w/2⌋+1]:
 * x[m, n] = Re Σₖ Σₗ c_l (re + i·im)[k, l] e^{2πi(km/h + ln/w)} / √(hw). Differentiable.
 */
export function inverseRealDft(re: tf.Tensor3D, im: tf.Tensor3D, d: DftMatrices): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, h, wr] = re.shape;
    const w = d.cosW.shape[1];
    const r2 = re.reshape([b * h, wr]);
    const i2 = im.reshape([b * h, wr]);
    // along w: T = S·E_w (complex), T_re = re·C − im·S, T_im = re·S + im·C
    const tRe = tf.sub(tf.matMul(r2, d.cosW), tf.matMul(i2, d.sinW)).reshape([b, h, w]);
    const tIm = tf.add(tf.matMul(r2, d.sinW), tf.matMul(i2, d.cosW)).reshape([b, h, w]);
    // along h: Re(E_h T) = C_h T_re − S_h T_im
    const x = tf.sub(tf.matMul(d.cosH.expandDims(0), tRe), tf.matMul(d.sinH.expandDims(0), tIm));
    return tf.mul(x, d.scale) as tf.Tensor3D;
  });
}

/** Lucid's colour-correlation square root (ImageNet RGB), columns normalized by the largest norm. */
const COLOR_CORRELATION = [
  [0.26, 0.09, 0.02],
  [0.27, 0.0, -0.05],
  [0.27, -0.09, 0.03],
];

/** Options of {@link fourier}. */
export interface FourierOptions {
  /** Exponent of the 1/f scaling; default 1 (Lucent). 0: a plain (white) spectrum. */
  decay?: number;
  /** Standard deviation of the starting spectrum; default 0.01 (Lucent). */
  noise?: number;
  /** The model's input range; the sigmoid output is mapped onto it. Default [0, 1]. */
  range?: [number, number];
  /** Decorrelate colour for 3-channel images (Lucid's matrix); default true. */
  decorrelate?: boolean;
}

/** The 1/f-scaled Fourier parameterization; see the module. */
export function fourier(options: FourierOptions = {}): Parameterization {
  const { decay = 1, noise = 0.01, range = [0, 1], decorrelate = true } = options;
  if (!(Number.isFinite(decay) && decay >= 0)) throw new Error(`fourier: options.decay must be a number ≥ 0; got ${decay}`);
  if (!(noise > 0)) throw new Error(`fourier: options.noise must be > 0; got ${noise}`);
  const [lo, hi] = range;
  if (!(hi > lo)) throw new Error(`fourier: options.range must be [lo, hi] with lo < hi; got ${JSON.stringify(range)}`);
  return {
    kind: 'fourier',
    create([n, h, w, c], seed): ParamState {
      const wr = Math.floor(w / 2) + 1;
      const d = dftMatrices(h, w);
      const fy = fftFrequencies(h);
      const sc = new Float32Array(h * wr);
      for (let k = 0; k < h; k++) for (let l = 0; l < wr; l++) sc[k * wr + l] = 1 / Math.pow(Math.max(Math.hypot(fy[k], l / w), 1 / Math.max(h, w)), decay);
      const scale = tf.tensor3d(sc, [1, h, wr]);
      const re = normalVariable([n * c, h, wr], noise, seed, 'fourier_re');
      const im = normalVariable([n * c, h, wr], noise, seed + 7919, 'fourier_im');
      const colour = c === 3 && decorrelate ? tf.tidy(() => {
        const m = tf.tensor2d(COLOR_CORRELATION);
        const maxNorm = tf.max(tf.norm(m, 2, 0));
        return tf.keep(tf.div(m, maxNorm).transpose());
      }) : undefined;
      return {
        kind: 'fourier',
        variables: [re, im],
        image: () => {
          const x = inverseRealDft(tf.mul(re, scale) as tf.Tensor3D, tf.mul(im, scale) as tf.Tensor3D, d); // [n·c, h, w]
          let img = x.reshape([n, c, h, w]).transpose([0, 2, 3, 1]).div(4) as tf.Tensor4D;
          if (colour) img = tf.matMul(img.reshape([-1, 3]), colour).reshape([n, h, w, 3]) as tf.Tensor4D;
          return tf.add(tf.mul(tf.sigmoid(img), hi - lo), lo) as tf.Tensor4D;
        },
        dispose: () => tf.dispose([re, im, scale, d.cosH, d.sinH, d.cosW, d.sinW, ...(colour ? [colour] : [])]),
      };
    },
  };
}
