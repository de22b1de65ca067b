/**
 * A generator's latent code as the parameter (Nguyen et al. 2016, "Synthesizing the preferred
 * inputs for neurons in neural networks via deep generator networks"): X = G(z) and gradient ascent
 * moves z, so X stays on the generator's manifold of digits — the lecture's z* = argmax yᵢ(G(z)).
 *
 * Defaults, as measured for notebook 10 (course CNN's logit, 256 Adam steps at 0.05, the DCGAN, 10 classes × 3
 * seeds, judged by an independently trained MLP; chance 10%): z kept in the ball ‖z‖ ≤ √d and no other prior.
 * Against the ball's 80% (best logit of 4 random starts), a penalty λ‖z‖² gave 83% (λ 0.05) and 73% (0.2), the
 * shell ‖z‖ = √d 80%, truncation to 0.7·√d 73%, 64 smaller steps 73% — all within the ±7 points of a 30-image
 * count — and the log-probability in place of the logit 40% (it stops pushing once the CNN is sure, on strokes
 * only the CNN reads). What helped is where the ascent starts: `init` from {@link latentStarts}, one start per
 * image at the pool code the classifier already rates highest, gave 87% (over 18 seeds 79%, against 65% from one random
 * start and 74% over 9 seeds for the best of 4; VAE 100%), while more random starts kept by the highest logit
 * gave less (8: 60%). Single 30-image counts swing by a few images from run to run.
 *
 * @example
 * ```ts
 * const { decoder } = await mnistVae();
 * const z0 = latentStarts(model, decoder, [3]);
 * render(model, classScore(3), { param: latent(decoder, { init: z0 }) })
 * ```
 */
import { tf } from '../../../engine/tf';
import { normalVariable, type Parameterization, type ParamState, variableName } from './param';

/** Options of {@link latent}. */
export interface LatentOptions {
  /** Standard deviation of the starting z (the prior N(0, 1)); default 1. */
  noise?: number;
  /**
   * After each step z is pulled back into the ball ‖z‖ ≤ maxNorm, where the prior N(0, I) puts its
   * mass (‖z‖ ≈ √d); default √d. `Infinity` leaves z free (the logit then drives it off the
   * generator's manifold of digits).
   */
  maxNorm?: number;
  /**
   * Weight λ of the latent prior penalty λ‖z‖² subtracted from the objective (Nguyen et al. 2016,
   * §2: a Gaussian prior on the code; λ = ½ is exactly −log N(z; 0, I) up to a constant). Default 0.
   */
  prior?: number;
  /**
   * The starting codes z [n, d] (copied; the caller keeps and disposes them), e.g. from
   * {@link latentStarts}; default z drawn from N(0, noise²) with the render's seed.
   */
  init?: tf.Tensor2D;
  /** Keep z on the shell ‖z‖ = √d where N(0, I) has its mass (projected after each step); default false. */
  shell?: boolean;
}

/**
 * z of `generator` (a tf.LayersModel z [n, d] → images [n, h, w, c]) as the parameter. Its output
 * must have the classifier's input shape; render checks and names both.
 */
export function latent(generator: tf.LayersModel, options: LatentOptions = {}): Parameterization {
  if (!(generator instanceof tf.LayersModel)) throw new Error('latent: generator must be a tf.LayersModel from z [n, d] to images [n, h, w, c]');
  const zShape = generator.inputs[0].shape;
  if (zShape.length !== 2 || typeof zShape[1] !== 'number') throw new Error(`latent: the generator's input must be z [n, d]; it is [${zShape.map((x) => x ?? 'n')}]`);
  const out = generator.outputs[0].shape;
  const { noise = 1 } = options;
  if (!(noise > 0)) throw new Error(`latent: options.noise must be > 0; got ${noise}`);
  const d = zShape[1];
  const maxNorm = options.maxNorm ?? Math.sqrt(d);
  if (!(maxNorm > 0)) throw new Error(`latent: options.maxNorm must be > 0 (Infinity for none); got ${maxNorm}`);
  const prior = options.prior ?? 0;
  if (!(Number.isFinite(prior) && prior >= 0)) throw new Error(`latent: options.prior must be a number ≥ 0; got ${options.prior}`);
  const shell = options.shell ?? false;
  const radius = shell ? Math.sqrt(d) : maxNorm;
  return {
    kind: `latent (z of ${d})`,
    create([n, h, w, c], seed): ParamState {
      if (out.length !== 4 || out[1] !== h || out[2] !== w || out[3] !== c) {
        throw new Error(`latent: the generator makes images [${out.map((x) => x ?? 'n')}] but the classifier takes [n, ${h}, ${w}, ${c}]`);
      }
      const { init } = options;
      if (init !== undefined && (!(init instanceof tf.Tensor) || init.rank !== 2 || init.shape[0] !== n || init.shape[1] !== d)) {
        throw new Error(`latent: options.init must be starting codes [${n}, ${d}] (one per image of the batch); got ${init instanceof tf.Tensor ? `[${init.shape}]` : typeof init}`);
      }
      const z = init ? tf.variable(init, true, variableName('latent')) : normalVariable([n, d], noise, seed, 'latent');
      return {
        kind: `latent (z of ${d})`,
        variables: [z],
        image: () => generator.apply(z, { training: false }) as tf.Tensor4D,
        penalty: prior > 0 ? () => tf.mul(tf.square(z).sum(1), prior) as tf.Tensor1D : undefined,
        afterStep: shell
          ? () => tf.tidy(() => z.assign(tf.mul(z, tf.div(radius, tf.add(tf.norm(z, 2, 1, true), 1e-12)))))
          : Number.isFinite(maxNorm)
            ? () => tf.tidy(() => z.assign(tf.mul(z, tf.minimum(1, tf.div(maxNorm, tf.add(tf.norm(z, 2, 1, true), 1e-12))))))
            : undefined,
        dispose: () => z.dispose(),
      };
    },
  };
}
