/**
 * What a heatmap draws, gathered from its input: one h × w map per picture (channels summed), and
 * for attributions the facts that go beside each map — what was explained, the explained score and
 * whether the map is saturated (below the float resolution of that score; Attribution.saturated).
 * A list of attributions (a comparison of methods) becomes one row per attribution.
 */
import { type Attribution, isAttribution } from '../explain/core/attribution';
import type { ExplainedScore } from '../explain/core/explainedModel';
import { batchShape, toImageBatch, type ImageBatch, type ImageInput } from './images';
import { eng, fmt } from './layout';

/** The maps of a heatmap and what is known about each. */
export interface HeatmapMaps {
  /** Channel sums, one h × w map per picture. */
  readonly maps: Float32Array[];
  readonly n: number;
  readonly h: number;
  readonly w: number;
  /** Channels of the input (summed into each map). */
  readonly c: number;
  /** Per map: saturated (from the attribution; false for plain values). */
  readonly saturated: boolean[];
  /** Per map: what was explained and its score, when the input was an attribution. */
  readonly explained: (ExplainedScore | undefined)[];
  readonly score: (number | undefined)[];
  /** Per map: the target class, when the input was an attribution. */
  readonly target: (number | undefined)[];
  /** For a list of attributions: each one's method (one row each), else undefined. */
  readonly methods?: string[];
  /** Maps per row forced by a list of attributions (its examples per attribution), else undefined. */
  readonly perRow?: number;
}

/**
 * Whether `x` is a non-empty array of attributions (a comparison of methods).
 * @example
 * ```ts
 * isAttributionList([saliency(model, x), integratedGradients(model, x)]) // true
 * ```
 */
export function isAttributionList(x: unknown): x is readonly Attribution<object>[] {
  return Array.isArray(x) && x.length > 0 && x.every((a) => isAttribution(a));
}

/** Sums channels: one h × w map per image. */
function channelSums(b: ImageBatch): Float32Array[] {
  const hw = b.h * b.w;
  return Array.from({ length: b.n }, (_, i) => {
    const out = new Float32Array(hw);
    const base = i * hw * b.c;
    for (let p = 0; p < hw; p++) {
      let s = 0;
      for (let k = 0; k < b.c; k++) s += b.data[base + p * b.c + k];
      out[p] = s;
    }
    return out;
  });
}

/**
 * Reads the heatmap input: values, one attribution, or a list of attributions (one row each).
 * @example
 * ```ts
 * heatmapMaps([sal, ig]).methods // ['saliency', 'integratedGradients']
 * ```
 */
export function heatmapMaps(values: ImageInput | readonly Attribution<object>[]): HeatmapMaps {
  if (isAttributionList(values)) {
    const batches = values.map((a, k) => toImageBatch(a.values, `heatmap: values[${k}]`));
    const first = batches[0];
    batches.forEach((b, k) => {
      if (b.n !== first.n || b.h !== first.h || b.w !== first.w) {
        throw new Error(`heatmap: values[${k}] (${values[k].method}) has shape ${batchShape(b)} but values[0] (${values[0].method}) has shape ${batchShape(first)}; expected the same number of examples, height and width in every attribution of a comparison`);
      }
    });
    const all = <T>(f: (a: Attribution<object>, i: number) => T) => values.flatMap((a) => Array.from({ length: first.n }, (_, i) => f(a, i)));
    return {
      maps: batches.flatMap(channelSums),
      n: first.n * values.length,
      h: first.h,
      w: first.w,
      c: Math.max(...batches.map((b) => b.c)),
      saturated: all((a, i) => a.saturated?.[i] === true),
      explained: all((a) => a.explained),
      score: all((a, i) => a.score?.[i]),
      target: all((a, i) => a.target[i]),
      methods: values.map((a) => a.method),
      perRow: first.n,
    };
  }
  const batch = toImageBatch(values as ImageInput, 'heatmap: values');
  const a = isAttribution(values) ? values : undefined;
  const per = <T>(f: (i: number) => T) => Array.from({ length: batch.n }, (_, i) => f(i));
  return {
    maps: channelSums(batch),
    n: batch.n,
    h: batch.h,
    w: batch.w,
    c: batch.c,
    saturated: per((i) => a?.saturated?.[i] === true),
    explained: per(() => a?.explained),
    score: per((i) => a?.score?.[i]),
    target: per((i) => a?.target[i]),
  };
}

/**
 * Largest finite |value| of a map (0 when it has none).
 * @example
 * ```ts
 * maxAbs(Float32Array.of(0.5, -2, NaN)) // 2
 * ```
 */
export function maxAbs(map: Float32Array): number {
  let m = 0;
  for (let i = 0; i < map.length; i++) {
    const v = Math.abs(map[i]);
    if (v > m && Number.isFinite(v)) m = v;
  }
  return m;
}

/**
 * The caption line with a map's magnitude (engineering notation).
 * @example
 * ```ts
 * magnitudeText(5.28e-26) // 'max |v| 52.8e-27'
 * ```
 */
export function magnitudeText(m: number): string {
  return `max |v| ${eng(m)}`;
}

/**
 * The caption of a saturated map: what happened and what to do, e.g.
 * "saturated: gradients below float resolution of the score (p = 1.000) — explain the logit".
 * @example
 * ```ts
 * saturatedText('probability', 1) // 'saturated: gradients below float resolution of the score (p = 1.000) — explain the logit'
 * ```
 */
export function saturatedText(explained: ExplainedScore | undefined, score: number | undefined): string {
  const s = score === undefined ? '' : explained === 'probability' ? ` (p = ${score.toFixed(3)})` : ` (${explained ?? 'score'} = ${fmt(score)})`;
  const fix = explained === 'probability' ? ' — explain the logit' : explained === 'output' ? ' — explain a score before the softmax/sigmoid' : '';
  return `saturated: gradients below float resolution of the score${s}${fix}`;
}
