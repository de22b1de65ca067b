/**
 * The small reference CNN every lecture notebook and benchmark uses (the same network as
 * `bench/reference/reference_cnn.py`): conv 3×3×16 valid + relu, maxpool 2, conv 3×3×32 same +
 * relu, maxpool 2, flatten, dense 10 softmax.
 *
 * @example
 * ```ts
 * const model = referenceCnn();            // input [n, 28, 28, 1]
 * const model2 = referenceCnn({ inputShape: [64, 64, 3], classes: 2 });
 * ```
 */
import { tf } from '../engine/tf';

/** Options of {@link referenceCnn}. */
export interface ReferenceCnnOptions {
  /** [height, width, channels]; default [28, 28, 1]. */
  inputShape?: [number, number, number];
  /** Number of classes; default 10. */
  classes?: number;
  /** Seed for the weight initializers, so that two builds are identical. */
  seed?: number;
}

/** Builds (uncompiled) the reference CNN. Layer names: conv1, pool1, conv2, pool2, flatten, dense. */
export function referenceCnn(options: ReferenceCnnOptions = {}): tf.Sequential {
  const { inputShape = [28, 28, 1], classes = 10, seed } = options;
  if (!Array.isArray(inputShape) || inputShape.length !== 3 || inputShape.some((d, i) => !Number.isInteger(d) || d < (i < 2 ? 6 : 1))) {
    throw new Error(`referenceCnn: options.inputShape must be [height, width, channels] with height, width ≥ 6 and channels ≥ 1; got ${JSON.stringify(inputShape)}`);
  }
  if (!Number.isInteger(classes) || classes < 2) throw new Error(`referenceCnn: options.classes must be an integer ≥ 2; got ${classes}`);
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed === undefined ? undefined : seed + k });
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ name: 'conv1', inputShape, filters: 16, kernelSize: 3, padding: 'valid', activation: 'relu', kernelInitializer: init(1) }));
  m.add(tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }));
  m.add(tf.layers.conv2d({ name: 'conv2', filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2) }));
  m.add(tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }));
  m.add(tf.layers.flatten({ name: 'flatten' }));
  m.add(tf.layers.dense({ name: 'dense', units: classes, activation: 'softmax', kernelInitializer: init(3) }));
  return m;
}
