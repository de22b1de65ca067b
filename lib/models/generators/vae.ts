/**
 * A small variational autoencoder on the MNIST digits (Kingma & Welling 2014, "Auto-Encoding
 * Variational Bayes"): a conv encoder to q(z|x) = N(μ, σ²) and a conv2dTranspose decoder
 * G: z ∈ ℝᵈ → [28, 28, 1] in [0, 1], trained on Σ BCE(x, G(z)) + KL(q ‖ N(0, I)) with the
 * reparameterization z = μ + σ·ε. Trained once (≤ 2 min on 2 cores) and cached under
 * `data/generated/mnist-vae/` like the course model. Its decoder is the image prior of class
 * maximization: X = G(z), z* = argmax yᵢ(G(z)) (`latent(decoder)`).
 *
 * @example
 * ```ts
 * const { decoder } = await mnistVae();
 * const samples = tf.tidy(() => decoder.predict(tf.randomNormal([16, 8])) as tf.Tensor4D);
 * ```
 */
import * as path from 'path';
import { tf } from '../../engine/tf';
import { loadMnist } from '../../data/mnist';
import { permutation } from '../../data/permutation';
import { progress } from '../../display/progress';
import { pollInterrupt } from '../../display/interrupt';
import { adam } from '../adam';
import { generatedDir } from '../../packageRoot';
import { cachedModels } from '../modelCache';

/** Version of the VAE recipe: a saved VAE of another version is retrained. */
export const MNIST_VAE_VERSION = 1;

/** What {@link mnistVae} returns. */
export interface MnistVae {
  /** G: z [n, latentDim] → images [n, 28, 28, 1] in [0, 1]. */
  decoder: tf.LayersModel;
  /** x → [μ, log σ²] concatenated: [n, 2·latentDim]. */
  encoder: tf.LayersModel;
  /** Dimension of z. */
  latentDim: number;
  /** Mean per-image loss (BCE sum + KL) on the held-out digits, measured when trained. */
  testLoss: number;
  /** Whether this call trained it. */
  trained: boolean;
  /** Milliseconds this call took. */
  ms: number;
}

/** Options of {@link mnistVae}. */
export interface MnistVaeOptions {
  /** Folder; default `data/generated/mnist-vae`. */
  dir?: string;
  /** Train again even when saved. */
  retrain?: boolean;
  /** No progress bar. */
  quiet?: boolean;
  /** Epochs over the 7,996 training digits; default 12. */
  epochs?: number;
}

const LATENT = 8;

function encoderModel(seed: number): tf.LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  const x = tf.input({ shape: [28, 28, 1] });
  let h = tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(1) }).apply(x) as tf.SymbolicTensor;
  h = tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(2) }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init(3) }).apply(h) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2 * LATENT, kernelInitializer: init(4) }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: out, name: 'vae_encoder' });
}

/** The conv2dTranspose decoder z → 7×7×32 → 14×14×16 → 28×28×1 (sigmoid). */
function decoderModel(seed: number): tf.LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  const m = tf.sequential({ name: 'vae_decoder' });
  m.add(tf.layers.dense({ inputShape: [LATENT], units: 7 * 7 * 32, activation: 'relu', kernelInitializer: init(5) }));
  m.add(tf.layers.reshape({ targetShape: [7, 7, 32] }));
  m.add(tf.layers.conv2dTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(6) }));
  m.add(tf.layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid', kernelInitializer: init(7) }));
  return m;
}

/** Per-image loss: Σ BCE(x, G(z)) + KL(N(μ, σ²) ‖ N(0, I)), z = μ + σ·ε. */
function vaeLoss(enc: tf.LayersModel, dec: tf.LayersModel, x: tf.Tensor, eps: tf.Tensor): tf.Tensor1D {
  const stats = enc.apply(x) as tf.Tensor2D;
  const mu = stats.slice([0, 0], [-1, LATENT]);
  const logVar = tf.clipByValue(stats.slice([0, LATENT], [-1, LATENT]), -10, 10);
  const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps));
  const p = tf.clipByValue(dec.apply(z) as tf.Tensor, 1e-6, 1 - 1e-6);
  const bce = tf.neg(tf.add(tf.mul(x, tf.log(p)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, p))))).sum([1, 2, 3]);
  const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mu)), tf.exp(logVar)), 1));
  return tf.add(bce, kl) as tf.Tensor1D;
}

async function trainVae(epochs: number, quiet: boolean): Promise<{ enc: tf.LayersModel; dec: tf.LayersModel; testLoss: number }> {
  const enc = encoderModel(11);
  const dec = decoderModel(11);
  const tr = loadMnist({ split: 'train' });
  const te = loadMnist({ split: 'test' });
  const n = tr.images.shape[0];
  const host = tr.images.dataSync() as Float32Array;
  const batch = 64;
  const steps = Math.ceil(n / batch);
  const opt = adam(2e-3);
  const bar = progress({ total: epochs * steps, label: 'train VAE', enabled: !quiet, every: steps });
  const vars = [...enc.trainableWeights, ...dec.trainableWeights].map((w) => (w as unknown as { val: tf.Variable }).val);
  let seed = 1;
  try {
    for (let e = 1; e <= epochs; e++) {
      const order = permutation(n, 100 + e);
      let sum = 0;
      for (let s = 0; s < steps; s++) {
        const lo = s * batch;
        const size = Math.min(batch, n - lo);
        const rows = new Float32Array(size * 784);
        for (let r = 0; r < size; r++) rows.set(host.subarray(order[lo + r] * 784, (order[lo + r] + 1) * 784), r * 784);
        const xb = tf.tensor4d(rows, [size, 28, 28, 1]);
        const eps = tf.randomNormal([size, LATENT], 0, 1, 'float32', seed++);
        const { value, grads } = tf.variableGrads(() => vaeLoss(enc, dec, xb, eps).mean() as tf.Scalar, vars);
        opt.applyGradients(grads);
        sum += value.dataSync()[0] * size;
        tf.dispose([xb, eps, value, ...Object.values(grads)]);
        bar.tick({ epoch: e, loss: sum / (lo + size) });
        await pollInterrupt('mnistVae');
      }
    }
    const testLoss = tf.tidy(() => vaeLoss(enc, dec, te.images, tf.zeros([te.images.shape[0], LATENT])).mean().dataSync()[0]);
    bar.done({ testLoss });
    return { enc, dec, testLoss };
  } finally {
    opt.dispose();
    tf.dispose([tr.images, tr.labels, te.images, te.labels]);
  }
}

/** The MNIST VAE: loaded from its folder when saved with this recipe version, else trained and saved. */
export async function mnistVae(options: MnistVaeOptions = {}): Promise<MnistVae> {
  const dir = options.dir ?? path.join(generatedDir(), 'mnist-vae');
  const epochs = options.epochs ?? 12;
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`mnistVae: options.epochs must be a positive integer; got ${epochs}`);
  const c = await cachedModels<{ testLoss: number; epochs: number }>('mnistVae', 'VAE', dir, MNIST_VAE_VERSION, ['encoder', 'decoder'], options, async () => {
    const { enc, dec, testLoss } = await trainVae(epochs, options.quiet ?? false);
    return { models: { encoder: enc, decoder: dec }, meta: { testLoss, epochs } };
  });
  return { decoder: c.models.decoder, encoder: c.models.encoder, latentDim: LATENT, testLoss: c.meta.testLoss, trained: c.trained, ms: c.ms };
}
