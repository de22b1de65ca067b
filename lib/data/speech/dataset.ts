/**
 * Spoken digits synthesized with eSpeak-NG: the ten digit words said by several speakers (voices,
 * variants, base pitch and speed), several takes each with small random prosody changes (pitch and
 * rate per word, gain and timing per take), as 16 kHz mono clips of equal length — a small,
 * offline stand-in for the speech corpora of the lecture's probing examples. Deterministic from the
 * seed; cached under `data/generated/spoken-digits/` (generated once, then read without eSpeak).
 *
 * Each speaker is one eSpeak call: every take's ten words in shuffled order, separated by 400 ms breaks
 * (SSML), cut at the longest pauses; a speaker whose audio does not cut into words is synthesized word by word.
 *
 * @example
 * ```ts
 * const d = await spokenDigits();                 // 16 speakers × 10 words × 4 takes
 * d.clips[0];                                     // Float32Array, 12,800 samples (0.8 s at 16 kHz)
 * d.words[d.word[0]], d.speakers[d.speaker[0]].gender;
 * ```
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { generatedDir } from '../../packageRoot';
import { seededRandom, permutation } from '../permutation';
import { checkInteger } from '../../checks';
import { checkVoice, espeakSynthesize } from './espeak';
import { resample } from './resample';
import { Audio, atRate } from './wav';
import { progress } from '../../display/progress';
import { throwIfInterrupted } from '../../display/interrupt';

/** The ten digit words. */
export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;

/** A speaker: an eSpeak voice (language+variant) with its base pitch (0..99) and speed (words per minute). */
export interface SpeakerSpec {
  voice: string;
  pitch: number;
  speed: number;
  /** Kept out of the recognizer's training split. */
  heldOut?: boolean;
}

/** Eight male and eight female voices over seven accents; four (two of each) held out, whose base pitch and speed lie inside the training speakers' range (a recognizer trained on 12 voices interpolates, it does not extrapolate: with the held-out f5 at pitch 70, above every training voice, it recognized 26 of its 40 words). */
export const DEFAULT_SPEAKERS: readonly SpeakerSpec[] = [
  { voice: 'en-us+m1', pitch: 40, speed: 150 },
  { voice: 'en-us+m3', pitch: 55, speed: 165, heldOut: true },
  { voice: 'en-gb+m7', pitch: 45, speed: 155 },
  { voice: 'en-gb-scotland+m2', pitch: 50, speed: 160 },
  { voice: 'en-029+m4', pitch: 45, speed: 170 },
  { voice: 'en-gb-x-rp+m5', pitch: 40, speed: 145, heldOut: true },
  { voice: 'en-us-nyc+m6', pitch: 50, speed: 175 },
  { voice: 'en+Andy', pitch: 50, speed: 160 },
  { voice: 'en-us+f2', pitch: 60, speed: 160 },
  { voice: 'en+f4', pitch: 65, speed: 150 },
  { voice: 'en-us+f3', pitch: 55, speed: 170, heldOut: true },
  { voice: 'en-gb+f1', pitch: 70, speed: 155 },
  { voice: 'en-gb-x-rp+f5', pitch: 62, speed: 165, heldOut: true },
  { voice: 'en-us+Annie', pitch: 60, speed: 160 },
  { voice: 'en-gb-scotland+Andrea', pitch: 65, speed: 150 },
  { voice: 'en-029+steph', pitch: 60, speed: 170 },
];

/** Options of {@link spokenDigits}. */
export interface SpokenDigitsOptions {
  /** Default {@link DEFAULT_SPEAKERS}. */
  speakers?: readonly SpeakerSpec[];
  /** Takes per speaker and word; default 4. */
  takes?: number;
  /** Clip length in seconds; default 0.8. */
  seconds?: number;
  /** Default 0. */
  seed?: number;
  /** Where the cache lives; default `generatedDir()/spoken-digits`. `false`: no cache. */
  cacheDir?: string | false;
  /** Regenerate even when cached; default false. */
  regenerate?: boolean;
  /** No progress bar; default false. */
  quiet?: boolean;
}

/** One speaker of a {@link SpokenDigits} set. */
export interface Speaker extends SpeakerSpec {
  gender: 'M' | 'F';
  heldOut: boolean;
}

/** The clips and their labels (parallel arrays, one entry per clip). */
export interface SpokenDigits {
  rate: number;
  words: readonly string[];
  speakers: Speaker[];
  clips: Float32Array[];
  /** Word index (into `words`), speaker index and take of each clip. */
  word: number[];
  speaker: number[];
  take: number[];
  /** Whether this call read the cache, and milliseconds it took. */
  cached: boolean;
  ms: number;
}

const RATE = 16000;
const VERSION = 1;

function energyFrames(x: Float32Array, size: number): Float64Array {
  const e = new Float64Array(Math.floor(x.length / size));
  for (let t = 0; t < e.length; t++) for (let i = 0; i < size; i++) e[t] += x[t * size + i] ** 2;
  return e;
}

/** The ten words of one take cut at the nine longest interior pauses, or undefined when the cut does not look like ten words. */
export function cutAtPauses(audio: Audio, words: number): Float32Array[] | undefined {
  const size = Math.round(audio.rate / 100);
  const e = energyFrames(audio.samples, size);
  const peak = e.reduce((a, b) => Math.max(a, b), 0);
  const loud = Array.from(e, (v) => v > peak * 1e-4);
  const first = loud.indexOf(true);
  const last = loud.lastIndexOf(true);
  if (first < 0) return undefined;
  const runs: [number, number][] = [];
  for (let t = first; t <= last; t++) {
    if (loud[t]) continue;
    let u = t;
    while (!loud[u + 1] && u + 1 <= last) u++;
    runs.push([t, u + 1]);
    t = u;
  }
  if (runs.length < words - 1) return undefined;
  const cuts = runs.sort((a, b) => b[1] - b[0] - (a[1] - a[0])).slice(0, words - 1);
  if (cuts[words - 2][1] - cuts[words - 2][0] < 15) return undefined; // pauses are 400 ms; a stop closure is under 150 ms
  cuts.sort((a, b) => a[0] - b[0]);
  const bounds = [first, ...cuts.flat(), last + 1];
  const out: Float32Array[] = [];
  for (let w = 0; w < words; w++) out.push(audio.samples.slice(bounds[2 * w] * size, bounds[2 * w + 1] * size));
  return out.every((s) => s.length >= 0.1 * audio.rate) ? out : undefined;
}

/** `word` (at RATE) placed in a clip of `n` samples, centred then shifted by `shift` samples (cropped if longer). */
function place(word: Float32Array, n: number, shift: number, gain: number): Float32Array {
  const clip = new Float32Array(n);
  const start = Math.max(0, Math.min(n - word.length, Math.floor((n - word.length) / 2) + shift));
  const from = word.length > n ? Math.floor((word.length - n) / 2) : 0;
  for (let i = 0; i < Math.min(n, word.length); i++) clip[start + i] = word[from + i] * gain;
  return clip;
}

/** One eSpeak call of `items` (word index, pitch %, rate %) separated by 400 ms breaks, cut into words (word by word when the cut fails). */
async function say(voice: string, pitch: number, speed: number, items: { w: number; pitch: number; rate: number }[]): Promise<{ parts: Float32Array[]; rate: number; fallback: boolean }> {
  const ssml = '<speak>' + items.map((it) => `<prosody pitch="${it.pitch >= 0 ? '+' : ''}${it.pitch}%" rate="${it.rate}%">${DIGIT_WORDS[it.w]}</prosody><break time="400ms"/>`).join('') + '</speak>';
  const said = await espeakSynthesize(ssml, { voice, pitch, speed, ssml: true });
  const parts = cutAtPauses(said, items.length);
  if (parts) return { parts, rate: said.rate, fallback: false };
  const each: Float32Array[] = [];
  for (const it of items) {
    const a = atRate('spokenDigits', await espeakSynthesize(`<speak><prosody pitch="${it.pitch >= 0 ? '+' : ''}${it.pitch}%" rate="${it.rate}%">${DIGIT_WORDS[it.w]}</prosody></speak>`, { voice, pitch, speed, ssml: true }), said.rate);
    each.push(cutAtPauses(a, 1)?.[0] ?? a.samples);
  }
  return { parts: each, rate: said.rate, fallback: true };
}

async function generate(speakers: readonly SpeakerSpec[], takes: number, seconds: number, seed: number, onSpeaker: (s: number) => void) {
  const n = Math.round(seconds * RATE);
  const clips: Float32Array[] = [];
  const word: number[] = [];
  const speaker: number[] = [];
  const take: number[] = [];
  let fallbacks = 0;
  for (let s = 0; s < speakers.length; s++) {
    // all takes of a speaker in one call (one eSpeak start-up, ~0.3 s); a take's pitch and rate offsets go into each word's prosody
    const rnd = seededRandom(seed * 1000003 + s * 101);
    const items: { w: number; pitch: number; rate: number; take: number }[] = [];
    const gains: number[] = [];
    for (let k = 0; k < takes; k++) {
      const order = Array.from(permutation(DIGIT_WORDS.length, seed * 7919 + s * 31 + k));
      const takePitch = (rnd() - 0.5) * 16;
      const takeRate = 0.92 + 0.16 * rnd();
      gains.push(10 ** (((rnd() - 0.5) * 6) / 20));
      for (const w of order) items.push({ w, take: k, pitch: Math.round(takePitch + (rnd() - 0.5) * 12), rate: Math.round(100 * takeRate * (0.94 + 0.12 * rnd())) });
    }
    const { parts, rate, fallback } = await say(speakers[s].voice, speakers[s].pitch, speakers[s].speed, items);
    fallbacks += fallback ? 1 : 0;
    items.forEach((it, i) => {
      // eSpeak-NG writes 22,050 Hz; whatever it wrote is resampled to 16 kHz
      const at16k = resample(parts[i], rate, RATE);
      clips.push(place(at16k, n, Math.round((rnd() - 0.5) * 0.08 * RATE), gains[it.take]));
      word.push(it.w);
      speaker.push(s);
      take.push(it.take);
    });
    onSpeaker(s);
  }
  return { clips, word, speaker, take, fallbacks };
}

/**
 * The spoken-digit set: read from the cache when this recipe was generated before, else synthesized
 * with eSpeak-NG (≈ 0.3 s per take; stops with how to install eSpeak-NG when it is missing).
 */
export async function spokenDigits(options: SpokenDigitsOptions = {}): Promise<SpokenDigits> {
  const where = 'spokenDigits';
  const t0 = Date.now();
  const { speakers = DEFAULT_SPEAKERS, takes = 4, seconds = 0.8, seed = 0, regenerate = false } = options;
  checkInteger(where, 'options.takes', takes, 1);
  checkInteger(where, 'options.seed', seed, 0);
  if (!(seconds >= 0.3 && seconds <= 4)) throw new Error(`${where}: options.seconds must be in 0.3..4; got ${seconds}`);
  if (!Array.isArray(speakers) || speakers.length === 0) throw new Error(`${where}: options.speakers must be a non-empty array of { voice, pitch, speed }`);
  speakers.forEach((s, i) => {
    if (typeof s?.voice !== 'string' || !(s.pitch >= 0 && s.pitch <= 99) || !(s.speed >= 80 && s.speed <= 450)) {
      throw new Error(`${where}: options.speakers[${i}] must be { voice: string, pitch: 0..99, speed: 80..450 }; got ${JSON.stringify(s)}`);
    }
  });
  const recipe = { version: VERSION, speakers: speakers.map((s) => ({ voice: s.voice, pitch: s.pitch, speed: s.speed, heldOut: !!s.heldOut })), takes, seconds, seed };
  const key = crypto.createHash('sha1').update(JSON.stringify(recipe)).digest('hex').slice(0, 12);
  const dir = options.cacheDir === false ? undefined : path.join(options.cacheDir ?? path.join(generatedDir(), 'spoken-digits'), key);
  const n = Math.round(seconds * RATE);
  if (dir && !regenerate && fs.existsSync(path.join(dir, 'meta.json'))) {
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
    const bin = fs.readFileSync(path.join(dir, 'clips.bin'));
    const pcm = new Int16Array(bin.buffer, bin.byteOffset, bin.byteLength / 2);
    const clips = meta.word.map((_: number, i: number) => Float32Array.from(pcm.subarray(i * n, (i + 1) * n), (v) => v / 32768));
    return { rate: RATE, words: DIGIT_WORDS, speakers: meta.speakers, clips, word: meta.word, speaker: meta.speaker, take: meta.take, cached: true, ms: Date.now() - t0 };
  }
  const genders: Speaker[] = [];
  for (const s of speakers) {
    const g = await checkVoice(where, s.voice);
    genders.push({ ...s, gender: g === 'F' ? 'F' : 'M', heldOut: !!s.heldOut });
  }
  const bar = progress({ label: `${where}: synthesizing with eSpeak-NG`, total: speakers.length, enabled: !options.quiet });
  let data: Awaited<ReturnType<typeof generate>>;
  try {
    data = await generate(speakers, takes, seconds, seed, (s) => {
      bar.tick();
      throwIfInterrupted(where);
    });
  } finally {
    bar.done();
  }
  if (data.fallbacks) console.log(`${where}: ${data.fallbacks} speaker(s) synthesized word by word (their pauses did not cut into words)`);
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    const pcm = new Int16Array(data.clips.length * n);
    data.clips.forEach((c, i) => pcm.set(Array.from(c, (v) => Math.round(Math.max(-1, Math.min(1, v)) * 32767)), i * n));
    fs.writeFileSync(path.join(dir, 'clips.bin'), Buffer.from(pcm.buffer));
    fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ ...recipe, speakers: genders, word: data.word, speaker: data.speaker, take: data.take }));
  }
  // the cached copy is 16-bit: quantize the fresh one the same way so both paths give the same numbers
  const clips = data.clips.map((c) => Float32Array.from(c, (v) => Math.round(Math.max(-1, Math.min(1, v)) * 32767) / 32768));
  return { rate: RATE, words: DIGIT_WORDS, speakers: genders, clips, word: data.word, speaker: data.speaker, take: data.take, cached: false, ms: Date.now() - t0 };
}

/** Indices of the clips of training speakers and of held-out speakers. */
export function speakerSplit(d: SpokenDigits): { train: number[]; heldOut: number[] } {
  const train: number[] = [];
  const heldOut: number[] = [];
  d.speaker.forEach((s, i) => (d.speakers[s].heldOut ? heldOut : train).push(i));
  return { train, heldOut };
}
