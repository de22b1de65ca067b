/**
 * Learned absolute position embeddings (Devlin et al. 2019, "BERT", arXiv:1810.04805, §3): a table
 * of `maxLength` vectors added to the token embeddings of a [batch, length, d] input, positions
 * 0..length−1. Inputs shorter than `maxLength` use the first rows; longer ones are refused.
 *
 * @example
 * ```ts
 * const x = new PositionEmbedding(64).apply(tokenVectors) as tf.SymbolicTensor;
 * ```
 */
import { tf } from '../../engine/tf';

/** A tfjs layer adding learned position vectors; serializable (registered as `TslabXaiPositionEmbedding`). */
export class PositionEmbedding extends tf.layers.Layer {
  static className = 'TslabXaiPositionEmbedding';
  readonly maxLength: number;
  private table!: tf.LayerVariable;
  constructor(args: { maxLength: number; name?: string; trainable?: boolean }) {
    super(args);
    if (!Number.isInteger(args.maxLength) || args.maxLength < 1) throw new Error(`PositionEmbedding: maxLength must be a positive integer; got ${args.maxLength}`);
    this.maxLength = args.maxLength;
  }
  build(shape: tf.Shape | tf.Shape[]): void {
    const d = (shape as number[])[2];
    this.table = this.addWeight('positions', [this.maxLength, d], 'float32', tf.initializers.randomNormal({ stddev: 0.02, seed: 3 }));
    this.built = true;
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const [, t, d] = x.shape as number[];
    if (t > this.maxLength) throw new Error(`PositionEmbedding: the input has ${t} positions but the model knows ${this.maxLength}; truncate it (tinyBert's encode does, with a note)`);
    return tf.tidy(() => x.add(this.table.read().slice([0, 0], [t, d])));
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), maxLength: this.maxLength };
  }
}
tf.serialization.registerClass(PositionEmbedding);
