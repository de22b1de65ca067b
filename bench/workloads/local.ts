/**
 * Benchmark workloads of the local explanation methods (issue 4 targets), found by bench/run.ts:
 *   occlusion-28x28-p4s2 : occlusion of one MNIST digit, 4×4 patch, stride 2 (169 positions) — target ≤ 50 ms
 *   lime-1000            : LIME of one MNIST digit, ~50 SLIC superpixels, 1,000 samples — target ≤ 2 s
 * Model: the reference CNN (seed 0, untrained: timing does not depend on the weights).
 */
import { tf } from '../../lib/engine/tf';
import { loadMnist } from '../../lib/data';
import { referenceCnn } from '../../lib/models';
import { lime, occlusion } from '../../lib/explain/local';

interface Fixture {
  model: tf.LayersModel;
  image: tf.Tensor4D;
}

let fixture: Fixture | undefined;

/** The model and one real digit, made on first use (after the engine is ready) and kept. */
function setup(): Fixture {
  if (!fixture) {
    const model = referenceCnn({ seed: 0 });
    const d = loadMnist({ split: 'test', count: 4 });
    const image = tf.keep(d.images.slice(3, 1)) as tf.Tensor4D;
    tf.dispose([d.images, d.labels]);
    fixture = { model, image };
  }
  return fixture;
}

/** Each run explains the digit once and frees the result. */
export const workloads: { name: string; run(): void; reps?: number; setup?: () => void }[] = [
  {
    name: 'occlusion-28x28-p4s2',
    setup,
    reps: 20,
    run() {
      const { model, image } = setup();
      occlusion(model, image, { target: 3, patch: 4, stride: 2 }).dispose();
    },
  },
  {
    name: 'lime-1000',
    setup,
    reps: 5,
    run() {
      const { model, image } = setup();
      lime(model, image, { target: 3, samples: 1000, segments: 50 }).dispose();
    },
  },
];
