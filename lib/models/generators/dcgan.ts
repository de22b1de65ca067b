/**
 * A small DCGAN on the MNIST digits (Radford, Metz & Chintala 2016, "Unsupervised representation
 * learning with deep convolutional generative adversarial networks"; Goodfellow et al. 2014): a
 * conv2dTranspose generator G: z ∈ ℝ³² → [28, 28, 1] in [0, 1] against a strided-conv discriminator,
 * non-saturating loss, Adam(2e-4, β₁ 0.5). Trained once on 2 cores and cached under
 * `data/generated/mnist-dcgan/` like the course model; `latent(generator)` makes it a class-maximization prior.
 *
 * Status: at the default budget (5 epochs, 620 steps) the samples are thick single strokes and
 * blobs, not yet digits (losses D 0.42, G 2.5); notebook 10 uses the VAE ({@link mnistVae}) as its prior.
 *
 * @example
 * ```ts
 * const { generator } = await mnistDcgan();
 * const samples = tf.tidy(() => generator.predict(tf.randomNormal([16, 32])) as tf.Tensor4D);
 * ```
 */
import * as path from 'path';
import { tf } from '../../engine/tf';
import { loadMnist } from '../../data/mnist';
import { permutation } from '../../data/permutation';
import { progress } from '../../display/progress';
import { pollInterrupt } from '../../display/interrupt';
import { generatedDir } from '../../packageRoot';
import { cachedModels } from '../modelCache';

/** Version of the DCGAN recipe: a saved one of another version is retrained. */
export const MNIST_DCGAN_VERSION = 1;

/** What {@link mnistDcgan} returns. */
export interface MnistDcgan {
  /** G: z [n, latentDim] → images [n, 28, 28, 1] in [0, 1]. */
  generator: tf.LayersModel;
  /** Dimension of z. */
  latentDim: number;
  /** Discriminator and generator losses of the last epoch. */
  losses: { d: number; g: number };
  /** Whether this call trained it. */
  trained: boolean;
  /** Milliseconds this call took. */
  ms: number;
}

/** Options of {@link mnistDcgan}. */
export interface MnistDcganOptions {
  /** Folder; default `data/generated/mnist-dcgan`. */
  dir?: string;
  /** Train again even when saved. */
  retrain?: boolean;
  /** No progress bar. */
  quiet?: boolean;
  /** Epochs over the 7,996 training digits; default 5 (620 steps: the 2-core budget). */
  epochs?: number;
}

const LATENT = 32;

function generatorModel(seed: number): tf.Sequential {
  const init = (k: number) => tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: seed + k });
  const g = tf.sequential({ name: 'dcgan_generator' });
  g.add(tf.layers.dense({ inputShape: [LATENT], units: 7 * 7 * 64, kernelInitializer: init(1) }));
  g.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  g.add(tf.layers.reshape({ targetShape: [7, 7, 64] }));
  g.add(tf.layers.conv2dTranspose({ filters: 32, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: init(2) }));
  g.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  g.add(tf.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'sigmoid', kernelInitializer: init(3) }));
  return g;
}

function discriminatorModel(seed: number): tf.Sequential {
  const init = (k: number) => tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: seed + k });
  const d = tf.sequential({ name: 'dcgan_discriminator' });
  d.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: init(4) }));
  d.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  d.add(tf.layers.conv2d({ filters: 64, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: init(5) }));
  d.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  d.add(tf.layers.flatten());
  d.add(tf.layers.dense({ units: 1, kernelInitializer: init(6) }));
  return d;
}

/** Mean softplus(−s) (label 1) or softplus(s) (label 0): binary cross-entropy on logits. */
function bce(logits: tf.Tensor, real: boolean): tf.Scalar {
  return tf.mean(tf.softplus(real ? tf.neg(logits) : logits)) as tf.Scalar;
}

const valuesOf = (m: tf.LayersModel) => m.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);

async function trainDcgan(epochs: number, quiet: boolean): Promise<{ g: tf.Sequential; losses: { d: number; g: number } }> {
  const g = generatorModel(21);
  const d = discriminatorModel(21);
  const tr = loadMnist({ split: 'train' });
  const n = tr.images.shape[0];
  const host = tr.images.dataSync() as Float32Array;
  tf.dispose([tr.images, tr.labels]);
  const batch = 64;
  const steps = Math.floor(n / batch);
  const optD = tf.train.adam(2e-4, 0.5);
  const optG = tf.train.adam(2e-4, 0.5);
  const [varsD, varsG] = [valuesOf(d), valuesOf(g)];
  const bar = progress({ total: epochs * steps, label: 'train DCGAN', enabled: !quiet, every: steps });
  let seed = 1;
  let sums = { d: 0, g: 0 };
  try {
    for (let e = 1; e <= epochs; e++) {
      const order = permutation(n, 200 + e);
      sums = { d: 0, g: 0 };
      for (let s = 0; s < steps; s++) {
        const rows = new Float32Array(batch * 784);
        for (let r = 0; r < batch; r++) rows.set(host.subarray(order[s * batch + r] * 784, (order[s * batch + r] + 1) * 784), r * 784);
        const real = tf.tensor4d(rows, [batch, 28, 28, 1]);
        const z = tf.randomNormal([batch, LATENT], 0, 1, 'float32', seed++);
        const lossD = optD.minimize(() => {
          const fake = g.apply(z, { training: true }) as tf.Tensor;
          return tf.add(bce(d.apply(real, { training: true }) as tf.Tensor, true), bce(d.apply(fake, { training: true }) as tf.Tensor, false)) as tf.Scalar;
        }, true, varsD) as tf.Scalar;
        const z2 = tf.randomNormal([batch, LATENT], 0, 1, 'float32', seed++);
        const lossG = optG.minimize(() => bce(d.apply(g.apply(z2, { training: true }), { training: true }) as tf.Tensor, true), true, varsG) as tf.Scalar;
        sums.d += lossD.dataSync()[0];
        sums.g += lossG.dataSync()[0];
        tf.dispose([real, z, z2, lossD, lossG]);
        bar.tick({ epoch: e, d: sums.d / (s + 1), g: sums.g / (s + 1) });
        await pollInterrupt('mnistDcgan');
      }
    }
    const losses = { d: sums.d / steps, g: sums.g / steps };
    bar.done(losses);
    d.dispose();
    return { g, losses };
  } finally {
    optD.dispose();
    optG.dispose();
  }
}

/** The MNIST DCGAN generator: loaded when saved with this recipe version, else trained and saved. */
export async function mnistDcgan(options: MnistDcganOptions = {}): Promise<MnistDcgan> {
  const dir = options.dir ?? path.join(generatedDir(), 'mnist-dcgan');
  const epochs = options.epochs ?? 5;
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`mnistDcgan: options.epochs must be a positive integer; got ${epochs}`);
  const c = await cachedModels<{ losses: { d: number; g: number }; epochs: number }>('mnistDcgan', 'DCGAN', dir, MNIST_DCGAN_VERSION, ['generator'], options, async () => {
    const { g, losses } = await trainDcgan(epochs, options.quiet ?? false);
    return { models: { generator: g }, meta: { losses, epochs } };
  });
  return { generator: c.models.generator, latentDim: LATENT, losses: c.meta.losses, trained: c.trained, ms: c.ms };
}
