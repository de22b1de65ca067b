/**
 * WAV files (RIFF, 16-bit PCM, mono) to and from Float32 samples in [−1, 1], and the one check of
 * a sample rate used everywhere in speech: audio of another rate is resampled (or rejected naming
 * both rates).
 *
 * @example
 * ```ts
 * const { samples, rate } = decodeWav(fs.readFileSync('seven.wav'));
 * fs.writeFileSync('copy.wav', encodeWav(samples, rate));
 * ```
 */
import { resample } from './resample';

/** Mono audio: samples in [−1, 1] at `rate` Hz. */
export interface Audio {
  samples: Float32Array;
  rate: number;
}

/** A 16-bit PCM mono WAV file of `samples` (clipped to [−1, 1]) at `rate` Hz. */
export function encodeWav(samples: Float32Array, rate: number): Buffer {
  if (!(Number.isInteger(rate) && rate > 0)) throw new Error(`encodeWav: rate must be a positive integer (Hz); got ${rate}`);
  const b = Buffer.alloc(44 + samples.length * 2);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + samples.length * 2, 4);
  b.write('WAVEfmt ', 8, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) b.writeInt16LE(Math.round(Math.max(-1, Math.min(1, samples[i])) * 32767), 44 + 2 * i);
  return b;
}

/** Samples and rate of a 16-bit PCM WAV file (the first channel when there are several). */
export function decodeWav(bytes: Uint8Array): Audio {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 12 || b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`decodeWav: bytes must be a RIFF/WAVE file; got ${b.length} bytes starting ${JSON.stringify(b.toString('latin1', 0, 4))}`);
  let at = 12;
  let rate = 0;
  let channels = 1;
  while (at + 8 <= b.length) {
    const id = b.toString('ascii', at, at + 4);
    let size = b.readUInt32LE(at + 4);
    if (id === 'fmt ') {
      const format = b.readUInt16LE(at + 8);
      channels = b.readUInt16LE(at + 10);
      rate = b.readUInt32LE(at + 12);
      const bits = b.readUInt16LE(at + 22);
      if (format !== 1 || bits !== 16) throw new Error(`decodeWav: only 16-bit PCM is read; got format ${format} with ${bits} bits`);
    } else if (id === 'data') {
      if (!rate) throw new Error('decodeWav: the data chunk comes before the fmt chunk');
      // emscripten's espeak writes a streaming header whose data size may be 0x7fffffff
      size = Math.min(size, b.length - at - 8);
      const n = Math.floor(size / (2 * channels));
      const samples = new Float32Array(n);
      for (let i = 0; i < n; i++) samples[i] = b.readInt16LE(at + 8 + 2 * channels * i) / 32768;
      return { samples, rate };
    }
    at += 8 + size + (size & 1);
  }
  throw new Error('decodeWav: the file has no data chunk');
}

/**
 * `audio` at `rate` Hz: returned as is when it already is, resampled when `resampleOther` (default
 * true), else an error from `where` naming both rates.
 */
export function atRate(where: string, audio: Audio, rate: number, resampleOther = true): Audio {
  if (audio.rate === rate) return audio;
  if (!resampleOther) throw new Error(`${where}: audio must be sampled at ${rate} Hz; got ${audio.rate} Hz (pass resample: true to convert it)`);
  return { samples: resample(audio.samples, audio.rate, rate), rate };
}
