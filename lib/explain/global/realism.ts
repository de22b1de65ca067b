/**
 * A learned realism prior: w·log D(X), D a GAN's discriminator (a logit per image, real > 0), added to
 * a class objective so that the ascent keeps G(z) where D still takes it for a real digit. Nguyen et
 * al. 2016 ("Synthesizing the preferred inputs for neurons in neural networks via deep generator
 * networks", §2) constrain X = G(z) and keep z in the range the generator was trained on; the
 * generator's own critic is the other half of the same GAN and judges the image itself (Engel, Hoffman
 * & Roberts 2018, "Latent constraints", use such a realism critic to steer an unconditional
 * generator towards a class). log D = −softplus(−D(X)) saturates at 0 once D is sure the image is real,
 * so it does not reward fooling D without end.
 *
 * @example
 * ```ts
 * const { generator, discriminator } = await mnistDcgan();
 * render(model, classScore(3).plus(realism(discriminator, 1)), { param: latent(generator) })
 * ```
 */
import { tf } from '../../engine/tf';
import { fmt, Objective } from './objective';

/** w·log σ(D(X)) per image for a discriminator D: images → [n, 1] logits; see the module. */
export function realism(discriminator: tf.LayersModel, weight = 1): Objective {
  const where = 'realism';
  if (!(discriminator instanceof tf.LayersModel)) throw new Error(`${where}: discriminator must be a tf.LayersModel from images [n, h, w, c] to one logit each [n, 1]; got ${typeof discriminator}`);
  const out = discriminator.outputs[0].shape;
  if (discriminator.outputs.length !== 1 || out.length !== 2 || out[1] !== 1) throw new Error(`${where}: discriminator must output one logit per image [n, 1]; it outputs [${out.map((d) => d ?? 'n')}]`);
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) throw new Error(`${where}: weight must be a finite number ≥ 0; got ${weight}`);
  const inShape = discriminator.inputs[0].shape;
  return new Objective(
    weight === 1 ? 'log D' : `${fmt(weight)}·log D`,
    (ctx) => {
      const [, h, w, c] = ctx.image.shape;
      if (inShape[1] !== h || inShape[2] !== w || inShape[3] !== c) {
        throw new Error(`${where}: the discriminator takes [${inShape.map((d) => d ?? 'n')}] but the images are [n, ${h}, ${w}, ${c}]`);
      }
      const s = (discriminator.apply(ctx.image, { training: false }) as tf.Tensor).reshape([-1]);
      return tf.mul(tf.neg(tf.softplus(tf.neg(s))), weight) as tf.Tensor1D;
    },
  );
}
