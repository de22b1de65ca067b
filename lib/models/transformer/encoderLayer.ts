/**
 * One post-norm transformer encoder block (Vaswani et al. 2017, "Attention is all you need",
 * arXiv:1706.03762), as PyTorch's `nn.TransformerEncoderLayer` with no dropout:
 * `x = LN(x + MHA(x)); x = LN(x + W₂·act(W₁·x))`, layer norm (Ba et al. 2016) being the engine's fused op. tfjs 4.22 has no multi-head attention layer,
 * so this one layer holds the block's weights (PyTorch's in_proj, out_proj, linear1/2, norm1/2)
 * and returns **two** outputs from the same forward pass: the new states [batch, length, d] and
 * the attention weights [batch, heads, length, length] (query rows, key columns; each row sums
 * to 1). Keys that are padding (id 0 in the second input, the token ids) get no attention.
 *
 * {@link encoderBlock} is the same computation as a function, with a hook that replaces the
 * attention weights — what the permutation and uniform-attention tests of Jain & Wallace (2019,
 * "Attention is not Explanation", arXiv:1902.10186) need.
 *
 * @example
 * ```ts
 * const [states, attention] = new EncoderLayer({ heads: 4, ff: 512 }).apply([x, ids]) as tf.SymbolicTensor[];
 * ```
 */
import { tf } from '../../engine/tf';
import { layerNorm } from '../../engine/ops/layerNorm';

/** The weights of one encoder block, by PyTorch's names. */
export interface EncoderWeights {
  inProj: tf.Tensor2D;
  inBias: tf.Tensor1D;
  outProj: tf.Tensor2D;
  outBias: tf.Tensor1D;
  norm1Gamma: tf.Tensor1D;
  norm1Beta: tf.Tensor1D;
  linear1: tf.Tensor2D;
  bias1: tf.Tensor1D;
  linear2: tf.Tensor2D;
  bias2: tf.Tensor1D;
  norm2Gamma: tf.Tensor1D;
  norm2Beta: tf.Tensor1D;
}

/** Feed-forward activation: ReLU as the benchmark reference, GELU (Hendrycks & Gimpel 2016) as BERT. */
export type FeedForwardActivation = 'relu' | 'gelu';

function gelu(x: tf.Tensor): tf.Tensor {
  // tanh approximation of x·Φ(x), as BERT's original code
  return tf.tidy(() => x.mul(0.5).mul(tf.tanh(x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI))).add(1)));
}

/**
 * One encoder block on `x` [b, t, d] with padding from `ids` [b, t] (id 0 is padding; pass
 * `undefined` for no padding). `replaceAttention`, if given, receives the attention weights
 * [b, h, t, t] and returns the weights to use instead (the block's output is then computed with
 * them). Returns the new states and the weights that were used.
 */
export function encoderBlock(
  x: tf.Tensor3D,
  ids: tf.Tensor2D | undefined,
  w: EncoderWeights,
  heads: number,
  activation: FeedForwardActivation = 'relu',
  replaceAttention?: (weights: tf.Tensor4D) => tf.Tensor4D,
  normFirst = false,
): { states: tf.Tensor3D; attention: tf.Tensor4D } {
  return tf.tidy(() => {
    const [b, t, d] = x.shape;
    const dh = d / heads;
    const x2 = x.reshape([b * t, d]);
    const a0 = normFirst ? layerNorm(x2, w.norm1Gamma, w.norm1Beta) : x2;
    const qkv = tf.add(tf.matMul(a0, w.inProj), w.inBias);
    const split = (i: number) => qkv.slice([0, i * d], [b * t, d]).reshape([b, t, heads, dh]).transpose([0, 2, 1, 3]);
    const [q, k, v] = [split(0), split(1), split(2)];
    let scores = tf.matMul(q, k, false, true).mul(1 / Math.sqrt(dh));
    if (ids) scores = scores.add(tf.cast(tf.equal(ids, 0), 'float32').mul(-1e9).reshape([b, 1, 1, t]));
    let p = tf.softmax(scores) as tf.Tensor4D;
    if (replaceAttention) p = replaceAttention(p);
    const att = tf.matMul(p, v).transpose([0, 2, 1, 3]).reshape([b * t, d]);
    const r1 = x2.add(tf.add(tf.matMul(att, w.outProj), w.outBias));
    const y1 = normFirst ? r1 : layerNorm(r1, w.norm1Gamma, w.norm1Beta);
    const pre = tf.add(tf.matMul(normFirst ? layerNorm(y1, w.norm2Gamma, w.norm2Beta) : y1, w.linear1), w.bias1);
    const hidden = activation === 'gelu' ? gelu(pre) : tf.relu(pre);
    const r2 = y1.add(tf.add(tf.matMul(hidden, w.linear2), w.bias2));
    const y2 = normFirst ? r2 : layerNorm(r2, w.norm2Gamma, w.norm2Beta);
    return { states: y2.reshape([b, t, d]) as tf.Tensor3D, attention: p };
  });
}

/** Config of {@link EncoderLayer}. */
export interface EncoderLayerArgs {
  heads: number;
  /** Width of the feed-forward layer. */
  ff: number;
  activation?: FeedForwardActivation;
  /** Pre-norm block (Xiong et al. 2020, arXiv:2002.04745): x + MHA(LN(x)), x + FF(LN(x)); default false (post-norm, as the original and PyTorch's default). */
  normFirst?: boolean;
  name?: string;
  trainable?: boolean;
}

/** The tfjs layer of one encoder block: inputs `[states, ids]` (or `states` alone), outputs `[states, attention]`. */
export class EncoderLayer extends tf.layers.Layer {
  static className = 'TslabXaiEncoderLayer';
  readonly heads: number;
  readonly ff: number;
  readonly activation: FeedForwardActivation;
  readonly normFirst: boolean;
  private w: Record<string, tf.LayerVariable> = {};
  constructor(args: EncoderLayerArgs) {
    super({ name: args.name, trainable: args.trainable });
    if (!Number.isInteger(args.heads) || args.heads < 1) throw new Error(`EncoderLayer: heads must be a positive integer; got ${args.heads}`);
    if (!Number.isInteger(args.ff) || args.ff < 1) throw new Error(`EncoderLayer: ff must be a positive integer; got ${args.ff}`);
    this.heads = args.heads;
    this.ff = args.ff;
    this.activation = args.activation ?? 'relu';
    this.normFirst = args.normFirst ?? false;
  }
  build(shape: tf.Shape | tf.Shape[]): void {
    const s = (Array.isArray(shape[0]) ? shape[0] : shape) as number[];
    const d = s[2];
    if (d % this.heads !== 0) throw new Error(`EncoderLayer: the model width ${d} is not divisible by heads ${this.heads}`);
    const glorot = (seed: number) => tf.initializers.glorotUniform({ seed });
    const add = (name: string, shp: number[], init: ReturnType<typeof tf.initializers.zeros>) => (this.w[name] = this.addWeight(name, shp, 'float32', init));
    add('inProj', [d, 3 * d], glorot(11));
    add('inBias', [3 * d], tf.initializers.zeros());
    add('outProj', [d, d], glorot(12));
    add('outBias', [d], tf.initializers.zeros());
    add('norm1Gamma', [d], tf.initializers.ones());
    add('norm1Beta', [d], tf.initializers.zeros());
    add('linear1', [d, this.ff], glorot(13));
    add('bias1', [this.ff], tf.initializers.zeros());
    add('linear2', [this.ff, d], glorot(14));
    add('bias2', [d], tf.initializers.zeros());
    add('norm2Gamma', [d], tf.initializers.ones());
    add('norm2Beta', [d], tf.initializers.zeros());
    this.built = true;
  }
  /** The current weights (read, not copied). */
  weightsOf(): EncoderWeights {
    const r = (n: string) => this.w[n].read();
    return Object.fromEntries(Object.keys(this.w).map((n) => [n, r(n)])) as unknown as EncoderWeights;
  }
  computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape[] {
    const s = (Array.isArray(shape[0]) ? shape[0] : shape) as tf.Shape;
    return [s, [s[0], this.heads, s[1], s[1]]];
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    const [x, ids] = Array.isArray(inputs) ? inputs : [inputs, undefined];
    const { states, attention } = encoderBlock(x as tf.Tensor3D, ids as tf.Tensor2D | undefined, this.weightsOf(), this.heads, this.activation, undefined, this.normFirst);
    return [states, attention];
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads, ff: this.ff, activation: this.activation, normFirst: this.normFirst };
  }
}
tf.serialization.registerClass(EncoderLayer);
