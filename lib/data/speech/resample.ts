/**
 * Band-limited resampling (Smith's windowed-sinc interpolation, "Digital Audio Resampling Home
 * Page", 2002): each output sample is a Hann-windowed sinc sum of the inputs around its time,
 * with the cut-off at the lower of the two Nyquist frequencies (so 22,050 → 16,000 Hz does not
 * alias).
 *
 * @example
 * ```ts
 * const y = resample(x, 22050, 16000);   // y.length = round(x.length · 16000 / 22050)
 * ```
 */

/** `x` sampled at `from` Hz, resampled to `to` Hz with a windowed sinc of `halfWidth` zero crossings each side. */
export function resample(x: Float32Array, from: number, to: number, halfWidth = 16): Float32Array {
  for (const [name, v] of [['from', from], ['to', to]] as const) {
    if (!(Number.isFinite(v) && v > 0)) throw new Error(`resample: ${name} must be a rate in Hz > 0; got ${v}`);
  }
  if (from === to) return x.slice();
  const ratio = to / from;
  const n = Math.round(x.length * ratio);
  const y = new Float32Array(n);
  const cutoff = Math.min(1, ratio) * 0.97; // in units of the input's Nyquist
  const reach = halfWidth / cutoff; // input samples each side
  const taps = 2 * Math.ceil(reach) + 1;
  const tap = (d: number) => {
    const arg = Math.PI * cutoff * d;
    const sinc = arg === 0 ? 1 : Math.sin(arg) / arg;
    return Math.abs(d) >= reach ? 0 : sinc * (0.5 + 0.5 * Math.cos((Math.PI * d) / reach)) * cutoff;
  };
  // integer rates: output i sits at phase (i·from mod to) / to between inputs, so one table per phase
  const g = Number.isInteger(from) && Number.isInteger(to) ? gcd(from, to) : 0;
  const phases = g ? to / g : 0;
  const table = phases && phases <= 4096 ? new Float64Array(phases * taps) : undefined;
  if (table) {
    for (let p = 0; p < phases; p++) {
      const frac = ((p * from) / g % phases) / phases;
      for (let j = 0; j < taps; j++) table[p * taps + j] = tap(j - Math.ceil(reach) - frac);
    }
  }
  for (let i = 0; i < n; i++) {
    const t = i / ratio;
    const base = Math.floor(t + 1e-9) - Math.ceil(reach);
    let s = 0;
    if (table) {
      const row = (i % phases) * taps;
      for (let j = 0; j < taps; j++) {
        const k = base + j;
        if (k >= 0 && k < x.length) s += x[k] * table[row + j];
      }
    } else {
      for (let j = 0; j < taps; j++) {
        const k = base + j;
        if (k >= 0 && k < x.length) s += x[k] * tap(k - t);
      }
    }
    y[i] = s;
  }
  return y;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
