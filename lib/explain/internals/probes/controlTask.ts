/**
 * Hewitt & Liang 2019, "Designing and Interpreting Probes with Control Tasks": a control task gives
 * every word **type** one random tag, drawn from the task's empirical tag distribution, and every
 * occurrence of the type gets that tag. A probe can only do well on it by memorizing word identity,
 * so **selectivity** = task accuracy − control accuracy says how much of a probe's accuracy the
 * representation, not the probe, explains.
 *
 * @example
 * ```ts
 * const control = controlTask(words, tags, { seed: 1 });   // one random tag per word type
 * const sel = selectivity(taskAccuracy, controlAccuracy);
 * ```
 */
import { seededRandom } from '../../../data/permutation';

/** Options of {@link controlTask}. */
export interface ControlTaskOptions {
  /** Seed of the random tags; default 0. */
  seed?: number;
  /** Lower-case word types first (so `The` and `the` share a tag); default true. */
  lowercase?: boolean;
}

/**
 * Control-task labels: for each token, the tag its word type was given (see the module example).
 * `tags[i]` is the real tag of token i (a class index); each word type's control tag is drawn once
 * from the empirical distribution of `tags` over all tokens, as Hewitt & Liang do.
 *
 * @throws Error naming both lengths when `words` and `tags` differ in length.
 */
export function controlTask(words: readonly string[], tags: readonly number[], options: ControlTaskOptions = {}): number[] {
  const { seed = 0, lowercase = true } = options;
  if (!Array.isArray(words) || !Array.isArray(tags)) throw new Error('controlTask: words and tags must be arrays');
  if (words.length !== tags.length) throw new Error(`controlTask: words has ${words.length} tokens but tags has ${tags.length}`);
  if (words.length === 0) throw new Error('controlTask: words must not be empty');
  const classes = tags.reduce((a, b) => Math.max(a, b), 0) + 1;
  const cumulative = new Float64Array(classes);
  tags.forEach((t) => {
    if (!Number.isInteger(t) || t < 0) throw new Error(`controlTask: tags must be class indices ≥ 0; got ${t}`);
    cumulative[t]++;
  });
  for (let c = 1; c < classes; c++) cumulative[c] += cumulative[c - 1];
  const rnd = seededRandom(seed);
  const draw = () => {
    const u = rnd() * words.length;
    let c = 0;
    while (c < classes - 1 && cumulative[c] <= u) c++;
    return c;
  };
  const byType = new Map<string, number>();
  return words.map((w) => {
    const key = lowercase ? w.toLowerCase() : w;
    let t = byType.get(key);
    if (t === undefined) {
      t = draw();
      byType.set(key, t);
    }
    return t;
  });
}

/** Hewitt & Liang's selectivity: task accuracy − control accuracy (in the same units). */
export function selectivity(taskAccuracy: number, controlAccuracy: number): number {
  if (!Number.isFinite(taskAccuracy) || !Number.isFinite(controlAccuracy)) throw new Error(`selectivity: accuracies must be finite numbers; got ${taskAccuracy}, ${controlAccuracy}`);
  return taskAccuracy - controlAccuracy;
}

/** Accuracy of always answering the most frequent class of `train` on `labels` (the majority baseline). */
export function majorityBaseline(train: readonly number[], labels: readonly number[]): { label: number; accuracy: number } {
  if (train.length === 0) throw new Error('majorityBaseline: train must not be empty');
  if (labels.length === 0) throw new Error('majorityBaseline: labels must not be empty');
  const counts = new Map<number, number>();
  train.forEach((t) => counts.set(t, (counts.get(t) ?? 0) + 1));
  const label = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  return { label, accuracy: labels.filter((l) => l === label).length / labels.length };
}

/**
 * The word-identity baseline of a token task: each test word gets the tag its lower-cased type had
 * most often in training (unseen words: the most frequent training tag). What a lookup table of
 * words scores, with no context at all — the bar a non-contextual layer is compared with (for
 * Brown's universal tags about 0.9).
 *
 * @example
 * ```ts
 * wordIdentityBaseline(['the', 'dog', 'the'], [5, 0, 5], ['the', 'cat'], [5, 2]).accuracy;   // 0.5: 'the' → 5, unseen 'cat' → the majority 5
 * ```
 */
export function wordIdentityBaseline(trainWords: readonly string[], trainTags: readonly number[], words: readonly string[], tags: readonly number[]): { accuracy: number; unseen: number } {
  if (trainWords.length !== trainTags.length) throw new Error(`wordIdentityBaseline: trainWords has ${trainWords.length} tokens but trainTags has ${trainTags.length}`);
  if (words.length !== tags.length) throw new Error(`wordIdentityBaseline: words has ${words.length} tokens but tags has ${tags.length}`);
  if (trainWords.length === 0 || words.length === 0) throw new Error('wordIdentityBaseline: the train and evaluation tokens must not be empty');
  const counts = new Map<string, Map<number, number>>();
  trainWords.forEach((w, i) => {
    const k = w.toLowerCase();
    const m = counts.get(k) ?? new Map<number, number>();
    m.set(trainTags[i], (m.get(trainTags[i]) ?? 0) + 1);
    counts.set(k, m);
  });
  const top = (m: Map<number, number>) => [...m.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  const fallback = majorityBaseline(trainTags, tags).label;
  let hit = 0;
  let unseen = 0;
  words.forEach((w, i) => {
    const m = counts.get(w.toLowerCase());
    if (!m) unseen++;
    hit += (m ? top(m) : fallback) === tags[i] ? 1 : 0;
  });
  return { accuracy: hit / words.length, unseen };
}
