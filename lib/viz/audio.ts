/**
 * Sound in a notebook: each clip as an HTML `<audio controls>` player with the WAV inline (a
 * base64 data URI: the notebook file carries the sound, nothing to serve) above its log-mel
 * spectrogram — the picture is what shows where audio does not play (a static export, a PDF) and
 * what a reader compares at a glance (the lecture's "listen to what this layer kept").
 *
 * @example
 * ```ts
 * show(audio([clip, rebuilt], { rate: 16000, captions: ['input', 'rebuilt from bilstm1'] }));
 * ```
 */
import type { Figure } from '../display/figure';
import { escapeHtml } from '../display/escape';
import { encodeWav } from '../data/speech/wav';
import { logMel } from '../data/speech/features';
import { resample } from '../data/speech/resample';
import { FONT } from './layout';
import { pngBase64 } from './raster';
import { spectrogramCells, type SpectrogramFigureOptions } from './spectrogram';

/** Options of {@link audio}. */
export interface AudioOptions extends Pick<SpectrogramFigureOptions, 'colormap' | 'normalize' | 'range' | 'scale'> {
  /** Sample rate of the clips in Hz; default 16000. */
  rate?: number;
  title?: string;
  /** One caption per clip. */
  captions?: readonly string[];
  /** Clips per row; default up to 4. */
  cols?: number;
  /** Peak-normalize each clip to 0.9 before encoding (quiet reconstructions become audible); default false. */
  normalizePeak?: boolean;
}

/** A figure of audio players, each with the clip's spectrogram (shared colour range) under it. */
export function audio(clips: Float32Array | readonly Float32Array[], options: AudioOptions = {}): Figure {
  const where = 'audio';
  const list = clips instanceof Float32Array ? [clips] : Array.isArray(clips) ? (clips as Float32Array[]) : [];
  if (!list.length || list.some((c) => !(c instanceof Float32Array) || c.length === 0)) throw new Error(`${where}: clips must be a Float32Array or a non-empty array of them (samples in [−1, 1])`);
  const rate = options.rate ?? 16000;
  if (!(Number.isInteger(rate) && rate >= 4000 && rate <= 192000)) throw new Error(`${where}: options.rate must be an integer sample rate in 4000..192000 Hz; got ${rate}`);
  if (options.captions && options.captions.length !== list.length) throw new Error(`${where}: options.captions must have one caption per clip (${list.length}); got ${options.captions.length}`);
  const shown = list.map((c) => {
    if (!options.normalizePeak) return c;
    const peak = c.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    return peak > 0 ? c.map((v) => (v * 0.9) / peak) : c;
  });
  // the picture is a 16 kHz log-mel whatever the clip's rate
  const mels = shown.map((c) => {
    const at16k = rate === 16000 ? c : resample(c, rate, 16000);
    const padded = at16k.length >= 400 ? at16k : Float32Array.from({ length: 400 }, (_, i) => at16k[i] ?? 0);
    return logMel(padded);
  });
  const frames = Math.max(...mels.map((m) => m.frames));
  const even = mels.map((m) => (m.frames === frames ? m : { data: Float32Array.from({ length: frames * m.columns }, (_, i) => m.data[i] ?? Math.log(1e-6)), frames, columns: m.columns }));
  const scale = options.scale ?? 2;
  const { cells } = spectrogramCells(even, { ...options, scale });
  const cols = options.cols ?? Math.min(4, list.length);
  const width = frames * scale;
  const items = shown.map((c, i) => {
    const wav = encodeWav(c, rate).toString('base64');
    const png = pngBase64(cells[i], even[i].columns, frames, scale);
    const cap = options.captions ? `<figcaption style="line-height:1.25">${escapeHtml(options.captions[i])}</figcaption>` : '';
    return (
      `<figure style="margin:0;width:${Math.max(width, 200)}px">${cap}` +
      `<audio controls preload="none" src="data:audio/wav;base64,${wav}" style="width:${Math.max(width, 200)}px;height:32px"></audio>` +
      `<img src="data:image/png;base64,${png}" width="${width}" alt="log-mel spectrogram${options.captions ? ' of ' + escapeHtml(options.captions[i]) : ''}" style="display:block;image-rendering:pixelated"></figure>`
    );
  });
  const seconds = list.map((c) => c.length / rate);
  const html =
    `<div class="xai-figure xai-audio" style="${FONT}">` +
    (options.title ? `<div style="font-weight:600;margin-bottom:4px">${escapeHtml(options.title)}</div>` : '') +
    `<div style="display:grid;justify-content:start;grid-template-columns:repeat(${cols},auto);gap:8px">${items.join('')}</div>` +
    `<div style="margin-top:4px;color:#555">${escapeHtml(`${rate} Hz mono; under each player its log-mel spectrogram (time →, mel band ↑, shared colour range)${options.normalizePeak ? '; each clip peak-normalized' : ''}`)}</div></div>`;
  const text = `audio: ${list.length} clip${list.length > 1 ? 's' : ''} at ${rate} Hz (${seconds.map((s) => s.toFixed(2) + ' s').join(', ')})${options.captions ? ': ' + options.captions.join(', ') : ''}`;
  return { bundle: { 'text/plain': text, 'text/html': html }, info: { count: list.length, rate, seconds } };
}
