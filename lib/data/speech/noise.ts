/**
 * Background noise at a chosen signal-to-noise ratio: pink noise (power ∝ 1/f, Voss–McCartney
 * approximation with 8 rows — the spectrum of fans, traffic and rooms more than white noise's),
 * scaled so that 10·log10(P_signal / P_noise) equals the SNR in dB over the clip.
 *
 * @example
 * ```ts
 * const { noisy, noise } = addNoise(clip, 10, 7);   // 10 dB SNR, seed 7
 * ```
 */
import { seededRandom } from '../permutation';

/** `n` samples of zero-mean pink noise with unit power, from `seed`. */
export function pinkNoise(n: number, seed: number): Float32Array {
  const rnd = seededRandom(seed);
  const rows = new Float64Array(8).map(() => rnd() - 0.5);
  let sum = rows.reduce((a, b) => a + b, 0);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // the row that changes is the number of trailing zeros of i (row 0 every other sample, …)
    const r = i === 0 ? 0 : Math.min(7, 31 - Math.clz32(i & -i));
    sum -= rows[r];
    rows[r] = rnd() - 0.5;
    sum += rows[r];
    out[i] = sum + (rnd() - 0.5);
  }
  let mean = 0;
  for (const v of out) mean += v / n;
  let power = 0;
  for (let i = 0; i < n; i++) (out[i] -= mean), (power += (out[i] * out[i]) / n);
  const s = 1 / Math.sqrt(power || 1);
  for (let i = 0; i < n; i++) out[i] *= s;
  return out;
}

/** `clip` plus pink noise at `snrDb` decibels (relative to the clip's mean power), and the noise added. */
export function addNoise(clip: Float32Array, snrDb: number, seed: number): { noisy: Float32Array; noise: Float32Array } {
  if (!Number.isFinite(snrDb)) throw new Error(`addNoise: snrDb must be a finite number of decibels; got ${snrDb}`);
  let power = 0;
  for (const v of clip) power += (v * v) / clip.length;
  const noise = pinkNoise(clip.length, seed);
  const g = Math.sqrt(power / 10 ** (snrDb / 10));
  const noisy = new Float32Array(clip.length);
  for (let i = 0; i < clip.length; i++) (noise[i] *= g), (noisy[i] = clip[i] + noise[i]);
  return { noisy, noise };
}
