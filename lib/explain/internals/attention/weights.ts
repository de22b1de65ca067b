/**
 * Reading a transformer's attention weights once into plain arrays: per layer one
 * [heads, queries, keys] block of softmax weights (query rows, key columns, each row sums to 1;
 * Vaswani et al. 2017, arXiv:1706.03762). What the tiny BERT's `forward(ids).attention` gives
 * (one [1, heads, t, t] tensor per layer) is accepted as it is; no tensor is created here.
 */
import { tf } from '../../../engine/tf';

/** One layer's attention: [heads, t, t] or [1, heads, t, t] (tensor or nested arrays). */
export type LayerAttention = tf.Tensor | readonly (readonly (readonly number[])[])[] | readonly (readonly (readonly (readonly number[])[])[])[];

/** A sentence's attention: one entry per layer, first layer first (or one [layers, heads, t, t] tensor). */
export type AttentionLayers = readonly LayerAttention[] | tf.Tensor4D;

/** Attention weights read into row-major arrays (what {@link readAttention} and {@link sentenceAttention} return; accepted wherever attention is). */
export interface AttentionWeights {
  readonly layers: number;
  readonly heads: number;
  /** Tokens (queries = keys). */
  readonly tokens: number;
  /** Per layer, `heads × tokens × tokens` values: weight of key j for query i in head h at `(h·t + i)·t + j`. */
  readonly data: readonly Float64Array[];
}

/** Options of {@link readAttention}. */
export interface ReadAttentionOptions {
  /** Which example of a batch ([b, heads, t, t] with b > 1); required when b > 1. */
  example?: number;
  /** Allowed |row sum − 1| (default 1e-3); rows of padding-masked softmax still sum to 1. */
  tolerance?: number;
  /**
   * Keep the first `length` tokens only (a sentence padded at the end of a batch): its queries
   * and keys. With padding keys masked (the tiny BERT's default), the kept rows still sum to 1.
   */
  length?: number;
}

/** The first n × n of each head's t × t block. */
function crop(data: Float64Array, H: number, T: number, n: number): Float64Array {
  const out = new Float64Array(H * n * n);
  for (let h = 0; h < H; h++) for (let i = 0; i < n; i++) out.set(data.subarray((h * T + i) * T, (h * T + i) * T + n), (h * n + i) * n);
  return out;
}

function checkLength(fn: string, length: number | undefined, T: number, shape: readonly number[]): number {
  if (length === undefined) return T;
  if (!Number.isInteger(length) || length < 1 || length > T) throw new Error(`${fn}: options.length must be an integer in 1..${T} (tokens of attention of shape ${shapeText(shape)}); got ${String(length)}`);
  return length;
}

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

function nestedShape(x: unknown): number[] {
  const shape: number[] = [];
  let p = x;
  while (Array.isArray(p)) {
    shape.push(p.length);
    p = p[0];
  }
  return shape;
}

function flatNested(x: unknown, shape: number[], where: string): Float64Array {
  const out = new Float64Array(shape.reduce((a, b) => a * b, 1));
  let k = 0;
  const walk = (v: unknown, d: number) => {
    if (d === shape.length) {
      if (typeof v !== 'number') throw new Error(`${where}: expected numbers in a nested array of shape ${shapeText(shape)}; found ${typeof v}`);
      out[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[d]) throw new Error(`${where}: ragged array; expected length ${shape[d]} at depth ${d + 1} (shape ${shapeText(shape)}), got ${Array.isArray(v) ? v.length : typeof v}`);
    for (const y of v) walk(y, d + 1);
  };
  walk(x, 0);
  return out;
}

/** One layer → [heads, t, t] values. */
function readLayer(fn: string, layer: LayerAttention, l: number, example: number | undefined): { shape: [number, number, number]; data: Float64Array } {
  const where = `${fn}: attention[${l}]`;
  let shape: number[];
  let data: Float64Array;
  if (layer instanceof tf.Tensor) {
    if (layer.isDisposed) throw new Error(`${where}: the tensor has been disposed`);
    shape = layer.shape.slice();
    data = Float64Array.from(layer.dataSync() as ArrayLike<number>);
  } else if (Array.isArray(layer)) {
    shape = nestedShape(layer);
    data = flatNested(layer, shape, where);
  } else {
    throw new Error(`${where}: expected a tf.Tensor or nested number arrays [heads, t, t]; got ${layer === null ? 'null' : typeof layer}`);
  }
  if (shape.length === 4) {
    const [b, h, q, k] = shape;
    if (b > 1 && example === undefined) throw new Error(`${where}: a batch of ${b} (shape ${shapeText(shape)}); pass options.example (0..${b - 1}) to choose one sentence`);
    const e = example ?? 0;
    if (!Number.isInteger(e) || e < 0 || e >= b) throw new Error(`${fn}: options.example must be an integer in 0..${b - 1} for attention of shape ${shapeText(shape)}; got ${e}`);
    data = data.subarray(e * h * q * k, (e + 1) * h * q * k);
    shape = [h, q, k];
  }
  if (shape.length !== 3 || shape[1] !== shape[2] || shape.includes(0)) {
    throw new Error(`${where}: expected self-attention weights [heads, t, t] or [batch, heads, t, t]; got shape ${shapeText(shape)}`);
  }
  return { shape: shape as [number, number, number], data };
}

/**
 * Reads a sentence's attention (per layer [heads, t, t] or [b, heads, t, t], or one
 * [layers, heads, t, t] tensor) into {@link AttentionWeights}; checks that layers agree in shape,
 * values are finite and every row sums to 1 (softmax weights). `fn` names the caller in errors.
 *
 * @example
 * ```ts
 * const { attention } = bert.forward(ids);          // layers × [1, heads, t, t]
 * const w = readAttention('mine', attention);        // w.layers, w.heads, w.tokens, w.data
 * ```
 */
export function readAttention(fn: string, attention: AttentionLayers | AttentionWeights, options: ReadAttentionOptions = {}): AttentionWeights {
  if (isAttentionWeights(attention)) {
    const n = checkLength(fn, options.length, attention.tokens, [attention.layers, attention.heads, attention.tokens, attention.tokens]);
    if (n === attention.tokens) return attention;
    return { layers: attention.layers, heads: attention.heads, tokens: n, data: attention.data.map((d) => crop(d, attention.heads, attention.tokens, n)) };
  }
  if (attention instanceof tf.Tensor) {
    if (attention.isDisposed) throw new Error(`${fn}: attention: the tensor has been disposed`);
    if (attention.rank !== 4) throw new Error(`${fn}: attention must be one [layers, heads, t, t] tensor or an array of per-layer [heads, t, t]; got a tensor of shape ${shapeText(attention.shape)}`);
    const [L, H, T] = attention.shape;
    const all = Float64Array.from(attention.dataSync() as ArrayLike<number>);
    const size = H * T * T;
    const n = checkLength(fn, options.length, T, attention.shape);
    return check(fn, { layers: L, heads: H, tokens: n, data: Array.from({ length: L }, (_, l) => crop(all.subarray(l * size, (l + 1) * size), H, T, n)) }, attention.shape, options.tolerance ?? 1e-3);
  }
  if (!Array.isArray(attention) || attention.length === 0) {
    throw new Error(`${fn}: attention must be a non-empty array with one [heads, t, t] entry per layer (or a [layers, heads, t, t] tensor); got ${Array.isArray(attention) ? 'an empty array' : attention === null ? 'null' : typeof attention}`);
  }
  const read = (attention as LayerAttention[]).map((a, l) => readLayer(fn, a, l, options.example));
  const [H, T] = read[0].shape;
  read.forEach((r, l) => {
    if (r.shape[0] !== H || r.shape[1] !== T) throw new Error(`${fn}: attention[${l}] has shape ${shapeText(r.shape)} but attention[0] has ${shapeText(read[0].shape)}; every layer must have the same heads and tokens`);
  });
  const n = checkLength(fn, options.length, T, [read.length, H, T, T]);
  return check(fn, { layers: read.length, heads: H, tokens: n, data: read.map((r) => (n === T ? r.data : crop(r.data, H, T, n))) }, [read.length, H, T, T], options.tolerance ?? 1e-3);
}

function check(fn: string, w: AttentionWeights, shape: readonly number[], tol: number): AttentionWeights {
  const T = w.tokens;
  for (let l = 0; l < w.layers; l++) {
    const d = w.data[l];
    for (let h = 0; h < w.heads; h++) {
      for (let i = 0; i < T; i++) {
        let s = 0;
        for (let j = 0; j < T; j++) {
          const v = d[(h * T + i) * T + j];
          if (!Number.isFinite(v) || v < 0) throw new Error(`${fn}: attention weights must be finite and ≥ 0; layer ${l} head ${h} query ${i} key ${j} is ${v} (attention of shape ${shapeText(shape)})`);
          s += v;
        }
        if (Math.abs(s - 1) > tol) throw new Error(`${fn}: every attention row must sum to 1 (softmax weights, tolerance ${tol}); layer ${l} head ${h} query ${i} sums to ${s.toPrecision(6)} (attention of shape ${shapeText(shape)})`);
      }
    }
  }
  return w;
}

/** True for {@link AttentionWeights} (already read), false for tensors and nested arrays. */
export function isAttentionWeights(x: unknown): x is AttentionWeights {
  const w = x as AttentionWeights;
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof tf.Tensor) && typeof w.tokens === 'number' && Array.isArray(w.data);
}

/**
 * A batch's attention split into sentences: `attention` is one [b, heads, T, T] tensor per layer (the
 * tiny BERT's `forward(ids).attention` for a padded batch), `lengths` the real token count of each
 * sentence (padding at the end; default T for all). Each layer is read once; the result goes to
 * `attentionOffsets`, `attentionRollout` or `attentionHeadView` as it is.
 *
 * @example
 * ```ts
 * const { attention } = bert.forward(ids);                          // ids: [b, T], 0 = padding
 * const sentences = sentenceAttention(attention, lengths);          // b × AttentionWeights
 * attentionOffsets(sentences);
 * ```
 */
export function sentenceAttention(attention: readonly tf.Tensor[], lengths?: readonly number[], options: Pick<ReadAttentionOptions, 'tolerance'> = {}): AttentionWeights[] {
  const fn = 'sentenceAttention';
  if (!Array.isArray(attention) || attention.length === 0 || !attention.every((a) => a instanceof tf.Tensor && a.rank === 4)) {
    throw new Error(`${fn}: attention must be a non-empty array of [batch, heads, t, t] tensors, one per layer; got ${Array.isArray(attention) ? attention.map((a) => (a instanceof tf.Tensor ? shapeText(a.shape) : typeof a)).join(', ') || 'an empty array' : typeof attention}`);
  }
  const [B, H, T] = attention[0].shape;
  attention.forEach((a, l) => {
    if (shapeText(a.shape) !== shapeText(attention[0].shape)) throw new Error(`${fn}: attention[${l}] has shape ${shapeText(a.shape)} but attention[0] has ${shapeText(attention[0].shape)}`);
  });
  if (lengths !== undefined && (!Array.isArray(lengths) || lengths.length !== B)) throw new Error(`${fn}: lengths must have one entry per sentence of the batch (${B}); got ${Array.isArray(lengths) ? lengths.length : typeof lengths}`);
  const all = attention.map((a) => {
    if (a.isDisposed) throw new Error(`${fn}: attention tensor has been disposed`);
    return Float64Array.from(a.dataSync() as ArrayLike<number>);
  });
  const size = H * T * T;
  return Array.from({ length: B }, (_, b) => {
    const n = checkLength(`${fn}: lengths[${b}]`, lengths?.[b], T, attention[0].shape);
    const w = { layers: attention.length, heads: H, tokens: n, data: all.map((d) => crop(d.subarray(b * size, (b + 1) * size), H, T, n)) };
    return check(`${fn}: sentence ${b}`, w, [attention.length, H, n, n], options.tolerance ?? 1e-3);
  });
}
